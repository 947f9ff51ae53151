"""Every table of the site, loaded so that ``SQLModel.metadata`` (and so Alembic and the tests
that compare models with migrations) sees them all. Import names from each domain's own
``models`` module; this one only gathers them."""

from app.accounts import models as accounts  # noqa: F401
from app.admin import models as admin  # noqa: F401
from app.analysis import models as analysis  # noqa: F401
from app.audit import models as audit  # noqa: F401
from app.consultations import models as consultations  # noqa: F401
from app.identity import models as identity  # noqa: F401
from app.identity.vault import models as vault  # noqa: F401
from app.participation import models as participation  # noqa: F401
from app.ratelimit import models as ratelimit  # noqa: F401
from moderation import models as moderation  # noqa: F401

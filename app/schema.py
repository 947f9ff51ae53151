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
from app.outbox import models as outbox  # noqa: F401
from app.participation import models as participation  # noqa: F401
from app.ratelimit import models as ratelimit  # noqa: F401
from moderation import models as moderation  # noqa: F401

# Kept by migrations alone, not by models (migration 0061): the full-text index of answers, on
# SQLite an FTS5 table and the shadow tables it makes (contribution_fts_*), on PostgreSQL an
# expression index, one database's each.
SEARCH_TABLE = "contribution_fts"
SEARCH_INDEX = "ix_contribution_words"


def is_schema_object(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name``: leave out what the models do not describe."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(SEARCH_TABLE)
    return not (type_ == "index" and name == SEARCH_INDEX)

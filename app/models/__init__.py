"""Every table, imported so that SQLModel.metadata (and Alembic) sees them all."""

from app.models import base  # noqa: F401  (naming convention first)
from app.models.accounts import AccountStatus, Role, User, UserSession, VerificationLevel
from app.models.analysis import (
    AnswerCoding,
    AnswerTag,
    CampaignGroup,
    CampaignMember,
    CodebookTag,
    ConsultationDocument,
    ConsultationOutcome,
    Evaluation,
    ImportedResponse,
    QuestionOutcome,
    ResponseImport,
)
from app.models.audit import AuditEntry, AuditHead
from app.models.consultations import (
    Consultation,
    ModerationMode,
    Phase,
    Question,
    Stance,
    Theme,
)
from app.models.disclosure import (
    Disclosure,
    DisclosureReason,
    DisclosureStatus,
    OidcLogin,
)
from app.models.participation import (
    Channel,
    Contribution,
    Kind,
    PostState,
    RespondentType,
    Response,
)
from app.models.ratelimit import RateLimitCounter
from app.models.vault import Exclusion, IdentityRecord, SignInToken
from moderation import models as moderation_models  # noqa: F401  (moderation's tables)

__all__ = [
    "AnswerCoding",
    "AnswerTag",
    "CampaignGroup",
    "CampaignMember",
    "CodebookTag",
    "ConsultationDocument",
    "ConsultationOutcome",
    "Evaluation",
    "ImportedResponse",
    "QuestionOutcome",
    "ResponseImport",
    "AccountStatus",
    "AuditEntry",
    "AuditHead",
    "Channel",
    "Consultation",
    "Contribution",
    "Exclusion",
    "Disclosure",
    "DisclosureReason",
    "DisclosureStatus",
    "IdentityRecord",
    "Kind",
    "ModerationMode",
    "OidcLogin",
    "Phase",
    "PostState",
    "Question",
    "RateLimitCounter",
    "RespondentType",
    "Response",
    "Role",
    "SignInToken",
    "Stance",
    "Theme",
    "User",
    "UserSession",
    "VerificationLevel",
]

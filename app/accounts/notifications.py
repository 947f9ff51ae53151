"""Which e-mails an account has asked for, and the links that stop them without signing in.

Today there is one: "tell me when someone replies to me" (``User.notify_replies``), off until the
person turns it on. Each such e-mail carries a one-click unsubscribe link (RFC 8058): a token
signed with the site's secret that names the account and the kind of e-mail, so it works from
any mail client, signed in or not, and cannot be made up for somebody else's account.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlmodel import Session, col

from app.accounts.models import User
from kernel import i18n
from kernel.errors import NotFound

REPLIES = "replies"
_SALT = "reclaim.unsubscribe"
INVALID = i18n.N_(
    "This unsubscribe link is not valid. Copy the whole link from the e-mail, or choose what "
    "we send you on your account page."
)


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def unsubscribe_token(secret: str, *, account_id: int, topic: str = REPLIES) -> str:
    return str(_serializer(secret).dumps([account_id, topic]))


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str]:
    """The account and the kind of e-mail a token stops; NotFound for anything else."""
    try:
        account_id, topic = _serializer(secret).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound(i18n.gettext(INVALID)) from None
    if not isinstance(account_id, int) or topic != REPLIES:
        raise NotFound(i18n.gettext(INVALID))
    return account_id, topic


def set_reply_notices(session: Session, *, account_id: int, wanted: bool) -> bool:
    """Turn the reply e-mails on or off (one conditional update: two clicks at once are the
    same as one); whether anything changed."""
    changed = session.execute(
        update(User)
        .where(col(User.id) == account_id, col(User.notify_replies) != wanted)
        .values(notify_replies=wanted)
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]

"""CSRF protection: a random cookie, and a token derived from it that every form and every
HTMX request must send back (form field ``csrf_token`` or header ``X-CSRF-Token``)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from kernel import i18n
from kernel.errors import DomainError

COOKIE = "reclaim_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# One-click unsubscribe (RFC 8058): a mail client POSTs to the link with no cookie and no form
# token. The signed token in the address is what authorises it, and all it can do is stop
# e-mails to the account it names.
EXEMPT_PREFIXES = ("/unsubscribe/",)


class CsrfRefused(DomainError):
    status_code = 403
    title = i18n.N_("This form has expired")


def new_cookie_value() -> str:
    return secrets.token_urlsafe(32)


def token_for(cookie_value: str, secret: str) -> str:
    return hmac.new(secret.encode(), b"csrf|" + cookie_value.encode(), hashlib.sha256).hexdigest()


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: refuse a state-changing request without a valid token."""
    if request.method in SAFE_METHODS or request.url.path.startswith(EXEMPT_PREFIXES):
        return
    cookie = request.cookies.get(COOKIE)
    sent = request.headers.get(HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FIELD)
            sent = value if isinstance(value, str) else None
    secret = request.app.state.settings.secret_key.get_secret_value()
    if not cookie or not sent or not hmac.compare_digest(token_for(cookie, secret), sent):
        raise CsrfRefused(
            i18n._(
                "This form could not be accepted because its security token was missing or out of "
                "date (this happens when a page was open for a long time or cookies are blocked). "
                "Go back, reload the page and try again: what you typed is still in your browser."
            )
        )

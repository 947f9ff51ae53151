"""The one tree of domain errors for the whole site, ``moderation`` included.

Domain code raises these, never ``HTTPException``, so the CLI and tests can call it too. Each
carries the HTTP status the web layer answers with, a title and a message written for the
person who caused it (safe to show: it never names a reporter or reveals an identity). The web
layer has one handler for the whole tree; a form's errors (``FormInvalid``) re-render the form.
"""

from __future__ import annotations

from kernel import i18n


class DomainError(Exception):
    status_code = 400
    title = i18n.N_("That could not be done")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.title)
        # A message is written in the current language where it is raised; a class's title is
        # a message id, read in the reader's language where it is shown.
        self.message = message or i18n.gettext(self.title)


class NotFound(DomainError):
    status_code = 404
    title = i18n.N_("Not found")


class Forbidden(DomainError):
    status_code = 403
    title = i18n.N_("Not allowed")


class Conflict(DomainError):
    status_code = 409
    title = i18n.N_("Conflict")


class RateLimited(DomainError):
    status_code = 429
    title = i18n.N_("Too many attempts")

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class FormInvalid(DomainError):
    """Input that fails validation: ``errors`` maps each field name to its message."""

    status_code = 422
    title = i18n.N_("There is a problem with what you entered")

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors

"""Typed domain errors. Domain code raises these; the web layer turns them into pages."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "That could not be done"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Forbidden(DomainError):
    status_code = 403
    title = "Not allowed"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class RateLimited(DomainError):
    status_code = 429
    title = "Too many attempts"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class FormInvalid(DomainError):
    """Input that fails validation: ``errors`` maps each field name to its message."""

    status_code = 422
    title = "There is a problem with what you entered"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors

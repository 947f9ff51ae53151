"""Typed moderation errors.

Domain code raises these, never ``HTTPException``; each carries the HTTP status the web layer
should answer with and a message written for the person who caused it. ``message`` is safe to
show: it never names a reporter or reveals an identity.
"""

from __future__ import annotations

from datetime import datetime

from kernel import i18n, localtime
from kernel.errors import DomainError


class ModerationError(DomainError):
    """A moderation action that cannot be done in the case's current state (409 unless said).

    Missing things, refusals and bad input use the kernel's ``NotFound``, ``Forbidden`` and
    ``FormInvalid``, like the rest of the site."""

    status_code: int = 409
    title: str = "That moderation action could not be done"


class InvalidTransition(ModerationError):
    """The case state machine has no move for this event from this state."""

    title = i18n.N_("This case cannot move that way")

    def __init__(self, state: str, event: str, message: str | None = None) -> None:
        self.state = state
        self.event = event
        super().__init__(message or f"A case that is {state} cannot take the event '{event}'.")


class StaleCase(ModerationError):
    """The case changed (a new report, a decision, an appeal) after the moderator opened it."""

    title = i18n.N_("This case changed since you opened it")

    def __init__(self, changes: str) -> None:
        self.changes = changes
        super().__init__(
            f"This case changed since you opened it: {changes}. Review it again before acting."
        )


class ConflictOfInterest(ModerationError):
    """The moderator reported the post, wrote it, or made the decision now appealed."""

    status_code = 403
    title = i18n.N_("Another moderator must handle this case")


class ClaimedByOther(ModerationError):
    """Another moderator holds an unexpired claim on the case."""

    title = i18n.N_("Another moderator is working on this case")

    def __init__(self, message: str | None = None, *, until: datetime | None = None) -> None:
        self.until = until
        if message is None and until is not None:
            message = i18n._(
                "Another moderator is working on this case until {current}. Pick another case or "
                "try again later.",
                current=localtime.current().time(until),
            )
        super().__init__(message)


class AppealWindowClosed(ModerationError):
    title = i18n.N_("The time to appeal this decision has passed")


class AlreadyAppealed(ModerationError):
    title = i18n.N_("This decision has already been appealed; each decision can be appealed once")


class AlreadyReported(ModerationError):
    title = i18n.N_("You have already reported this post; we will tell you what we decide")


class OwnPost(ModerationError):
    title = i18n.N_("You cannot report your own post")


class ReasonsRequired(ModerationError):
    """The statement of reasons is missing, too short, or the unchanged template."""

    status_code = 422
    title = (
        "Write a statement of reasons about this post: at least 40 characters, "
        "and more than the template's wording"
    )

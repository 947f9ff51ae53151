"""Moderation's text inputs go through the one cleaning (kernel.text.clean): report notes,
moderators' statements, appeal reasons and watched words."""

from __future__ import annotations

from sqlmodel import Session

from kernel.clock import utcnow
from moderation import appeals, decisions, reporting, watch
from moderation.models import ModerationCase
from tests.factories import make_moderator, make_post, make_user

DIRTY = "\x00\x07\u202e\u2066\x85"
STATEMENT = "The post threatens a named person{} and breaks the law on threats, so it goes."


def test_notes_statements_reasons_and_watched_words_are_cleaned(session: Session, mod) -> None:
    author = make_user(session)
    post = make_post(session, author=author)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="threat",
        about_me=True,
        note=f"It names{DIRTY} me.",
        now=utcnow(),
    )
    assert report.note == "It names me."
    case = session.get(ModerationCase, report.case_id)
    decided = decisions.decide(
        session,
        case_id=case.id,
        moderator_id=make_moderator(session).id,
        version=case.version,
        action="remove",
        basis="threat",
        statement=STATEMENT.format(DIRTY),
        now=utcnow(),
    )
    assert decided.statement == STATEMENT.format("")
    appeal = appeals.lodge_appeal(
        session,
        decision_id=decided.id,
        appellant_id=author.id,
        reason=f"I did not{DIRTY} mean it as a threat at all, it was a quote.",
        now=utcnow(),
    )
    assert appeal.reason == "I did not mean it as a threat at all, it was a quote."
    word = watch.add_word(
        session,
        phrase=f"bad{DIRTY} word",
        action="flag",
        moderator_id=make_moderator(session).id,
        now=utcnow(),
    )
    assert word.phrase == "bad word"

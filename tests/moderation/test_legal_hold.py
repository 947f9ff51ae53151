"""A person deleting their account cannot take with them posts that a case still needs."""

from sqlmodel import select

from app.consultations.catalogue import get_question
from app.identity import personal_data
from app.participation import commands
from app.participation.models import Contribution
from kernel.clock import utcnow
from moderation import reporting
from moderation.models import ModerationCase
from tests.factories import make_consultation, make_user


def test_reported_post_is_on_hold_and_survives_account_deletion(app, session) -> None:
    c = make_consultation(session)
    author, reporter = make_user(session), make_user(session)
    answer = commands.submit_answer(
        session,
        consultation=c,
        question=get_question(session, c, 1),
        author=author,
        stance="agree",
        text="A post that was reported.",
        publish=True,
        now=utcnow(),
    )
    other = commands.submit_answer(
        session,
        consultation=c,
        question=get_question(session, c, 2),
        author=author,
        stance="agree",
        text="A post nobody reported.",
        publish=True,
        now=utcnow(),
    )
    reporting.report_post(
        session,
        post_id=answer.id,
        reporter_id=reporter.id,
        reason="threat",
        about_me=True,
        note=None,
        now=utcnow(),
    )
    assert personal_data.held_contribution_ids(session, [answer.id, other.id]) == {answer.id}
    result = personal_data.delete_account(
        session, user=author, contributions="remove", confirmed=True, now=utcnow()
    )
    assert result.held == 1 and result.removed == 1
    kept = session.get(Contribution, answer.id)
    assert kept.source_text == "A post that was reported." and kept.author_id == author.id
    assert session.get(Contribution, other.id).state == "deleted"
    case = session.exec(
        select(ModerationCase).where(ModerationCase.contribution_id == answer.id)
    ).one()
    assert case is not None

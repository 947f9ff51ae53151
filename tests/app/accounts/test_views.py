"""A person's account page: their roles, signed-in browsers and the consultations they
answered, with how many answers each."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import sessions
from app.accounts.models import Role
from app.accounts.views import account_overview
from app.consultations import catalogue
from app.participation import commands
from kernel.clock import utcnow
from tests.factories import make_consultation, make_user


def answer(session, consultation, user, number) -> None:
    commands.submit_answer(
        session,
        consultation=consultation,
        question=catalogue.get_question(session, consultation, number),
        author=user,
        stance="agree",
        text="An answer long enough to keep.",
        publish=True,
        now=utcnow(),
    )


def test_the_overview_counts_active_sessions_and_answers_per_consultation(
    session: Session,
) -> None:
    user = make_user(session, roles={Role.moderator}, pseudonym="OverviewUser")
    other = make_user(session)
    sessions.start_session(session, user=user, now=utcnow())
    ended = sessions.start_session(session, user=user, now=utcnow())
    sessions.start_session(session, user=other, now=utcnow())
    sessions.end_session(session, ended, now=utcnow())
    first = make_consultation(session, questions=3)
    second = make_consultation(session, questions=2)
    for number in (1, 3):
        answer(session, first, user, number)
    answer(session, second, user, 2)
    answer(session, second, other, 1)
    overview = account_overview(session, user=user)
    assert overview.pseudonym == "OverviewUser"
    assert overview.roles == ["citizen", "moderator"]
    assert overview.active_sessions == 1
    expected = sorted(
        [(first.slug, first.title, 2), (second.slug, second.title, 1)], key=lambda r: r[1]
    )
    assert overview.responses == expected


def test_a_new_account_has_nothing_to_show(session: Session) -> None:
    overview = account_overview(session, user=make_user(session))
    assert overview.active_sessions == 0 and overview.responses == []
    assert overview.verification_level == "email"

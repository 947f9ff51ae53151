"""Moderation service tests run against the real databases with the site's ports installed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import Role, User
from app.consultations import catalogue
from app.participation import commands
from app.participation.models import Contribution
from kernel.clock import utcnow
from moderation import hooks as moderation_hooks
from moderation.hookspecs import ModerationSettings
from tests.factories import make_consultation, make_user


@pytest.fixture
def mod(session: Session) -> ModerationSettings:
    """The site's moderation settings, as its hooks give them to the moderation domain."""
    return moderation_hooks.settings(session)


def make_post(
    session: Session,
    *,
    author: User | None = None,
    text: str = "I think the proposal goes too far and should be narrowed.",
    consultation=None,
    number: int = 1,
) -> Contribution:
    author = author or make_user(session)
    consultation = consultation or make_consultation(session, questions=2)

    question = catalogue.get_question(session, consultation, number)
    return commands.submit_answer(
        session,
        consultation=consultation,
        question=question,
        author=author,
        stance="disagree",
        text=text,
        publish=True,
        now=utcnow(),
    )


def make_reply(
    session: Session,
    *,
    parent: Contribution,
    author: User | None = None,
    text: str = "I disagree with this answer entirely.",
) -> Contribution:
    from app.consultations.models import Consultation, Question

    question = session.get(Question, parent.question_id)
    consultation = session.get(Consultation, question.consultation_id)
    return commands.add_reply(
        session,
        consultation=consultation,
        parent=parent,
        author=author or make_user(session),
        text=text,
        now=utcnow(),
    )


def make_moderator(session: Session, **kwargs) -> User:
    return make_user(session, roles={Role.moderator}, **kwargs)


def age_account(session: Session, user: User, days: float) -> User:
    user.created_at = utcnow() - timedelta(days=days)
    session.add(user)
    session.flush()
    return user

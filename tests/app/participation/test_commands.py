"""Taking part, called directly: one answer per question and one response per consultation,
validation that stores nothing, who may post and when, replies, and the posting limit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from app.accounts.models import AccountStatus
from app.consultations import catalogue, rules
from app.participation import commands
from app.participation.models import Contribution, Kind, PostState, Response
from app.ratelimit.limiter import Limit, RateLimiter
from kernel.clock import utcnow
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound, RateLimited
from moderation import blocks
from moderation import watch as moderation_watch
from moderation.models import ModerationCase
from tests.factories import make_consultation, make_user

TEXT = "Officers should be trained before they take reports of online abuse."


def answer(session, consultation, author, *, number=1, **kwargs) -> Contribution:
    args = {"stance": "agree", "text": TEXT, "publish": True, "now": utcnow()}
    args.update(kwargs)
    return commands.submit_answer(
        session,
        consultation=consultation,
        question=catalogue.get_question(session, consultation, number),
        author=author,
        **args,
    )


def reply(session, consultation, parent, author, *, text="I agree with this.", **kwargs):
    return commands.add_reply(
        session,
        consultation=consultation,
        parent=parent,
        author=author,
        text=text,
        now=kwargs.pop("now", utcnow()),
        **kwargs,
    )


def count(session: Session, model, *conditions) -> int:
    return session.exec(select(func.count()).select_from(model).where(*conditions)).one()


# Answers -------------------------------------------------------------------------------------


def test_first_answer_creates_the_response_and_the_answer(session: Session) -> None:
    consultation, author = make_consultation(session), make_user(session)
    created = answer(session, consultation, author, text="Train **every** officer, please.")
    response = session.exec(select(Response).where(Response.respondent_id == author.id)).one()
    assert response.consultation_id == consultation.id and response.is_public
    assert created.kind == Kind.answer and created.response_id == response.id
    assert created.stance == "agree" and created.state == PostState.visible
    assert created.source_text == "Train **every** officer, please."
    assert "<strong>every</strong>" in created.html
    assert created.edited_at is None


def test_second_answer_to_the_same_question_edits_the_first(session: Session) -> None:
    consultation, author = make_consultation(session), make_user(session)
    first = answer(session, consultation, author)
    later = utcnow() + timedelta(minutes=5)
    second = answer(
        session,
        consultation,
        author,
        stance="disagree",
        text="On reflection the training alone is not enough.",
        now=later,
    )
    assert second.id == first.id
    stored = session.exec(select(Contribution).where(Contribution.author_id == author.id)).one()
    assert stored.stance == "disagree"
    assert stored.source_text == "On reflection the training alone is not enough."
    assert stored.edited_at == later


def test_answers_to_several_questions_share_one_response(session: Session) -> None:
    consultation, author = make_consultation(session, questions=3), make_user(session)
    for number in (1, 2, 3):
        answer(session, consultation, author, number=number)
    assert count(session, Response, Response.respondent_id == author.id) == 1
    assert count(session, Contribution, Contribution.author_id == author.id) == 3


def test_each_consultation_gets_its_own_response(session: Session) -> None:
    author = make_user(session)
    answer(session, make_consultation(session), author)
    answer(session, make_consultation(session), author)
    assert count(session, Response, Response.respondent_id == author.id) == 2


def test_crlf_line_breaks_are_stored_as_one_character(session: Session) -> None:
    created = answer(
        session, make_consultation(session), make_user(session), text="First line.\r\nSecond."
    )
    assert created.source_text == "First line.\nSecond."


@pytest.mark.parametrize("stance", [None, "", "strongly_agree"])
def test_a_missing_or_unknown_stance_is_refused_and_nothing_is_stored(
    session: Session, stance
) -> None:
    consultation, author = make_consultation(session), make_user(session)
    with pytest.raises(FormInvalid) as refused:
        answer(session, consultation, author, stance=stance)
    assert set(refused.value.errors) == {"stance"}
    assert count(session, Response, Response.respondent_id == author.id) == 0
    assert count(session, Contribution, Contribution.author_id == author.id) == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Too short", "at least 10"),
        ("x" * (commands.ANSWER_MAX + 1), "at most 5,000"),
        ("   ", "Enter your answer"),
        (None, "Enter your answer"),
    ],
)
def test_an_answer_of_the_wrong_length_or_with_bad_characters_is_refused(
    session: Session, text, words
) -> None:
    consultation, author = make_consultation(session), make_user(session)
    with pytest.raises(FormInvalid) as refused:
        answer(session, consultation, author, text=text)
    assert set(refused.value.errors) == {"text"}
    assert words in refused.value.errors["text"]
    assert count(session, Contribution, Contribution.author_id == author.id) == 0


def test_control_characters_and_bidi_overrides_are_removed_from_an_answer(
    session: Session,
) -> None:
    consultation, author = make_consultation(session), make_user(session)
    saved = answer(
        session, consultation, author, text="An answer\x00 with a \u202eNUL\x1b inside.\r\nEnd"
    )
    assert saved.source_text == "An answer with a NUL inside.\nEnd"
    assert "\x00" not in saved.html and "\u202e" not in saved.html


def test_every_problem_is_reported_at_once(session: Session) -> None:
    with pytest.raises(FormInvalid) as refused:
        answer(session, make_consultation(session), make_user(session), stance="", text="")
    assert set(refused.value.errors) == {"stance", "text"}


def test_an_answer_at_exactly_the_limits_is_accepted(session: Session) -> None:
    consultation = make_consultation(session, questions=2)
    author = make_user(session)
    answer(session, consultation, author, number=1, text="x" * commands.ANSWER_MIN)
    answer(session, consultation, author, number=2, text="x" * commands.ANSWER_MAX)
    assert count(session, Contribution, Contribution.author_id == author.id) == 2


@pytest.mark.parametrize("status", ["closed", "upcoming"])
def test_a_consultation_that_is_not_open_refuses_answers(session: Session, status) -> None:
    consultation, author = make_consultation(session, status=status), make_user(session)
    with pytest.raises(rules.ConsultationClosed):
        answer(session, consultation, author)
    assert count(session, Response, Response.respondent_id == author.id) == 0


def test_editing_after_an_early_close_is_refused(session: Session) -> None:
    consultation, author = make_consultation(session), make_user(session)
    answer(session, consultation, author)
    consultation.closed_early_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(rules.ConsultationClosed):
        answer(session, consultation, author, text="A changed answer, too late now.")
    assert session.exec(select(Contribution.source_text)).one() == TEXT


def test_a_respondent_below_the_required_verification_level_is_refused(
    session: Session,
) -> None:
    consultation = make_consultation(session, required_level="identity")
    author = make_user(session)
    with pytest.raises(Forbidden) as refused:
        answer(session, consultation, author)
    assert "verified identity" in refused.value.message
    unconfirmed = make_user(session)
    unconfirmed.verification_level = "none"
    with pytest.raises(Forbidden):
        answer(session, make_consultation(session), unconfirmed)
    assert count(session, Response) == 0


def test_a_verified_identity_may_answer_where_one_is_required(session: Session) -> None:
    consultation = make_consultation(session, required_level="identity")
    author = make_user(session)
    author.verification_level = "identity"
    assert answer(session, consultation, author).id is not None


def test_a_suspended_author_cannot_answer_until_the_suspension_ends(session: Session) -> None:
    consultation, author = make_consultation(session), make_user(session)
    author.status = AccountStatus.suspended
    author.suspended_until = utcnow() + timedelta(days=3)
    with pytest.raises(Forbidden) as refused:
        answer(session, consultation, author)
    assert "suspended until" in refused.value.message
    assert count(session, Contribution) == 0
    author.suspended_until = utcnow() - timedelta(minutes=1)
    assert answer(session, consultation, author).id is not None


def test_an_indefinitely_suspended_author_cannot_answer(session: Session) -> None:
    author = make_user(session)
    author.status, author.suspended_until = AccountStatus.suspended, None
    with pytest.raises(Forbidden):
        answer(session, make_consultation(session), author)


@pytest.mark.parametrize("status", [AccountStatus.excluded, AccountStatus.deleted])
def test_an_excluded_or_deleted_account_cannot_answer(session: Session, status) -> None:
    author = make_user(session)
    author.status = status
    with pytest.raises(Forbidden) as refused:
        answer(session, make_consultation(session), author)
    assert "no longer take part" in refused.value.message
    assert count(session, Contribution) == 0


def test_pre_moderation_holds_the_answer_and_opens_a_case(session: Session) -> None:
    consultation = make_consultation(session, moderation_mode="pre")
    held = answer(session, consultation, make_user(session))
    assert held.state == PostState.held
    case = session.exec(
        select(ModerationCase).where(ModerationCase.contribution_id == held.id)
    ).one()
    assert case.source == "pre" and case.state == "held"


def test_a_watched_hold_word_holds_the_answer(session: Session) -> None:
    moderator = make_user(session)
    moderation_watch.add_word(
        session, phrase="zorblax", action="hold", moderator_id=moderator.id, now=utcnow()
    )
    held = answer(
        session, make_consultation(session), make_user(session), text="I say zorblax to that."
    )
    assert held.state == PostState.held


def test_a_removed_answer_can_no_longer_be_edited(session: Session) -> None:
    consultation, author = make_consultation(session), make_user(session)
    removed = answer(session, consultation, author)
    removed.state = PostState.removed
    session.add(removed)
    session.flush()
    with pytest.raises(Conflict):
        answer(session, consultation, author, text="Trying to put it back again.")
    assert session.exec(select(Contribution.source_text)).one() == TEXT


def test_a_private_response_keeps_its_answers_private_and_can_be_published(
    session: Session,
) -> None:
    consultation = make_consultation(session, questions=2)
    author = make_user(session)
    first = answer(session, consultation, author, number=1, publish=False)
    second = answer(session, consultation, author, number=2, publish=None)
    assert not first.is_public and not second.is_public  # None keeps the response's choice
    answer(session, consultation, author, number=1, publish=True)
    public = session.exec(
        select(Contribution.is_public).where(Contribution.author_id == author.id)
    ).all()
    assert public == [True, True]


def test_set_response_visibility_hides_every_answer(session: Session) -> None:
    consultation = make_consultation(session, questions=2)
    author = make_user(session)
    answer(session, consultation, author, number=1)
    answer(session, consultation, author, number=2)
    response = commands.set_response_visibility(
        session, consultation=consultation, user=author, is_public=False, now=utcnow()
    )
    session.flush()
    assert not response.is_public
    flags = session.exec(
        select(Contribution.is_public).where(Contribution.author_id == author.id)
    ).all()
    assert flags == [False, False]


def test_set_response_visibility_without_a_response_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        commands.set_response_visibility(
            session,
            consultation=make_consultation(session),
            user=make_user(session),
            is_public=False,
            now=utcnow(),
        )


# Replies -------------------------------------------------------------------------------------


def test_a_reply_is_stored_under_the_answer_and_bumps_its_reply_count(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    created = reply(session, consultation, parent, make_user(session), text="Well *said*.")
    session.refresh(parent)
    assert created.kind == Kind.reply and created.parent_id == parent.id
    assert created.question_id == parent.question_id and created.response_id is None
    assert "<em>said</em>" in created.html
    assert parent.reply_count == 1
    reply(session, consultation, parent, make_user(session))
    session.refresh(parent)
    assert parent.reply_count == 2


def test_a_reply_to_a_reply_is_refused(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    first = reply(session, consultation, parent, make_user(session))
    with pytest.raises(FormInvalid) as refused:
        reply(session, consultation, first, make_user(session))
    assert set(refused.value.errors) == {"text"}
    assert count(session, Contribution, Contribution.kind == Kind.reply) == 1


def test_a_reply_to_a_private_answer_is_refused(session: Session) -> None:
    consultation = make_consultation(session)
    private = answer(session, consultation, make_user(session), publish=False)
    with pytest.raises(NotFound):
        reply(session, consultation, private, make_user(session))
    assert count(session, Contribution, Contribution.kind == Kind.reply) == 0


@pytest.mark.parametrize("state", [PostState.held, PostState.hidden, PostState.removed])
def test_a_reply_to_an_answer_that_is_not_visible_is_refused(session: Session, state) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    parent.state = state
    with pytest.raises(NotFound):
        reply(session, consultation, parent, make_user(session))


def test_someone_blocked_by_the_answers_author_cannot_reply(session: Session) -> None:
    consultation = make_consultation(session)
    author, blocked = make_user(session), make_user(session)
    parent = answer(session, consultation, author)
    blocks.block(session, blocker_id=author.id, pseudonym=blocked.pseudonym, now=utcnow())
    with pytest.raises(Forbidden):
        reply(session, consultation, parent, blocked)
    assert reply(session, consultation, parent, make_user(session)).id is not None
    session.refresh(parent)
    assert parent.reply_count == 1


@pytest.mark.parametrize("text", ["x", "y" * (commands.REPLY_MAX + 1), "", None, "\x07\x00\u202e"])
def test_a_reply_of_the_wrong_length_is_refused_with_the_text_field(session: Session, text) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    with pytest.raises(FormInvalid) as refused:
        reply(session, consultation, parent, make_user(session), text=text)
    assert set(refused.value.errors) == {"text"}
    session.refresh(parent)
    assert parent.reply_count == 0


def test_a_suspended_author_cannot_reply(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    suspended = make_user(session)
    suspended.status = AccountStatus.suspended
    with pytest.raises(Forbidden):
        reply(session, consultation, parent, suspended)


def test_replies_on_a_closed_consultation_are_refused(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    with pytest.raises(rules.ConsultationClosed):
        reply(session, consultation, parent, make_user(session), now=utcnow() + timedelta(days=60))


def test_a_held_reply_does_not_count_until_approved(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    consultation.moderation_mode = "pre"
    held = reply(session, consultation, parent, make_user(session))
    session.refresh(parent)
    assert held.state == PostState.held and parent.reply_count == 0


def test_reply_to_finds_the_answers_consultation(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    created = commands.reply_to(
        session, answer_id=parent.id, author=make_user(session), text="Agreed.", now=utcnow()
    )
    assert created.parent_id == parent.id


def test_reply_to_an_unknown_post_or_an_unpublished_consultation_is_not_found(
    session: Session,
) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    replier = make_user(session)
    with pytest.raises(NotFound):
        commands.reply_to(
            session, answer_id=parent.id + 10_000, author=replier, text="Hi.", now=utcnow()
        )
    consultation.is_published = False
    session.add(consultation)
    session.flush()
    with pytest.raises(NotFound):
        commands.reply_to(session, answer_id=parent.id, author=replier, text="Hi.", now=utcnow())
    assert count(session, Contribution, Contribution.kind == Kind.reply) == 0


# The posting limit ---------------------------------------------------------------------------


@pytest.fixture
def posting_limit(limiter_engine) -> Limit:
    """Two posts an hour, under a name of this test's own."""
    return Limit(
        RateLimiter(limiter_engine), f"post-{uuid.uuid4().hex}", "2/hour", "You posted a lot."
    )


def test_the_post_over_the_limit_is_refused_and_not_stored(
    session: Session, posting_limit: Limit
) -> None:
    consultation = make_consultation(session, questions=3)
    author = make_user(session)
    answer(session, consultation, author, number=1, limit=posting_limit)
    parent = answer(session, make_consultation(session), make_user(session))
    reply(session, consultation, parent, author, limit=posting_limit)
    with pytest.raises(RateLimited) as refused, session.begin_nested():
        answer(session, consultation, author, number=2, limit=posting_limit)
    assert "You posted a lot. Try again in" in refused.value.message
    assert refused.value.retry_after_seconds > 0
    stored = session.exec(select(Contribution.kind).where(Contribution.author_id == author.id))
    assert sorted(stored.all()) == ["answer", "reply"]


def test_a_refused_post_does_not_count_against_the_limit(
    session: Session, posting_limit: Limit
) -> None:
    consultation = make_consultation(session, questions=2)
    author = make_user(session)
    parent = answer(session, consultation, make_user(session))
    with pytest.raises(FormInvalid):
        reply(session, consultation, parent, author, text="x", limit=posting_limit)
    reply(session, consultation, parent, author, limit=posting_limit)
    answer(session, consultation, author, number=2, limit=posting_limit)
    with pytest.raises(RateLimited), session.begin_nested():
        reply(session, consultation, parent, author, text="A third post.", limit=posting_limit)
    assert count(session, Contribution, Contribution.author_id == author.id) == 2


def test_the_limit_is_counted_per_author(session: Session, posting_limit: Limit) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation, make_user(session))
    first, second = make_user(session), make_user(session)
    for _ in range(2):
        reply(session, consultation, parent, first, limit=posting_limit)
    reply(session, consultation, parent, second, limit=posting_limit)
    session.refresh(parent)
    assert parent.reply_count == 3

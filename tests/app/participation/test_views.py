"""Reading the debate, called directly: pages and sorts of answers, blocked authors hidden from
the blocker, removed posts as labelled markers, stance summaries, a question page, a thread
and a person's own response."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.consultations import catalogue
from app.participation import commands, views
from app.participation.feed import complete_threads, post_select, post_view, statement_slots
from app.participation.models import Contribution, PostState
from app.participation.views import AnswerSort
from kernel.clock import utcnow
from kernel.errors import NotFound
from moderation import blocks
from moderation.reasons import ReportReason
from tests.factories import (
    make_consultation,
    make_thread,
    make_user,
    remove_post,
)

START = utcnow() - timedelta(hours=2)


def answer(session, consultation, author=None, *, number=1, minute=0, **kwargs) -> Contribution:
    args = {"stance": "agree", "text": "An answer long enough to keep.", "publish": True}
    args.update(kwargs)
    return commands.submit_answer(
        session,
        consultation=consultation,
        question=catalogue.get_question(session, consultation, number),
        author=author or make_user(session),
        now=START + timedelta(minutes=minute),
        **args,
    )


def reply(session, consultation, parent, author=None, *, minute=0, text="A reply.") -> Contribution:
    return commands.add_reply(
        session,
        consultation=consultation,
        parent=parent,
        author=author or make_user(session),
        text=text,
        now=START + timedelta(minutes=minute),
    )


def page_of(session, consultation, *, number=1, sort=AnswerSort.newest, page=1, per_page=10, **kw):
    return views.answer_page(
        session,
        question=catalogue.get_question(session, consultation, number),
        sort=sort,
        page=page,
        per_page=per_page,
        **kw,
    )


# answer_page ---------------------------------------------------------------------------------


def test_newest_answers_come_first_one_page_at_a_time(session: Session) -> None:
    consultation = make_consultation(session)
    ids = [answer(session, consultation, minute=m).id for m in range(5)]
    first = page_of(session, consultation, per_page=2)
    assert [a.id for a in first.answers] == [ids[4], ids[3]]
    assert (first.page, first.pages) == (1, 3)
    last = page_of(session, consultation, per_page=2, page=3)
    assert [a.id for a in last.answers] == [ids[0]]


@pytest.mark.parametrize(("asked", "shown"), [(0, 1), (-4, 1), (99, 3)])
def test_a_page_out_of_range_shows_the_nearest_page(session: Session, asked, shown) -> None:
    consultation = make_consultation(session)
    for m in range(5):
        answer(session, consultation, minute=m)
    result = page_of(session, consultation, per_page=2, page=asked)
    assert result.page == shown and result.answers


def test_a_question_without_answers_has_one_empty_page(session: Session) -> None:
    result = page_of(session, make_consultation(session))
    assert (result.answers, result.page, result.pages) == ([], 1, 1)
    assert result.summary.total == 0


def test_most_replied_sorts_by_reply_count_then_newest(session: Session) -> None:
    consultation = make_consultation(session)
    quiet, busy, middle, also_quiet = (answer(session, consultation, minute=m) for m in range(4))
    for m in range(3):
        reply(session, consultation, busy, minute=10 + m)
    reply(session, consultation, middle, minute=20)
    result = page_of(session, consultation, sort=AnswerSort.most_replied)
    assert [a.id for a in result.answers] == [busy.id, middle.id, also_quiet.id, quiet.id]
    assert [a.reply_count for a in result.answers] == [3, 1, 0, 0]
    assert result.sort is AnswerSort.most_replied


def test_answers_come_with_their_replies_oldest_first(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation)
    later = reply(session, consultation, parent, minute=9, text="Second reply.")
    earlier = reply(session, consultation, parent, minute=3, text="First reply.")
    (shown,) = page_of(session, consultation).answers
    assert [r.id for r in shown.replies] == [earlier.id, later.id]
    assert "First reply." in shown.replies[0].html


def test_only_published_visible_or_removed_answers_are_listed(session: Session) -> None:
    consultation = make_consultation(session)
    visible = answer(session, consultation)
    answer(session, consultation, publish=False)
    held = answer(session, consultation)
    held.state = PostState.held
    hidden = answer(session, consultation)
    hidden.state = PostState.hidden
    session.flush()
    assert [a.id for a in page_of(session, consultation).answers] == [visible.id]


def test_the_blocker_no_longer_sees_the_blocked_persons_answers_or_replies(
    session: Session,
) -> None:
    consultation = make_consultation(session)
    viewer, blocked = make_user(session), make_user(session)
    theirs = answer(session, consultation, blocked, minute=1)
    other = answer(session, consultation, minute=2)
    reply(session, consultation, other, blocked, text="Blocked reply.")
    kept = reply(session, consultation, other, text="Kept reply.")
    blocks.block(session, blocker_id=viewer.id, pseudonym=blocked.pseudonym, now=utcnow())
    for_viewer = page_of(session, consultation, blocker_id=viewer.id)
    assert [a.id for a in for_viewer.answers] == [other.id]
    assert [r.id for r in for_viewer.answers[0].replies] == [kept.id]
    for_others = page_of(session, consultation)
    assert {a.id for a in for_others.answers} == {theirs.id, other.id}
    assert len(for_others.answers[0].replies) == 2


def test_a_removed_answer_stays_as_a_marker_with_the_decisions_category(
    session: Session,
) -> None:
    consultation = make_consultation(session)
    removed = answer(session, consultation, text="A post that a moderator will remove.")
    remove_post(session, removed)
    (marker,) = page_of(session, consultation).answers
    assert marker.id == removed.id and marker.is_removed
    assert marker.html == ""  # the text is gone, the marker stays
    threat = ReportReason.threat
    assert marker.removed_reason == f"{threat.label} (category {threat.legal_category})"


def test_a_removed_reply_is_a_marker_inside_its_thread(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation)
    gone = reply(session, consultation, parent, text="A reply that will be removed.")
    remove_post(session, gone, reason="spam")
    (shown,) = page_of(session, consultation).answers
    (marker,) = shown.replies
    assert marker.is_removed and marker.html == ""
    assert marker.removed_reason == f"{ReportReason.spam.label} (site rules)"


def test_removed_answers_count_towards_the_number_of_pages(session: Session) -> None:
    consultation = make_consultation(session)
    for m in range(2):
        answer(session, consultation, minute=m)
    remove_post(session, answer(session, consultation, minute=5))
    result = page_of(session, consultation, per_page=2)
    assert result.pages == 2 and result.summary.total == 2


def test_an_author_whose_account_is_gone_is_shown_as_a_former_participant(
    session: Session,
) -> None:
    consultation = make_consultation(session)
    orphan = answer(session, consultation)
    orphan.author_id = None
    session.flush()
    (shown,) = page_of(session, consultation).answers
    assert shown.author_pseudonym == "Former participant"


# stance_summary ------------------------------------------------------------------------------


def test_stance_summary_counts_only_public_visible_answers(session: Session) -> None:
    consultation = make_consultation(session)
    answer(session, consultation, stance="agree")
    answer(session, consultation, stance="agree")
    counted = answer(session, consultation, stance="disagree")
    answer(session, consultation, stance="disagree", publish=False)
    held = answer(session, consultation, stance="neutral")
    held.state = PostState.held
    session.flush()
    remove_post(session, answer(session, consultation, stance="not_sure"))
    reply(session, consultation, counted)
    question = catalogue.get_question(session, consultation, 1)
    summary = views.stance_summary(session, question_id=question.id)
    assert summary.counts == {"agree": 2, "disagree": 1}
    assert summary.total == 3
    assert summary.items() == [
        ("agree", "Agree", 2),
        ("disagree", "Disagree", 1),
        ("neutral", "Neutral", 0),
        ("not_sure", "Not sure", 0),
    ]


def test_stance_summaries_of_several_questions_in_one_go(session: Session) -> None:
    consultation = make_consultation(session, questions=2)
    first, second = catalogue.questions_of(session, consultation)
    answer(session, consultation, number=1, stance="agree")
    answer(session, consultation, number=2, stance="neutral")
    answer(session, consultation, number=2, stance="neutral")
    summaries = views.stance_summaries(session, question_ids=[first.id, second.id])
    assert summaries[first.id].counts == {"agree": 1}
    assert summaries[second.id].counts == {"neutral": 2}


def test_latest_answers_keeps_the_newest_few_of_each_question(session: Session) -> None:
    consultation = make_consultation(session, questions=2)
    first, second = catalogue.questions_of(session, consultation)
    ids = [answer(session, consultation, number=1, minute=m).id for m in range(3)]
    latest = views.latest_answers(session, question_ids=[first.id, second.id], per_question=2)
    assert [a.id for a in latest[first.id]] == [ids[2], ids[1]]
    assert latest[second.id] == []
    assert views.latest_answers(session, question_ids=[], per_question=2) == {}


# question_view -------------------------------------------------------------------------------


def located(session, consultation, number=1):
    return catalogue.locate_question(session, consultation.slug, number)


def test_question_view_for_a_visitor(session: Session) -> None:
    consultation = make_consultation(session, questions=3)
    view = views.question_view(
        session,
        located=located(session, consultation, 2),
        viewer=None,
        sort=None,
        page=0,
        now=utcnow(),
    )
    assert view.question.position == 2 and view.question_count == 3
    assert view.sort is AnswerSort.newest and view.page == 1
    assert view.own_answer is None and view.response is None and view.blocker_id is None
    assert view.closed_reason is None and view.level_problem is None


def test_question_view_shows_the_viewer_their_own_answer(session: Session) -> None:
    consultation = make_consultation(session, questions=2)
    viewer = make_user(session)
    mine = answer(session, consultation, viewer, number=1)
    answer(session, consultation, number=1)
    view = views.question_view(
        session,
        located=located(session, consultation),
        viewer=viewer,
        sort="most_replied",
        page=2,
        now=utcnow(),
    )
    assert view.own_answer.id == mine.id
    assert view.response.id == mine.response_id
    assert view.sort is AnswerSort.most_replied and view.page == 2
    other_question = views.question_view(
        session,
        located=located(session, consultation, 2),
        viewer=viewer,
        sort=None,
        page=1,
        now=utcnow(),
    )
    assert other_question.own_answer is None


def test_question_view_marks_a_viewer_who_blocked_someone(session: Session) -> None:
    consultation = make_consultation(session)
    viewer, other = make_user(session), make_user(session)
    args = {"located": located(session, consultation), "sort": "bogus", "page": 1}
    before = views.question_view(session, viewer=viewer, now=utcnow(), **args)
    assert before.blocker_id is None and before.sort is AnswerSort.newest
    blocks.block(session, blocker_id=viewer.id, pseudonym=other.pseudonym, now=utcnow())
    after = views.question_view(session, viewer=viewer, now=utcnow(), **args)
    assert after.blocker_id == viewer.id


def test_question_view_says_why_the_viewer_cannot_answer(session: Session) -> None:
    consultation = make_consultation(session, status="closed", required_level="identity")
    view = views.question_view(
        session,
        located=located(session, consultation),
        viewer=make_user(session),
        sort=None,
        page=1,
        now=utcnow(),
    )
    assert view.closed_reason.startswith("This consultation closed on")
    assert "verified identity" in view.level_problem


# thread_view ---------------------------------------------------------------------------------


def test_thread_view_shows_the_answer_with_its_replies(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation)
    first = reply(session, consultation, parent, minute=1)
    second = reply(session, consultation, parent, minute=2)
    thread = views.thread_view(session, answer_id=parent.id, now=utcnow())
    assert thread.answer.id == parent.id
    assert [r.id for r in thread.answer.replies] == [first.id, second.id]
    assert thread.consultation.id == consultation.id
    assert thread.question.id == parent.question_id
    assert thread.closed_reason is None


def test_thread_view_hides_replies_of_people_the_viewer_blocked(session: Session) -> None:
    consultation = make_consultation(session)
    viewer, blocked = make_user(session), make_user(session)
    parent = answer(session, consultation)
    reply(session, consultation, parent, blocked)
    kept = reply(session, consultation, parent)
    blocks.block(session, blocker_id=viewer.id, pseudonym=blocked.pseudonym, now=utcnow())
    thread = views.thread_view(session, answer_id=parent.id, now=utcnow(), viewer_id=viewer.id)
    assert [r.id for r in thread.answer.replies] == [kept.id]
    everyone = views.thread_view(session, answer_id=parent.id, now=utcnow())
    assert len(everyone.answer.replies) == 2


def test_thread_view_of_a_removed_answer_is_a_labelled_marker(session: Session) -> None:
    consultation = make_consultation(session)
    parent = answer(session, consultation)
    remove_post(session, parent)
    thread = views.thread_view(session, answer_id=parent.id, now=utcnow())
    assert thread.answer.is_removed and thread.answer.html == ""
    assert thread.answer.removed_reason is not None


def test_thread_view_refuses_what_is_not_a_published_answer(session: Session) -> None:
    consultation = make_consultation(session)
    private = answer(session, consultation, publish=False)
    parent = answer(session, consultation)
    child = reply(session, consultation, parent)
    for refused in (private.id, child.id, parent.id + 10_000):
        with pytest.raises(NotFound):
            views.thread_view(session, answer_id=refused, now=utcnow())
    consultation.is_published = False
    session.flush()
    with pytest.raises(NotFound):
        views.thread_view(session, answer_id=parent.id, now=utcnow())


# own_response --------------------------------------------------------------------------------


def test_own_response_lists_every_question_with_the_persons_answer(session: Session) -> None:
    consultation = make_consultation(session, questions=3)
    user = make_user(session)
    first = answer(session, consultation, user, number=1)
    third = answer(session, consultation, user, number=3)
    answer(session, consultation, number=2)  # someone else's
    own = views.own_response(session, consultation=consultation, user=user, now=utcnow())
    assert [item.question.position for item in own.answers] == [1, 2, 3]
    assert [item.answer.id if item.answer else None for item in own.answers] == [
        first.id,
        None,
        third.id,
    ]
    assert own.answered == 2 and own.response.id == first.response_id
    assert own.closed_reason is None


def test_own_response_of_someone_who_has_not_answered(session: Session) -> None:
    consultation = make_consultation(session, questions=2)
    own = views.own_response(
        session, consultation=consultation, user=make_user(session), now=utcnow()
    )
    assert own.response is None and own.answered == 0
    assert [item.answer for item in own.answers] == [None, None]


def test_own_response_says_when_the_consultation_has_closed(session: Session) -> None:
    consultation = make_consultation(session)
    user = make_user(session)
    answer(session, consultation, user)
    later = consultation.closes_at + timedelta(minutes=1)
    own = views.own_response(session, consultation=consultation, user=user, now=later)
    assert own.answered == 1 and own.closed_reason.startswith("This consultation closed")


def test_first_replies_and_counts_leave_out_the_people_a_viewer_blocked(session) -> None:
    viewer, blocked, other = make_user(session), make_user(session), make_user(session)
    answer = make_thread(session, replies=6, repliers=[other, blocked])
    blocks.block(session, blocker_id=viewer.id, pseudonym=blocked.pseudonym, now=utcnow())
    session.flush()

    def thread(viewer_id):
        row = session.execute(post_select().where(Contribution.id == answer.id)).one()
        view = post_view(row)
        complete_threads(session, [view], viewer_id=viewer_id)
        return [r.author_id for r in view.replies], view.shown_replies, view.more_replies

    assert thread(None) == ([other.id, blocked.id, other.id], 6, 3)
    assert thread(viewer.id) == ([other.id] * 3, 3, 0)


@pytest.mark.parametrize("answers", [1, 3, 7, 21])
def test_each_answer_gets_its_own_first_replies_whatever_the_number_of_answers(
    session, answers
) -> None:
    """The statement is built for a few sizes (``statement_slots``): the slots left over match
    nothing, and every answer still gets its first three replies, oldest first, and its count."""
    consultation = make_consultation(session)
    parents = [answer(session, consultation, minute=n) for n in range(answers)]
    expected = {}
    for n, parent in enumerate(parents):
        replies = [reply(session, consultation, parent, minute=60 - m) for m in range(n % 5)]
        expected[parent.id] = [r.id for r in reversed(replies)][:3], len(replies)
    session.flush()
    shown = page_of(session, consultation, per_page=50).answers
    assert {a.id: ([r.id for r in a.replies], a.shown_replies) for a in shown} == expected


def test_statement_slots_are_few_and_always_enough() -> None:
    sizes = {statement_slots(n) for n in range(1, 101)}
    assert sizes == {1, 5, 50, 100}
    assert all(statement_slots(n) >= n for n in range(1, 1000))
    assert statement_slots(250) == 300

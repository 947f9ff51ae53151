"""State changes two analysts can make at the same moment, truly in parallel on PostgreSQL
(two threads, two connections, a barrier): settling one disagreement, accepting one theme,
asking for a theme run of one question. Each time one succeeds and the other is refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from app.accounts.models import Role
from app.analysis import assurance, coding
from app.analysis.models import CodebookTag, ThemeRun, ThemeSuggestion
from app.analysis.themes import review, runs
from app.consultations import catalogue
from app.consultations.models import Consultation, Question
from kernel.clock import utcnow
from kernel.errors import Conflict
from tests.factories import add_response, make_consultation, make_user
from tests.support.races import fresh_site

pytestmark = pytest.mark.postgres_only


def _race(site, act: Callable[[Session, int], None]) -> list[str]:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(n: int) -> None:
        with site.session() as s:
            barrier.wait(timeout=10)
            try:
                act(s, n)
                s.commit()
                outcomes.append("done")
            except Conflict:
                s.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def site(tmp_path, request: pytest.FixtureRequest):
    with fresh_site("postgresql", tmp_path, lambda: request.getfixturevalue("postgres_url")) as s:
        yield s


def test_two_settlements_of_one_disagreement_at_once(site) -> None:
    with site.transaction() as s:
        c = make_consultation(s, status="closed", questions=1)
        (q,) = catalogue.questions_of(s, c)
        first, second = (make_user(s, roles={Role.organiser}) for _ in range(2))
        thirds = [make_user(s, roles={Role.organiser}).id for _ in range(2)]
        add_response(s, c, {q.id: "agree"})
        answer = coding.workspace(s, consultation=c, question=q, questions=[q]).answer
        coding.code_answer(
            s, consultation=c, answer_id=answer.id, evaluation="positive", coder=first, now=utcnow()
        )
        assurance.request_second_coding(
            s,
            consultation=c,
            question=q,
            coder_id=str(second.id),
            amount="1",
            unit="number",
            requester=first,
            now=utcnow(),
        )
        assurance.code_second(
            s,
            consultation=c,
            answer_id=answer.id,
            evaluation="negative",
            analyst=second,
            now=utcnow(),
        )
        ids = (c.id, answer.id)

    def settle(s: Session, n: int) -> None:
        from app.accounts.models import User

        assurance.settle(
            s,
            consultation=s.get(Consultation, ids[0]),
            answer_id=ids[1],
            evaluation=("neutral", "positive")[n],
            analyst=s.get(User, thirds[n]),
            now=utcnow(),
        )

    assert _race(site, settle) == ["done", "refused"]


def test_two_acceptances_of_one_theme_at_once(site) -> None:
    with site.transaction() as s:
        c = make_consultation(s, status="closed", questions=1)
        (q,) = catalogue.questions_of(s, c)
        suggestion = ThemeSuggestion(consultation_id=c.id, question_id=q.id, label="Evidence")
        s.add(suggestion)
        s.flush()
        ids = (c.id, suggestion.id)

    def accept(s: Session, n: int) -> None:
        review.accept(
            s,
            consultation=s.get(Consultation, ids[0]),
            suggestion_id=ids[1],
            version=1,
            label=f"Evidence {n}",
            now=utcnow(),
        )

    assert _race(site, accept) == ["done", "refused"]
    with site.session() as s:
        assert (
            len(s.exec(select(CodebookTag).where(CodebookTag.consultation_id == ids[0])).all()) == 1
        )


def test_two_requests_for_a_theme_run_at_once_queue_one(site) -> None:
    with site.transaction() as s:
        c = make_consultation(s, status="closed", questions=1)
        (q,) = catalogue.questions_of(s, c)
        ids = (c.id, q.id)

    def enqueue(s: Session, n: int) -> None:
        runs.enqueue_run(
            s,
            consultation=s.get(Consultation, ids[0]),
            question=s.get(Question, ids[1]),
            user=None,
            now=utcnow(),
        )
        s.flush()

    assert _race(site, enqueue) == ["done", "refused"]
    with site.session() as s:
        assert len(s.exec(select(ThemeRun)).all()) == 1

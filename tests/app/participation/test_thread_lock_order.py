"""A change to a reply locks its answer's row before its question's, as an edit of the answer
does, so that the two at once never wait for each other in a circle (PostgreSQL would end one
of them with a deadlock error)."""

import threading
import time

import psycopg
import pytest
from sqlalchemy import text, update

from app.participation.models import Contribution
from tests.factories import make_consultation, make_post, make_reply
from tests.support.postgres import libpq_url
from tests.support.races import ROUNDS, fresh_site, race


@pytest.fixture
def site(backend, tmp_path, request):
    with fresh_site(backend, tmp_path, lambda: request.getfixturevalue("postgres_url")) as site:
        yield site


@pytest.fixture
def thread_ids(site) -> dict[str, int]:
    with site.session() as session:
        answer = make_post(session, consultation=make_consultation(session))
        reply = make_reply(session, parent=answer, text="A reply a moderator will hide.")
        ids = {"answer": answer.id, "reply": reply.id, "question": answer.question_id}
        session.commit()
    return ids


def test_hiding_a_reply_takes_the_answer_row_first(backend, site, thread_ids) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has one writer at a time: no row locks to order")
    url = libpq_url(site.engine.url.render_as_string(hide_password=False))
    holder = psycopg.connect(url)
    holder.execute("SELECT 1 FROM question WHERE id = %s FOR UPDATE", (thread_ids["question"],))
    done = threading.Event()

    def hide() -> None:
        with psycopg.connect(url) as conn:
            conn.execute(
                "UPDATE contribution SET state = 'hidden' WHERE id = %s", (thread_ids["reply"],)
            )
        done.set()

    worker = threading.Thread(target=hide)
    worker.start()
    time.sleep(0.5)  # the update waits for the question row, holding what it took before
    assert not done.is_set()
    with psycopg.connect(url) as probe, pytest.raises(psycopg.errors.LockNotAvailable):
        probe.execute(
            "SELECT 1 FROM contribution WHERE id = %s FOR UPDATE NOWAIT", (thread_ids["answer"],)
        )
    holder.commit()
    holder.close()
    worker.join(timeout=10)
    assert done.is_set()


def _thread_version(site, answer: int) -> int:
    with site.engine.connect() as conn:
        return conn.execute(
            text("SELECT thread_version FROM contribution WHERE id = :id"), {"id": answer}
        ).scalar_one()


def test_a_reply_hidden_while_its_answer_is_edited_both_land(site, thread_ids) -> None:
    answer, reply = thread_ids["answer"], thread_ids["reply"]
    before = _thread_version(site, answer)
    for n in range(ROUNDS // 2):
        state = "hidden" if n % 2 == 0 else "visible"

        def hide(session, state=state):
            session.execute(
                update(Contribution).where(Contribution.id == reply).values(state=state)
            )

        def edit(session, n=n):
            session.execute(
                update(Contribution).where(Contribution.id == answer).values(html=f"<p>{n}</p>")
            )

        outcomes = race(site, hide, edit)
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert _thread_version(site, answer) == before + ROUNDS // 2  # each change of the reply

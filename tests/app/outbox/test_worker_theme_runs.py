"""The worker performs the theme runs organisers queue, in a thread of its own, without anyone
running ``reclaim theme-runs``."""

from __future__ import annotations

import time

from app.analysis.themes import runs
from app.consultations import catalogue
from app.outbox.worker import Worker
from kernel.clock import utcnow
from tests.app.analysis.test_themes import labelled_answers
from tests.factories import add_response, make_consultation


def _queue_run(site) -> int:
    with site.transaction() as session:
        consultation = make_consultation(session, status="closed", questions=1)
        (question,) = catalogue.questions_of(session, consultation)
        for _, text in labelled_answers()[:60]:
            add_response(session, consultation, {question.id: "agree"}, texts={question.id: text})
        run = runs.enqueue_run(
            session, consultation=consultation, question=question, user=None, now=utcnow()
        )
        assert run.id is not None
        return run.id


def _state(site, run_id: int) -> str:
    with site.transaction() as session:
        run = session.get(runs.ThemeRun, run_id)
        assert run is not None
        return run.state


def test_a_running_worker_performs_a_queued_theme_run(make_site, smtp) -> None:
    site = make_site(smtp, worker_poll_seconds=0.2)
    worker = Worker(site)
    worker.start()
    try:
        run_id = _queue_run(site)
        deadline = time.monotonic() + 120
        while _state(site, run_id) in {"queued", "running"} and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.stop()
    assert _state(site, run_id) == "done"


def test_worker_once_also_performs_queued_theme_runs(make_site, smtp) -> None:
    site = make_site(smtp)
    run_id = _queue_run(site)
    Worker(site).drain()
    assert _state(site, run_id) == "done"

"""A job that loads heavy libraries (finding campaigns: NumPy) runs in a process of its own
when the worker lives inside a web process, so that the web worker does not keep them: the
work is done and recorded all the same, and a run that fails there is retried like any other."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from datetime import timedelta
    from sqlalchemy import update
    from sqlmodel import col, select
    from app.analysis.models import CampaignGroup
    from app.migrate import upgrade
    from app.outbox import scheduler
    from app.outbox.jobs import JobName
    from app.outbox.models import ScheduledJob
    from app.settings import Settings
    from app.wiring import build_site
    from kernel.clock import utcnow
    from tests.app.outbox.test_scheduler import _campaign_answers
    from tests.factories import make_consultation

    url, in_process, break_it = sys.argv[1], sys.argv[2] == "yes", sys.argv[3] == "yes"
    upgrade(url)
    settings = Settings(database_url=url, worker_in_process=in_process)
    site = build_site(settings)
    with site.transaction() as session:
        consultation = make_consultation(session, questions=1)
        _campaign_answers(session, consultation, 5)
        consultation_id = consultation.id
    with site.transaction() as session:
        key = str(consultation_id) if not break_it else "not-a-number"
        session.exec(
            update(ScheduledJob)
            .where(col(ScheduledJob.name) == JobName.regroup_campaigns)
            .values(due_at=utcnow() - timedelta(seconds=1), key=key)
        )
    ran = scheduler.run_next_job(site.transaction, settings=settings, owner="web-worker")
    with site.transaction() as session:
        sizes = [g.size for g in session.exec(select(CampaignGroup))]
        job = session.exec(
            select(ScheduledJob).where(ScheduledJob.name == JobName.regroup_campaigns)
        ).first()
        state = None if job is None else (job.state, job.attempts, job.last_error)
    print(json.dumps({"ran": ran, "sizes": sizes, "numpy": "numpy" in sys.modules,
                      "job": state}))
    """
)


def _run(tmp_path: Path, *, in_process: bool, break_it: bool = False) -> dict:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            url,
            "yes" if in_process else "no",
            "yes" if break_it else "no",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_inside_a_web_process_campaigns_are_found_in_a_process_of_their_own(tmp_path) -> None:
    result = _run(tmp_path, in_process=True)
    assert result["ran"] and result["sizes"] == [5]
    assert result["job"] is None  # finished: a requested job leaves no row
    assert result["numpy"] is False  # the web process never imported it


def test_a_separate_worker_finds_them_in_its_own_process(tmp_path) -> None:
    result = _run(tmp_path, in_process=False)
    assert result["ran"] and result["sizes"] == [5]
    assert result["numpy"] is True  # `reclaim worker` is a process of its own already


def test_a_run_that_fails_in_its_own_process_is_tried_again(tmp_path) -> None:
    result = _run(tmp_path, in_process=True, break_it=True)
    state, attempts, error = result["job"]
    assert result["sizes"] == [] and state == "retry" and attempts == 1
    assert "exit code 1" in error

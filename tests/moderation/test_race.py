"""Two moderators decide the same case at the same moment, truly in parallel on PostgreSQL:
two threads, two connections, a barrier. One decision is applied; the other is refused."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from app.db import make_engine
from app.migrate import upgrade
from app.settings import Settings
from app.wiring import build_site
from kernel.clock import utcnow
from moderation import decisions, reporting
from moderation.errors import StaleCase
from moderation.models import Decision, ModerationCase, Notice
from tests.factories import make_moderator, make_post, make_user


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[str]:
    """A database of its own, so that both threads see committed data."""
    name = f"race_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_two_moderators_deciding_at_once_give_one_decision_and_one_refusal(
    fresh_postgres: str,
) -> None:
    site = build_site(
        Settings(environment="test", database_url=fresh_postgres, smtp_host=None),
        engine=make_engine(fresh_postgres),
    )
    engine = site.engine
    with site.transaction() as s:
        post = make_post(s)
        report = reporting.report_post(
            s,
            post_id=post.id,
            reporter_id=make_user(s).id,
            reason="threat",
            about_me=True,
            note="",
            now=utcnow(),
        )
        first, second = make_moderator(s), make_moderator(s)
        case_id, version = report.case_id, s.get(ModerationCase, report.case_id).version
        moderators = [first.id, second.id]

    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def act(moderator_id: int, action: str) -> None:
        try:
            with site.session() as s:
                barrier.wait(timeout=10)
                decisions.decide(
                    s,
                    case_id=case_id,
                    moderator_id=moderator_id,
                    version=version,
                    action=action,
                    basis="threat" if action == "remove" else None,
                    statement=f"Moderator {moderator_id} read the threat against the person "
                    "named in the thread and decided on that basis.",
                    now=utcnow(),
                )
                s.commit()
            outcomes[moderator_id] = "decided"
        except Exception as error:
            outcomes[moderator_id] = error

    threads = [
        threading.Thread(target=act, args=(moderators[0], "remove")),
        threading.Thread(target=act, args=(moderators[1], "dismiss")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    results = list(outcomes.values())
    assert results.count("decided") == 1, results
    refusals = [r for r in results if isinstance(r, StaleCase)]
    assert len(refusals) == 1, results
    assert "changed since you opened it" in refusals[0].message
    with site.session() as s:
        assert len(s.exec(select(Decision).where(Decision.case_id == case_id)).all()) == 1
        case = s.get(ModerationCase, case_id)
        assert case.state == "decided" and case.version == version + 1
        # The reporter was told once, not twice.
        assert (
            len(
                s.exec(
                    select(Notice).where(Notice.case_id == case_id, Notice.subject.like("Outcome%"))
                ).all()
            )
            == 1
        )
    engine.dispose()

"""Two admins who remove each other at the same moment, through a real server with real
parallel requests, on SQLite and on PostgreSQL: one succeeds, the other is refused, and the
site never ends up without an admin."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import text

from app.accounts import sessions
from app.accounts.models import Role
from app.audit import log as audit
from app.db import session_scope
from app.web.csrf import token_for
from kernel.clock import utcnow
from tests.factories import make_user
from tests.support.live_server import live_server
from tests.support.postgres import fresh_database

ROUNDS = 8


@pytest.fixture
def race_database(backend, tmp_path, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'race.db'}"
    return fresh_database(request.getfixturevalue("postgres_url"), "reclaim_admin_race")


def _admins(engine) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, roles FROM account ORDER BY id")).all()
    return [row.id for row in rows if "admin" in row.roles.split()]


def test_two_admins_removing_each_other_at_once_leave_one_admin(race_database, tmp_path) -> None:
    with live_server(tmp_path, environment="test", database_url=race_database) as live:
        secret = live.settings.secret_key.get_secret_value()
        people = []
        with session_scope(live.engine, None) as s:
            for name in ("RaceAdminA", "RaceAdminB"):
                user = make_user(s, roles={Role.admin}, pseudonym=name)
                raw = sessions.start_session(s, user=user, now=utcnow())
                people.append((user.id, raw, f"csrf-{name}"))
        a, b = people
        outcomes = []
        for _ in range(ROUNDS):
            with live.engine.begin() as conn:  # both admins again
                conn.execute(
                    text("UPDATE account SET roles = 'admin citizen' WHERE id IN (:a, :b)"),
                    {"a": a[0], "b": b[0]},
                )
            barrier = threading.Barrier(2)
            statuses: dict[int, int] = {}

            def remove(actor, target, barrier=barrier, statuses=statuses) -> None:
                _, raw, cookie = actor
                jar = {"reclaim_session": raw, "reclaim_csrf": cookie}
                with httpx.Client(base_url=live.url, timeout=30, cookies=jar) as client:
                    barrier.wait()
                    response = client.post(
                        f"/admin/roles/{target[0]}/remove",
                        data={"role": "admin", "reason": "Racing to remove the other admin"},
                        headers={"X-CSRF-Token": token_for(cookie, secret)},
                    )
                statuses[actor[0]] = response.status_code

            threads = [threading.Thread(target=remove, args=pair) for pair in ((a, b), (b, a))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            left = _admins(live.engine)
            outcomes.append((sorted(statuses.values()), left))
            assert len(left) == 1, outcomes
            assert min(statuses.values()) == 303 and sorted(statuses.values())[1] in (
                403,
                409,
            ), outcomes
        with session_scope(live.engine, None) as s:
            assert audit.verify(s) is None
            removals = s.execute(
                text("SELECT count(*) FROM audit_entry WHERE action = 'role.remove'")
            ).scalar()
        assert removals == ROUNDS  # one removal a round, each audited; the refused ones left none

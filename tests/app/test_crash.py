"""Killed under load: 16 people post for 10 s, the server (2 workers) is killed with SIGKILL at
5 s and started again. Every post that was answered with success is stored, exactly as sent,
and no response is half-written (a response without its answer, or an answer without its
response)."""

from __future__ import annotations

import asyncio
import secrets
import time

import httpx
from sqlalchemy import text

from app.accounts import sessions, users
from app.db import make_engine, session_scope
from app.migrate import upgrade
from app.web.csrf import token_for
from kernel.clock import utcnow
from tests.factories import make_consultation
from tests.support.races import fresh_site
from tests.support.server_process import ServerProcess, production_env

CONCURRENCY = 16
DURATION = 10.0
KILL_AT = 5.0
QUESTIONS = 5


def _accounts(url: str, env: dict[str, str], count: int) -> list[tuple[str, str, str]]:
    import os

    from app.identity.vault import service
    from app.settings import get_settings

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    service._keyring.cache_clear()
    try:
        engine = make_engine(url)
        people = []
        with session_scope(engine) as s:
            make_consultation(s, slug="crash", questions=QUESTIONS)
            for n in range(count):
                user = users.create_user(
                    s,
                    email=f"crash{n}@example.test",
                    pseudonym=f"Crash{n}",
                    roles=set(),
                    now=utcnow(),
                )
                cookie = secrets.token_urlsafe(16)
                raw = sessions.start_session(s, user=user, now=utcnow())
                people.append((raw, cookie, token_for(cookie, env["RECLAIM_SECRET_KEY"])))
        engine.dispose()
        return people
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()
        service._keyring.cache_clear()


async def _post_for(
    server: ServerProcess, people, succeeded: dict, failed: list, after_restart: list
) -> None:
    """Each of CONCURRENCY tasks answers the questions of its own accounts, one after another,
    until DURATION is over; a 303 is a success, anything else (refused connections while the
    server is down included) is not."""
    started = time.monotonic()
    work = iter([(person, number) for person in people for number in range(1, QUESTIONS + 1)])
    lock = asyncio.Lock()

    async def worker(client: httpx.AsyncClient) -> None:
        while not finished():
            async with lock:
                item = next(work, None)
            if item is None:
                return
            (raw, cookie, token), number = item
            body = f"Crash test answer to question {number} from session {raw[:12]}."
            try:
                response = await client.post(
                    f"{server.url}/consultations/crash/questions/{number}/answer",
                    data={"stance": "agree", "text": body, "publish": "public"},
                    headers={
                        "X-CSRF-Token": token,
                        "Cookie": f"reclaim_session={raw}; reclaim_csrf={cookie}",
                    },
                )
            except httpx.HTTPError:
                failed.append(item)
                await asyncio.sleep(0.05)
                continue
            if response.status_code == 303:
                succeeded[(raw, number)] = body
                if restarted:
                    after_restart.append(item)
            else:
                failed.append(item)

    restarted: list[float] = []

    def finished() -> bool:
        """DURATION is over, and the restarted server has had a second of posts (a restart
        under load can take longer than the time left)."""
        now = time.monotonic()
        return now - started >= DURATION and bool(restarted) and now - restarted[0] >= 1.0

    async def killer() -> None:
        await asyncio.sleep(KILL_AT)
        await asyncio.to_thread(server.kill)
        await asyncio.to_thread(server.start)
        restarted.append(time.monotonic())

    async with httpx.AsyncClient(timeout=10) as client:
        await asyncio.gather(killer(), *[worker(client) for _ in range(CONCURRENCY)])


def test_every_post_answered_with_success_survives_a_kill_9(backend, tmp_path, request) -> None:
    with fresh_site(backend, tmp_path, lambda: request.getfixturevalue("postgres_url")) as site:
        url = site.settings.database_url
        site.engine.dispose()
        env = production_env(url, "http://127.0.0.1", RECLAIM_RATE_LIMIT_POSTING="100000/hour")
        people = _accounts(url, env, 800)
        server = ServerProcess(env, tmp_path)
        server.start()
        succeeded: dict[tuple[str, int], str] = {}
        failed: list = []
        after_restart: list = []
        try:
            asyncio.run(_post_for(server, people, succeeded, failed, after_restart))
        finally:
            server.stop()
        upgrade(url)  # the database opens cleanly after the crash
        engine = make_engine(url)
        with engine.connect() as conn:
            stored = set(
                conn.execute(
                    text("SELECT source_text FROM contribution WHERE kind = 'answer'")
                ).scalars()
            )
            orphans = conn.execute(
                text(
                    "SELECT count(*) FROM response r WHERE NOT EXISTS "
                    "(SELECT 1 FROM contribution c WHERE c.response_id = r.id)"
                )
            ).scalar()
            homeless = conn.execute(
                text(
                    "SELECT count(*) FROM contribution WHERE kind = 'answer' AND response_id "
                    "NOT IN (SELECT id FROM response)"
                )
            ).scalar()
        engine.dispose()
        print(f"{len(succeeded)} posts succeeded, {len(failed)} failed, {len(stored)} stored")
        assert len(succeeded) > 50 and failed, "the load and the kill both happened"
        assert after_restart, "posting went on after the restart"
        missing = [body for body in succeeded.values() if body not in stored]
        assert not missing, f"{len(missing)} successful posts were lost, e.g. {missing[:3]}"
        assert orphans == 0 and homeless == 0
        assert len(stored) >= len(succeeded)

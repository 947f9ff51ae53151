"""Many people at once, through a real server: every reply is stored and every page is served.

Request dependencies read on the event loop and writes run in the thread pool, so the loop
must never wait for a lock or for a pooled connection (see ``app.deps``). With a pool smaller
than the number of simultaneous requests, a loop that waited for a connection held by a
request whose commit was queued on that same loop would stall until SQLite's busy timeout and
answer with errors; this test sends such a burst.
"""

from __future__ import annotations

import asyncio
import math
import re

import httpx
from sqlalchemy import text

from app.accounts import sessions
from app.db import session_scope
from app.participation.feed import REPLIES_PER_PAGE
from app.web.csrf import token_for
from kernel.clock import utcnow
from tests.factories import make_consultation, make_post, make_user
from tests.support.live_server import live_server

PEOPLE = 40


async def _burst(
    base: str, people: list[tuple[str, str, str]], answer_id: int, page: str
) -> list[int]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def reply(n: int, raw: str, cookie: str, token: str) -> int:
            response = await client.post(
                f"/answers/{answer_id}/replies",
                data={"text": f"Reply number {n} on this."},
                # Each person's cookies in the request itself: one client, forty people.
                headers={
                    "X-CSRF-Token": token,
                    "Cookie": f"reclaim_session={raw}; reclaim_csrf={cookie}",
                },
            )
            return response.status_code

        async def read(raw: str) -> int:
            response = await client.get(page, headers={"Cookie": f"reclaim_session={raw}"})
            return response.status_code

        tasks = [reply(n, *person) for n, person in enumerate(people)]
        tasks += [read(raw) for raw, _, _ in people]
        return await asyncio.gather(*tasks)


def test_a_burst_of_replies_and_page_views_all_succeed(tmp_path) -> None:
    with live_server(tmp_path, environment="test", database_pool_size=2) as live:
        secret = live.settings.secret_key.get_secret_value()
        with session_scope(live.engine) as s:
            consultation = make_consultation(s, slug="busy")
            answer_id = make_post(s, consultation=consultation).id
            people = []
            for n in range(PEOPLE):
                raw = sessions.start_session(s, user=make_user(s), now=utcnow())
                cookie = f"csrf-cookie-{n}"
                people.append((raw, cookie, token_for(cookie, secret)))
        statuses = asyncio.run(
            _burst(live.url, people, answer_id, "/consultations/busy/questions/1")
        )
        assert statuses[:PEOPLE] == [303] * PEOPLE
        assert statuses[PEOPLE:] == [200] * PEOPLE
        with live.engine.connect() as conn:
            stored = conn.execute(
                text(
                    "SELECT count(*), max(p.reply_count) FROM contribution r "
                    "JOIN contribution p ON p.id = r.parent_id WHERE r.parent_id = :id"
                ),
                {"id": answer_id},
            ).one()
        assert tuple(stored) == (PEOPLE, PEOPLE)
        shown = []  # every reply, on the answer's pages of replies
        for number in range(1, math.ceil(PEOPLE / REPLIES_PER_PAGE) + 1):
            page = httpx.get(f"{live.url}/answers/{answer_id}?page={number}").text
            shown += re.findall(r"Reply number \d+ on this\.", page)
        assert len(shown) == len(set(shown)) == PEOPLE

"""Uploading a hostile spreadsheet to a real server: it is refused quickly, off the event
loop, and the server keeps answering everyone else meanwhile (before, the importer ran on the
event loop and read the whole file: a 2,000,000-row file held every request for 72 s)."""

from __future__ import annotations

import statistics
import threading
import time

import httpx

from app.accounts import sessions
from app.accounts.models import Role
from app.analysis import importing
from app.db import session_scope
from app.web.csrf import token_for
from kernel.clock import utcnow
from tests.factories import make_consultation, make_user
from tests.support.live_server import live_server
from tests.support.spreadsheets import xlsx_with_rows


def _upload(live, raw: str, name: str, data: bytes) -> tuple[int, str, float]:
    cookie = "csrf-cookie"
    token = token_for(cookie, live.settings.secret_key.get_secret_value())
    started = time.perf_counter()
    response = httpx.post(
        f"{live.url}/organise/letters/import",
        files={"file": (name, data, "application/octet-stream")},
        headers={"X-CSRF-Token": token},
        cookies={"reclaim_session": raw, "reclaim_csrf": cookie},
        timeout=60,
    )
    return response.status_code, response.text, time.perf_counter() - started


def test_health_checks_are_answered_while_a_long_file_is_read_and_refused(tmp_path) -> None:
    with live_server(tmp_path, environment="test") as live:
        with session_scope(live.engine) as s:
            make_consultation(s, slug="letters", questions=1, status="closed")
            organiser = make_user(s, roles={Role.organiser})
            raw = sessions.start_session(s, user=organiser, now=utcnow())
        long_file = xlsx_with_rows(importing.MAX_ROWS * 4)  # under the size cap: rows are read
        bomb = xlsx_with_rows(2_000_000)
        for name, data, words, least_checks in [
            ("long.xlsx", long_file, f"at most {importing.MAX_ROWS:,} responses", 3),
            ("bomb.xlsx", bomb, "unpacks to", 1),
        ]:
            result: dict[str, tuple[int, str, float]] = {}
            upload = threading.Thread(
                target=lambda n=name, d=data, out=result: out.update(r=_upload(live, raw, n, d))
            )
            waits: list[float] = []
            upload.start()
            while upload.is_alive():
                started = time.perf_counter()
                assert httpx.get(f"{live.url}/healthz", timeout=5).text == "ok"
                waits.append(time.perf_counter() - started)
                time.sleep(0.02)
            upload.join()
            status, page, elapsed = result["r"]
            assert status == 422, page[:500]
            assert words in page
            # (how long the reading takes depends on the machine's load: not timed here; the
            # bomb's refusal before parsing is shown by its message)
            # Reading shares the process's interpreter lock with the event loop, so a check
            # can wait its turn for a moment; but checks keep being answered while the file is
            # read (on the event loop, the first would have waited for the whole file).
            # At least one check, and one for every second the reading took (a fast machine
            # reads the long file in less time than three checks take on a loaded one).
            assert len(waits) >= max(1, min(least_checks, int(elapsed))), (
                f"only {len(waits)} health check(s) during {elapsed:.2f} s"
            )
            assert statistics.median(waits) < 0.5, f"/healthz waits: {waits}"

"""Hostile uploads: the importer bounds what it unpacks and what it reads before the work."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from openpyxl import Workbook
from sqlmodel import Session, select

from app.accounts.models import Role
from app.analysis import importing, spreadsheets
from app.participation.models import Response
from kernel.clock import utcnow
from tests.factories import make_consultation, make_user
from tests.support.spreadsheets import xlsx_with_rows

MIB = 2**20


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """2,000,000 rows, about 250 MB of XML, in well under a megabyte."""
    return xlsx_with_rows(2_000_000)


def test_the_bomb_is_small_and_declares_what_it_unpacks_to(bomb: bytes) -> None:
    assert len(bomb) < 2 * MIB
    assert spreadsheets.unpacked_size(bomb) > 200 * 10**6


def test_a_two_million_row_xlsx_bomb_is_refused_at_once_with_little_memory(
    session: Session, bomb: bytes
) -> None:
    consultation = make_consultation(session, questions=1, status="closed")
    organiser = make_user(session, roles={Role.organiser})
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(importing.ImportInvalid) as refused:
            importing.import_responses(
                session,
                consultation=consultation,
                filename="bomb.xlsx",
                data=bomb,
                organiser=organiser,
                now=utcnow(),
            )
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "unpacks to" in refused.value.problems[0].message
    assert elapsed < 2.0, f"took {elapsed:.2f} s"
    assert peak < 20 * MIB, f"peak {peak / MIB:.1f} MiB"
    assert session.exec(select(Response)).first() is None


def test_a_file_under_the_size_cap_is_read_only_up_to_the_row_limit() -> None:
    rows = 300_000  # about 33 MB of XML: under the cap, far over the row limit
    data = xlsx_with_rows(rows)
    assert spreadsheets.unpacked_size(data) < spreadsheets.MAX_UNPACKED
    tracemalloc.start()
    try:
        table = spreadsheets.read_table("long.xlsx", data, max_rows=1001)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert table.truncated and len(table.rows) == 1001
    assert table.rows[1] == ["R1", "individual", "post"]
    assert peak < 20 * MIB


def test_too_many_rows_are_refused_with_the_limit_named(session: Session) -> None:
    consultation = make_consultation(session, questions=1, status="closed")
    data = xlsx_with_rows(importing.MAX_ROWS + 1)
    with pytest.raises(importing.ImportInvalid) as refused:
        importing.import_responses(
            session,
            consultation=consultation,
            filename="long.xlsx",
            data=data,
            organiser=make_user(session, roles={Role.organiser}),
            now=utcnow(),
        )
    (problem,) = refused.value.problems
    assert problem.row == importing.MAX_ROWS + 2
    assert f"at most {importing.MAX_ROWS:,} responses" in problem.message


def test_a_member_that_unpacks_to_more_than_it_declares_is_unreadable() -> None:
    data = xlsx_with_rows(20_000, declare=4096)
    assert spreadsheets.unpacked_size(data) < 20_000
    with pytest.raises(spreadsheets.Unreadable) as refused:
        spreadsheets.read_table("liar.xlsx", data, max_rows=100_000)
    assert "not a readable XLSX" in refused.value.reason


def test_rows_past_a_wrong_declared_dimension_are_still_read() -> None:
    data = xlsx_with_rows(3)  # the template declares A1:E1
    table = spreadsheets.read_table("short.xlsx", data, max_rows=10)
    assert len(table.rows) == 4 and not table.truncated


def test_cells_are_cleaned_of_control_characters_in_xlsx_and_csv() -> None:
    book = Workbook()
    book.active.append(["A\u202eB", "x\ty\r\nz"])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = spreadsheets.read_table("c.xlsx", buffer.getvalue(), max_rows=5)
    csv = spreadsheets.read_table("c.csv", 'A\x00\u202eB,"x\x07\ty\r\nz"\r\n'.encode(), max_rows=5)
    assert xlsx.rows == csv.rows == [["AB", "x\ty\nz"]]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("f.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        ("f.xlsx", b"", "not a readable XLSX"),
        ("f.csv", b"\xff\xfe\x00bad", "UTF-8"),
        ("f.csv", b'"' + b"x" * (spreadsheets.MAX_CELL + 10) + b'"\n', "at most 131,072"),
        ("f.ods", b"whatever", "Upload a .csv or .xlsx"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, data: bytes, words: str) -> None:
    with pytest.raises(spreadsheets.Unreadable) as refused:
        spreadsheets.read_table(name, data, max_rows=10)
    assert words in refused.value.reason

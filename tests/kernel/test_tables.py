"""The naming convention comes with the kernel, not with whichever package is imported first."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from kernel.tables import UTCDateTime

ROOT = __file__.rsplit("/tests/", 1)[0]


def test_moderation_tables_imported_alone_have_named_constraints() -> None:
    script = (
        "import moderation.models\n"
        "from sqlmodel import SQLModel\n"
        "tables = SQLModel.metadata.tables.values()\n"
        "names = [c.name for t in tables for c in [*t.constraints, *t.indexes]]\n"
        "print(sum(1 for n in names if not n), len(names))\n"
        "print(sorted(n for n in names if n and n.startswith('fk_moderation_case'))[:1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    unnamed, total = map(int, out[0].split())
    assert total > 10 and unnamed == 0
    assert out[1].startswith("['fk_moderation_case_")


def test_utc_column_stores_utc_and_reads_back_aware() -> None:
    column = UTCDateTime()
    paris = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    stored = column.process_bind_param(paris, sqlite.dialect())
    assert stored == datetime(2026, 3, 29, 1, 30)  # naive UTC on SQLite  # noqa: DTZ001
    assert column.process_result_value(stored, sqlite.dialect()) == paris
    assert column.process_bind_param(paris, postgresql.dialect()).tzinfo == UTC


def test_utc_column_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), sqlite.dialect())  # noqa: DTZ001

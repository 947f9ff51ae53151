"""Reading an uploaded table (CSV in UTF-8, or the first sheet of an XLSX) with every size
bounded before the work it would cost, so that a hostile file is refused in milliseconds.

- **Bytes uploaded**: at most ``MAX_BYTES`` (the route reads no more than that, plus one).
- **Bytes unpacked** (XLSX): an XLSX is a ZIP of XML, and XML compresses a thousandfold, so
  a 700 KB file can unpack to 200 MB. Before anything is parsed, the sizes the archive
  declares for its members must add up to at most ``MAX_UNPACKED``; the archive's own reader
  never returns more than a member's declared size (a member that holds more than it declares
  fails its checksum and the file is refused as unreadable), so the declared total caps the
  real one.
- **Rows**: reading stops at the first row past ``max_rows``: the rows after it are never
  parsed, and the caller is told the file is too long.
- **Columns**: at most ``MAX_COLUMNS`` are read from each row.

Every cell goes through ``kernel.text.clean`` (control characters and bidirectional controls
removed, line breaks made ``\\n``), as every other text that people send in does.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kernel.text import clean

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_COLUMNS = 512
MAX_CELL = 131_072  # characters in a CSV cell: the csv module's own limit, left as it is


@dataclass(frozen=True)
class Table:
    """The rows read (each a list of cleaned strings) and whether more rows followed."""

    rows: list[list[str]]
    truncated: bool


class Unreadable(Exception):
    """The file cannot be read as a table; ``reason`` says why, for the person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _bounded(rows: Iterable[Iterable[Any]], max_rows: int) -> Table:
    """At most ``max_rows`` rows (the header included), each of at most ``MAX_COLUMNS`` cells;
    the row after them is looked at only to know that there was one."""
    kept: list[list[str]] = []
    for row in rows:
        if len(kept) == max_rows:
            return Table(kept, truncated=True)
        cells = []
        for index, value in enumerate(row):
            if index == MAX_COLUMNS:
                break
            cells.append(_cell(value))
        kept.append(cells)
    return Table(kept, truncated=False)


def unpacked_size(data: bytes) -> int:
    """What the members of a ZIP archive declare they unpack to, in bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def _xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        size = unpacked_size(data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise Unreadable(f"This is not a readable XLSX file ({error}).") from None
    if size > MAX_UNPACKED:
        raise Unreadable(
            f"This XLSX file unpacks to {size / 2**20:,.0f} MB, more than the "
            f"{MAX_UNPACKED // 2**20} MB a file may hold. Split it into smaller files."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The sheet's declared dimension is only a hint (and can be wrong, hiding rows):
            # read the rows that are there, up to the limit.
            sheet.reset_dimensions()
            return _bounded(sheet.iter_rows(values_only=True), max_rows)
        finally:
            workbook.close()
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - whatever the parser trips on, one message
        raise Unreadable(f"This is not a readable XLSX file ({type(error).__name__}).") from None


def _csv(data: bytes, max_rows: int) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("Save the CSV file as UTF-8.") from None
    reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""))
    try:
        return _bounded(reader, max_rows)
    except csv.Error as error:
        raise Unreadable(
            f"Row {reader.line_num} of the CSV file cannot be read ({error}); a cell is at most "
            f"{MAX_CELL:,} characters."
        ) from None


def read_table(filename: str, data: bytes, *, max_rows: int) -> Table:
    """The file's first ``max_rows`` rows; raises ``Unreadable``."""
    name = filename.lower()
    if len(data) > MAX_BYTES:
        raise Unreadable(f"The file is larger than {MAX_BYTES // 2**20} MB.")
    if name.endswith(".xlsx"):
        return _xlsx(data, max_rows)
    if name.endswith(".csv"):
        return _csv(data, max_rows)
    raise Unreadable("Upload a .csv or .xlsx file.")

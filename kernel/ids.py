"""The range of a stored row's id, and reading one from text.

Every table's id is an ``INTEGER`` on PostgreSQL (32 bits, signed), so an id outside
``1 … MAX_ID`` names no row; passing one to the database would make PostgreSQL refuse the
query ("integer out of range") and SQLite overflow its 64-bit integers. Whatever reads an id
or a page number from a request or a form bounds it first, here or in the web layer's typed
parameters (``app.web.params``), which use the same limits.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000  # far past any list's last page: a page beyond the end shows the last


def parse_id(text: str | None) -> int | None:
    """The id written in ``text`` (ASCII digits, 1 … ``MAX_ID``), or ``None``."""
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def is_id(value: object) -> bool:
    """Whether ``value`` is an int that can be a row's id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID

"""Numbered pages of a list: how many there are, and which one to show."""

from __future__ import annotations


def clamp(page: int, *, total: int, per_page: int) -> tuple[int, int]:
    """``(page, pages)``: the number of pages ``total`` items fill (at least one, so that an
    empty list still has its page) and ``page`` brought within them (a page past the last
    shows the last)."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page), pages), pages

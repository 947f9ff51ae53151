"""Numbered pages: how many, and which one is shown."""

from hypothesis import given
from hypothesis import strategies as st

from kernel import paging


def test_an_empty_list_has_one_page_and_a_page_past_the_last_shows_the_last() -> None:
    assert paging.clamp(3, total=0, per_page=50) == (1, 1)
    assert paging.clamp(9, total=101, per_page=50) == (3, 3)
    assert paging.clamp(0, total=101, per_page=50) == (1, 3)


@given(st.integers(-5, 10**6), st.integers(0, 10**6), st.integers(1, 500))
def test_the_page_shown_always_exists_and_holds_items(page: int, total: int, per_page: int) -> None:
    shown, pages = paging.clamp(page, total=total, per_page=per_page)
    assert 1 <= shown <= pages
    assert (pages - 1) * per_page < max(total, 1) <= pages * per_page

"""Numbers written for the reader's language: the fast path for whole numbers writes exactly
what Babel's pattern would (fractions: tests/kernel/test_locale_data.py)."""

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from kernel import i18n


@given(
    value=st.integers(min_value=-(10**18), max_value=10**18),
    language=st.sampled_from(i18n.LANGUAGES),
)
def test_a_whole_number_is_written_as_babel_writes_it(value: int, language: str) -> None:
    with i18n.using(language):
        assert i18n.number(value) == format_decimal(value, locale=i18n.current_locale())


def test_thousands_are_grouped() -> None:
    with i18n.using("cy"):
        assert i18n.number(1234567) == "1,234,567"
    with i18n.using("en"):
        assert i18n.number(-5000) == "-5,000"

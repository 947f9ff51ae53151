"""Dates and numbers are written from the month names and separators copied out of Babel
(``kernel/locale_data.py``), exactly as Babel writes them, without loading Babel's locale files
(some 5 MiB per language that a worker would keep)."""

from __future__ import annotations

import importlib.util
from datetime import date
from decimal import Decimal
from pathlib import Path

import babel
import babel.localedata
import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from kernel import i18n, localtime
from kernel.locale_data import LOCALE_DATA, LocaleData

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "locale_data_script", ROOT / "scripts" / "locale_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_copied_data_is_what_the_installed_babel_has() -> None:
    """Fails after a Babel upgrade that changed them: run ``scripts/locale_data.py``."""
    script = _generator()
    assert set(LOCALE_DATA) == set(i18n.LOCALES.values())
    for name, data in LOCALE_DATA.items():
        assert eval(script.facts(name), {"LocaleData": LocaleData}) == data


@given(day=st.dates(min_value=date(1000, 1, 1)), language=st.sampled_from(i18n.LANGUAGES))
def test_a_date_is_written_as_babel_writes_it(day: date, language: str) -> None:
    with i18n.using(language):
        locale = i18n.current_locale()
        assert localtime.date_in_words(day) == format_date(day, "d MMMM y", locale=locale)
        assert localtime.weekday_date_in_words(day) == format_date(
            day, "EEE d MMMM y", locale=locale
        )


@given(
    value=st.one_of(
        st.floats(min_value=-1e14, max_value=1e14, allow_nan=False),
        st.decimals(min_value=-(10**14), max_value=10**14, allow_nan=False, places=6),
        st.integers(min_value=-(10**20), max_value=10**20),
    ),
    language=st.sampled_from(i18n.LANGUAGES),
)
def test_a_number_is_written_as_babel_writes_it(value: float, language: str) -> None:
    with i18n.using(language):
        assert i18n.number(value) == format_decimal(value, locale=i18n.current_locale())


def test_welsh_dates_use_welsh_names() -> None:
    with i18n.using("cy"):
        assert localtime.date_in_words(date(2026, 12, 1)) == "1 Rhagfyr 2026"
        assert localtime.weekday_date_in_words(date(2026, 11, 2)) == "Llun 2 Tachwedd 2026"
    with i18n.using("en"):
        assert localtime.weekday_date_in_words(date(2026, 11, 2)) == "Mon 2 November 2026"


def test_writing_dates_and_numbers_does_not_load_babels_locale_files(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("Babel's locale data was loaded")

    monkeypatch.setattr(babel.localedata, "load", refuse)
    monkeypatch.setattr(babel.Locale, "parse", refuse)  # instances that loaded theirs already
    for language in i18n.LANGUAGES:
        with i18n.using(language):
            assert localtime.date_in_words(date(2027, 3, 31))
            assert i18n.number(1234567) and i18n.number(12.5) and i18n.number(Decimal("0.125"))
    with pytest.raises(AssertionError):  # the check itself works
        format_decimal(float("inf"), locale="en_GB")

"""The pieces of Babel's CLDR data that pages use, per locale: written by
``scripts/locale_data.py`` (do not edit by hand), checked against the installed Babel by
``tests/kernel/test_locale_data.py``. Reading these instead of asking Babel keeps a worker from
loading whole locale files for a month name."""

from __future__ import annotations

from typing import NamedTuple


class LocaleData(NamedTuple):
    months: tuple[str, ...]  # wide names, January first
    weekdays: tuple[str, ...]  # abbreviated names, Monday first
    group: str  # between groups of three digits
    decimal: str  # before the fraction


LOCALE_DATA: dict[str, LocaleData] = {
    "cy_GB": LocaleData(
        months=(
            "Ionawr",
            "Chwefror",
            "Mawrth",
            "Ebrill",
            "Mai",
            "Mehefin",
            "Gorffennaf",
            "Awst",
            "Medi",
            "Hydref",
            "Tachwedd",
            "Rhagfyr",
        ),
        weekdays=("Llun", "Maw", "Mer", "Iau", "Gwen", "Sad", "Sul"),
        group=",",
        decimal=".",
    ),
    "en_GB": LocaleData(
        months=(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        group=",",
        decimal=".",
    ),
}

"""Write ``kernel/locale_data.py``: the few pieces of Babel's CLDR data that pages use.

    .venv/bin/python scripts/locale_data.py

A web worker writes dates and numbers on almost every page. Asking Babel for them loads each
locale's whole CLDR file and its parents' (``root``, ``en``, ``en_001``, ``en_GB``: some 5 MiB
of Python objects per language, kept for the life of the process), while a page needs only the
month and weekday names and two separators. This script copies those out of Babel, refusing a
locale whose number pattern is not the one ``kernel.i18n`` writes (groups of three, up to three
decimals, "-" for minus). ``tests/kernel/test_locale_data.py`` fails when the file no longer
matches the installed Babel: run this script again then.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel import Locale

from kernel.i18n import LOCALES

TARGET = ROOT / "kernel" / "locale_data.py"

HEADER = '''"""The pieces of Babel's CLDR data that pages use, per locale: written by
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


'''


def facts(name: str) -> str:
    """The ``LocaleData(...)`` expression for one locale."""
    locale = Locale.parse(name)
    pattern = locale.decimal_formats[None]
    symbols = locale.number_symbols["latn"]
    if pattern.pattern != "#,##0.###" or pattern.grouping != (3, 3) or symbols["minusSign"] != "-":
        raise SystemExit(f"{name}: number pattern {pattern.pattern!r} is not handled")
    months = tuple(str(locale.months["format"]["wide"][m]) for m in range(1, 13))
    weekdays = tuple(str(locale.days["format"]["abbreviated"][d]) for d in range(7))
    return (
        f"LocaleData(months={months!r}, weekdays={weekdays!r}, "
        f"group={str(symbols['group'])!r}, decimal={str(symbols['decimal'])!r})"
    )


def source() -> str:
    entries = ", ".join(f"{name!r}: {facts(name)}" for name in sorted(set(LOCALES.values())))
    return HEADER + f"LOCALE_DATA: dict[str, LocaleData] = {{{entries}}}\n"


if __name__ == "__main__":
    TARGET.write_text(source())
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(TARGET)], check=True)
    print(f"wrote {TARGET.relative_to(ROOT)}")

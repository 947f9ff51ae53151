"""Words in the reader's language: gettext with a language per request, task or command.

The catalogues (``gettext`` translation objects) are loaded once per process by the site
(``app.i18n``) and registered here; which one a piece of code reads is carried by a context
variable that the web layer sets for each request (from the language cookie, else the
``Accept-Language`` header), the worker for each e-mail (the recipient's language) and the
CLI for each command, the same way the site's time zone is carried. Domain code marks its
words with ``_()`` (translated at once, in the current language) or ``N_()`` (a message id
kept as it is and translated where it is shown: class attributes and tables of labels).
"""

from __future__ import annotations

import gettext as _gettext
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.numbers import format_decimal

from kernel.locale_data import LOCALE_DATA, LocaleData

LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
# What each language is called in itself, for the language switch.
ENDONYMS = {"en": "English", "cy": "Cymraeg"}
# Babel's locale for each language: dates and numbers ("1 Tachwedd 2026"), whose names and
# separators are read from ``kernel.locale_data`` (copied out of Babel).
LOCALES = {"en": "en_GB", "cy": "cy_GB"}
_THOUSANDTH = Decimal("0.001")
_LIMIT = 10**15  # fractions written here below this size, larger ones by Babel

_NULL = _gettext.NullTranslations()
_catalogues: dict[str, _gettext.NullTranslations] = {}
_language: ContextVar[str] = ContextVar("reclaim_language", default=DEFAULT_LANGUAGE)


def register(catalogues: Mapping[str, _gettext.NullTranslations]) -> None:
    """Make the loaded catalogues available (once per process; the same files every time)."""
    _catalogues.update(catalogues)


def normalise(code: str | None) -> str | None:
    """A supported language for ``code`` ("cy", "cy-GB", "EN_gb"), or None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(accept_language: str | None) -> str:
    """The first supported language of an ``Accept-Language`` header, by quality; English
    when none is supported or the header cannot be read."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    choices: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept_language.split(",")[:20]):
        code, _sep, params = item.strip().partition(";")
        language = normalise(code)
        if language is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, index, language))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def current_language() -> str:
    return _language.get()


def current_locale() -> str:
    return LOCALES[_language.get()]


def activate(language: str) -> None:
    """Read words in ``language`` for the rest of this context (a request, a command)."""
    _language.set(normalise(language) or DEFAULT_LANGUAGE)


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """Read words in ``language`` inside the block (an e-mail in its recipient's language)."""
    token = _language.set(normalise(language) or DEFAULT_LANGUAGE)
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def _catalogue() -> _gettext.NullTranslations:
    return _catalogues.get(_language.get(), _NULL)


def catalogue(language: str) -> _gettext.NullTranslations:
    """The catalogue of ``language`` (English: none, the message ids are English)."""
    return _catalogues.get(language, _NULL)


def gettext(message: str) -> str:
    return _catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)


def _(message: str, /, **values: Any) -> str:
    """``message`` in the current language, with ``{name}`` placeholders filled from
    ``values`` (the message id keeps the placeholders, so a translation can move them)."""
    text = _catalogue().gettext(message)
    return text.format(**values) if values else text


def n_(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The plural form for ``n`` in the current language (Welsh has six); ``{n}`` and the
    other placeholders are filled in."""
    return _catalogue().ngettext(singular, plural, n).format(n=n, **values)


def locale_data() -> LocaleData:
    """Month and weekday names and number separators of the current language."""
    return LOCALE_DATA[current_locale()]


def number(value: float | Decimal) -> str:
    """A number written for the current language ("5,000", "12.5"), as Babel's pattern for its
    locale writes it (groups of three, at most three decimals, rounded half to even), without
    loading Babel's locale files; ``tests/kernel/test_locale_data.py`` compares the two."""
    if type(value) is int:
        text = f"{value:,}"
    elif isinstance(value, float | Decimal) and math.isfinite(value) and -_LIMIT < value < _LIMIT:
        text = _fraction(value if isinstance(value, Decimal) else Decimal(str(value)))
    else:  # not finite, huge or another type: rare enough to leave to Babel
        return format_decimal(value, locale=current_locale())
    data = locale_data()
    if data.group == "," and data.decimal == ".":
        return text
    return text.translate({ord(","): data.group, ord("."): data.decimal})


def _fraction(value: Decimal) -> str:
    """``value`` rounded to thousandths, trailing zeros dropped, in English separators."""
    rounded = abs(value).quantize(_THOUSANDTH, rounding=ROUND_HALF_EVEN)
    whole, _dot, fraction = f"{rounded:f}".partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,}" + ("." + fraction if fraction else "")
    return "-" + text if value.is_signed() else text


def N_(message: str) -> str:  # noqa: N802 - the conventional name of the marker
    """Mark ``message`` for the catalogue without translating it now."""
    return message


class Labels(dict[Any, str]):
    """A table of labels (``{Stance.agree: N_("Agree"), …}``) that reads each one in the
    current language when it is looked up, so a module-level table serves every language."""

    def __getitem__(self, key: Any) -> str:
        return gettext(super().__getitem__(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if dict.__contains__(self, key) else default

    def values(self) -> Any:
        return [self[key] for key in self]

    def items(self) -> Any:
        return [(key, self[key]) for key in self]

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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
# What each language is called in itself, for the language switch.
ENDONYMS = {"en": "English", "cy": "Cymraeg"}
# Babel's locale for each language: dates and numbers ("1 Tachwedd 2026").
LOCALES = {"en": "en_GB", "cy": "cy_GB"}

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


def number(value: float) -> str:
    """A number written for the current language ("5,000")."""
    locale = current_locale()
    if type(value) is int:
        group = _thousands_separator(locale)
        if group is not None:
            text = format(value, ",")
            return text if group == "," else text.replace(",", group)
    return format_decimal(value, locale=locale)


@cache
def _thousands_separator(locale: str) -> str | None:
    """The separator Babel puts between groups of three digits in ``locale`` when whole numbers
    are grouped in threes (as in English and Welsh), so that they can be written without
    Babel's pattern machinery (some forty times faster); None for another kind of grouping."""
    data = Locale.parse(locale)
    pattern = data.decimal_formats[None]
    if pattern.grouping != (3, 3) or data.number_symbols["latn"]["minusSign"] != "-":
        return None
    return str(data.number_symbols["latn"]["group"])


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

"""The site's catalogues: loaded once per process from ``app/locale`` and registered with
``kernel.i18n``, which picks one per request, e-mail or command.

English is the language of the message ids, so it needs no catalogue. The compiled ``.mo``
files are committed beside their ``.po`` sources (``pybabel compile``; a test fails when one is
stale or any message lacks its Welsh translation).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.support import Translations

from kernel import i18n

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


@cache
def load() -> dict[str, gettext.NullTranslations]:
    """Every language's catalogue, read from disk the first time only, and registered."""
    catalogues: dict[str, gettext.NullTranslations] = {"en": gettext.NullTranslations()}
    for language in i18n.LANGUAGES:
        if language == i18n.DEFAULT_LANGUAGE:
            continue
        catalogues[language] = Translations.load(LOCALE_DIR, [language], DOMAIN)
    i18n.register(catalogues)
    return catalogues

"""Counted phrases in the form their number needs, in one place.

``plural(3, "{n} response was", "{n} responses were")`` gives "3 responses were". Each call
names the whole phrase twice, for one and for more (or none), with ``{n}`` where the number
goes: the shape of gettext's ``ngettext(singular, plural, n)``, so each phrase can be
translated as one unit: the phrase is looked up with ``kernel.i18n.ngettext`` (a language
with more plural forms than English, such as Welsh, gets them from its catalogue), and
``pybabel extract`` reads ``plural`` calls as ``ngettext`` ones (keyword ``plural:2,3``).
Numbers are written for the language ("1,030"). Other ``{names}`` are filled from the keyword
arguments.
"""

from __future__ import annotations

from kernel import i18n

__all__ = ["plural"]


def plural(count: int, singular: str, plural: str, /, **values: object) -> str:
    """The form of the phrase that ``count`` needs in the current language (English: the
    ``singular`` for 1, else ``plural``; Welsh has six forms, from its catalogue), with
    ``{n}`` the count written for that language."""
    template = i18n.ngettext(singular, plural, count)
    return template.format(n=i18n.number(count), **values)

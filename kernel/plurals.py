"""Counted phrases in the form their number needs, in one place.

``plural(3, "{n} response was", "{n} responses were")`` gives "3 responses were". Each call
names the whole phrase twice, for one and for more (or none), with ``{n}`` where the number
goes: the shape of gettext's ``ngettext(singular, plural, n)``, so each phrase can be
translated as one unit (and a language with more plural forms than English gets them from its
catalogue). Numbers are written with thousands separators ("1,030"). Other ``{names}`` are
filled from the keyword arguments.
"""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, singular: str, plural: str, /, **values: object) -> str:
    """``singular`` when ``count`` is 1, else ``plural``, with ``{n}`` the count."""
    template = singular if count == 1 else plural
    return template.format(n=f"{count:,}", **values)

"""References people read out: on a phone call, to the police, in a letter.

A reference is written in an alphabet with no look-alikes (no 0/O, 1/I/L, 5/S, 8/B, 2/Z or
U/V), in groups of four, after a short prefix: ``R-7KQM-4XPA-9TCH``. Typed back, it is read
whatever its capitals and whatever spaces or hyphens were added or left out, so "r 7kqm4xpa
9tch" finds the same report. References made before this alphabet (``R-6l01o2AlkxZTIMbm``)
are found the same way.
"""

from __future__ import annotations

import re
import secrets

__all__ = ["ALPHABET", "new_reference", "normalise"]

ALPHABET = "3469ACDEFGHJKMNPQRTWXY"
_GROUP = 4
_IGNORED = re.compile(r"[\s\-‐‑‒–—]+")


def new_reference(prefix: str, *, groups: int = 4) -> str:
    """``prefix`` followed by ``groups`` groups of four symbols (about 17.8 random bits each)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(groups * _GROUP))
    parts = [symbols[i : i + _GROUP] for i in range(0, len(symbols), _GROUP)]
    return "-".join([prefix.rstrip("-"), *parts])


def normalise(text: str) -> str:
    """The form two references are compared in: capitals, no spaces, no hyphens."""
    return _IGNORED.sub("", text).upper()

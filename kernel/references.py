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

__all__ = ["ALPHABET", "new_reference", "normalise", "number_reference", "read_number_reference"]

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


# A stored row's number as a reference (a respondent's receipt): eight symbols, the number
# shuffled by a multiplication modulo 22**8 (a one-to-one mapping, so it reads back), so that
# neighbouring rows do not get neighbouring references.
_SPACE = len(ALPHABET) ** 8
_SHUFFLE = 2_654_435_761
_UNSHUFFLE = pow(_SHUFFLE, -1, _SPACE)


def number_reference(prefix: str, number: int) -> str:
    """``prefix`` and ``number`` written in two groups of four: ``RC-7KQM-4XPA``."""
    if not 0 < number < _SPACE:
        raise ValueError("a reference is made for a stored row's number")
    value = number * _SHUFFLE % _SPACE
    symbols = []
    for _ in range(8):
        value, digit = divmod(value, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    code = "".join(reversed(symbols))
    return f"{prefix.rstrip('-')}-{code[:4]}-{code[4:]}"


def read_number_reference(prefix: str, text: str) -> int | None:
    """The number behind a reference as ``number_reference`` writes it, typed any way
    (capitals, spaces, hyphens); None when it is not one."""
    bare = normalise(text)
    head = normalise(prefix)
    if not bare.startswith(head) or len(bare) != len(head) + 8:
        return None
    value = 0
    for symbol in bare[len(head) :]:
        digit = ALPHABET.find(symbol)
        if digit < 0:
            return None
        value = value * len(ALPHABET) + digit
    number = value * _UNSHUFFLE % _SPACE
    return number or None

"""The one cleaning of text that people send in: forms, imported files, the command line.

Every domain function that stores text a person typed or uploaded passes it through ``clean``
first, so that all of them treat the same characters the same way:

- line breaks become ``\\n`` (browsers send ``\\r\\n``; old files use a lone ``\\r``);
- control characters other than tab and line feed are removed: C0 (NUL, bell, escape, …),
  DEL and C1 (U+0080–U+009F). PostgreSQL refuses NUL in text, and the others end up as raw
  bytes in exports and documents, where they confuse whatever reads them next;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
  removed: they can make a text read differently from what it stores ("Trojan source"
  spoofing of names, links and numbers). The plain direction marks (LRM, RLM, ALM) stay, since
  right-to-left writing uses them and they cannot reorder text;
- unpaired surrogates (from undecodable bytes) and the non-characters U+FFFE and U+FFFF are
  removed: they are not text and cannot be encoded as UTF-8;
- with ``single_line``, tabs and line breaks become spaces (names, titles, tags).

The characters are removed rather than refused: they are invisible, so a person could not find
them to delete them, and nothing of what they meant to write is lost.
"""

from __future__ import annotations

_REMOVED = (
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F]
    + list(range(0x80, 0xA0))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
    + list(range(0xD800, 0xE000))
    + [0xFFFE, 0xFFFF]
)
_TABLE: dict[int, int | None] = dict.fromkeys(_REMOVED)
_SINGLE_LINE_TABLE: dict[int, int | None] = {**_TABLE, 0x09: 0x20, 0x0A: 0x20}


def clean(value: str | None, *, single_line: bool = False, strip: bool = True) -> str:
    """``value`` as Reclaim stores it (``""`` for ``None``); see the module's docstring.

    ``strip`` removes blanks at both ends, as every form field wants."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_SINGLE_LINE_TABLE if single_line else _TABLE)
    return text.strip() if strip else text


def clean_optional(value: str | None, *, single_line: bool = False) -> str | None:
    """``clean`` for a field where missing and empty mean the same: ``None`` for either."""
    return clean(value, single_line=single_line) or None


def is_clean(value: str, *, single_line: bool = False) -> bool:
    """Whether ``clean`` would leave ``value`` as it is (its ends aside)."""
    return clean(value, single_line=single_line, strip=False) == value

"""Watched words and phrases, matched through the usual disguises.

A ``WatchRule`` says what to do when its phrase appears in a post: ``hold`` it for review
before it is published, or ``flag`` it into the queue while it stays up. Rules only ever send
a post to a human; they never decide anything.

Normalising
    ``normalise`` is NFKC (fullwidth and styled letters become plain ones), casefolding, removing
    invisible characters (format characters such as zero-width spaces and joiners, the soft
    hyphen, the Hangul fillers), stripping accents and other combining marks, mapping
    look-alike Cyrillic, Greek and other letters to the Latin letter they imitate, reading
    leetspeak (``0 3 4 5 7 1`` as ``o e a s t i`` and ``@ $ ! |`` as ``a s i l``), and
    collapsing runs of whitespace. Leetspeak is only read inside a word that has letters in
    it, so ``2017`` stays a number and the ``!`` in ``stop!`` stays punctuation.

Matching
    Each rule is compiled for two forms, and each form has one regular-expression alternation
    over all rules, which finds the places where some rule may start; only the rules starting
    with that letter are then checked there. Matching runs on the folded text, not on
    ``normalise``'s output, so every match maps back to a span of the original text. Leetspeak
    is matched by widening each letter to a class (``i`` matches ``i 1 ! |``), so a digit that
    stands for either ``i`` or ``l`` fits both.

    *word form* (every rule): the phrase's words as whole words. A letter may be stretched
    (``kiiill``) but only to three or more: a doubled letter is an ordinary spelling
    (``good`` is not ``god``), a tripled one almost never is. Words of a phrase may be
    separated by any punctuation or space (``kill-you``, ``kill   you``).

    *split form* (spacing tricks): the phrase's letters with up to three separators
    (space, ``.``, ``-``, ``_``, ...) between any two of them, starting and ending at word
    boundaries. To keep ordinary pairs of words from matching (``who re-posted`` is not a
    watched word), a split match counts only if one of its pieces is a single character
    (``k i l l``, ``k.i.l.l``, ``k ill``) or no piece is separated by whitespace
    (``ki.ll``, ``kil-l``, or a multi-word phrase written as one word, ``killyou``). Phrases
    of fewer than four letters only match when written entirely one letter at a time
    (``a s s``), because short words are too easily formed by accident.

Trade-offs (Scunthorpe and its reverse)
    Requiring word boundaries means ``skill``, ``Kilkenny``, ``Scunthorpe`` and ``class`` do
    not match ``kill``, ``cunt`` or ``ass``; the price is that a watched word glued to other
    letters (``killyou`` for the rule ``kill``, ``ukill``) is missed unless the rule is written
    for that phrase. A spelt-out ``s k i l l`` does match ``kill`` (its ``k i l l`` part is
    bounded by spaces); spelling words out letter by letter is itself an evasion sign and the
    result is only a hold or flag for a person to check.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

WatchAction = Literal["hold", "flag"]
MatchForm = Literal["word", "split"]
WATCH_ACTIONS: tuple[WatchAction, ...] = ("hold", "flag")
SHORT_PHRASE_LETTERS = 4

# Invisible characters that are not in category Cf (which is removed wholesale).
_INVISIBLE = frozenset(
    {
        *(0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0xFEFF),
        *range(0x180B, 0x1810),
        *range(0x200B, 0x2010),
        *range(0x2060, 0x2065),
    }
)
_BLANKS = frozenset([0x2800])  # the braille blank looks like a space

# Look-alikes, after casefolding and accent stripping. Cyrillic, Greek, Armenian, IPA and
# a few Latin letters with strokes that do not decompose.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ѵ": "v", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h",
    # Latin and IPA letters without a decomposition
    "ı": "i", "ɩ": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ɑ": "a",
}  # fmt: skip

# Leetspeak read by ``normalise``. ``1`` and ``|`` are ambiguous (i or l): normalise reads
# them as i and l; the matcher lets each of them stand for either.
_LEET_DIGITS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
_LEET_SYMBOLS = {"@": "a", "$": "s", "!": "i", "|": "l"}
_LEET_ALTERNATIVES = {
    "a": "4@",
    "e": "3",
    "i": "1!|",
    "l": "1|",
    "o": "0",
    "s": "5$",
    "t": "7",
}
_LEET_SYMBOL_CHARS = "".join(_LEET_SYMBOLS)

# Boundaries: "not next to a letter or digit" (an underscore is a separator, not a letter).
_B = r"(?<![^\W_])"
_E = r"(?![^\W_])"
_WORD_GAP = r"[\W_]+"
_SPLIT_GAP = r"(?:_|[^\w@$!|]){1,3}"
_PIECE = re.compile(r"(?:[^\W_]|[@$!|])+")
_GAP = re.compile(r"(?:_|[^\w@$!|])+")


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One original character folded for matching: lower-case, unaccented, de-confused."""
    if ord(ch) in _BLANKS:
        return " "
    out = []
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch).casefold())
    for c in decomposed:
        if ord(c) in _INVISIBLE or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        c = _CONFUSABLES.get(c, c)
        out.append(" " if c.isspace() else c)
    return "".join(out)


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        for c in folded:
            chars.append(c)
            origin.append(index)
    return "".join(chars), origin


def _read_leet(folded: str) -> str:
    """Read leetspeak inside words that contain letters (see the module docstring)."""
    out = list(folded)
    for piece in _PIECE.finditer(folded):
        word = piece.group()
        if not any(c.isalpha() for c in word):
            continue  # a number, or punctuation on its own
        letterish = [c.isalpha() or c in _LEET_DIGITS for c in word]
        for offset, c in enumerate(word):
            if c in _LEET_DIGITS:
                out[piece.start() + offset] = _LEET_DIGITS[c]
            elif c in _LEET_SYMBOLS:
                after = any(letterish[offset + 1 :])
                before = any(letterish[:offset])
                # "$hit" and "@ss" may lead a word; "!" and "|" only count inside one.
                if after and (before or c in "@$"):
                    out[piece.start() + offset] = _LEET_SYMBOLS[c]
    return "".join(out)


def normalise(text: str) -> str:
    """``text`` as the watch list sees it: see the module docstring for each step."""
    folded, _ = _fold(text)
    return " ".join(_read_leet(folded).split())


def skeleton(text: str) -> str:
    """Only the letters and digits of ``normalise(text)``: ``"K.i-l l"`` gives ``"kill"``."""
    return "".join(c for c in normalise(text) if c.isalnum())


def watch_action(value: object) -> WatchAction:
    """``value`` as a watch action; ``ValueError`` unless it is ``"hold"`` or ``"flag"``."""
    if value in WATCH_ACTIONS:
        return value
    raise ValueError(f"a watch rule's action is 'hold' or 'flag', not {value!r}")


@dataclass(frozen=True, slots=True)
class WatchRule:
    id: Hashable
    phrase: str
    action: WatchAction = "flag"

    def __post_init__(self) -> None:
        watch_action(self.action)
        if not _words(self.phrase):
            raise ValueError(f"watch rule {self.id!r} has no letters or digits in its phrase")


@dataclass(frozen=True, slots=True)
class Match:
    """One place where a rule matched. ``start``/``end`` index the original text."""

    rule_id: Hashable
    phrase: str
    action: WatchAction
    start: int
    end: int
    text: str
    form: MatchForm


def _words(phrase: str) -> list[str]:
    return _PIECE_ALNUM.findall(normalise(phrase))


_PIECE_ALNUM = re.compile(r"[^\W_]+")


def _letter_class(c: str) -> str:
    alternatives = _LEET_ALTERNATIVES.get(c, "")
    if not alternatives:
        return re.escape(c)
    return "[" + "".join(re.escape(x) for x in c + alternatives) + "]"


def _first_chars(c: str) -> str:
    return c + _LEET_ALTERNATIVES.get(c, "")


def _word_body(words: list[str]) -> str:
    parts = []
    for word in words:
        units = []
        for letter, run in itertools.groupby(word):
            n = len(list(run))
            cls = _letter_class(letter)
            units.append(f"(?:{cls}|{cls}{{3,}})" if n == 1 else f"{cls}{{{n},}}")
        parts.append("".join(units))
    return _WORD_GAP.join(parts)


def _split_body(letters: str) -> str:
    return f"(?:{_SPLIT_GAP})?".join(_letter_class(c) for c in letters)


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: WatchRule
    letters: str
    multiword: bool
    word: re.Pattern[str]
    split: re.Pattern[str]


class Matcher:
    """Finds watched phrases in text. Build one with ``compile_rules`` and reuse it."""

    def __init__(self, rules: Iterable[WatchRule]) -> None:
        self.rules: tuple[WatchRule, ...] = tuple(rules)
        ids = [rule.id for rule in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("watch rule ids must be unique")
        self._by_first: dict[str, list[_Compiled]] = {}
        word_bodies: list[str] = []
        split_bodies: list[str] = []
        for rule in self.rules:
            words = _words(rule.phrase)
            letters = "".join(words)
            word_body = _word_body(words)
            split_body = _split_body(letters)
            compiled = _Compiled(
                rule=rule,
                letters=letters,
                multiword=len(words) > 1,
                word=re.compile(word_body + _E),
                split=re.compile(split_body + _E),
            )
            for c in _first_chars(letters[0]):
                self._by_first.setdefault(c, []).append(compiled)
            word_bodies.append(word_body)
            split_bodies.append(split_body)
        self._word_finder = self._finder(word_bodies)
        self._split_finder = self._finder(split_bodies)

    @staticmethod
    def _finder(bodies: list[str]) -> re.Pattern[str] | None:
        if not bodies:
            return None
        # Longest first only helps the engine fail fast less often; any order is correct,
        # because the finder only marks where some rule may start.
        alternation = "|".join(sorted(set(bodies), key=len, reverse=True))
        return re.compile(f"{_B}(?=(?:{alternation}){_E})")

    def __len__(self) -> int:
        return len(self.rules)

    def find(self, text: str) -> list[Match]:
        """Every rule that matches ``text``, in order of position, each place once."""
        if self._word_finder is None or self._split_finder is None:
            return []
        folded, origin = _fold(text)
        found: dict[tuple[Hashable, int, int], Match] = {}

        def record(compiled: _Compiled, start: int, end: int, form: MatchForm) -> None:
            first = origin[start]
            last = origin[end - 1] + 1
            # Take along marks and invisibles that trail the last letter.
            while last < len(text) and _fold_char(text[last]) == "":
                last += 1
            key = (compiled.rule.id, first, last)
            if key not in found:
                found[key] = Match(
                    rule_id=compiled.rule.id,
                    phrase=compiled.rule.phrase,
                    action=compiled.rule.action,
                    start=first,
                    end=last,
                    text=text[first:last],
                    form=form,
                )

        for hit in self._word_finder.finditer(folded):
            pos = hit.start()
            for compiled in self._by_first.get(folded[pos], ()):
                m = compiled.word.match(folded, pos)
                if m:
                    record(compiled, pos, m.end(), "word")

        for hit in self._split_finder.finditer(folded):
            pos = hit.start()
            for compiled in self._by_first.get(folded[pos], ()):
                m = compiled.split.match(folded, pos)
                if m and _split_counts(compiled, m.group()):
                    record(compiled, pos, m.end(), "split")

        return sorted(found.values(), key=lambda m: (m.start, m.end, str(m.rule_id)))

    def strongest_action(self, text: str) -> WatchAction | None:
        """``"hold"`` if any hold rule matches, else ``"flag"`` if any rule does, else None."""
        actions = {match.action for match in self.find(text)}
        if "hold" in actions:
            return "hold"
        if "flag" in actions:
            return "flag"
        return None


def _split_counts(compiled: _Compiled, matched: str) -> bool:
    """Whether a split-form match is a disguise rather than ordinary words (module docstring)."""
    pieces = _PIECE.findall(matched)
    gaps = _GAP.findall(matched)
    if len(pieces) == 1 and not compiled.multiword:
        return False  # the plain word: the word form's job
    if len(compiled.letters) < SHORT_PHRASE_LETTERS:
        return len(pieces) == len(compiled.letters)
    if any(len(piece) == 1 for piece in pieces):
        return True
    return not any(any(c.isspace() for c in gap) for gap in gaps)


def compile_rules(rules: Iterable[WatchRule]) -> Matcher:
    """Compile ``rules`` once and reuse the matcher (500 rules compile in about half a second)."""
    return Matcher(rules)

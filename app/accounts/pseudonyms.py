"""Public pseudonyms: generated suggestions and the rules a chosen one must follow."""

from __future__ import annotations

import re
import secrets

ADJECTIVES = (
    "amber",
    "brave",
    "bright",
    "calm",
    "candid",
    "clear",
    "civic",
    "steady",
    "gentle",
    "keen",
    "kind",
    "lively",
    "lucid",
    "mellow",
    "modest",
    "noble",
    "open",
    "patient",
    "plain",
    "quiet",
    "rapid",
    "ready",
    "sharp",
    "silver",
    "sincere",
    "sober",
    "solid",
    "spry",
    "sunny",
    "swift",
    "thoughtful",
    "tidy",
    "true",
    "vivid",
    "warm",
    "wise",
    "witty",
    "young",
    "bold",
    "fair",
)
NOUNS = (
    "heron",
    "otter",
    "willow",
    "river",
    "badger",
    "falcon",
    "maple",
    "harbour",
    "meadow",
    "lantern",
    "beacon",
    "comet",
    "finch",
    "fox",
    "hazel",
    "kestrel",
    "linnet",
    "marten",
    "oak",
    "owl",
    "pebble",
    "plover",
    "quill",
    "raven",
    "robin",
    "rowan",
    "sparrow",
    "starling",
    "thrush",
    "wren",
    "alder",
    "birch",
    "cedar",
    "juniper",
    "larch",
    "aspen",
    "brook",
    "delta",
    "ember",
    "harrier",
)

PSEUDONYM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{2,29}$")
RESERVED = (
    "admin",
    "moderator",
    "organiser",
    "organizer",
    "custodian",
    "reclaim",
    "staff",
    "official",
    "police",
)


def suggest_pseudonym() -> str:
    adjective = secrets.choice(ADJECTIVES).capitalize()
    noun = secrets.choice(NOUNS).capitalize()
    return f"{adjective}{noun}{secrets.randbelow(90) + 10}"


def pseudonym_problem(candidate: str, *, allow_reserved: bool = False) -> str | None:
    """Why a chosen pseudonym cannot be used, or None when it can."""
    if not PSEUDONYM_RE.match(candidate):
        return "Use 3 to 30 letters, digits, hyphens or underscores, starting with a letter."
    lowered = candidate.lower()
    if not allow_reserved and any(word in lowered for word in RESERVED):
        return "Choose a name that does not suggest an official role."
    if "@" in candidate:
        return "A pseudonym must not contain an e-mail address."
    return None

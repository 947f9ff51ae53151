"""Demo content for Reclaim, read from the TOML files in ``app/demo/data/``.

The files hold the themes, the consultations with their questions and demo answers, the
replies, the parts of pseudonyms and the organisation names (``data/README.md`` describes
them). This module parses them with :mod:`tomllib` into frozen dataclasses and checks them:
a missing or unknown field, a wrong type, or a reference to a theme that does not exist
raises :class:`ContentError` naming the file and the field. Everything in the files is
invented for demonstration.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")
STANCES = ("agree", "disagree", "neutral", "not_sure")
STATES = ("open", "closed", "upcoming")
CHANNELS = ("web", "email", "post")


Fields = frozenset[str] | set[str]


class ContentError(ValueError):
    """A demo data file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Answer:
    stance: str
    text: str
    # Replies written for this answer, posted under it in order (they answer what it says).
    replies: tuple[str, ...] = ()
    # Written on behalf of an organisation (named in the summary only if ``named``).
    organisation: str = ""
    named: bool = False
    # "email" or "post": received off the site, imported by the organisers.
    channel: str = "web"


@dataclass(frozen=True)
class Question:
    text: str
    guidance: str
    stance_prompt: str
    answers: tuple[Answer, ...]
    # For a closed consultation whose outcome is published: what people said and what changed.
    main_points: str = ""
    what_we_changed: str = ""


@dataclass(frozen=True)
class Campaign:
    """Near-identical answers sent by a campaign's supporters to one question."""

    question: int  # its number
    stance: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    method: str
    what_we_changed: str


@dataclass(frozen=True)
class Consultation:
    slug: str
    theme: str
    title: str
    summary: str
    introduction: str
    state: str
    questions: tuple[Question, ...]
    organiser_name: str = ""
    contact_email: str = ""
    postal_address: str = ""
    campaign: Campaign | None = None
    outcome: Outcome | None = None
    coded_questions: int = 0  # the first N questions' answers are coded by the organisers

    @property
    def answered(self) -> bool:
        return any(q.answers for q in self.questions)


@dataclass(frozen=True)
class DemoContent:
    themes: tuple[Theme, ...]
    consultations: tuple[Consultation, ...]
    pseudonym_adjectives: tuple[str, ...]
    pseudonym_nouns: tuple[str, ...]
    organisation_names: tuple[str, ...]


class _Table:
    """One TOML table being read: knows its file and place, so errors can name both."""

    def __init__(
        self, raw: object, path: Path, where: str, required: Fields, optional: Fields = frozenset()
    ) -> None:
        self.path, self.where = path, where
        if not isinstance(raw, dict):
            raise self.error(f"expected a table, found {type(raw).__name__}")
        self.raw: dict[str, object] = raw
        unknown = sorted(set(raw) - required - optional)
        if unknown:
            expected = ", ".join(sorted(required | optional))
            raise self.error(f"unknown field {unknown[0]!r} (the fields are: {expected})")
        missing = sorted(required - set(raw))
        if missing:
            raise self.error(f"field {missing[0]!r} is missing")

    def error(self, problem: str) -> ContentError:
        return ContentError(f"{self.path}: {self.where + ': ' if self.where else ''}{problem}")

    def text(self, name: str, *, choices: Iterable[str] = (), blank: bool = False) -> str:
        value = self.raw.get(name, "")
        if not isinstance(value, str):
            raise self.error(f"field {name!r} must be text, found {type(value).__name__}")
        if not blank and not value.strip():
            raise self.error(f"field {name!r} is empty")
        allowed = tuple(choices)
        if allowed and value not in allowed:
            raise self.error(f"field {name!r} must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def flag(self, name: str) -> bool:
        value = self.raw.get(name, False)
        if not isinstance(value, bool):
            raise self.error(f"field {name!r} must be true or false, found {value!r}")
        return value

    def number(self, name: str, *, default: int = 0) -> int:
        value = self.raw.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(f"field {name!r} must be a whole number, found {value!r}")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"field {name!r} must be a list of non-empty texts")
        return tuple(value)

    def tables(
        self, name: str, label: str, required: Fields, optional: Fields = frozenset()
    ) -> list[_Table]:
        value = self.raw.get(name, [])
        if not isinstance(value, list):
            raise self.error(f"field {name!r} must be a list of [[{name}]] tables")
        prefix = self.where + ", " if self.where else ""
        return [
            _Table(item, self.path, f"{prefix}{label} {n}", required, optional)
            for n, item in enumerate(value, start=1)
        ]


def _read(path: Path, required: Fields, optional: Fields = frozenset()) -> _Table:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: not valid TOML: {exc}") from None
    return _Table(raw, path, "", required, optional)


ANSWER_FIELDS = frozenset({"replies", "organisation", "named", "channel"})
QUESTION_FIELDS = frozenset({"guidance", "answers", "main_points", "what_we_changed"})
TOP_FIELDS = frozenset(
    {"organiser_name", "contact_email", "postal_address", "campaign", "outcome", "coded_questions"}
)


def _answer(a: _Table) -> Answer:
    return Answer(
        stance=a.text("stance", choices=STANCES),
        text=a.text("text"),
        replies=a.texts("replies"),
        organisation=a.text("organisation", blank=True),
        named=a.flag("named"),
        channel=a.text("channel", choices=CHANNELS) if "channel" in a.raw else "web",
    )


def _campaign(top: _Table, questions: int) -> Campaign | None:
    if "campaign" not in top.raw:
        return None
    (table,) = [_Table(top.raw["campaign"], top.path, "campaign", {"question", "stance", "texts"})]
    number = table.number("question")
    if not 1 <= number <= questions:
        raise table.error(f"field 'question' must name one of the {questions} questions")
    texts = table.texts("texts")
    if len(texts) < 5:
        raise table.error("a campaign needs at least 5 texts (fewer are not grouped)")
    return Campaign(number, table.text("stance", choices=STANCES), texts)


def _outcome(top: _Table, state: str) -> Outcome | None:
    if "outcome" not in top.raw:
        return None
    table = _Table(top.raw["outcome"], top.path, "outcome", {"method", "what_we_changed"})
    if state != "closed":
        raise table.error("only a closed consultation can have its outcome published")
    return Outcome(table.text("method"), table.text("what_we_changed"))


def _consultation(path: Path, themes: set[str]) -> Consultation:
    top = _read(
        path,
        {"theme", "slug", "title", "state", "summary", "introduction", "questions"},
        TOP_FIELDS,
    )
    theme = top.text("theme")
    if theme not in themes:
        raise top.error(f"field 'theme' names an unknown theme {theme!r} (see themes.toml)")
    state = top.text("state", choices=STATES)
    summary = top.text("summary")
    if "\n" in summary:
        raise top.error("field 'summary' must be a single line")
    questions = []
    for q in top.tables("questions", "question", {"text", "stance_prompt"}, QUESTION_FIELDS):
        answers = q.tables("answers", "answer", {"stance", "text"}, ANSWER_FIELDS)
        if answers and state == "upcoming":
            raise q.error("an upcoming consultation cannot have answers yet")
        questions.append(
            Question(
                text=q.text("text"),
                guidance=q.text("guidance", blank=True),
                stance_prompt=q.text("stance_prompt"),
                answers=tuple(_answer(a) for a in answers),
                main_points=q.text("main_points", blank=True),
                what_we_changed=q.text("what_we_changed", blank=True),
            )
        )
    if not questions:
        raise top.error("a consultation needs at least one [[questions]] block")
    return Consultation(
        slug=top.text("slug"),
        theme=theme,
        title=top.text("title"),
        summary=summary,
        introduction=top.text("introduction"),
        state=state,
        questions=tuple(questions),
        organiser_name=top.text("organiser_name", blank=True),
        contact_email=top.text("contact_email", blank=True),
        postal_address=top.text("postal_address", blank=True),
        campaign=_campaign(top, len(questions)),
        outcome=_outcome(top, state),
        coded_questions=min(top.number("coded_questions"), len(questions)),
    )


def _unique(path: Path, field: str, values: Iterable[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ContentError(f"{path}: {field} {value!r} is used more than once")
        seen.add(value)


def load(folder: Path = DATA_DIR) -> DemoContent:
    """Read and check every demo data file in ``folder``."""
    themes_file = _read(folder / "themes.toml", {"themes"})
    themes = tuple(
        Theme(t.text("slug"), t.text("name"), t.text("description"))
        for t in themes_file.tables("themes", "theme", {"slug", "name", "description"})
    )
    _unique(themes_file.path, "field 'slug'", (t.slug for t in themes))
    files = sorted((folder / "consultations").glob("*.toml"))
    if not files:
        raise ContentError(f"{folder / 'consultations'}: no consultation files (*.toml)")
    consultations = tuple(_consultation(f, {t.slug for t in themes}) for f in files)
    first: dict[str, Path] = {}
    for f, c in zip(files, consultations, strict=True):
        if c.slug in first:
            raise ContentError(f"{f}: field 'slug' {c.slug!r} is already used by {first[c.slug]}")
        first[c.slug] = f
    names = _read(
        folder / "names.toml", {"pseudonym_adjectives", "pseudonym_nouns", "organisation_names"}
    )
    return DemoContent(
        themes=themes,
        consultations=consultations,
        pseudonym_adjectives=names.texts("pseudonym_adjectives"),
        pseudonym_nouns=names.texts("pseudonym_nouns"),
        organisation_names=names.texts("organisation_names"),
    )


@cache
def demo_content() -> DemoContent:
    """The shipped demo content, read once."""
    return load()

"""User text: Markdown rendered by markdown-it-py, then cleaned by bleach with an allowlist."""

from __future__ import annotations

import threading
from collections.abc import MutableMapping
from functools import lru_cache, partial
from typing import Literal

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

from kernel import i18n
from kernel.text import clean

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "hr",
        "h3",
        "h4",
        "del",
        "s",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML turned off; images are not rendered at all.
    md = MarkdownIt("js-default", {"linkify": False, "typographer": False})
    return md.enable("strikethrough").disable("image")


def _set_rel(
    attrs: MutableMapping[tuple[str | None, str], str], new: bool = False
) -> MutableMapping[tuple[str | None, str], str]:
    """bleach's link callback: (namespace, name) -> value of a link's attributes."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


# A bleach ``Cleaner`` is not thread-safe (its HTML parser keeps the document being parsed),
# and posts are written in the thread pool, several at once: shared, two posts cleaned at the
# same moment could each come out with pieces of the other, or fail. Each thread builds its own.
_CLEANERS = threading.local()


def _cleaner(tags: frozenset[str] = ALLOWED_TAGS) -> bleach.Cleaner:
    """This thread's cleaner for ``tags`` (built on its first use in the thread)."""
    mine: dict[frozenset[str], bleach.Cleaner] | None = getattr(_CLEANERS, "by_tags", None)
    if mine is None:
        mine = _CLEANERS.by_tags = {}
    cleaner = mine.get(tags)
    if cleaner is None:
        cleaner = mine[tags] = _new_cleaner(tags)
    return cleaner


def _new_cleaner(tags: frozenset[str]) -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False
            )
        ],
    )


def _demote_headings(html: str, first: int) -> str:
    """Headings inside a post move down two levels (``#`` becomes ``<h3>``); on a page of
    its own no heading rises above ``<h{first}>`` and none goes below ``<h4>``."""
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + 2 if first == 3 else max(level, first), 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return html


def render_markdown(source: str, *, headings_from: int = 3) -> str:
    """Markdown to safe HTML: no raw HTML, no images, links marked nofollow/ugc/noopener.

    Headings start at ``<h3>`` inside a participant's post; a page of its own (a standing page
    under its ``<h1>``) passes ``headings_from=2``."""
    html = _demote_headings(_markdown().render(source), headings_from)
    if headings_from == 2:
        return _cleaner(ALLOWED_TAGS | {"h2"}).clean(html)
    return _cleaner().clean(html)


# Each message names what is refused itself (no English built by joining words).
_PROBLEMS = {
    "answer": (
        i18n.N_("Enter your answer."),
        i18n.N_("Your answer contains characters that are not valid text (not UTF-8)."),
        i18n.N_("Your answer must be at least {minimum} characters (it is {length})."),
        i18n.N_("Your answer must be at most {maximum} characters (it is {length})."),
    ),
    "reply": (
        i18n.N_("Enter your reply."),
        i18n.N_("Your reply contains characters that are not valid text (not UTF-8)."),
        i18n.N_("Your reply must be at least {minimum} characters (it is {length})."),
        i18n.N_("Your reply must be at most {maximum} characters (it is {length})."),
    ),
}
CONTENT_NOTE_MAX = 200


def text_problem(
    text: str | None, *, minimum: int, maximum: int, what: Literal["answer", "reply"]
) -> str | None:
    """Why a piece of user text cannot be stored, or None. Length counts characters.

    ``text`` has been through ``kernel.text.clean`` (control characters are gone); what is left
    to refuse is text that was not valid UTF-8 where it came from (the replacement character
    stands for the bytes that could not be decoded)."""
    empty, undecodable, short, long = _PROBLEMS[what]
    if text is None or not text.strip():
        return i18n._(empty)
    if "\ufffd" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return i18n._(undecodable)
    length = len(text.strip())
    if length < minimum:
        return i18n._(short, minimum=i18n.number(minimum), length=i18n.number(length))
    if length > maximum:
        return i18n._(long, maximum=i18n.number(maximum), length=i18n.number(length))
    return None


def parse_content_note(note: str | None) -> tuple[str | None, str | None]:
    """An author's content note and why it is refused, if it is: ``None`` is no note (the box
    was not ticked); a ticked box needs a note of at most ``CONTENT_NOTE_MAX`` characters."""
    if note is None:
        return None, None
    note = " ".join(clean(note).split())
    if not note:
        return None, i18n._("Write the content note, or untick the box if the post needs none.")
    if len(note) > CONTENT_NOTE_MAX:
        return None, i18n._(
            "Keep the content note to {maximum} characters or fewer (it is {length}).",
            maximum=i18n.number(CONTENT_NOTE_MAX),
            length=i18n.number(len(note)),
        )
    return note, None

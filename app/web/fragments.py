"""A per-process cache of rendered answer lists, checked against ``Question.feed_version``,
bounded by the size of the HTML it holds (``FragmentCache``).

Database triggers bump a question's ``feed_version`` whenever any of its answers or replies is
added, edited, hidden, removed or deleted, in the same transaction, so a cached list is never
served after its content changed, whichever process or code path changed it. The cached HTML
is kept as a list of pieces with ``TOKEN`` where each reply form's CSRF token goes, joined with
the viewer's token per request (a join is some forty times cheaper than a search and replace).
A cached list holds its answers' own cached pieces, not a copy of them: each answer's HTML is
kept once per process, however many lists (sorts, pages) show it. An answer's card is checked
against its own row (``Contribution.thread_version``, which triggers bump with any change to
its replies), so a list rebuilt after a reply reads and renders that answer's thread alone.

Cached HTML is shared by every signed-in reader, so it cannot depend on who reads it: each post's
"Report" link is kept as a piece of its own marked with the post's author, and left out only
for that author when the pieces are joined (nobody reports their own post).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from sys import getsizeof
from typing import Any

from fastapi import Request
from markupsafe import Markup
from sqlmodel import Session
from starlette.responses import HTMLResponse

from app.participation import views
from app.participation.feed import PostView
from app.participation.views import QuestionView
from app.web import csrf
from app.web.templating import base_context, environment_for, render
from kernel import i18n

CSRF_PLACEHOLDER = "\x00csrf\x00"
ANSWER_PLACEHOLDER = "\x00answer\x00"
TOKEN = None  # in a list of pieces: the viewer's CSRF token goes here
OWN_END = Markup("\x00/own\x00")
_OWN = re.compile("\x00own:([0-9]*)\x00(.*?)\x00/own\x00", re.DOTALL)

Key = tuple[Hashable, ...]
# Text; TOKEN; or (author id, text): text left out for that author.
Piece = str | None | tuple[int | None, str]
Pieces = list[Piece]


def own_mark(author_id: int | None) -> Markup:
    """Where a piece of HTML that its author must not see begins (a "Report" link)."""
    return Markup(f"\x00own:{'' if author_id is None else author_id}\x00")  # noqa: S704


def pieces_of(html: str) -> Pieces:
    """``html`` rendered with ``CSRF_PLACEHOLDER`` for each token and ``own_mark``/``OWN_END``
    around what its author must not see, as pieces."""
    parts: Pieces = []
    marked = _OWN.split(html)  # text, author, marked text, text, author, marked text, …
    for n in range(0, len(marked), 3):
        for m, part in enumerate(marked[n].split(CSRF_PLACEHOLDER)):
            if m:
                parts.append(TOKEN)
            parts.append(part)
        if n + 2 < len(marked):
            author = marked[n + 1]
            parts.append((int(author) if author else None, marked[n + 2]))
    return parts


def joined(pieces: Pieces, token: str, viewer_id: int | None) -> str:
    return "".join(
        [
            token
            if piece is TOKEN
            else piece
            if type(piece) is str
            else ("" if piece[0] == viewer_id else piece[1])
            for piece in pieces
        ]
    )


def cacheable_context(context: dict[str, Any]) -> dict[str, Any]:
    """What a render for the cache adds: the author marks instead of the reader's identity."""
    return {
        **context,
        "csrf_token": CSRF_PLACEHOLDER,
        "own_marks": True,
        "own_mark": own_mark,
        "own_end": OWN_END,
    }


class FragmentCache:
    """Least recently used entries, bounded by the size of what they hold, not their number.

    A key is ``(kind, subject, version, *rest)``: once an entry of a newer ``version`` of a
    subject (a question's ``feed_version``) is stored, every entry of an older version of it is
    dropped at once, since no request will ask for it again; an entry older than the newest
    seen is not stored at all. A version that is not a number (an answer's fingerprint) is
    superseded by whichever entry of its subject is stored next (``latest_only``).

    Size counts the bytes each piece of HTML takes in memory (``sys.getsizeof``): Python keeps
    ASCII text in one byte a character, but two for a text with any character beyond Latin-1
    (a curly quote), so counting characters would hold up to twice the bound.
    """

    def __init__(self, max_bytes: int) -> None:  # RECLAIM_FRAGMENT_CACHE_MIB, in bytes
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._items: OrderedDict[Key, Pieces] = OrderedDict()
        self._sizes: dict[Key, int] = {}
        self._latest: dict[Hashable, int] = {}  # (kind, subject) -> newest version seen
        self._by_subject: dict[Hashable, set[Key]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Key) -> Pieces | None:
        with self._lock:
            parts = self._items.get(key)
            if parts is not None:
                self._items.move_to_end(key)
            return parts

    def put(self, key: Key, parts: Pieces, *, latest_only: bool = False) -> None:
        """Store ``parts``; ``latest_only``: this entry supersedes every other of its subject,
        whatever their versions (for versions that are fingerprints, not numbers). A piece
        shared with another entry counts in both (what is held is at most the bound)."""
        subject, version = key[:2], key[2]
        size = sum(getsizeof(part if type(part) is str else part[1]) for part in parts if part)
        if size > self.max_bytes:
            return
        with self._lock:
            if latest_only:
                for old in list(self._by_subject.get(subject, ())):
                    if old != key:
                        self._drop(old)
            latest = self._latest.get(subject)
            if isinstance(version, int) and latest is not None and version < latest:
                return  # superseded already: nobody will ask for it
            if isinstance(version, int) and (latest is None or version > latest):
                self._latest[subject] = version
                for old in list(self._by_subject.get(subject, ())):
                    self._drop(old)
            if key in self._items:
                self._drop(key)
            self._items[key] = parts
            self._sizes[key] = size
            self._by_subject.setdefault(subject, set()).add(key)
            self.nbytes += size
            while self.nbytes > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key: Key) -> None:
        """Forget one entry (the lock is held)."""
        del self._items[key]
        self.nbytes -= self._sizes.pop(key)
        subject = key[:2]
        keys = self._by_subject.get(subject)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._by_subject[subject]
        # ``_latest`` keeps one number per subject ever cached (per question: a few bytes).


def answer_list(request: Request, session: Session, view: QuestionView) -> Markup:
    """The rendered ``#answer_list`` section of a question page."""
    settings = request.app.state.settings
    signed_in = getattr(request.state, "viewer", None) is not None
    key = (
        "answer_list",
        view.question.id,
        view.question.feed_version,
        view.consultation.created_at,
        view.sort.value,
        view.page,
        settings.answers_per_page,
        signed_in,
        view.closed_reason is not None,
        i18n.current_language(),
        *view.chosen.key(),
    )
    cache: FragmentCache = request.app.state.fragment_cache
    # A viewer who blocked someone sees a list of their own, which is not cached.
    parts = cache.get(key) if view.blocker_id is None else None
    if parts is None:
        cards = _Cards(
            cache,
            signed_in=signed_in,
            closed=view.closed_reason is not None,
            blocks=view.blocker_id is not None,
        )
        page = views.answer_page(
            session,
            question=view.question,
            sort=view.sort,
            page=view.page,
            per_page=settings.answers_per_page,
            blocker_id=view.blocker_id,
            chosen=view.chosen,
            needs_thread=None if cards.blocks else cards.needs_thread,
        )
        context = cacheable_context(base_context(request))
        context.update(view=view, p=page, values={}, errors={})
        answers = _rendered_answers(request, context, page.answers, cards, view.closed_reason)
        # The list around its answers, each answer a placeholder, then the answers' own pieces
        # put in their places (shared with their cache entries, not copied).
        context["rendered"] = [Markup(ANSWER_PLACEHOLDER)] * len(answers)  # noqa: S704
        templates = environment_for(request)
        html = templates.get_template("consultations/_answer_list.html").render(context)
        around = html.split(ANSWER_PLACEHOLDER)
        assert len(around) == len(answers) + 1, "one placeholder for each answer"
        parts = pieces_of(around[0])
        for answer_pieces, after in zip(answers, around[1:], strict=True):
            parts += answer_pieces
            parts += pieces_of(after)
        if view.blocker_id is None:
            cache.put(key, parts)
    token = csrf.token_for(request.state.csrf_cookie, settings.secret_key.get_secret_value())
    viewer = getattr(request.state, "viewer", None)
    viewer_id = None if viewer is None else viewer.id
    return Markup(joined(parts, token, viewer_id))  # noqa: S704 - our own rendered HTML


def _own(post: PostView) -> tuple[Hashable, ...]:
    """What a post's HTML shows of the post itself."""
    return (
        post.id,
        post.author_pseudonym,
        post.author_id,
        post.html,
        post.stance,
        post.state,
        post.created_at,
        post.edited_at,
        post.removed_reason,
        post.content_note,
    )


def _fingerprint(answer: PostView) -> str:
    """Everything of an answer and its shown replies that its HTML shows, hashed: two answers
    with the same fingerprint render the same (for the same kind of viewer)."""
    shown = (*(_own(p) for p in (answer, *answer.replies)), answer.shown_replies)
    return format(hash(shown) & 0xFFFF_FFFF_FFFF_FFFF, "016x")


class _Cards:
    """The cached cards (rendered answers) of one list being built.

    A card seen by every reader alike (no blocks) is keyed on the answer's own content and its
    ``thread_version``, which database triggers bump with any change to its replies: so the
    answer's row says whether its card is still right, and only the answers whose cards are
    missing have their replies read (``needs_thread``). A removed answer's card also shows the
    label of the decision, which only reading it tells: its thread is always read. A list of a
    reader who blocked someone reads every thread, and its cards are keyed on what they show
    (``_fingerprint``: two such readers share the cards that look the same to them).

    The cards found while the page was read are kept here, so that an entry evicted meanwhile
    by another request cannot leave an answer without the replies its card needs."""

    def __init__(
        self, cache: FragmentCache, *, signed_in: bool, closed: bool, blocks: bool
    ) -> None:
        self.cache = cache
        self.signed_in, self.closed, self.blocks = signed_in, closed, blocks
        self.found: dict[int, Pieces] = {}

    def key(self, answer: PostView) -> Key:
        # One entry per answer, kind of viewer and language: a new version replaces the old.
        subject = (answer.id, self.signed_in, self.closed, i18n.current_language(), self.blocks)
        if self.blocks:
            return ("answer", subject, _fingerprint(answer))
        version = hash((_own(answer), answer.thread_version)) & 0xFFFF_FFFF_FFFF_FFFF
        return ("answer", subject, format(version, "016x"))

    def needs_thread(self, answer: PostView) -> bool:
        if not answer.is_removed:
            parts = self.cache.get(self.key(answer))
            if parts is not None:
                self.found[answer.id] = parts
                return False
        return True


def _rendered_answers(
    request: Request,
    context: dict[str, Any],
    answers: list[PostView],
    cards: _Cards,
    closed: str | None,
) -> list[Pieces]:
    """Each answer of a list with its replies, rendered (as pieces) or taken from the cache.

    A reply or an edit changes the question's ``feed_version``, so its whole list is rendered
    again; but only the answers that changed need rendering (``_Cards``)."""
    template = environment_for(request).get_template("participation/_answer.html")
    rendered = []
    for answer in answers:
        parts = cards.found.get(answer.id)
        if parts is None:
            key = cards.key(answer)
            parts = cards.cache.get(key)
            if parts is None:
                parts = pieces_of(template.render({**context, "answer": answer, "closed": closed}))
                cards.cache.put(key, parts, latest_only=True)
        rendered.append(parts)
    return rendered


def question_context(request: Request, session: Session, view: QuestionView) -> dict[str, Any]:
    """What the question page's template needs: the view and its rendered list of answers."""
    return {"view": view, "answer_list": answer_list(request, session, view)}


def render_question(request: Request, session: Session, view: QuestionView) -> HTMLResponse:
    """The question page (or the block of it an htmx request asks for)."""
    return render(
        request,
        "consultations/question.html",
        {**question_context(request, session, view), "errors": {}, "values": {}},
    )

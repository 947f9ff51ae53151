"""A per-process cache of rendered answer lists, checked against ``Question.feed_version``.

Database triggers bump a question's ``feed_version`` whenever any of its answers or replies is
added, edited, hidden, removed or deleted, in the same transaction, so a cached list is never
served after its content changed, whichever process or code path changed it. The cached HTML
is kept split at the places where each reply form's CSRF token goes, and joined with the
viewer's token per request (a join is some forty times cheaper than a search and replace).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from fastapi import Request
from markupsafe import Markup
from sqlmodel import Session
from starlette.responses import HTMLResponse

from app.participation import views
from app.participation.views import QuestionView
from app.web import csrf
from app.web.templating import base_context, render

CSRF_PLACEHOLDER = "\x00csrf\x00"

Key = tuple[Hashable, ...]


class FragmentCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[Key, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> list[str] | None:
        with self._lock:
            parts = self._items.get(key)
            if parts is not None:
                self._items.move_to_end(key)
            return parts

    def put(self, key: Key, parts: list[str]) -> None:
        with self._lock:
            self._items[key] = parts
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


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
    )
    cache: FragmentCache = request.app.state.fragment_cache
    # A viewer who blocked someone sees a list of their own, which is not cached.
    parts = cache.get(key) if view.blocker_id is None else None
    if parts is None:
        page = views.answer_page(
            session,
            question=view.question,
            sort=view.sort,
            page=view.page,
            per_page=settings.answers_per_page,
            blocker_id=view.blocker_id,
        )
        context = base_context(request)
        context.update(view=view, p=page, csrf_token=CSRF_PLACEHOLDER, values={}, errors={})
        templates = request.app.state.templates
        html = templates.get_template("consultations/_answer_list.html").render(context)
        parts = html.split(CSRF_PLACEHOLDER)
        if view.blocker_id is None:
            cache.put(key, parts)
    token = csrf.token_for(request.state.csrf_cookie, settings.secret_key.get_secret_value())
    return Markup(token.join(parts))  # noqa: S704 - our own rendered HTML


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

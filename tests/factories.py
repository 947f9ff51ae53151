"""Factories: plain functions with keyword flags, and helpers for driving the site."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import users
from app.accounts.models import Role, User
from app.consultations import organising
from app.consultations.models import Consultation, Theme
from app.mail import DevOutbox
from kernel.clock import utcnow

# Factories -----------------------------------------------------------------------------------

_counter = iter(range(1, 10**9))


def make_user(
    session: Session,
    *,
    roles: set[Role] | None = None,
    pseudonym: str | None = None,
    email: str | None = None,
) -> User:
    n = next(_counter)
    return users.create_user(
        session,
        email=email or f"person{n}@example.test",
        pseudonym=pseudonym or f"Person{n}",
        roles=roles or {Role.citizen},
        now=utcnow(),
        allow_reserved=True,
    )


def make_theme(session: Session, *, slug: str | None = None) -> Theme:
    n = next(_counter)
    return organising.create_theme(session, slug=slug or f"theme-{n}", name=f"Theme {n}")


def make_consultation(
    session: Session,
    *,
    status: str = "open",
    questions: int = 3,
    slug: str | None = None,
    theme: Theme | None = None,
    **kwargs,
) -> Consultation:
    now = utcnow()
    opens, closes = {
        "open": (now - timedelta(days=1), now + timedelta(days=30)),
        "closed": (now - timedelta(days=30), now - timedelta(days=1)),
        "upcoming": (now + timedelta(days=5), now + timedelta(days=30)),
    }[status]
    n = next(_counter)
    return organising.create_consultation(
        session,
        theme=theme or make_theme(session),
        slug=slug or f"consultation-{n}",
        title=f"Consultation {n}",
        summary="A test consultation.",
        introduction="Please *answer* the questions.",
        opens_at=opens,
        closes_at=closes,
        questions=[organising.NewQuestion(f"Question {i}?") for i in range(1, questions + 1)],
        now=now,
        **kwargs,
    )


def at(days: float = 0) -> datetime:
    return utcnow() + timedelta(days=days)


# Web helpers ---------------------------------------------------------------------------------

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token(client: TestClient, path: str = "/") -> str:
    page = client.get(path)
    match = CSRF_META.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(
    client: TestClient, outbox: DevOutbox, email: str, *, pseudonym: str | None = None
) -> None:
    """The real journey: ask for a link, open it from the outbox, confirm it."""
    token = csrf_token(client, "/auth/sign-in")
    response = client.post("/auth/sign-in", data={"email": email, "csrf_token": token})
    assert response.status_code == 303, response.text
    link = link_from(outbox)
    page = client.get(link)
    assert page.status_code == 200, page.text
    data = {"csrf_token": CSRF_META.search(page.text).group(1)}
    if pseudonym:
        data["pseudonym"] = pseudonym
    done = client.post(link, data=data)
    assert done.status_code == 303, done.text


LINK = re.compile(r"http://testserver(/auth/link/[A-Za-z0-9_-]+)")


def link_from(outbox: DevOutbox) -> str:
    assert outbox.messages, "no e-mail was sent"
    match = LINK.search(outbox.messages[0].body)
    assert match, outbox.messages[0].body
    return match.group(1)


ROOT = Path(__file__).resolve().parent.parent

"""Typed dependencies that load or refuse: the database session, the viewer, role checks.

They are ``async def`` on purpose: each runs a short indexed read (or none) directly on the
event loop. FastAPI would run a plain ``def`` dependency in the thread pool, and each of those
hops costs more CPU than the query itself (about 0.1–0.3 ms measured by
``bench/profile_request.py``), so a page with five dependencies spent more time switching
threads than working. A plain ``def`` endpoint still runs in the thread pool (one hop).

The rule that keeps this safe: nothing on the event loop may wait for a lock. Reads never wait
(SQLite in WAL mode, PostgreSQL's MVCC), and committing a transaction that already holds its
locks does not wait either. A write can wait (SQLite has one writer at a time, and a write
transaction takes the site's write lock before its first statement: ``app.sqlite_writes``), and
if it waited on the loop for a transaction whose commit is itself queued on that loop, the
process would stall: so every write runs in the thread pool, like the session's "last seen"
update below.
Nor may the loop wait for a pooled connection: ``get_db`` admits at most ``Settings.pool_size``
requests at once (the others wait without blocking the loop), and the pool has room for each
of them plus one short transaction of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.accounts import policies, sessions
from app.accounts.models import Role, User, UserPublic
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.db import session_scope
from app.ratelimit.limiter import Limit
from app.web.params import Position
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import DomainError

SESSION_COOKIE = "reclaim_session"


class SignInRequired(DomainError):
    status_code = 401
    title = i18n.N_("Please sign in")

    def __init__(self, next_path: str) -> None:
        super().__init__("Sign in to continue.")
        self.next_path = next_path


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent."""
    async with request.app.state.database_slots:
        with session_scope(request.app.state.engine, request.app.state.hooks) as session:
            yield session


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


async def optional_user(request: Request, session: SessionDep) -> User | None:
    now = utcnow()
    stale: list[str] = []
    user = sessions.load_session_user(
        session,
        request.cookies.get(SESSION_COOKIE),
        now=now,
        settings=request.app.state.settings,
        touch=stale.append,
    )
    if stale:  # a write: in the thread pool (see above)
        await run_in_threadpool(sessions.touch_session, request.app.state.engine, stale[0], now=now)
    request.state.viewer = UserPublic.of(user) if user is not None else None
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def current_user(request: Request, user: OptionalUser) -> User:
    if user is None:
        path = request.url.path
        if request.method != "GET":
            path = request.headers.get("hx-current-url") or request.headers.get("referer") or "/"
        raise SignInRequired(next_path=path)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def _stored_id(user: User) -> int:
    assert user.id is not None, "a stored account"
    return user.id


async def current_user_id(user: CurrentUser) -> int:
    """The signed-in person's account id, for the domain functions that take only that."""
    return _stored_id(user)


CurrentUserId = Annotated[int, Depends(current_user_id)]

RoleDependency = Callable[[User], Coroutine[Any, Any, User]]


def _role_dependency(role: Role) -> RoleDependency:
    async def require(user: CurrentUser) -> User:
        policies.require(policies.has_role(user, role))
        return user

    require.__name__ = f"require_{role.value}"
    return require


require_organiser = _role_dependency(Role.organiser)
require_admin = _role_dependency(Role.admin)
ModeratorUser = Annotated[User, Depends(_role_dependency(Role.moderator))]
OrganiserUser = Annotated[User, Depends(require_organiser)]
CustodianUser = Annotated[User, Depends(_role_dependency(Role.custodian))]
AdminUser = Annotated[User, Depends(require_admin)]


async def moderator_id(user: ModeratorUser) -> int:
    """The signed-in moderator's account id (the role is checked first)."""
    return _stored_id(user)


ModeratorId = Annotated[int, Depends(moderator_id)]


def _can_see_drafts(viewer: User | None) -> bool:
    return viewer is not None and policies.has_role(viewer, Role.organiser).allowed


async def consultation_by_slug(
    slug: str, session: SessionDep, viewer: OptionalUser
) -> Consultation:
    return catalogue.get_consultation(session, slug, can_see_drafts=_can_see_drafts(viewer))


ConsultationBySlug = Annotated[Consultation, Depends(consultation_by_slug)]


async def question_by_slug(
    slug: str, number: Position, session: SessionDep, viewer: OptionalUser
) -> catalogue.LocatedQuestion:
    return catalogue.locate_question(session, slug, number, can_see_drafts=_can_see_drafts(viewer))


async def posting_limit(request: Request) -> Limit:
    """Answers and replies per account (``RECLAIM_RATE_LIMIT_POSTING``)."""
    return Limit(
        request.app.state.limiter,
        "post",
        request.app.state.settings.rate_limit_posting,
        "You have posted a lot in a short time.",
    )


PostingLimit = Annotated[Limit, Depends(posting_limit)]

QuestionBySlug = Annotated[catalogue.LocatedQuestion, Depends(question_by_slug)]

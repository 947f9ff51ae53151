"""Factories: plain functions with keyword flags, and helpers for driving the site."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import users
from app.accounts.models import Role, User
from app.analysis.models import ImportedResponse, ResponseImport
from app.consultations import catalogue, organising
from app.consultations.models import Consultation, Question, Theme
from app.participation import commands
from app.participation.models import Contribution, Kind, PostState, Response
from app.participation.text import render_markdown
from app.ratelimit.limiter import Limit
from kernel.clock import utcnow
from tests.support.outbox import QueuedMail

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
        title=kwargs.pop("title", f"Consultation {n}"),
        summary="A test consultation.",
        introduction="Please *answer* the questions.",
        opens_at=opens,
        closes_at=closes,
        questions=[organising.NewQuestion(f"Question {i}?") for i in range(1, questions + 1)],
        now=now,
        **kwargs,
    )


def consultation_form(client: TestClient, session: Session, **fields: str) -> dict[str, str]:
    """The organisers' new-consultation form, filled in (in the site's time zone), for a POST to
    /organise/new by ``client``."""
    return {
        "csrf_token": csrf_token(client, "/organise/new"),
        "theme_id": str(make_theme(session).id),
        "slug": "spring-consultation",
        "title": "A spring consultation",
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-03-31T23:59",
        "moderation_mode": "post",
        "required_level": "email",
        **fields,
    }


def at(days: float = 0) -> datetime:
    return utcnow() + timedelta(days=days)


# Posts: answers and replies through the real commands, and moderators --------------------


def make_post(
    session: Session,
    *,
    author: User | None = None,
    text: str = "I think the proposal goes too far and should be narrowed.",
    consultation=None,
    number: int = 1,
    limit: Limit | None = None,
) -> Contribution:
    author = author or make_user(session)
    consultation = consultation or make_consultation(session, questions=2)

    question = catalogue.get_question(session, consultation, number)
    return commands.submit_answer(
        session,
        consultation=consultation,
        question=question,
        author=author,
        stance="disagree",
        text=text,
        publish=True,
        now=utcnow(),
        limit=limit,
    )


def make_reply(
    session: Session,
    *,
    parent: Contribution,
    author: User | None = None,
    text: str = "I disagree with this answer entirely.",
) -> Contribution:
    question = session.get(Question, parent.question_id)
    consultation = session.get(Consultation, question.consultation_id)
    return commands.add_reply(
        session,
        consultation=consultation,
        parent=parent,
        author=author or make_user(session),
        text=text,
        now=utcnow(),
    )


def make_report(session: Session, post: Contribution, *, reason: str = "threat"):
    """A report of ``post`` by a new participant (a case, and the post's evidence snapshot)."""
    from moderation import reporting

    return reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason=reason,
        about_me=False,
        note="",
        now=utcnow(),
    )


def remove_post(session: Session, post: Contribution, reason: str = "threat") -> None:
    """Remove a post the way moderators do: a report, then a decision."""
    from moderation import decisions, reporting

    report = make_report(session, post, reason=reason)
    case = reporting.find_case_for_post(session, post.id)
    decisions.decide(
        session,
        case_id=report.case_id,
        moderator_id=make_moderator(session).id,
        version=case.version,
        action="remove",
        basis=reason,
        statement="The post threatens a named participant with violence at the next meeting.",
        now=utcnow(),
    )


def make_thread(
    session: Session,
    *,
    replies: int,
    consultation=None,
    repliers: list[User] | None = None,
    text: str = "Reply {n} in this thread.",
) -> Contribution:
    """A published answer with ``replies`` replies (``text`` numbered from 1), written by
    ``repliers`` in turn (five new accounts by default)."""
    consultation = consultation or make_consultation(session)
    answer = make_post(session, consultation=consultation, text="An answer that starts a thread.")
    repliers = repliers or [make_user(session) for _ in range(5)]
    for n in range(replies):
        commands.add_reply(
            session,
            consultation=consultation,
            parent=answer,
            author=repliers[n % len(repliers)],
            text=text.format(n=n + 1),
            now=utcnow(),
        )
    session.flush()
    return answer


def make_moderator(session: Session, **kwargs) -> User:
    return make_user(session, roles={Role.moderator}, **kwargs)


def age_account(session: Session, user: User, days: float) -> User:
    user.created_at = utcnow() - timedelta(days=days)
    session.add(user)
    session.flush()
    return user


# Responses built directly (every kind the tallies must count) ------------------------------


def add_response(
    session: Session,
    consultation: Consultation,
    answers: dict[int, str | None],
    *,
    respondent: User | None = None,
    imported: bool = False,
    respondent_type: str = "individual",
    organisation_name: str | None = None,
    may_name_organisation: bool = False,
    channel: str = "web",
    is_public: bool | None = None,
    states: dict[int, str] | None = None,
    texts: dict[int, str] | None = None,
    level: str | None = None,
) -> Response:
    """One respondent with a stance (or None: no declared stance) per answered question."""
    if respondent is None and not imported:
        respondent = make_user(session)
    if respondent is not None and level is not None:
        respondent.verification_level = level
        session.add(respondent)
    now = utcnow()
    if is_public is None:
        is_public = not imported  # imported responses are private to the organisers
    response = Response(
        consultation_id=consultation.id,
        respondent_id=respondent.id if respondent else None,
        is_public=is_public,
        channel=channel if not imported or channel != "web" else "post",
        respondent_type=respondent_type,
        organisation_name=organisation_name,
        may_name_organisation=may_name_organisation,
        created_at=now,
        updated_at=now,
    )
    session.add(response)
    session.flush()
    if imported:
        batch = ResponseImport(
            consultation_id=consultation.id,
            file_sha256=f"{response.id:064d}",
            filename="letters.csv",
            row_count=1,
        )
        session.add(batch)
        session.flush()
        session.add(
            ImportedResponse(
                response_id=response.id,
                import_id=batch.id,
                consultation_id=consultation.id,
                reference=f"L-{response.id}",
            )
        )
    for question_id, stance in answers.items():
        text = (texts or {}).get(question_id, f"My answer to question {question_id}.")
        session.add(
            Contribution(
                kind=Kind.answer,
                question_id=question_id,
                response_id=response.id,
                author_id=respondent.id if respondent else None,
                stance=stance,
                source_text=text,
                html=render_markdown(text),
                is_public=is_public,
                state=(states or {}).get(question_id, PostState.visible),
                created_at=now,
                updated_at=now,
            )
        )
    session.flush()
    return response


# Web helpers ---------------------------------------------------------------------------------

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token(client: TestClient, path: str = "/") -> str:
    page = client.get(path)
    match = CSRF_META.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(
    client: TestClient, outbox: QueuedMail, email: str, *, pseudonym: str | None = None
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


def link_from(outbox: QueuedMail) -> str:
    assert outbox.messages, "no e-mail was sent"
    match = LINK.search(outbox.messages[0].body)
    assert match, outbox.messages[0].body
    return match.group(1)


ROOT = Path(__file__).resolve().parent.parent


def make_people(session: Session, count: int, *, prefix: str = "bulk") -> list[tuple[int, str]]:
    """``count`` citizens at once (one INSERT, then each one's vault record): for tests and
    benchmarks that need thousands of recipients. Returns (account id, address) pairs."""
    from sqlalchemy import insert

    from app.identity.vault import service as vault

    now = utcnow()
    start = next(_counter)
    rows = [
        {
            "pseudonym": f"{prefix.capitalize()}{start}x{i}",
            "roles": "citizen",
            "status": "active",
            "verification_level": "email",
            "created_at": now,
        }
        for i in range(count)
    ]
    ids = session.execute(insert(User).returning(User.id), rows).scalars().all()
    people = [(user_id, f"{prefix}{start}.{i}@example.test") for i, user_id in enumerate(ids)]
    vault.create_email_identities(session, people, now=now)
    return people


def add_respondents(session: Session, consultation: Consultation, user_ids: list[int]) -> None:
    """A response (without answers) from each account, in one INSERT."""
    from sqlalchemy import insert

    now = utcnow()
    defaults = {"is_public": True, "channel": "web", "respondent_type": "individual"}
    session.execute(
        insert(Response),
        [
            {
                **defaults,
                "consultation_id": consultation.id,
                "respondent_id": user_id,
                "may_name_organisation": False,
                "is_late": False,
                "created_at": now,
                "updated_at": now,
            }
            for user_id in user_ids
        ],
    )


def make_referral(session: Session, subject: User):
    """A police referral of a post by ``subject`` (a case reported, then referred): what a
    disclosure for a police referral must name."""
    from moderation.models import ModerationCase, PoliceReferral

    post = make_post(session, author=subject, text="A post that was referred to the police.")
    case = session.get(ModerationCase, make_report(session, post).case_id)
    referral = PoliceReferral(case_id=case.id, force="Northfield Police", created_at=utcnow())
    session.add(referral)
    session.flush()
    return referral

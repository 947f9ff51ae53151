"""Demo data for ``reclaim demo``: five themes, their consultations, a lived-in closed one (with
its campaign, coding and published outcome: see app/demo/organisers.py),
and one account per role. Idempotent: it does nothing if any theme exists. The texts come
from the TOML files in app/demo/data/, read by app/demo/content.py."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts import users
from app.accounts.models import Role, User
from app.consultations import organising
from app.consultations.models import Consultation, Question, Theme
from app.demo import content, organisers
from app.participation import commands
from app.participation.models import Contribution
from kernel import localtime

DEMO_DOMAIN = "demo.reclaim.invalid"
ROLE_ACCOUNTS = {
    Role.citizen: "DemoCitizen",
    Role.moderator: "DemoModerator",
    Role.organiser: "DemoOrganiser",
    Role.custodian: "DemoCustodian",
    Role.admin: "DemoAdmin",
}


@dataclass(frozen=True)
class DemoAccount:
    role: str
    pseudonym: str
    email: str


def demo_email(pseudonym: str) -> str:
    return f"{pseudonym.lower()}@{DEMO_DOMAIN}"


def is_seeded(session: Session) -> bool:
    return session.exec(select(Theme.id)).first() is not None


def _window(state: str, now: datetime) -> tuple[datetime, datetime]:
    """When a demo consultation opens and closes, counted in days from ``now``: at 09:00 on
    its first day and 23:59 on its last, in the site's time zone, as an organiser would set."""
    days = {"open": (-10, 45), "upcoming": (14, 74)}.get(state, (-120, -30))
    times = localtime.current()
    today = times.local(now).date()

    def at(offset: int, clock: str) -> datetime:
        return times.parse(f"{today + timedelta(days=offset)}T{clock}")

    return at(days[0], "09:00"), at(days[1], "23:59")


def seed(
    session: Session,
    *,
    now: datetime,
    seed_value: int = 7,
    data: content.DemoContent | None = None,
) -> list[DemoAccount]:
    """Create the demo content (by default the shipped data files in app/demo/data/).
    Returns the demo accounts (their sign-in addresses)."""
    data = data or content.demo_content()
    rng = random.Random(seed_value)
    themes = {
        t.slug: organising.create_theme(
            session, slug=t.slug, name=t.name, description=t.description, position=i
        )
        for i, t in enumerate(data.themes)
    }
    made: list[DemoAccount] = []
    for role, pseudonym in ROLE_ACCOUNTS.items():
        users.create_user(
            session,
            email=demo_email(pseudonym),
            pseudonym=pseudonym,
            roles={role},
            now=now - timedelta(days=200),
            allow_reserved=True,
        )
        made.append(DemoAccount(role.value, pseudonym, demo_email(pseudonym)))
    for spec in data.consultations:
        opens_at, closes_at = _window(spec.state, now)
        consultation = organising.create_consultation(
            session,
            theme=themes[spec.theme],
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            introduction=spec.introduction,
            opens_at=opens_at,
            closes_at=closes_at,
            now=now - timedelta(days=150),
            questions=[
                organising.NewQuestion(q.text, q.guidance, q.stance_prompt) for q in spec.questions
            ],
        )
        consultation.organiser_name = spec.organiser_name
        consultation.contact_email = spec.contact_email
        consultation.postal_address = spec.postal_address
        session.add(consultation)
    # The closed consultations' answers first, then the open ones'.
    for state in ("closed", "open"):
        for spec in data.consultations:
            if spec.state == state and spec.answered:
                _answer(session, spec, data, rng=rng, now=now)
                organisers.work_on(session, spec, data, rng=rng, now=now)
    _moderation_examples(session, rng=rng, now=now)
    return made


DEMO_REPORTS = [
    ("spam", "The same link appears in several answers."),
    ("off_topic", "This does not answer the question that was asked."),
    ("grossly_offensive", "I found the wording of this answer offensive."),
    ("personal_information", "I think this answer hints at who someone is."),
]


def _moderation_examples(session: Session, *, rng: random.Random, now: datetime) -> None:
    """A few open reports, so the moderation queue has work in it, one of them by the demo
    citizen so that they can follow it; and a watched phrase."""
    from moderation import reporting, watch

    moderator = session.exec(
        select(User).where(User.pseudonym == ROLE_ACCOUNTS[Role.moderator])
    ).one()
    citizen = session.exec(select(User).where(User.pseudonym == ROLE_ACCOUNTS[Role.citizen])).one()
    assert moderator.id is not None, "a stored account"
    watch.add_word(
        session, phrase="kill yourself", action="hold", moderator_id=moderator.id, now=now
    )
    answers = list(
        session.exec(
            select(Contribution).where(Contribution.kind == "answer", Contribution.is_public)
        )
    )
    reporters = list(
        session.exec(
            select(User).where(col(User.pseudonym).not_in(list(ROLE_ACCOUNTS.values()))).limit(20)
        )
    )
    for n, (reason, note) in enumerate(DEMO_REPORTS):
        post = answers[rng.randrange(len(answers))]
        reporter = (
            citizen if n == 0 else rng.choice([r for r in reporters if r.id != post.author_id])
        )
        if reporter.id == post.author_id:
            continue
        assert post.id is not None and reporter.id is not None, "stored rows"
        reporting.report_post(
            session,
            post_id=post.id,
            reporter_id=reporter.id,
            reason=reason,
            about_me=False,
            note=note,
            now=now - timedelta(hours=n * 5),
        )


def _participants(
    session: Session, count: int, data: content.DemoContent, *, rng: random.Random, now: datetime
) -> list[User]:
    people: list[User] = list(
        session.exec(select(User).where(col(User.pseudonym).not_in(list(ROLE_ACCOUNTS.values()))))
    )
    while len(people) < count:
        name = (
            rng.choice(data.pseudonym_adjectives).capitalize()
            + rng.choice(data.pseudonym_nouns).capitalize()
            + str(rng.randint(10, 99))
        )
        if users.pseudonym_taken(session, name):
            continue
        people.append(
            users.create_user(
                session,
                email=demo_email(name),
                pseudonym=name,
                roles={Role.citizen},
                now=now - timedelta(days=180),
            )
        )
    return people


def _answer(
    session: Session,
    spec: content.Consultation,
    data: content.DemoContent,
    *,
    rng: random.Random,
    now: datetime,
) -> None:
    """The answers written on the site, with the replies written for them, each at a time
    while the consultation was open and never later than now."""
    consultation = session.exec(select(Consultation).where(Consultation.slug == spec.slug)).one()
    questions = list(
        session.exec(
            select(Question)
            .where(Question.consultation_id == consultation.id)
            .order_by(col(Question.position))
        )
    )
    most = max(len(q.answers) for q in spec.questions)
    people = _participants(session, most + 8, data, rng=rng, now=now)
    last = min(consultation.closes_at, now) - timedelta(minutes=1)
    span = (last - consultation.opens_at).total_seconds()
    for question, written in zip(questions, spec.questions, strict=True):
        on_site = [a for a in written.answers if a.channel == "web"]
        respondents = rng.sample(people, k=len(on_site))
        for person, demo_answer in zip(respondents, on_site, strict=True):
            # Early enough in the window that the replies written for it fit before ``last``.
            when = consultation.opens_at + timedelta(seconds=rng.uniform(0.05, 0.7) * span)
            answer = commands.submit_answer(
                session,
                consultation=consultation,
                question=question,
                author=person,
                stance=demo_answer.stance,
                text=demo_answer.text,
                publish=bool(demo_answer.replies or demo_answer.organisation) or rng.random() > 0.1,
                now=when,
            )
            if demo_answer.organisation:
                organisers.as_organisation(session, answer, demo_answer)
            _reply(
                session,
                consultation,
                answer,
                people,
                demo_answer.replies,
                rng=rng,
                when=when,
                last=last,
            )


def _reply(
    session: Session,
    consultation: Consultation,
    answer: Contribution,
    people: list[User],
    replies: tuple[str, ...],
    *,
    rng: random.Random,
    when: datetime,
    last: datetime,
) -> None:
    """The replies written for ``answer``, in order, by other participants, spaced out in
    time after it and never after ``last``."""
    if not answer.is_public:
        return
    others = [p for p in people if p.id != answer.author_id]
    gap = (last - when) / (len(replies) + 1) if replies else timedelta(0)
    for n, text in enumerate(replies, start=1):
        commands.add_reply(
            session,
            consultation=consultation,
            parent=answer,
            author=rng.choice(others),
            text=text,
            now=min(when + gap * (n - 1 + rng.uniform(0.3, 1.0)), last),
        )

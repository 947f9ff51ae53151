"""The organisers' side of the demo, done through the same functions as on the site: answers
sent by e-mail and post imported from a spreadsheet, organisations among the respondents, a
campaign's near-identical answers found and grouped, answers coded, and for a closed
consultation the outcome written and published. So that every part of the site can be tried
in the first five minutes."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts import users
from app.accounts.models import Role, User
from app.analysis import coding, importing, outcome
from app.analysis.grouping import detect_campaigns
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.demo import content
from app.participation import commands
from app.participation.models import Contribution, Kind, RespondentType, Response

EVALUATION = {"agree": "positive", "disagree": "negative", "neutral": "neutral"}


def as_organisation(session: Session, answer: Contribution, written: content.Answer) -> None:
    """Mark the response the answer belongs to as an organisation's."""
    response = session.get(Response, answer.response_id)
    assert response is not None, "an answer belongs to a response"
    response.respondent_type = RespondentType.organisation
    response.organisation_name = written.organisation
    response.may_name_organisation = written.named
    session.add(response)


def work_on(
    session: Session,
    spec: content.Consultation,
    data: content.DemoContent,
    *,
    rng: random.Random,
    now: datetime,
) -> None:
    consultation = session.exec(select(Consultation).where(Consultation.slug == spec.slug)).one()
    organiser = session.exec(select(User).where(User.pseudonym == "DemoOrganiser")).one()
    last = min(consultation.closes_at, now) - timedelta(minutes=1)
    _import_off_site(session, consultation, spec, organiser, rng=rng, last=last)
    if spec.campaign is not None:
        _campaign(session, consultation, spec.campaign, data, rng=rng, last=last)
        detect_campaigns(session, consultation=consultation, now=last)
    _code(session, consultation, spec.coded_questions, organiser, now=last)
    if spec.outcome is not None:
        _publish_outcome(session, consultation, spec, organiser, now=now)


def _import_off_site(
    session: Session,
    consultation: Consultation,
    spec: content.Consultation,
    organiser: User,
    *,
    rng: random.Random,
    last: datetime,
) -> None:
    """The answers marked ``channel = "email"`` or ``"post"``, one respondent each, imported
    from a CSV file as an organiser would."""
    rows = []
    span = (last - consultation.opens_at).total_seconds()
    for number, question in enumerate(spec.questions, start=1):
        for n, answer in enumerate(a for a in question.answers if a.channel != "web"):
            received = consultation.opens_at + timedelta(seconds=rng.uniform(0.1, 0.95) * span)
            prefix = "EM" if answer.channel == "email" else "LT"
            rows.append(
                {
                    "reference": f"{prefix}-{number:02d}{n + 1:02d}",
                    "respondent_type": "organisation" if answer.organisation else "individual",
                    "organisation_name": answer.organisation,
                    "may_name_organisation": "yes" if answer.named else "no",
                    "channel": answer.channel,
                    "received_at": received.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    f"q{number}_stance": answer.stance,
                    f"q{number}_answer": answer.text,
                }
            )
    if not rows:
        return
    columns = sorted({name for row in rows for name in row}, key=_column_order)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    importing.import_responses(
        session,
        consultation=consultation,
        filename="responses-by-email-and-post.csv",
        data=buffer.getvalue().encode(),
        organiser=organiser,
        now=last,
    )


def _column_order(name: str) -> tuple[int, str]:
    fixed = [*importing.REQUIRED, *importing.OPTIONAL]
    return (fixed.index(name), "") if name in fixed else (len(fixed), name)


def _campaign(
    session: Session,
    consultation: Consultation,
    campaign: content.Campaign,
    data: content.DemoContent,
    *,
    rng: random.Random,
    last: datetime,
) -> None:
    """Each of the campaign's texts, sent by a supporter with an account of their own."""
    question = catalogue.get_question(session, consultation, campaign.question)
    when = last - timedelta(days=3)
    for n, text in enumerate(campaign.texts):
        name = f"{rng.choice(data.pseudonym_adjectives).capitalize()}Supporter{n + 10}"
        if users.pseudonym_taken(session, name):
            continue
        supporter = users.create_user(
            session,
            email=f"{name.lower()}@demo.reclaim.invalid",
            pseudonym=name,
            roles={Role.citizen},
            now=when - timedelta(days=2),
        )
        commands.submit_answer(
            session,
            consultation=consultation,
            question=question,
            author=supporter,
            stance=campaign.stance,
            text=text,
            publish=True,
            now=when + timedelta(minutes=37 * n),
        )


def _code(
    session: Session, consultation: Consultation, questions: int, coder: User, *, now: datetime
) -> None:
    """The organisers have coded every answer to the first ``questions`` questions."""
    for number in range(1, questions + 1):
        question = catalogue.get_question(session, consultation, number)
        answers = session.exec(
            select(Contribution.id, Contribution.stance).where(
                col(Contribution.question_id) == question.id,
                col(Contribution.kind) == Kind.answer,
            )
        ).all()
        for answer_id, stance in answers:
            assert answer_id is not None, "a stored answer"
            coding.code_answer(
                session,
                consultation=consultation,
                answer_id=answer_id,
                evaluation=EVALUATION.get(stance or "", "neutral"),
                coder=coder,
                now=now,
            )


def _publish_outcome(
    session: Session,
    consultation: Consultation,
    spec: content.Consultation,
    organiser: User,
    *,
    now: datetime,
) -> None:
    assert spec.outcome is not None, "a consultation with an outcome"
    values: dict[str, str | None] = {
        "method": spec.outcome.method,
        "what_we_changed": spec.outcome.what_we_changed,
    }
    for number, question in enumerate(spec.questions, start=1):
        values[f"main_points_{number}"] = question.main_points
        values[f"changed_{number}"] = question.what_we_changed
    published_at = consultation.closes_at + timedelta(days=21)
    outcome.save_outcome(session, consultation=consultation, values=values, now=published_at)
    outcome.publish_outcome(
        session, consultation=consultation, organiser=organiser, now=min(published_at, now)
    )

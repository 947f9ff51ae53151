"""The summary of responses and the outcome: what the organisers write, its publication, the
notification of respondents (queued in batches by the scheduler after publication), and the
summary as a web page, a PDF and Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.analysis import assurance, dashboard, tallies
from app.analysis.models import ConsultationOutcome, QuestionOutcome
from app.analysis.summary_text import STANDARD_METHOD
from app.analysis.themes import views as themes
from app.audit import log as audit
from app.consultations import catalogue, overview
from app.consultations.models import Consultation, ConsultationDocument, Phase, Question
from app.outbox.jobs import JobName, request_job
from app.outbox.queue import NewMail, Template, queue_mails
from app.participation.models import RespondentType, Response
from app.participation.text import render_markdown
from kernel import i18n
from kernel.errors import Conflict, FormInvalid, NotFound
from kernel.rows import transition
from kernel.text import clean


@dataclass(frozen=True)
class QuestionSummary:
    question: Question
    answered: int
    campaign_answers: int
    main_points: str
    main_points_html: str
    what_we_changed: str
    what_we_changed_html: str
    row: tallies.TallyRow
    themes: list[themes.AcceptedTheme]  # accepted by an analyst, largest first


@dataclass(frozen=True)
class Summary:
    consultation: Consultation
    documents: list[ConsultationDocument]
    respondents: int
    by_channel: dict[str, int]
    late: int
    method: str
    method_html: str
    what_we_changed: str
    what_we_changed_html: str
    questions: list[QuestionSummary]
    organisations: list[str]
    annex: tallies.TallyTable
    published_at: datetime | None
    status: str
    agreements: list[assurance.Agreement]
    organisation_count: int = 0  # organisations that responded, named or not
    notified_count: int = 0  # "outcome published" messages queued so far
    notified_at: datetime | None = None

    @property
    def campaign_answers(self) -> int:
        return sum(q.campaign_answers for q in self.questions)

    @property
    def assurance_statement(self) -> str:
        """What the method says about the second coding (empty when there was none)."""
        return assurance.method_statement(self.agreements)

    @property
    def answers(self) -> int:
        return sum(row.answered for row in self.annex.rows)

    @property
    def coded(self) -> int:
        return sum(row.coded for row in self.annex.rows)

    @property
    def declared(self) -> int:
        return self.annex.declared_answers

    @property
    def unevaluated(self) -> int:
        return sum(row.unevaluated for row in self.annex.rows)


def summary(session: Session, *, consultation: Consultation, now: datetime) -> Summary:
    questions = catalogue.questions_of(session, consultation)
    ids = catalogue.question_ids(questions)
    annex = tallies.annex_a(session, consultation=consultation, questions=questions).main
    outcomes = {
        o.question_id: o
        for o in session.exec(
            select(QuestionOutcome).where(col(QuestionOutcome.question_id).in_(ids))
        )
    }
    campaigns = dashboard.campaign_answer_counts(session, consultation=consultation)
    overall = session.get(ConsultationOutcome, consultation.id)
    method = overall.method if overall and overall.method else i18n.gettext(STANDARD_METHOD)
    changed = overall.what_we_changed if overall else ""
    names = sorted(
        {
            o.name
            for o in dashboard.organisations(session, consultation=consultation, named_only=True)
        },
        key=str.casefold,
    )
    late = dashboard.response_count(session, consultation, col(Response.is_late))
    accepted = themes.accepted_themes(
        session,
        question_ids=ids,
        answered={i: r.answered for i, r in zip(ids, annex.rows, strict=True)},
    )
    items = []
    for question, question_id, row in zip(questions, ids, annex.rows, strict=True):
        o = outcomes.get(question_id)
        points, q_changed = (o.main_points, o.what_we_changed) if o else ("", "")
        items.append(
            QuestionSummary(
                question=question,
                answered=row.answered,
                campaign_answers=campaigns.get(question_id, 0),
                main_points=points,
                main_points_html=render_markdown(points),
                what_we_changed=q_changed,
                what_we_changed_html=render_markdown(q_changed),
                row=row,
                themes=accepted.get(question_id, []),
            )
        )
    return Summary(
        consultation=consultation,
        documents=overview.documents_of(session, consultation),
        respondents=annex.respondents,
        by_channel=dashboard.channel_counts(session, consultation=consultation),
        late=late,
        method=method,
        method_html=render_markdown(method),
        what_we_changed=changed,
        what_we_changed_html=render_markdown(changed),
        questions=items,
        organisations=names,
        annex=annex,
        published_at=overall.published_at if overall else None,
        status=overview.status_of(consultation, now),
        organisation_count=dashboard.response_count(
            session, consultation, col(Response.respondent_type) == RespondentType.organisation
        ),
        notified_count=overall.notified_count if overall else 0,
        notified_at=overall.notified_at if overall else None,
        agreements=assurance.agreements(session, questions=questions),
    )


# Editing and publishing ----------------------------------------------------------------------


def save_outcome(
    session: Session, *, consultation: Consultation, values: dict[str, str | None], now: datetime
) -> ConsultationOutcome:
    errors = {}
    for name, text in values.items():
        if len(text or "") > 20000:
            errors[name] = i18n._("At most 20,000 characters.")
    if errors:
        raise FormInvalid(errors)
    assert consultation.id is not None, "a stored consultation"
    overall = session.get(ConsultationOutcome, consultation.id) or ConsultationOutcome(
        consultation_id=consultation.id
    )
    overall.method = clean(values.get("method"))
    overall.what_we_changed = clean(values.get("what_we_changed"))
    overall.updated_at = now
    session.add(overall)
    questions = catalogue.questions_of(session, consultation)
    for question, question_id in zip(questions, catalogue.question_ids(questions), strict=True):
        o = session.get(QuestionOutcome, question_id) or QuestionOutcome(question_id=question_id)
        o.main_points = clean(values.get(f"main_points_{question.position}"))
        o.what_we_changed = clean(values.get(f"changed_{question.position}"))
        o.updated_at = now
        session.add(o)
    session.flush()
    return overall


def get_outcome(session: Session, consultation: Consultation) -> ConsultationOutcome | None:
    return session.get(ConsultationOutcome, consultation.id)


def outcome_values(s: Summary, outcome: ConsultationOutcome | None) -> dict[str, str]:
    values = {"method": outcome.method if outcome else "", "what_we_changed": s.what_we_changed}
    for q in s.questions:
        values[f"main_points_{q.question.position}"] = q.main_points
        values[f"changed_{q.question.position}"] = q.what_we_changed
    return values


def publish_outcome(
    session: Session, *, consultation: Consultation, organiser: User, now: datetime
) -> ConsultationOutcome:
    if not consultation.is_published or consultation.phase_at(now) is not Phase.closed:
        raise Conflict(i18n._("The outcome can be published once the consultation has closed."))
    overall = session.get(ConsultationOutcome, consultation.id)
    if overall is None or not overall.what_we_changed:
        raise FormInvalid(
            {
                "what_we_changed": i18n._(
                    "Write what was changed as a result of the "
                    "consultation before publishing the outcome."
                )
            }
        )
    if overall.published_at is not None:
        raise Conflict(i18n._("The outcome is already published."))
    assert consultation.id is not None, "a stored consultation"
    transition(
        session,
        ConsultationOutcome,
        consultation.id,
        when=[col(ConsultationOutcome.published_at).is_(None)],
        values={"published_at": now},
        refused=Conflict(i18n._("The outcome was published a moment ago.")),
    )
    audit.record(
        session,
        actor_id=organiser.id,
        action="outcome.publish",
        subject_type="consultation",
        subject_id=consultation.id,
        now=now,
    )
    # Respondents are told after this commits, in batches (``queue_outcome_notifications``).
    request_job(session, name=JobName.outcome_notifications, key=str(consultation.id), now=now)
    session.flush()
    return overall


OUTCOME_BATCH = 500  # respondents whose messages are queued per transaction


def queue_outcome_notifications(
    session: Session, *, consultation_id: int, now: datetime, batch: int = OUTCOME_BATCH
) -> bool:
    """Queue the next ``batch`` of "outcome published" messages, one per respondent with an
    account, after the last one queued; whether more remain. Run by the scheduler, one batch
    per transaction: the cursor moves with the messages it queued, so a crash resumes where
    it stopped, and each respondent's message has a key that the outbox accepts once."""
    overall = session.get(ConsultationOutcome, consultation_id)
    if overall is None or overall.published_at is None:
        return False
    respondents = session.exec(
        select(Response.id, Response.respondent_id)
        .where(
            Response.consultation_id == consultation_id,
            col(Response.respondent_id).is_not(None),
            col(Response.id) > (overall.notify_cursor or 0),
        )
        .order_by(col(Response.id))
        .limit(batch)
    ).all()
    queued = queue_mails(
        session,
        (
            NewMail(
                template=Template.outcome_published,
                recipient_id=user_id,
                params={"consultation_id": consultation_id},
                dedupe_key=f"outcome:{consultation_id}:{user_id}",
            )
            for _, user_id in respondents
            if user_id is not None  # always: chosen for having one
        ),
        now=now,
    )
    if respondents:
        overall.notify_cursor = respondents[-1][0]
    overall.notified_count += queued
    overall.notified_at = now
    session.add(overall)
    session.flush()
    return len(respondents) == batch


@dataclass(frozen=True)
class PublishedOutcome:
    title: str
    slug: str


def published_outcome(session: Session, consultation_id: int) -> PublishedOutcome | None:
    """What the "outcome published" e-mail names; None unless the outcome is published."""
    overall = session.get(ConsultationOutcome, consultation_id)
    consultation = session.get(Consultation, consultation_id)
    if overall is None or overall.published_at is None or consultation is None:
        return None
    return PublishedOutcome(title=consultation.title, slug=consultation.slug)


def public_outcome(session: Session, *, slug: str, now: datetime) -> Summary:
    consultation = catalogue.get_consultation(session, slug)
    overall = session.get(ConsultationOutcome, consultation.id)
    if overall is None or overall.published_at is None:
        raise NotFound(i18n._("The outcome of this consultation has not been published yet."))
    return summary(session, consultation=consultation, now=now)


# Renderings ----------------------------------------------------------------------------------

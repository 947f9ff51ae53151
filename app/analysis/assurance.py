"""A second, blind coding of a sample of coded answers, the agreement between the two analysts
(percentage and Cohen's kappa) and the settling of their disagreements by a third.

An organiser asks for a sample of one question's coded answers (a percentage or a number) to be
coded again by another organiser. The sample is drawn from answers that the second coder did not
code; the first evaluation is copied into ``second_coding`` when the sample is drawn, and the
second coder's page never shows it. Where the two differ, a third analyst (neither of them)
settles the answer: the settled value becomes the answer's coded evaluation, which is what
Annex A counts (``app.analysis.tallies``: the coded evaluation wins over the declared stance).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.models import AccountStatus, Role, User
from app.analysis.coding import parse_evaluation
from app.analysis.models import AnswerCoding, Evaluation, SecondCoding, SecondCodingRequest
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, PostState
from kernel import i18n
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound

CATEGORIES = tuple(e.value for e in Evaluation)


# Cohen's kappa ---------------------------------------------------------------------------------


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two codings of the same items: (p_o − p_e) / (1 − p_e), where p_o is
    the share of items on which they agree and p_e the agreement expected by chance from each
    coder's own distribution. ``None`` when it is not defined (no items, or both coders put
    every item in the same single category, so that p_e = 1)."""
    if len(first) != len(second):
        raise ValueError("the two codings must be of the same items")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    a, b = Counter(first), Counter(second)
    expected = sum(a[c] * b[c] for c in set(a) | set(b)) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class Agreement:
    question_id: int
    position: int
    coder: str | None  # the second coder's pseudonym
    sample: int
    coded: int  # answers the second coder has coded
    agreed: int
    kappa: float | None
    unsettled: int  # disagreements not yet settled

    @property
    def percent(self) -> int | None:
        return round(100 * self.agreed / self.coded) if self.coded else None

    @property
    def disagreements(self) -> int:
        return self.coded - self.agreed


def agreements(session: Session, *, questions: Sequence[Question]) -> list[Agreement]:
    """The agreement of each question that has a second coding, in question order."""
    ids = [q.id for q in questions if q.id is not None]
    if not ids:
        return []
    requests = {
        r.question_id: (r, pseudonym)
        for r, pseudonym in session.exec(
            select(SecondCodingRequest, User.pseudonym)
            .outerjoin(User, col(User.id) == col(SecondCodingRequest.coder_id))
            .where(col(SecondCodingRequest.question_id).in_(ids))
        )
    }
    pairs: dict[int, list[tuple[str, str, str | None]]] = {}
    for qid, first, second, settled in session.execute(
        sa_select(
            col(SecondCoding.question_id),
            col(SecondCoding.first_evaluation),
            col(SecondCoding.second_evaluation),
            col(SecondCoding.settled_evaluation),
        )
        .where(
            col(SecondCoding.question_id).in_(ids), col(SecondCoding.second_evaluation).is_not(None)
        )
        .order_by(col(SecondCoding.contribution_id))
    ):
        pairs.setdefault(qid, []).append((first, second, settled))
    result = []
    for question in questions:
        if question.id not in requests:
            continue
        request, pseudonym = requests[question.id]
        coded = pairs.get(question.id, [])
        result.append(
            Agreement(
                question_id=question.id,
                position=question.position,
                coder=pseudonym,
                sample=request.sample_size,
                coded=len(coded),
                agreed=sum(f == s for f, s, _ in coded),
                kappa=cohen_kappa([f for f, _, _ in coded], [s for _, s, _ in coded]),
                unsettled=sum(f != s and settled is None for f, s, settled in coded),
            )
        )
    return result


def method_statement(agreements: Sequence[Agreement]) -> str:
    """The sentences of the summary's method about the second coding."""
    done = [a for a in agreements if a.coded]
    if not done:
        return ""
    parts = []
    for a in done:
        kappa = "not defined" if a.kappa is None else f"{a.kappa:.2f}".replace("-", "−")
        parts.append(
            f"question {a.position}, {a.agreed:,} of {a.coded:,} answers "
            f"({a.percent}%; Cohen's kappa {kappa})"
        )
    unsettled = sum(a.unsettled for a in done)
    return (
        "To check the coding, a second analyst coded a sample of the coded answers again "
        "without seeing the first evaluation. The two agreed on "
        + "; ".join(parts)
        + ". Where they disagreed, a third analyst settled the evaluation, and the settled "
        "value is the one counted"
        + (
            f" ({unsettled:,} still to settle when this summary was produced)."
            if unsettled
            else "."
        )
    )


# Asking for a second coding ------------------------------------------------------------------


def organisers(session: Session) -> list[User]:
    """Active organisers, who may be chosen as second coders."""
    return [
        u
        for u in session.exec(
            select(User)
            .where(
                col(User.roles).contains(Role.organiser.value),
                User.status == AccountStatus.active,
            )
            .order_by(col(User.pseudonym))
        )
        if u.has_role(Role.organiser)
    ]


def _sample_size(amount: str | None, unit: str | None, available: int) -> int:
    text = (amount or "").strip().rstrip("%").strip()
    if not text.isdigit() or int(text) < 1:
        raise FormInvalid({"amount": i18n._("Enter a whole number of at least 1.")})
    value = int(text)
    if unit == "percent":
        if value > 100:
            raise FormInvalid({"amount": i18n._("A percentage is at most 100.")})
        return max(1, math.ceil(available * value / 100))
    if unit != "number":
        raise FormInvalid({"unit": i18n._("Choose a percentage or a number of answers.")})
    return min(value, available)


def request_second_coding(
    session: Session,
    *,
    consultation: Consultation,
    question: Question,
    coder_id: str | None,
    amount: str | None,
    unit: str | None,
    requester: User,
    now: datetime,
) -> SecondCodingRequest:
    """Draw a sample of the question's coded answers for a blind second coding by ``coder``."""
    coder = session.get(User, int(coder_id)) if coder_id and coder_id.isdigit() else None
    if coder is None or not coder.has_role(Role.organiser) or coder.status != AccountStatus.active:
        raise FormInvalid({"coder": i18n._("Choose the organiser who will code the sample.")})
    assert question.id is not None and consultation.id is not None, "stored rows"
    codings = session.exec(
        select(AnswerCoding.contribution_id, AnswerCoding.evaluation, AnswerCoding.coded_by_id)
        .join(Contribution, col(Contribution.id) == col(AnswerCoding.contribution_id))
        .where(
            AnswerCoding.question_id == question.id,
            col(Contribution.state) != PostState.deleted,
            col(AnswerCoding.coded_by_id).is_distinct_from(coder.id),
        )
        .order_by(col(AnswerCoding.contribution_id))
    ).all()
    if not codings:
        raise FormInvalid(
            {
                "coder": f"{coder.pseudonym} coded every coded answer to this question (or none is "
                "coded yet): choose someone else, or code some answers first."
            }
        )
    size = _sample_size(amount, unit, len(codings))
    chosen = random.Random(f"second-coding:{question.id}").sample(list(codings), size)
    request = SecondCodingRequest(
        consultation_id=consultation.id,
        question_id=question.id,
        coder_id=coder.id,
        requested_by_id=requester.id,
        sample_size=size,
        requested_at=now,
    )
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:
        raise FormInvalid(
            {"coder": i18n._("A second coding of this question has already been asked for.")}
        ) from None
    assert request.id is not None, "flushed"
    for answer_id, evaluation, coded_by in sorted(chosen):
        session.add(
            SecondCoding(
                contribution_id=answer_id,
                request_id=request.id,
                question_id=question.id,
                first_evaluation=evaluation,
                first_coder_id=coded_by,
            )
        )
    session.flush()
    return request


# The second coder's page (blind) ----------------------------------------------------------------


@dataclass(frozen=True)
class BlindAnswer:
    """What the second coder sees of an answer: its text, never its first evaluation, its
    tags, its declared stance or its campaign."""

    id: int
    html: str
    removed: bool


@dataclass(frozen=True)
class BlindPage:
    consultation: Consultation
    question: Question
    sample: int
    coded: int
    answer: BlindAnswer | None


def _own_request(session: Session, question: Question, coder: User) -> SecondCodingRequest:
    request = session.exec(
        select(SecondCodingRequest).where(SecondCodingRequest.question_id == question.id)
    ).first()
    if request is None:
        raise NotFound(i18n._("No second coding has been asked for on this question."))
    if request.coder_id != coder.id:
        raise Forbidden(i18n._("This sample is for another analyst to code."))
    return request


def blind_page(
    session: Session, *, consultation: Consultation, question: Question, coder: User
) -> BlindPage:
    request = _own_request(session, question, coder)
    coded = session.exec(
        select(func.count())
        .select_from(SecondCoding)
        .where(
            SecondCoding.request_id == request.id, col(SecondCoding.second_evaluation).is_not(None)
        )
    ).one()
    row = session.execute(
        sa_select(col(Contribution.id), col(Contribution.html), col(Contribution.state))
        .join(SecondCoding, col(SecondCoding.contribution_id) == col(Contribution.id))
        .where(
            col(SecondCoding.request_id) == request.id,
            col(SecondCoding.second_evaluation).is_(None),
        )
        .order_by(col(Contribution.id))
        .limit(1)
    ).first()
    answer = None
    if row is not None:
        removed = row.state == PostState.removed
        answer = BlindAnswer(id=row.id, html="" if removed else row.html, removed=removed)
    return BlindPage(
        consultation=consultation,
        question=question,
        sample=request.sample_size,
        coded=coded,
        answer=answer,
    )


def _sampled(session: Session, consultation: Consultation, answer_id: int) -> SecondCoding:
    row = session.get(SecondCoding, answer_id)
    request = session.get(SecondCodingRequest, row.request_id) if row else None
    if row is None or request is None or request.consultation_id != consultation.id:
        raise NotFound(i18n._("This answer is not in a second-coding sample of this consultation."))
    return row


def question_of_sample(session: Session, consultation: Consultation, answer_id: int) -> Question:
    question = session.get(Question, _sampled(session, consultation, answer_id).question_id)
    if question is None:
        raise NotFound(i18n._("This answer's question no longer exists."))
    return question


def code_second(
    session: Session,
    *,
    consultation: Consultation,
    answer_id: int,
    evaluation: str | None,
    analyst: User,
    now: datetime,
) -> Question:
    """The second coder's (``analyst``) evaluation of one sampled answer, changeable until it
    is settled."""
    chosen = parse_evaluation(evaluation)
    row = _sampled(session, consultation, answer_id)
    request = session.get(SecondCodingRequest, row.request_id)
    if request is None or request.coder_id != analyst.id:
        raise Forbidden(i18n._("This sample is for another analyst to code."))
    done = session.execute(
        update(SecondCoding)
        .where(
            col(SecondCoding.contribution_id) == answer_id,
            col(SecondCoding.settled_evaluation).is_(None),
        )
        .values(second_evaluation=chosen.value, second_coded_at=now)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        raise Conflict(i18n._("This answer's disagreement has already been settled."))
    question = session.get(Question, row.question_id)
    assert question is not None, "a sampled answer's question"
    return question


# Disagreements and settling them -------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    answer_id: int
    html: str
    first: str
    second: str
    settled: str | None


def disagreements(session: Session, *, question: Question) -> list[Disagreement]:
    rows = session.execute(
        sa_select(
            col(Contribution.id),
            col(Contribution.html),
            col(Contribution.state),
            col(SecondCoding.first_evaluation),
            col(SecondCoding.second_evaluation),
            col(SecondCoding.settled_evaluation),
        )
        .join(SecondCoding, col(SecondCoding.contribution_id) == col(Contribution.id))
        .where(
            col(SecondCoding.question_id) == question.id,
            col(SecondCoding.second_evaluation).is_not(None),
            col(SecondCoding.second_evaluation) != col(SecondCoding.first_evaluation),
        )
        .order_by(col(SecondCoding.settled_evaluation).is_not(None), col(Contribution.id))
    ).all()
    return [
        Disagreement(
            answer_id=r.id,
            html="" if r.state == PostState.removed else r.html,
            first=r.first_evaluation,
            second=r.second_evaluation,
            settled=r.settled_evaluation,
        )
        for r in rows
    ]


def settle(
    session: Session,
    *,
    consultation: Consultation,
    answer_id: int,
    evaluation: str | None,
    analyst: User,
    now: datetime,
) -> Question:
    """A third ``analyst`` settles a disagreement; the settled value is the answer's coded
    evaluation from now on (what Annex A counts). Once only: a second settle is refused."""
    chosen = parse_evaluation(evaluation)
    row = _sampled(session, consultation, answer_id)
    request = session.get(SecondCodingRequest, row.request_id)
    if analyst.id in (row.first_coder_id, request.coder_id if request else None):
        raise Forbidden(
            i18n._("A disagreement is settled by a third analyst, not by either coder.")
        )
    done = session.execute(
        update(SecondCoding)
        .where(
            col(SecondCoding.contribution_id) == answer_id,
            col(SecondCoding.settled_evaluation).is_(None),
            col(SecondCoding.second_evaluation).is_not(None),
            col(SecondCoding.second_evaluation) != col(SecondCoding.first_evaluation),
        )
        .values(settled_evaluation=chosen.value, settled_by_id=analyst.id, settled_at=now)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        raise Conflict(i18n._("This answer has no disagreement left to settle."))
    session.execute(
        update(AnswerCoding)
        .where(col(AnswerCoding.contribution_id) == answer_id)
        .values(evaluation=chosen.value, coded_by_id=analyst.id, coded_at=now)
    )
    session.execute(
        update(Contribution)
        .where(col(Contribution.id) == answer_id)
        .values(evaluation=chosen.value)
    )
    question = session.get(Question, row.question_id)
    assert question is not None, "a sampled answer's question"
    return question

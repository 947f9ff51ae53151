"""Theme runs: the page enqueues one (a row, nothing more), a worker or the CLI performs it.

A run is a job in the database (``theme_run``): *queued* when an organiser asks for it,
*running* once a worker has claimed it (a conditional update: of two workers, one wins), then
*done* or *failed* with its error. ``perform_run`` reads the question's answers in batches,
embeds them in batches and records its progress after each, in short transactions of their
own, so the page can show how far it has got; then it replaces the question's suggestions in one
transaction. A run whose worker died (no heartbeat for ``STALE_AFTER``) is claimed again and
started over; a failed or finished question can simply be run again.

Re-running keeps accepted themes: their answers are left out of the new run, which suggests
themes among the rest (new answers included) and replaces only the suggestions nobody accepted.

Campaign copies count once when finding themes (only each campaign group's representative is
themed) and every copy counts in the numbers (each copy joins its representative's theme).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, insert, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.analysis.models import (
    CampaignGroup,
    CampaignMember,
    SuggestionState,
    ThemeAnswer,
    ThemeRun,
    ThemeRunState,
    ThemeSuggestion,
)
from app.analysis.tallies import answer_filter
from app.consultations.models import Consultation, Question
from app.outbox.queue import note_work
from app.participation.models import Contribution
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import Conflict, NotFound

SessionFactory = Callable[[], AbstractContextManager[Session]]
STALE_AFTER = timedelta(minutes=10)
READ_BATCH = 2000


class RunAlreadyActive(Conflict):
    def __init__(self) -> None:
        super().__init__("Themes are already being found for this question: wait for that run.")


def enqueue_run(
    session: Session,
    *,
    consultation: Consultation,
    question: Question,
    user: User | None,
    now: datetime,
) -> ThemeRun:
    """Queue a run for ``question`` (all the page does). Refused while one is queued or
    running: the partial unique index ``uq_theme_run_active`` decides, so two organisers
    asking at once get one run."""
    assert consultation.id is not None and question.id is not None, "stored rows"
    run = ThemeRun(
        consultation_id=consultation.id,
        question_id=question.id,
        requested_by_id=user.id if user else None,
        requested_at=now,
    )
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        raise RunAlreadyActive() from None
    note_work(session)  # wake a waiting worker when this commits
    return run


def latest_run(session: Session, *, question: Question) -> ThemeRun | None:
    return session.exec(
        select(ThemeRun)
        .where(ThemeRun.question_id == question.id)
        .order_by(col(ThemeRun.requested_at).desc(), col(ThemeRun.id).desc())
        .limit(1)
    ).first()


def claim(session: Session, run_id: int, *, now: datetime) -> bool:
    """Take a queued run, or a running one whose worker stopped beating (row count decides)."""
    stale = now - STALE_AFTER
    claimed = session.execute(
        update(ThemeRun)
        .where(
            col(ThemeRun.id) == run_id,
            or_(
                col(ThemeRun.state) == ThemeRunState.queued,
                (col(ThemeRun.state) == ThemeRunState.running)
                & (col(ThemeRun.heartbeat_at) < stale),
            ),
        )
        .values(
            state=ThemeRunState.running,
            started_at=now,
            heartbeat_at=now,
            stage="reading answers",
            processed=0,
            attempts=col(ThemeRun.attempts) + 1,
            error="",
        )
    )
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def next_run_id(session: Session, *, now: datetime) -> int | None:
    """The oldest run a worker may claim, if any."""
    stale = now - STALE_AFTER
    return session.exec(
        select(ThemeRun.id)
        .where(
            or_(
                col(ThemeRun.state) == ThemeRunState.queued,
                (col(ThemeRun.state) == ThemeRunState.running)
                & (col(ThemeRun.heartbeat_at) < stale),
            )
        )
        .order_by(col(ThemeRun.requested_at), col(ThemeRun.id))
        .limit(1)
    ).first()


def _report(sessions: SessionFactory, run_id: int, **values: object) -> None:
    with sessions() as session:
        session.execute(
            update(ThemeRun)
            .where(col(ThemeRun.id) == run_id)
            .values(heartbeat_at=utcnow(), **values)
        )


@dataclass(frozen=True)
class _Input:
    items: list[tuple[int, str]]  # (answer id, text) to theme: campaign copies once
    copies: dict[int, list[int]]  # representative -> every answer of its campaign group


def _read_batch(
    session: Session, question_id: int, after: int, limit: int
) -> list[tuple[int, str, int | None]]:
    """The next ``limit`` (answer id, text, campaign group) after ``after``, leaving out the
    answers already in an accepted theme."""
    in_accepted = exists().where(
        col(ThemeAnswer.contribution_id) == col(Contribution.id),
        col(ThemeAnswer.suggestion_id) == col(ThemeSuggestion.id),
        col(ThemeSuggestion.state) == SuggestionState.accepted,
    )
    rows = session.execute(
        sa_select(col(Contribution.id), col(Contribution.source_text), col(CampaignMember.group_id))
        .outerjoin(CampaignMember, col(CampaignMember.contribution_id) == col(Contribution.id))
        .where(*answer_filter([question_id]), ~in_accepted, col(Contribution.id) > after)
        .order_by(col(Contribution.id))
        .limit(limit)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _collect(sessions: SessionFactory, run: ThemeRun, total: int) -> _Input:
    """Read the answers a batch at a time (each batch its own short transaction), reporting
    progress after each."""
    with sessions() as session:
        representative = dict(
            session.execute(
                sa_select(col(CampaignGroup.id), col(CampaignGroup.representative_id)).where(
                    col(CampaignGroup.question_id) == run.question_id
                )
            ).all()
        )
    items: list[tuple[int, str]] = []
    by_group: dict[int, list[tuple[int, str]]] = {}
    after, read = 0, 0
    while True:
        with sessions() as session:
            batch = _read_batch(session, run.question_id, after, READ_BATCH)
        if not batch:
            break
        for answer_id, text, group_id in batch:
            if group_id is None:
                items.append((answer_id, text))
            else:
                by_group.setdefault(group_id, []).append((answer_id, text))
        read += len(batch)
        after = batch[-1][0]
        _report(sessions, run.id or 0, processed=read, total=max(total, read))
    copies: dict[int, list[int]] = {}
    for group_id, members in by_group.items():
        wanted = representative.get(group_id)
        lead = next(((m, t) for m, t in members if m == wanted), members[0])
        items.append(lead)
        copies[lead[0]] = [m for m, _ in members]
    items.sort()
    return _Input(items=items, copies=copies)


def _store(
    session: Session, run: ThemeRun, found: object, copies: dict[int, list[int]], now: datetime
) -> tuple[int, int]:
    """Replace the question's unaccepted suggestions and "other" with ``found``."""
    from app.analysis.themes.method import Suggestions

    assert isinstance(found, Suggestions)
    stale = sa_select(col(ThemeSuggestion.id)).where(
        col(ThemeSuggestion.question_id) == run.question_id,
        col(ThemeSuggestion.state) != SuggestionState.accepted,
    )
    session.execute(delete(ThemeAnswer).where(col(ThemeAnswer.suggestion_id).in_(stale)))
    session.execute(
        delete(ThemeSuggestion).where(
            col(ThemeSuggestion.question_id) == run.question_id,
            col(ThemeSuggestion.state) != SuggestionState.accepted,
        )
    )

    def add(state: str, label: str, phrases: tuple[str, ...], ids: tuple[int, ...], n: int) -> int:
        row = ThemeSuggestion(
            consultation_id=run.consultation_id,
            question_id=run.question_id,
            run_id=run.id,
            state=state,
            label=label[:120],
            phrases=json.dumps(list(phrases)),
            position=n,
            created_at=now,
        )
        session.add(row)
        session.flush()
        members = [(m, rank) for rank, i in enumerate(ids) for m in copies.get(i, [i])]
        if members:
            session.execute(
                insert(ThemeAnswer),
                [
                    {
                        "contribution_id": m,
                        "suggestion_id": row.id,
                        "question_id": run.question_id,
                        "rank": rank,
                    }
                    for m, rank in members
                ],
            )
        return len(members)

    for n, theme in enumerate(found.themes):
        add(SuggestionState.suggested, theme.label, theme.phrases, theme.member_ids, n)
    other = add(SuggestionState.other, "Other", (), found.other_ids, len(found.themes))
    return len(found.themes), other


def perform_run(sessions: SessionFactory, run_id: int, *, batch: int = 2000) -> ThemeRun:
    """Claim and perform one run (the worker's job, and the CLI's): returns the run as it ended.

    Raises ``NotFound`` for no such run and ``Conflict`` if another worker holds it."""
    from app.analysis.themes.method import suggest_themes

    with sessions() as session:
        if session.get(ThemeRun, run_id) is None:
            raise NotFound(i18n._("There is no such theme run."))
        if not claim(session, run_id, now=utcnow()):
            raise Conflict(i18n._("This run is finished or another worker is performing it."))
    with sessions() as session:
        run = session.get(ThemeRun, run_id)
        assert run is not None, "claimed above"
        session.expunge(run)
    try:
        with sessions() as session:
            question = session.get(Question, run.question_id)
            total = answer_count(session, question=question) if question else 0
        _report(sessions, run_id, total=total)
        data = _collect(sessions, run, total)
        _report(sessions, run_id, stage="finding themes", items=len(data.items), processed=0)
        found = suggest_themes(
            data.items,
            batch=batch,
            # the method's progress is over the texts it themes; shown over all the answers
            progress=lambda done, of: _report(
                sessions, run_id, processed=done * total // max(1, of)
            ),
        )
        with sessions() as session:
            now = utcnow()
            themes, other = _store(session, run, found, data.copies, now)
            session.execute(
                update(ThemeRun)
                .where(col(ThemeRun.id) == run_id)
                .values(
                    state=ThemeRunState.done,
                    stage="done",
                    processed=total,
                    themes_found=themes,
                    other_count=other,
                    finished_at=now,
                    heartbeat_at=now,
                )
            )
    except Exception as error:  # noqa: BLE001 - recorded on the run for the page to show
        _report(
            sessions,
            run_id,
            state=ThemeRunState.failed,
            stage="failed",
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=utcnow(),
        )
    with sessions() as session:
        ended = session.get(ThemeRun, run_id)
        assert ended is not None, "still there"
        session.expunge(ended)
        return ended


def run_pending(sessions: SessionFactory, *, limit: int | None = None) -> int:
    """Perform queued (and abandoned) runs one after another; returns how many ran. This is
    what a background worker calls."""
    done = 0
    while limit is None or done < limit:
        with sessions() as session:
            run_id = next_run_id(session, now=utcnow())
        if run_id is None:
            return done
        try:
            perform_run(sessions, run_id)
        except Conflict:
            continue  # another worker took it first
        done += 1
    return done


def answer_count(session: Session, *, question: Question) -> int:
    assert question.id is not None, "a stored question"
    return session.exec(
        select(func.count()).select_from(Contribution).where(*answer_filter([question.id]))
    ).one()

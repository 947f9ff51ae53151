"""Reading consultations: themes, what is published, and a consultation's questions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, case, func, or_
from sqlmodel import Session, SQLModel, col, select

from app.consultations.models import Consultation, Phase, Question, Theme
from kernel import i18n, paging
from kernel.errors import NotFound


@dataclass
class ThemeGroup:
    theme: Theme
    consultations: list[Consultation] = field(default_factory=list)


@dataclass
class HomePage:
    open_by_theme: list[ThemeGroup]
    upcoming: list[Consultation]
    closed: list[Consultation]


def list_themes(session: Session) -> list[Theme]:
    return list(session.exec(select(Theme).order_by(col(Theme.position), col(Theme.name))))


def themes_in_use(session: Session, *, keep: int | None = None) -> list[Theme]:
    """The themes a consultation can be put under: those not retired, and ``keep`` (the
    theme a consultation already has, even if retired since)."""
    usable: ColumnElement[bool] = col(Theme.retired_at).is_(None)
    if keep is not None:
        usable = or_(usable, col(Theme.id) == keep)
    return list(
        session.exec(select(Theme).where(usable).order_by(col(Theme.position), col(Theme.name)))
    )


def _published(session: Session, *, theme_id: int | None = None) -> list[Consultation]:
    query = select(Consultation).where(Consultation.is_published)
    if theme_id is not None:
        query = query.where(Consultation.theme_id == theme_id)
    return list(session.exec(query.order_by(col(Consultation.closes_at))))


def home_page(session: Session, *, now: datetime) -> HomePage:
    themes = list_themes(session)
    by_theme: dict[int, list[Consultation]] = defaultdict(list)
    upcoming, closed = [], []
    for consultation in _published(session):
        phase = consultation.phase_at(now)
        if phase is Phase.open:
            by_theme[consultation.theme_id].append(consultation)
        elif phase is Phase.upcoming:
            upcoming.append(consultation)
        else:
            closed.append(consultation)
    closed.sort(key=lambda c: c.effective_closes_at, reverse=True)
    groups = [
        ThemeGroup(theme, by_theme[theme.id])
        for theme in themes
        if theme.id is not None and by_theme[theme.id]
    ]
    return HomePage(open_by_theme=groups, upcoming=upcoming, closed=closed)


def get_theme(session: Session, slug: str) -> Theme:
    theme = session.exec(select(Theme).where(Theme.slug == slug)).first()
    if theme is None:
        raise NotFound(i18n._("There is no such theme."))
    return theme


def theme_consultations(session: Session, *, theme: Theme) -> list[Consultation]:
    return _published(session, theme_id=theme.id)


def get_consultation(session: Session, slug: str, *, can_see_drafts: bool = False) -> Consultation:
    consultation = session.exec(select(Consultation).where(Consultation.slug == slug)).first()
    if consultation is None or (not consultation.is_published and not can_see_drafts):
        raise NotFound(i18n._("There is no such consultation."))
    return consultation


def questions_of(session: Session, consultation: Consultation) -> list[Question]:
    return list(
        session.exec(
            select(Question)
            .where(Question.consultation_id == consultation.id)
            .order_by(col(Question.position))
        )
    )


def question_ids(questions: Iterable[Question]) -> list[int]:
    """The ids of stored questions, in their order."""
    ids = []
    for question in questions:
        assert question.id is not None, "a stored question"
        ids.append(question.id)
    return ids


@dataclass(frozen=True)
class LocatedQuestion:
    consultation: Consultation
    question: Question
    question_count: int


# Built once: a question page runs this on every request, so it skips statement construction.
_sibling = SQLModel.metadata.tables[Question.__tablename__].alias("sibling")


_LOCATE_QUESTION = (
    select(
        Consultation,
        Question,
        select(func.count())
        .select_from(_sibling)
        .where(_sibling.c.consultation_id == Consultation.id)
        .scalar_subquery(),
    )
    .join(
        Question,
        (col(Question.consultation_id) == col(Consultation.id))
        & (col(Question.position) == bindparam("number")),
    )
    .where(Consultation.slug == bindparam("slug"))
)


def locate_question(
    session: Session, slug: str, number: int, *, can_see_drafts: bool = False
) -> LocatedQuestion:
    """A consultation's question by slug and number, with the number of questions (one query).

    Refuses like ``get_consultation`` and ``get_question``: no such (or unpublished)
    consultation, or no such question in it."""
    row = session.exec(_LOCATE_QUESTION, params={"slug": slug, "number": number}).first()
    if row is None or not (row[0].is_published or can_see_drafts):
        consultation = get_consultation(session, slug, can_see_drafts=can_see_drafts)
        get_question(session, consultation, number)
        raise NotFound(
            i18n._("This consultation has no question {number}.", number=number)
        )  # pragma: no cover
    consultation, question, count = row
    return LocatedQuestion(consultation=consultation, question=question, question_count=count)


def get_question(session: Session, consultation: Consultation, number: int) -> Question:
    question = session.exec(
        select(Question).where(
            Question.consultation_id == consultation.id, Question.position == number
        )
    ).first()
    if question is None:
        raise NotFound(i18n._("This consultation has no question {number}.", number=number))
    return question


def question_count(session: Session, consultation: Consultation) -> int:
    return session.exec(
        select(func.count())
        .select_from(Question)
        .where(Question.consultation_id == consultation.id)
    ).one()


# The consultations index (/consultations) -----------------------------------------------------

INDEX_PER_PAGE = 20


@dataclass(frozen=True)
class IndexFilters:
    """What the index is narrowed to: a theme's address, a phase and words to look for."""

    theme: str = ""
    status: str = ""  # "", or a Phase's value
    words: str = ""

    @classmethod
    def read(cls, *, theme: str | None, status: str | None, words: str | None) -> IndexFilters:
        """Filters from the query string; a value that names nothing is left out."""
        phase = status if status in {p.value for p in Phase} else ""
        return cls(
            theme=(theme or "").strip()[:80], status=phase, words=(words or "").strip()[:200]
        )


@dataclass(frozen=True)
class IndexLine:
    consultation: Consultation
    theme: Theme
    phase: Phase


@dataclass(frozen=True)
class ConsultationIndex:
    filters: IndexFilters
    themes: list[Theme]
    lines: list[IndexLine]
    total: int
    page: int
    pages: int


def _like(words: str) -> str:
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def consultation_index(
    session: Session, *, filters: IndexFilters, now: datetime, page: int = 1
) -> ConsultationIndex:
    """Published consultations, open ones first (soonest closing), then upcoming, then closed
    (most recent first), narrowed by ``filters`` (three queries whatever the page)."""
    themes = list_themes(session)
    closes = func.coalesce(col(Consultation.closed_early_at), col(Consultation.closes_at))
    conditions: list[ColumnElement[bool]] = [col(Consultation.is_published).is_(True)]
    chosen = next((t for t in themes if t.slug == filters.theme), None)
    if chosen is not None:
        conditions.append(col(Consultation.theme_id) == chosen.id)
    if filters.status == Phase.open:
        conditions += [col(Consultation.opens_at) <= now, closes > now]
    elif filters.status == Phase.upcoming:
        conditions.append(col(Consultation.opens_at) > now)
    elif filters.status == Phase.closed:
        conditions.append(closes <= now)
    for word in filters.words.split()[:8]:
        pattern = _like(word)
        conditions.append(
            or_(
                func.lower(col(Consultation.title)).like(pattern, escape="\\"),
                func.lower(col(Consultation.summary)).like(pattern, escape="\\"),
                func.lower(col(Consultation.organiser_name)).like(pattern, escape="\\"),
            )
        )
    total = session.exec(select(func.count()).select_from(Consultation).where(*conditions)).one()
    page, pages = paging.clamp(page, total=total, per_page=INDEX_PER_PAGE)
    rank = case(
        (col(Consultation.opens_at) > now, 1),
        (closes <= now, 2),
        else_=0,
    )
    # Open: soonest closing first; upcoming: soonest opening; closed: most recently closed.
    soonest = case(
        (col(Consultation.opens_at) > now, col(Consultation.opens_at)),
        (closes > now, closes),
        else_=None,
    )
    rows = session.exec(
        select(Consultation)
        .where(*conditions)
        .order_by(rank, soonest, closes.desc(), col(Consultation.id))
        .limit(INDEX_PER_PAGE)
        .offset((page - 1) * INDEX_PER_PAGE)
    ).all()
    by_id = {t.id: t for t in themes}
    lines = [IndexLine(c, by_id[c.theme_id], c.phase_at(now)) for c in rows]
    return ConsultationIndex(
        filters=filters, themes=themes, lines=lines, total=total, page=page, pages=pages
    )

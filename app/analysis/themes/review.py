"""The analyst's review of suggested themes: accept, rename, merge, move answers, reject.

Nothing reaches a summary until a person accepts a theme. Accepting makes it a codebook tag of
its question (``CodebookTag.question_id``) applied to each of its answers, every one of which
stays open to review in the workspace. Every action names the version of the suggestion the
analyst saw, and is a conditional update on it: of two analysts acting at once, one wins and the
other is told the theme changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from sqlalchemy import Integer, delete, func, insert, literal, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.analysis.models import (
    AnswerTag,
    CodebookTag,
    SuggestionState,
    ThemeAnswer,
    ThemeSuggestion,
)
from app.consultations.models import Consultation, Question
from kernel import i18n
from kernel.errors import Conflict, FormInvalid, NotFound
from kernel.plurals import plural

LABEL_MAX = 80  # a codebook tag's label


class ThemeChanged(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This theme was changed by someone else since you opened the page. "
            "Nothing was saved: look at it again."
        )


def get_suggestion(
    session: Session, *, consultation: Consultation, suggestion_id: int
) -> ThemeSuggestion:
    row = session.get(ThemeSuggestion, suggestion_id)
    if row is None or row.consultation_id != consultation.id:
        raise NotFound(i18n._("This consultation has no such theme."))
    return row


def question_of(session: Session, suggestion: ThemeSuggestion) -> Question:
    question = session.get(Question, suggestion.question_id)
    if question is None:
        raise NotFound(i18n._("This theme's question no longer exists."))
    return question


def _label(value: str | None, field: str = "label") -> str:
    label = " ".join((value or "").split())
    if not label:
        raise FormInvalid({field: i18n._("Enter the theme's name.")})
    if len(label) > LABEL_MAX:
        raise FormInvalid(
            {
                field: i18n._(
                    "A theme's name is at most {LABEL_MAX} characters.", LABEL_MAX=LABEL_MAX
                )
            }
        )
    return label


def _version(value: str | int | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        raise ThemeChanged() from None


def _bump(session: Session, suggestion: ThemeSuggestion, seen: int, **values: object) -> None:
    """The conditional update every action goes through: the row count decides."""
    done = session.execute(
        update(ThemeSuggestion)
        .where(col(ThemeSuggestion.id) == suggestion.id, col(ThemeSuggestion.version) == seen)
        .values(version=col(ThemeSuggestion.version) + 1, **values)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        raise ThemeChanged()
    session.refresh(suggestion)


def _check_unique(
    session: Session, consultation: Consultation, label: str, keep: int | None
) -> None:
    clash = session.exec(
        select(CodebookTag).where(
            CodebookTag.consultation_id == consultation.id,
            func.lower(CodebookTag.label) == label.lower(),
        )
    ).first()
    if clash is not None and clash.id != keep:
        raise FormInvalid(
            {"label": i18n._("The codebook already has the tag “{label}”.", label=clash.label)}
        )


def accept(
    session: Session,
    *,
    consultation: Consultation,
    suggestion_id: int,
    version: str | int | None,
    label: str | None = None,
    now: datetime,
) -> CodebookTag:
    """The theme becomes a codebook tag of its question, applied to each of its answers."""
    suggestion = get_suggestion(session, consultation=consultation, suggestion_id=suggestion_id)
    if suggestion.state != SuggestionState.suggested:
        raise ThemeChanged()
    name = _label(label if label is not None else suggestion.label[:LABEL_MAX])
    _check_unique(session, consultation, name, None)
    _bump(session, suggestion, _version(version), state=SuggestionState.accepted, label=name)
    assert consultation.id is not None, "a stored consultation"
    question = session.get(Question, suggestion.question_id)
    tag = CodebookTag(
        consultation_id=consultation.id,
        label=name,
        description=f"Theme of question {question.position if question else '?'}",
        question_id=suggestion.question_id,
    )
    session.add(tag)
    session.flush()
    session.execute(
        insert(AnswerTag).from_select(
            ["contribution_id", "tag_id"],
            sa_select(col(ThemeAnswer.contribution_id), literal(tag.id, Integer)).where(
                col(ThemeAnswer.suggestion_id) == suggestion.id
            ),
        )
    )
    suggestion.tag_id = tag.id
    session.add(suggestion)
    session.flush()
    return tag


def rename(
    session: Session,
    *,
    consultation: Consultation,
    suggestion_id: int,
    version: str | int | None,
    label: str | None,
) -> ThemeSuggestion:
    suggestion = get_suggestion(session, consultation=consultation, suggestion_id=suggestion_id)
    if suggestion.state == SuggestionState.other:
        raise FormInvalid({"label": "“Other” cannot be renamed."})
    name = _label(label)
    if suggestion.state == SuggestionState.accepted:
        _check_unique(session, consultation, name, suggestion.tag_id)
        session.execute(
            update(CodebookTag).where(col(CodebookTag.id) == suggestion.tag_id).values(label=name)
        )
    _bump(session, suggestion, _version(version), label=name)
    return suggestion


def other_of(session: Session, *, consultation: Consultation, question_id: int) -> ThemeSuggestion:
    """The question's "other" answers (made when first needed)."""
    row = session.exec(
        select(ThemeSuggestion).where(
            ThemeSuggestion.question_id == question_id,
            ThemeSuggestion.state == SuggestionState.other,
        )
    ).first()
    if row is None:
        assert consultation.id is not None, "a stored consultation"
        row = ThemeSuggestion(
            consultation_id=consultation.id,
            question_id=question_id,
            state=SuggestionState.other,
            label="Other",
            position=10_000,
        )
        session.add(row)
        session.flush()
    return row


def _transfer(
    session: Session, source: ThemeSuggestion, target: ThemeSuggestion, ids: list[int] | None
) -> int:
    """Move answers (all, or ``ids``) from ``source`` to ``target``, keeping accepted themes'
    tags in step. Only answers still in ``source`` move (the condition decides)."""
    where = [col(ThemeAnswer.suggestion_id) == source.id]
    if ids is not None:
        where.append(col(ThemeAnswer.contribution_id).in_(ids))
    moving = list(session.exec(select(ThemeAnswer.contribution_id).where(*where)))
    if not moving:
        return 0
    if source.tag_id is not None:
        session.execute(
            delete(AnswerTag).where(
                col(AnswerTag.tag_id) == source.tag_id, col(AnswerTag.contribution_id).in_(moving)
            )
        )
    moved = session.execute(
        update(ThemeAnswer)
        .where(*where, col(ThemeAnswer.contribution_id).in_(moving))
        .values(suggestion_id=target.id, rank=10_000)
    ).rowcount  # type: ignore[attr-defined]
    if target.tag_id is not None:
        already = sa_select(col(AnswerTag.contribution_id)).where(
            col(AnswerTag.tag_id) == target.tag_id
        )
        session.execute(
            insert(AnswerTag).from_select(
                ["contribution_id", "tag_id"],
                sa_select(col(ThemeAnswer.contribution_id), literal(target.tag_id, Integer)).where(
                    col(ThemeAnswer.contribution_id).in_(moving),
                    col(ThemeAnswer.contribution_id).not_in(already),
                ),
            )
        )
    return int(moved)


def merge(
    session: Session,
    *,
    consultation: Consultation,
    suggestion_id: int,
    version: str | int | None,
    into: str | None,
) -> ThemeSuggestion:
    """Merge a suggested theme into another theme of the same question (suggested or accepted)."""
    source = get_suggestion(session, consultation=consultation, suggestion_id=suggestion_id)
    if source.state != SuggestionState.suggested:
        raise FormInvalid({"into": i18n._("Only a suggested theme can be merged into another.")})
    target = _target(session, consultation, source, into, field="into")
    _bump(session, source, _version(version))
    _transfer(session, source, target, None)
    _bump(session, target, target.version)
    session.execute(delete(ThemeSuggestion).where(col(ThemeSuggestion.id) == source.id))
    session.flush()
    return target


def _target(
    session: Session,
    consultation: Consultation,
    source: ThemeSuggestion,
    value: str | None,
    *,
    field: str,
) -> ThemeSuggestion:
    if value == "other":
        return other_of(session, consultation=consultation, question_id=source.question_id)
    if not (value or "").isdigit():
        raise FormInvalid({field: i18n._("Choose the theme to move them to.")})
    target = session.get(ThemeSuggestion, int(value or 0))
    if target is None or target.question_id != source.question_id or target.id == source.id:
        raise FormInvalid({field: i18n._("Choose another theme of this question.")})
    return target


def move_answers(
    session: Session,
    *,
    consultation: Consultation,
    suggestion_id: int,
    answer_ids: Iterable[str],
    to: str | None,
) -> int:
    """Move the chosen answers of one theme (or of "other") to another theme or to "other"."""
    source = get_suggestion(session, consultation=consultation, suggestion_id=suggestion_id)
    ids = sorted({int(a) for a in answer_ids if a.isdigit()})
    if not ids:
        raise FormInvalid({"answers": i18n._("Choose at least one answer to move.")})
    target = _target(session, consultation, source, to, field="to")
    moved = _transfer(session, source, target, ids)
    if not moved:
        raise ThemeChanged()
    _bump(session, source, source.version)
    _bump(session, target, target.version)
    return moved


def reject(
    session: Session, *, consultation: Consultation, suggestion_id: int, version: str | int | None
) -> int:
    """Reject a suggested theme: its answers go to "other"; returns how many."""
    source = get_suggestion(session, consultation=consultation, suggestion_id=suggestion_id)
    if source.state != SuggestionState.suggested:
        raise ThemeChanged()
    _bump(session, source, _version(version))
    other = other_of(session, consultation=consultation, question_id=source.question_id)
    moved = _transfer(session, source, other, None)
    session.execute(delete(ThemeSuggestion).where(col(ThemeSuggestion.id) == source.id))
    session.flush()
    return moved


# One entry point for the page's forms ---------------------------------------------------------

Values = Mapping[str, str | None]


def _accepted(
    session: Session, c: Consultation, sid: int, v: Values, ids: list[str], now: datetime
) -> str:
    tag = accept(
        session,
        consultation=c,
        suggestion_id=sid,
        version=v.get("version"),
        label=v.get("label"),
        now=now,
    )
    return i18n._(
        "Theme “{label}” accepted: its answers carry the tag, each open to review.",
        label=tag.label,
    )


def _renamed(
    session: Session, c: Consultation, sid: int, v: Values, ids: list[str], now: datetime
) -> str:
    theme = rename(
        session, consultation=c, suggestion_id=sid, version=v.get("version"), label=v.get("label")
    )
    return i18n._("Theme renamed “{label}”.", label=theme.label)


def _merged(
    session: Session, c: Consultation, sid: int, v: Values, ids: list[str], now: datetime
) -> str:
    target = merge(
        session, consultation=c, suggestion_id=sid, version=v.get("version"), into=v.get("into")
    )
    return i18n._("Themes merged into “{label}”.", label=target.label)


def _moved(
    session: Session, c: Consultation, sid: int, v: Values, ids: list[str], now: datetime
) -> str:
    moved = move_answers(session, consultation=c, suggestion_id=sid, answer_ids=ids, to=v.get("to"))
    return plural(moved, "{n} answer moved.", "{n} answers moved.")


def _rejected(
    session: Session, c: Consultation, sid: int, v: Values, ids: list[str], now: datetime
) -> str:
    moved = reject(session, consultation=c, suggestion_id=sid, version=v.get("version"))
    return plural(
        moved,
        "Theme rejected: its {n} answer is now under “Other”.",
        "Theme rejected: its {n} answers are now under “Other”.",
    )


ACTIONS: dict[str, Callable[[Session, Consultation, int, Values, list[str], datetime], str]] = {
    "accept": _accepted,
    "rename": _renamed,
    "merge": _merged,
    "move": _moved,
    "reject": _rejected,
}


def apply(
    session: Session,
    *,
    consultation: Consultation,
    suggestion_id: int,
    action: str,
    values: Values,
    answer_ids: list[str],
    now: datetime,
) -> str:
    """Do one review ``action`` (a key of ``ACTIONS``) from a form's ``values``; returns the
    message for the analyst."""
    perform = ACTIONS.get(action)
    if perform is None:
        raise NotFound(i18n._("There is no such thing to do with a theme."))
    return perform(session, consultation, suggestion_id, values, answer_ids, now)

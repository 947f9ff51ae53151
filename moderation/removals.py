"""Why a removed post was removed, for the marker that stands in its place."""

from __future__ import annotations

from sqlmodel import Session, col, select

from kernel import i18n
from moderation.models import Decision, ModerationCase
from moderation.reasons import Action, ReportReason


def removal_labels(session: Session, post_ids: list[int]) -> dict[int, str]:
    """For removed posts: the category of the decision that removed them (for the marker)."""
    if not post_ids:
        return {}
    rows = session.execute(
        select(col(ModerationCase.contribution_id), col(Decision.basis), col(Decision.id))
        .join(Decision, col(Decision.case_id) == ModerationCase.id)
        .where(
            col(ModerationCase.contribution_id).in_(post_ids),
            col(Decision.action).in_([Action.remove, Action.hide]),
        )
        .order_by(col(Decision.id))
    ).all()
    labels: dict[int, str] = {}
    for post_id, basis, _ in rows:
        if basis:
            reason = ReportReason(basis)
            labels[post_id] = (
                i18n._(
                    "{reason} (category {category})",
                    reason=reason.label,
                    category=reason.legal_category,
                )
                if reason.legal_category
                else i18n._("{reason} (site rules)", reason=reason.label)
            )
    return labels

"""What each template needs, read from the database at delivery from the message's parameters.

A builder returns None when what the message was about no longer exists (a deleted notice, an
outcome taken down): the message is then cancelled rather than sent with stale content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session

from app.outbox.queue import Template
from app.settings import Settings
from kernel import i18n, localtime

Context = dict[str, Any]
Builder = Callable[[Session, Mapping[str, Any], Settings], Context | None]


def site_url(settings: Settings, path: str) -> str:
    return settings.base_url.rstrip("/") + path


def _int(params: Mapping[str, Any], name: str) -> int:
    value = params.get(name)
    if not isinstance(value, int):
        raise ValueError(f"the message has no {name}")
    return value


def _sign_in_link(session: Session, params: Mapping[str, Any], settings: Settings) -> Context:
    return {"minutes": params.get("minutes") or settings.sign_in_link_minutes}


def _moderation_notice(
    session: Session, params: Mapping[str, Any], settings: Settings
) -> Context | None:
    from moderation.notices import find_notice

    notice = find_notice(session, _int(params, "notice_id"))
    if notice is None:
        return None
    return {
        "subject": notice.subject,
        "body": notice.body,
        "notices_url": site_url(settings, "/notices"),
    }


def _disclosure_notice(
    session: Session, params: Mapping[str, Any], settings: Settings
) -> Context | None:
    from app.identity.disclosure_notice import disclosure_notice

    notice = disclosure_notice(session, _int(params, "disclosure_id"))
    if notice is None:
        return None
    at = notice.disclosed_at
    return {
        "reason": notice.reason_label,
        "disclosed_on": localtime.current().date(at),
        "account_url": site_url(settings, "/account"),
    }


def _outcome_published(
    session: Session, params: Mapping[str, Any], settings: Settings
) -> Context | None:
    from app.analysis.outcome import published_outcome

    published = published_outcome(session, _int(params, "consultation_id"))
    if published is None:
        return None
    return {
        "title": published.title,
        "outcome_url": site_url(settings, f"/consultations/{published.slug}/outcome"),
    }


BUILDERS: dict[Template, Builder] = {
    Template.sign_in_link: _sign_in_link,
    Template.moderation_notice: _moderation_notice,
    Template.disclosure_notice: _disclosure_notice,
    Template.outcome_published: _outcome_published,
}

LABELS = i18n.Labels(
    {
        Template.sign_in_link: i18n.N_("Sign-in link"),
        Template.moderation_notice: i18n.N_("Moderation notice"),
        Template.disclosure_notice: i18n.N_("Disclosure notice"),
        Template.outcome_published: i18n.N_("Outcome published"),
    }
)

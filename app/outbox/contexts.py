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


def _reply_notification(
    session: Session, params: Mapping[str, Any], settings: Settings
) -> Context | None:
    from app.accounts.notifications import unsubscribe_token
    from app.participation.reply_notices import reply_notice

    account_id = _int(params, "account_id")
    notice = reply_notice(session, reply_id=_int(params, "reply_id"), account_id=account_id)
    if notice is None:
        return None
    token = unsubscribe_token(settings.secret_key.get_secret_value(), account_id=account_id)
    return {
        "replier": notice.replier,
        "excerpt": notice.excerpt,
        "title": notice.consultation_title,
        "question_number": notice.question_number,
        "to_own_answer": notice.to_own_answer,
        "reply_url": site_url(settings, f"/answers/{notice.answer_id}#reply-{notice.reply_id}"),
        "unsubscribe_url": site_url(settings, f"/unsubscribe/{token}"),
        "account_url": site_url(settings, "/account#email-preferences"),
    }


def _response_receipt(
    session: Session, params: Mapping[str, Any], settings: Settings
) -> Context | None:
    from app.participation.receipts import receipt_of

    receipt = receipt_of(session, response_id=_int(params, "response_id"))
    if receipt is None:
        return None
    return {
        "receipt": receipt,
        "response_url": site_url(settings, f"/consultations/{receipt.slug}/response"),
    }


BUILDERS: dict[Template, Builder] = {
    Template.sign_in_link: _sign_in_link,
    Template.moderation_notice: _moderation_notice,
    Template.disclosure_notice: _disclosure_notice,
    Template.outcome_published: _outcome_published,
    Template.reply_notification: _reply_notification,
    Template.response_receipt: _response_receipt,
}

LABELS = i18n.Labels(
    {
        Template.sign_in_link: i18n.N_("Sign-in link"),
        Template.moderation_notice: i18n.N_("Moderation notice"),
        Template.disclosure_notice: i18n.N_("Disclosure notice"),
        Template.outcome_published: i18n.N_("Outcome published"),
        Template.reply_notification: i18n.N_("Someone replied"),
        Template.response_receipt: i18n.N_("Copy of a response"),
    }
)

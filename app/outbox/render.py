"""Turning a queued message into an e-mail, at delivery: the address from the identity vault,
the content from the message's template and what its builder reads (``contexts``).

Rendering late means a message says what is true when it is sent, and that it can later be
written in the recipient's language; the address exists only in memory, for the send.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session

from app.accounts.models import User
from app.identity.vault import service as vault
from app.outbox.contexts import BUILDERS, Context, site_url
from app.outbox.queue import Template
from app.outbox.transport import Mail, message_id_header
from app.settings import Settings
from kernel import i18n, localtime

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Envelope:
    """What rendering needs from an outbox row."""

    message_id: str
    template: str
    params: Mapping[str, Any]
    recipient_id: int | None
    sign_in_token_id: int | None


@dataclass(frozen=True)
class NotSent:
    """Nothing to send any more, and why (the message is cancelled)."""

    reason: str


class MailRenderer:
    """The mail templates of one site (built once, used for every message)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            # Plain text: nothing is escaped (a notice's "&" stays "&").
            autoescape=select_autoescape(enabled_extensions=(), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        # Each message is written in its recipient's language (``render``).
        self.environment.policies["ext.i18n.trimmed"] = True
        self.environment.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
        )
        # Times in the site's zone, as on its pages ("1 November 2026 at 14:05").
        self.environment.filters["datetime"] = lambda value: localtime.current().datetime(value)

    def _recipient(
        self,
        session: Session,
        envelope: Envelope,
        now: datetime,
        addresses: Mapping[int, str] | None,
    ) -> tuple[str, Context] | NotSent:
        if envelope.sign_in_token_id is not None:
            link = vault.pending_sign_in_link(session, envelope.sign_in_token_id, now=now)
            if link is None:
                return NotSent("The sign-in link was used or expired before it could be sent.")
            return link.email, {"link": site_url(self.settings, f"/auth/link/{link.token}")}
        if envelope.template == Template.sign_in_link:  # its token row was purged
            return NotSent("The sign-in link was used or expired before it could be sent.")
        if envelope.recipient_id is None:
            return NotSent("The recipient's account no longer exists.")
        if addresses is not None:
            address = addresses.get(envelope.recipient_id)
        else:
            address = vault.email_of(session, envelope.recipient_id)
        if not address:
            return NotSent("The recipient has no address on record (account deleted).")
        return address, {}

    def _block(self, name: str, block: str, context: Context) -> str:
        template = self.environment.get_template(f"{name}.txt")
        return "".join(template.blocks[block](template.new_context(context)))

    def render(
        self,
        session: Session,
        envelope: Envelope,
        *,
        now: datetime,
        cache: dict[tuple[str, str], Context | None] | None = None,
        addresses: Mapping[int, str] | None = None,
    ) -> Mail | NotSent:
        """The e-mail for ``envelope``, or why there is none. ``cache`` keeps what builders
        read for messages with the same parameters (one outcome, thousands of respondents);
        ``addresses``, read for a whole batch at once (``vault.emails_of``), saves a query
        per message."""
        template = Template(envelope.template)
        found = self._recipient(session, envelope, now, addresses)
        if isinstance(found, NotSent):
            return found
        address, recipient_context = found
        with i18n.using(self._language(session, envelope)) as language:
            return self._render(
                session, envelope, template, address, recipient_context, cache, language
            )

    @staticmethod
    def _language(session: Session, envelope: Envelope) -> str:
        """The recipient's language: their account's, else the one the message was asked
        for in (a sign-in link to an address with no account yet)."""
        if envelope.recipient_id is not None:
            user = session.get(User, envelope.recipient_id)
            if user is not None:
                return user.language
        return str(envelope.params.get("language") or i18n.DEFAULT_LANGUAGE)

    def _render(
        self,
        session: Session,
        envelope: Envelope,
        template: Template,
        address: str,
        recipient_context: Context,
        cache: dict[tuple[str, str], Context | None] | None,
        language: str,
    ) -> Mail | NotSent:
        key = (template.value, language + repr(sorted(envelope.params.items())))
        if cache is not None and key in cache:
            content = cache[key]
        else:
            content = BUILDERS[template](session, envelope.params, self.settings)
            if cache is not None:
                cache[key] = content
        if content is None:
            return NotSent("What this message was about no longer exists.")
        context = {
            "site_name": self.settings.site_name,
            "base_url": self.settings.base_url,
            **content,
            **recipient_context,
        }
        subject = " ".join(self._block(template.value, "subject", context).split())
        body = self._block(template.value, "body", context).strip("\n") + "\n"
        return Mail(
            to=address,
            subject=subject,
            body=body,
            message_id=message_id_header(envelope.message_id, self.settings),
            unsubscribe_url=context.get("unsubscribe_url"),
        )

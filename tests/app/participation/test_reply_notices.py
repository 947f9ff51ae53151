""" "Tell me when someone replies to me": opt-in per account, one e-mail through the outbox to
each opted-in person in the conversation, one-click unsubscribe (RFC 8058 headers and a link
that works without signing in), and no e-mail to anyone who did not opt in."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from app.outbox.transport import build_email
from kernel.clock import utcnow
from tests.factories import csrf_token, make_post, make_reply, make_user, sign_in
from tests.support.outbox import render_row

UNSUBSCRIBE = re.compile(r"http://testserver(/unsubscribe/[A-Za-z0-9._-]+)")


def _opted_in(session: Session, **kwargs) -> User:
    user = make_user(session, **kwargs)
    user.notify_replies = True
    session.add(user)
    session.flush()
    return user


def _reply_mail(outbox) -> list:
    return [m for m in outbox.messages if "replied" in m.subject]


def test_an_opted_in_author_is_told_of_a_reply_with_who_what_and_where(
    session: Session, outbox
) -> None:
    author = _opted_in(session, email="author@example.test")
    answer = make_post(session, author=author)
    replier = make_user(session, pseudonym="QuietHeron")
    make_reply(session, parent=answer, author=replier, text="Have you read the *second* report?")
    (mail,) = _reply_mail(outbox)
    assert mail.to == "author@example.test"
    assert mail.subject.startswith("QuietHeron replied to your answer: ")
    assert "Have you read the *second* report?" in mail.body
    assert f"http://testserver/answers/{answer.id}#reply-" in mail.body
    assert UNSUBSCRIBE.search(mail.body)


def test_nobody_who_did_not_opt_in_is_written_to(session: Session, outbox) -> None:
    answer = make_post(session)  # its author never opted in
    make_reply(session, parent=answer)
    make_reply(session, parent=answer)
    assert _reply_mail(outbox) == []


def test_earlier_repliers_who_opted_in_hear_of_later_replies_but_not_of_their_own(
    session: Session, outbox
) -> None:
    answer = make_post(session)
    earlier = _opted_in(session, email="earlier@example.test")
    make_reply(session, parent=answer, author=earlier)
    assert _reply_mail(outbox) == []  # their own reply is no news to them
    make_reply(session, parent=answer, author=make_user(session, pseudonym="LateOwl"))
    (mail,) = _reply_mail(outbox)
    assert mail.to == "earlier@example.test"
    assert "LateOwl replied in a conversation you joined" in mail.subject


_rendered = render_row


def test_the_message_carries_one_click_unsubscribe_headers(
    session: Session, settings, outbox
) -> None:
    author = _opted_in(session)
    make_reply(session, parent=make_post(session, author=author))
    (row,) = [r for r in outbox.rows() if r.template == "reply_notification"]
    mail = _rendered(session, settings, row)
    message = build_email(mail, settings)
    link = UNSUBSCRIBE.search(mail.body).group(0)
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mail_client_one_click_post_unsubscribes_without_a_session_or_form_token(
    app, session: Session, outbox
) -> None:
    author = _opted_in(session)
    answer = make_post(session, author=author)
    make_reply(session, parent=answer)
    path = UNSUBSCRIBE.search(_reply_mail(outbox)[0].body).group(1)
    with TestClient(app, base_url="http://testserver") as stranger:  # no cookies at all
        done = stranger.post(
            path,
            content="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert done.status_code == 200
    assert "no longer e-mail you" in BeautifulSoup(done.text, "html.parser").main.get_text()
    session.refresh(author)
    assert author.notify_replies is False
    outbox.clear()
    make_reply(session, parent=answer)
    assert _reply_mail(outbox) == []


def test_the_link_opened_in_a_browser_asks_before_unsubscribing(
    client, session: Session, outbox
) -> None:
    author = _opted_in(session)
    make_reply(session, parent=make_post(session, author=author))
    path = UNSUBSCRIBE.search(_reply_mail(outbox)[0].body).group(1)
    page = BeautifulSoup(client.get(path).text, "html.parser")
    assert page.select_one(f'form[method="post"][action="{path}"] button')
    session.refresh(author)
    assert author.notify_replies is True  # opening the link changed nothing


def test_a_made_up_or_altered_unsubscribe_link_is_refused(client, session: Session) -> None:
    assert client.get("/unsubscribe/not-a-token").status_code == 404
    assert client.post("/unsubscribe/WzEsInJlcGxpZXMiXQ.forged").status_code == 404


def test_a_person_who_unsubscribes_before_delivery_is_not_sent_the_message(
    session: Session, settings, outbox
) -> None:
    author = _opted_in(session)
    make_reply(session, parent=make_post(session, author=author))
    (row,) = [r for r in outbox.rows() if r.template == "reply_notification"]
    author.notify_replies = False
    session.add(author)
    session.flush()
    assert "no longer exists" in _rendered(session, settings, row).reason


def test_the_account_page_turns_reply_emails_on_and_off(client, outbox, session) -> None:
    me = make_user(session, email="me@example.test")
    sign_in(client, outbox, "me@example.test")
    page = BeautifulSoup(client.get("/account").text, "html.parser")
    assert page.select_one("#replies-no")["checked"] is not None  # off until chosen
    token = csrf_token(client, "/account")
    saved = client.post("/account/email-preferences", data={"replies": "yes", "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["location"].endswith("#email-preferences")
    session.refresh(me)
    assert me.notify_replies is True
    page = BeautifulSoup(client.get("/account").text, "html.parser")
    assert page.select_one("#replies-yes").has_attr("checked")
    client.post("/account/email-preferences", data={"replies": "no", "csrf_token": token})
    session.refresh(me)
    assert me.notify_replies is False


def test_a_held_reply_is_told_when_a_moderator_publishes_it_not_before(
    session: Session, outbox
) -> None:
    from sqlmodel import select

    from moderation import decisions
    from moderation.models import ModerationCase
    from tests.factories import make_consultation, make_moderator

    consultation = make_consultation(session, moderation_mode="pre")
    author = _opted_in(session, email="held@example.test")
    answer = make_post(session, author=author, consultation=consultation)
    answer.state = "visible"  # published already: only the reply waits
    session.add(answer)
    session.flush()
    reply = make_reply(session, parent=answer, text="A reply that a moderator must see first.")
    assert reply.state == "held"
    assert _reply_mail(outbox) == []  # nothing while it waits
    case = session.exec(
        select(ModerationCase).where(ModerationCase.contribution_id == reply.id)
    ).one()
    decisions.decide(
        session,
        case_id=case.id,
        moderator_id=make_moderator(session).id,
        version=case.version,
        action="approve",
        basis="",
        statement="The reply answers the point made and breaks no rule of this site.",
        now=utcnow(),
    )
    (mail,) = _reply_mail(outbox)
    assert mail.to == "held@example.test" and "must see first" in mail.body

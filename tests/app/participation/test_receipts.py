"""A respondent's receipt: their whole response with a reference, to print or to get by
e-mail through the outbox."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from sqlmodel import Session

from app.consultations import catalogue
from app.participation import receipts
from tests.factories import add_response, csrf_token, make_consultation, make_user, sign_in

LONG = "My whole answer, " + "with every word of its reasoning kept, " * 40 + "to the end."


def _responded(session: Session, client, outbox):
    consultation = make_consultation(session, questions=3)
    first, second, _third = catalogue.question_ids(catalogue.questions_of(session, consultation))
    me = make_user(session, email="respondent@example.test")
    response = add_response(
        session,
        consultation,
        {first: "agree", second: "not_sure"},
        respondent=me,
        texts={first: LONG, second: "Not sure about the second."},
    )
    sign_in(client, outbox, "respondent@example.test")
    outbox.clear()
    return consultation, response


def test_the_response_page_is_a_receipt_with_a_reference_and_every_answer_in_full(
    client, outbox, session: Session
) -> None:
    consultation, response = _responded(session, client, outbox)
    page = BeautifulSoup(
        client.get(f"/consultations/{consultation.slug}/response").text, "html.parser"
    )
    reference = page.select_one("#response-reference").get_text(strip=True)
    assert re.fullmatch(r"RC-[3469ACDEFGHJKMNPQRTWXY]{4}-[3469ACDEFGHJKMNPQRTWXY]{4}", reference)
    assert receipts.response_id_of(reference.lower()) == response.id
    text = page.main.get_text(" ", strip=True)
    assert "to the end." in text and "Not sure about the second." in text
    assert "you have answered 2 questions of 3." in text
    assert page.select_one("button[data-print]") is not None
    assert page.select_one(f'form[action="/consultations/{consultation.slug}/response/email"]')


def test_asking_for_the_receipt_by_email_queues_the_whole_response_once(
    client, outbox, session: Session
) -> None:
    consultation, response = _responded(session, client, outbox)
    path = f"/consultations/{consultation.slug}/response"
    sent = client.post(f"{path}/email", data={"csrf_token": csrf_token(client, path)})
    assert sent.status_code == 303 and sent.headers["location"] == path
    (mail,) = outbox.messages
    reference = receipts.reference_of(response)
    assert mail.to == "respondent@example.test"
    assert reference in mail.subject and f"Reference: {reference}" in mail.body
    assert LONG in mail.body and "Your stance: Not sure" in mail.body
    assert "Question 3." in mail.body and "Your stance: Not answered" in mail.body
    again = client.post(f"{path}/email", data={"csrf_token": csrf_token(client, path)})
    assert again.status_code == 303
    assert len(outbox.messages) == 1  # the same version is not sent twice
    flash = BeautifulSoup(client.get(path).text, "html.parser").select_one("#messages")
    assert "already been sent" in flash.get_text()


def test_someone_who_has_not_responded_cannot_ask_for_a_receipt(client, outbox, session) -> None:
    consultation = make_consultation(session)
    make_user(session, email="new@example.test")
    sign_in(client, outbox, "new@example.test")
    outbox.clear()
    path = f"/consultations/{consultation.slug}/response"
    refused = client.post(f"{path}/email", data={"csrf_token": csrf_token(client, path)})
    assert refused.status_code == 404
    assert outbox.messages == []

"""The citizen journey through the real routes: sign up, confirm, answer, edit, reply."""

from bs4 import BeautifulSoup
from sqlmodel import Session, select

from app.consultations import catalogue
from app.participation import commands
from app.participation.models import Contribution, Response
from tests.factories import csrf_token, link_from, make_consultation, make_user, sign_in


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_sign_up_by_link_creates_account_with_chosen_pseudonym(client, outbox, session) -> None:
    token = csrf_token(client, "/auth/sign-in")
    sent = client.post(
        "/auth/sign-in", data={"email": "Newcomer@Example.test", "csrf_token": token}
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/auth/check-email"
    link = link_from(outbox)
    page = client.get(link)
    assert page.status_code == 200
    assert soup(page).select_one("#pseudonym")["value"]  # a suggestion is offered
    done = client.post(
        link, data={"csrf_token": csrf_token(client, link), "pseudonym": "CalmHeron7"}
    )
    assert done.status_code == 303
    assert "reclaim_session" in done.headers.get("set-cookie", "")
    account = client.get("/account")
    assert account.status_code == 200
    assert "CalmHeron7" in account.text
    assert "newcomer@example.test" not in account.text.lower()


def test_link_can_be_used_only_once(client, outbox) -> None:
    sign_in(client, outbox, "once@example.test", pseudonym="OnceOnly")
    link = link_from(outbox)
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.text


def test_sign_in_answer_is_the_same_whether_or_not_an_account_exists(
    client, outbox, session
) -> None:
    make_user(session, email="known@example.test")
    answers = []
    for email in ("known@example.test", "unknown@example.test"):
        token = csrf_token(client, "/auth/sign-in")
        answers.append(client.post("/auth/sign-in", data={"email": email, "csrf_token": token}))
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    assert len(outbox.messages) == 2
    assert outbox.messages[0].subject == outbox.messages[1].subject


def test_taken_pseudonym_is_refused_and_link_still_works(client, outbox, session) -> None:
    make_user(session, pseudonym="TakenName")
    token = csrf_token(client, "/auth/sign-in")
    client.post("/auth/sign-in", data={"email": "second@example.test", "csrf_token": token})
    link = link_from(outbox)
    refused = client.post(
        link, data={"csrf_token": csrf_token(client, link), "pseudonym": "takenname"}
    )
    assert refused.status_code == 422
    field = soup(refused).select_one("#pseudonym")
    assert field["value"] == "takenname" and field["aria-invalid"] == "true"
    assert "taken" in soup(refused).select_one("#pseudonym-error").text
    ok = client.post(link, data={"csrf_token": csrf_token(client, link), "pseudonym": "Fresh1"})
    assert ok.status_code == 303


def _answer(client, c, number=1, **data):
    path = f"/consultations/{c.slug}/questions/{number}"
    token = csrf_token(client, path)
    return client.post(f"{path}/answer", data={"csrf_token": token, **data})


def test_answer_edit_and_see_own_response(client, outbox, session: Session) -> None:
    c = make_consultation(session, questions=2)
    sign_in(client, outbox, "answerer@example.test", pseudonym="Answerer")
    first = _answer(
        client, c, stance="agree", text="The four categories are clear enough.", publish="public"
    )
    assert first.status_code == 303
    page = client.get(f"/consultations/{c.slug}/questions/1")
    answers = soup(page).select("#answer_list article.answer")
    assert len(answers) == 1 and "four categories" in answers[0].text
    edited = _answer(client, c, stance="neutral", text="On reflection, mostly clear but vague.")
    assert edited.status_code == 303
    stored = session.exec(select(Contribution)).all()
    assert len(stored) == 1 and stored[0].stance == "neutral" and stored[0].edited_at
    _answer(client, c, number=2, stance="disagree", text="Not enough support for victims.")
    assert len(session.exec(select(Response)).all()) == 1  # one response holds both answers
    mine = client.get(f"/consultations/{c.slug}/response")
    assert mine.status_code == 200
    assert "you have answered 2 questions of 2." in mine.text
    assert "mostly clear" in mine.text and "Not enough support" in mine.text


def test_private_answers_are_not_published(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "private@example.test", pseudonym="Private1")
    _answer(
        client, c, stance="agree", text="Only the organisers should read this.", publish="private"
    )
    page = client.get(f"/consultations/{c.slug}/questions/1")
    assert soup(page).select("#answer_list article.answer") == []
    assert "Only the organisers should read this" in page.text  # shown to its author only
    client.cookies.clear()
    public = client.get(f"/consultations/{c.slug}/questions/1")
    assert "Only the organisers should read this" not in public.text


def test_reply_appears_under_the_answer(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "a@example.test", pseudonym="Author1")
    _answer(client, c, stance="agree", text="Specialist units should handle this.")
    answer_id = session.exec(select(Contribution.id)).one()
    client.cookies.clear()
    sign_in(client, outbox, "b@example.test", pseudonym="Replier1")
    token = csrf_token(client, f"/answers/{answer_id}")
    posted = client.post(
        f"/answers/{answer_id}/replies",
        data={"csrf_token": token, "text": "Every officer needs the basics."},
    )
    assert posted.status_code == 303
    # Without script, the reply lands back on the question, at the answer replied to.
    assert posted.headers["location"] == f"/consultations/{c.slug}/questions/1#answer-{answer_id}"
    page = client.get(posted.headers["location"].split("#")[0])
    assert "Your reply was posted." in soup(page).select_one("#messages").text
    reply = soup(page).select_one(f"#answer-{answer_id} .replies .reply")
    assert "Every officer needs the basics." in reply.text and "Replier1" in reply.text


def test_reply_to_a_reply_is_refused(client, outbox, session) -> None:
    from kernel.clock import utcnow

    c = make_consultation(session)
    author = make_user(session)
    q = catalogue.get_question(session, c, 1)
    answer = commands.submit_answer(
        session,
        consultation=c,
        question=q,
        author=author,
        stance="agree",
        text="A reasonable answer.",
        publish=True,
        now=utcnow(),
    )
    reply = commands.add_reply(
        session, consultation=c, parent=answer, author=author, text="A reply.", now=utcnow()
    )
    sign_in(client, outbox, "nested@example.test", pseudonym="Nester")
    token = csrf_token(client)
    refused = client.post(
        f"/answers/{reply.id}/replies", data={"csrf_token": token, "text": "Nested reply"}
    )
    assert refused.status_code == 404


def test_closed_consultation_refuses_answers_and_says_why(client, outbox, session) -> None:
    c = make_consultation(session, status="closed")
    sign_in(client, outbox, "late@example.test", pseudonym="Latecomer")
    page = client.get(f"/consultations/{c.slug}/questions/1")
    assert "closed on" in soup(page).select_one("#your_answer").text
    assert soup(page).select_one("#your_answer form") is None
    refused = _answer(client, c, stance="agree", text="Trying after the closing date.")
    assert refused.status_code == 409
    assert "closed" in soup(refused).select_one("#error-message").text
    assert session.exec(select(Contribution)).all() == []


def test_signed_out_answer_redirects_to_sign_in(client, session) -> None:
    c = make_consultation(session)
    response = _answer(client, c, stance="agree", text="Anonymous attempt here.")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/auth/sign-in")


def test_same_url_gives_page_or_block(client, session) -> None:
    c = make_consultation(session)
    path = f"/consultations/{c.slug}/questions/1"
    full = client.get(path)
    assert full.headers["vary"] == "HX-Request"
    assert "<html" in full.text and soup(full).select_one("#answer_list")
    block = client.get(path, headers={"HX-Request": "true", "HX-Target": "answer_list"})
    assert block.status_code == 200 and block.headers["vary"] == "HX-Request"
    assert "<html" not in block.text
    assert block.text.lstrip().startswith('<section id="answer_list"')
    boosted = client.get(
        path, headers={"HX-Request": "true", "HX-Target": "answer_list", "HX-Boosted": "true"}
    )
    assert "<html" in boosted.text


def test_htmx_answer_with_errors_gets_422_block_with_input_kept(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "htmx@example.test", pseudonym="Htmx1")
    path = f"/consultations/{c.slug}/questions/1"
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/answer",
        data={"text": "short", "csrf_token": token},
        headers={"HX-Request": "true", "HX-Target": "your_answer"},
    )
    assert response.status_code == 422
    block = soup(response)
    assert block.select_one("section#your_answer") and not block.select_one("html")
    assert block.select_one("#answer-text").text == "short"
    assert block.select_one("#answer-text-error")
    assert block.select_one("#stance-error")
    assert block.select_one(".error-summary a[href='#answer-text']")


def test_htmx_answer_success_points_htmx_at_the_updated_block(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "hx@example.test", pseudonym="Hx2")
    path = f"/consultations/{c.slug}/questions/1"
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/answer",
        data={"stance": "agree", "csrf_token": token, "text": "Saved through htmx."},
        headers={"HX-Request": "true", "HX-Target": "your_answer"},
    )
    assert response.status_code == 204
    assert '"target": "#participation"' in response.headers["hx-location"]
    block = client.get(path, headers={"HX-Request": "true", "HX-Target": "participation"})
    assert "Saved through htmx." in soup(block).select_one("#answer_list").text


def test_consultation_page_lists_its_documents_and_links_a_published_outcome(
    client, session
) -> None:
    from app.analysis.models import ConsultationOutcome
    from app.consultations.models import ConsultationDocument
    from kernel.clock import utcnow

    c = make_consultation(session, status="closed")
    session.add(
        ConsultationDocument(
            consultation_id=c.id, position=1, title="The paper", url="https://example.org/paper.pdf"
        )
    )
    session.flush()
    page = soup(client.get(f"/consultations/{c.slug}"))
    link = page.select_one(".document-list a")
    assert link.text == "The paper" and link["href"] == "https://example.org/paper.pdf"
    assert page.find("a", href=f"/consultations/{c.slug}/outcome") is None
    session.add(ConsultationOutcome(consultation_id=c.id, published_at=utcnow()))
    session.flush()
    page = soup(client.get(f"/consultations/{c.slug}"))
    assert page.find("a", href=f"/consultations/{c.slug}/outcome") is not None

"""Content notes: an author's note on an answer or reply (readers open the text themselves,
without JavaScript), refused beside its field when empty or too long with the text kept; a
consultation's content note before its questions."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from app.participation.models import Contribution
from tests.factories import csrf_token, make_consultation, sign_in

TEXT = "Being followed from one platform to the next is what finally made me stop posting."


def _answer(client, slug: str, **fields) -> object:
    path = f"/consultations/{slug}/questions/1"
    data = {"csrf_token": csrf_token(client, path), "stance": "agree", "text": TEXT, **fields}
    return client.post(f"{path}/answer", data=data, follow_redirects=False)


def test_readers_see_an_answers_content_note_first_and_open_the_text_themselves(
    client, outbox, session
) -> None:
    c = make_consultation(session, status="open", questions=1)
    session.commit()
    sign_in(client, outbox, "noted@example.test", pseudonym="Noted")
    answer = _answer(client, c.slug, has_content_note="yes", content_note="describes stalking")
    assert answer.status_code == 303
    stored = session.exec(select(Contribution).where(Contribution.source_text == TEXT)).one()
    assert stored.content_note == "describes stalking"
    client.cookies.clear()
    page = BeautifulSoup(client.get(f"/consultations/{c.slug}/questions/1").text, "html.parser")
    note = page.select_one(f"#answer-{stored.id} details.content-note")
    assert note is not None and not note.has_attr("open")  # closed until the reader opens it
    assert "describes stalking" in note.summary.get_text()
    assert TEXT in note.select_one(".answer__body").get_text()  # inside <details>, not before


def test_an_answer_without_a_note_is_shown_as_it_is(client, outbox, session) -> None:
    c = make_consultation(session, status="open", questions=1)
    session.commit()
    sign_in(client, outbox, "plain@example.test", pseudonym="Plain")
    assert _answer(client, c.slug, content_note="ignored: the box is not ticked").status_code == 303
    stored = session.exec(select(Contribution).where(Contribution.source_text == TEXT)).one()
    assert stored.content_note is None
    page = BeautifulSoup(client.get(f"/consultations/{c.slug}/questions/1").text, "html.parser")
    assert page.select_one(f"#answer-{stored.id} details.content-note") is None


def test_a_ticked_box_without_a_note_or_a_note_too_long_is_refused_beside_the_field(
    client, outbox, session
) -> None:
    c = make_consultation(session, status="open", questions=1)
    session.commit()
    sign_in(client, outbox, "refused@example.test", pseudonym="Refused")
    for note, says in (("   ", "Write the content note"), ("x" * 201, "200 characters or fewer")):
        answer = _answer(client, c.slug, has_content_note="yes", content_note=note)
        assert answer.status_code == 422
        page = BeautifulSoup(answer.text, "html.parser")
        assert says in page.select_one("#answer-note-error").get_text()
        assert page.select_one("#answer-note")["aria-invalid"] == "true"
        assert page.select_one("#answer-text").get_text() == TEXT  # the answer is kept
        assert page.select_one("#answer-note-has").has_attr("checked")
        assert page.select_one(".error-summary a[href='#answer-note']") is not None
    assert (
        session.exec(select(Contribution).where(Contribution.source_text == TEXT)).first() is None
    )


def test_a_reply_can_carry_a_content_note_and_a_refused_one_keeps_its_text(
    client, outbox, session
) -> None:
    from tests.factories import make_thread

    c = make_consultation(session, status="open", questions=1)
    answer = make_thread(session, consultation=c, replies=0)
    session.commit()
    sign_in(client, outbox, "replier@example.test", pseudonym="Replier")
    path = f"/answers/{answer.id}"
    token = csrf_token(client, path)
    refused = client.post(
        f"{path}/replies",
        data={"csrf_token": token, "text": "I had the same.", "has_content_note": "yes"},
    )
    assert refused.status_code == 422
    page = BeautifulSoup(refused.text, "html.parser")
    assert page.select_one(f"#reply-note-{answer.id}-error") is not None
    assert page.select_one(f"#reply-text-{answer.id}").get_text() == "I had the same."
    posted = client.post(
        f"{path}/replies",
        data={
            "csrf_token": token,
            "text": "I had the same.",
            "has_content_note": "yes",
            "content_note": "mentions self-harm",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    page = BeautifulSoup(client.get(path).text, "html.parser")
    reply = page.select_one(".reply details.content-note")
    assert "mentions self-harm" in reply.summary.get_text()


def test_a_consultations_content_note_comes_before_its_questions_in_the_readers_language(
    client, session
) -> None:
    c = make_consultation(session, status="open", questions=2)
    c.content_note = "These questions ask about experiences of domestic abuse."
    c.title_cy = "Ymgynghoriad prawf"
    session.add(c)
    session.commit()
    html = client.get(f"/consultations/{c.slug}").text
    page = BeautifulSoup(html, "html.parser")
    note = page.select_one(".consultation-note")
    assert "experiences of domestic abuse" in note.get_text()
    assert html.index("consultation-note") < html.index('class="question-index"')
    client.get("/language/cy")
    page = BeautifulSoup(client.get(f"/consultations/{c.slug}").text, "html.parser")
    assert page.h1.get_text() == "Ymgynghoriad prawf" and not page.h1.has_attr("lang")
    # no Welsh note written: the English is shown, marked as English
    note = page.select_one(".consultation-note p[lang='en']")
    assert note is not None and "domestic abuse" in note.get_text()
    question = page.select_one(".question-index a span[lang='en']")
    assert question is not None  # the questions have no Welsh wording either

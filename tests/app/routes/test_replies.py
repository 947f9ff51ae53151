"""Long conversations: the question page shows a few replies per answer and links to the
rest, so its size does not grow with replies; the answer's page shows them a page at a time;
with htmx, "N more replies" expands in place."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.participation.feed import REPLIES_PER_PAGE, REPLIES_SHOWN
from tests.factories import make_consultation, make_thread

QUESTION = "/consultations/{slug}/questions/1"


def _answer_with_replies(session, replies: int):
    consultation = make_consultation(session)
    text = "Reply number {n} in this thread."
    return consultation, make_thread(session, replies=replies, consultation=consultation, text=text)


def _page(client, path: str, **headers) -> BeautifulSoup:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def _replies(page: BeautifulSoup) -> list[str]:
    return [li.select_one(".prose").text.strip() for li in page.select("li.reply")]


def test_the_question_page_shows_the_first_replies_and_links_to_the_rest(client, session) -> None:
    consultation, answer = _answer_with_replies(session, 40)
    page = _page(client, QUESTION.format(slug=consultation.slug))
    assert _replies(page) == [f"Reply number {n} in this thread." for n in (1, 2, 3)]
    more = page.select_one(f"#replies-{answer.id} .more-replies a")
    assert more.text.strip().startswith(f"{40 - REPLIES_SHOWN} more replies")
    assert more["href"] == f"/answers/{answer.id}"
    assert more["hx-get"] == f"/answers/{answer.id}"
    assert more["hx-target"] == f"#replies-{answer.id}"


def test_the_question_page_does_not_grow_with_replies(client, session) -> None:
    few, _ = _answer_with_replies(session, REPLIES_SHOWN + 1)
    many, _ = _answer_with_replies(session, 200)
    small = len(client.get(QUESTION.format(slug=few.slug)).content)
    large = len(client.get(QUESTION.format(slug=many.slug)).content)
    assert abs(large - small) < 200, (small, large)  # the slug and the count differ


def test_a_short_thread_shows_every_reply_and_no_link(client, session) -> None:
    consultation, _ = _answer_with_replies(session, REPLIES_SHOWN)
    page = _page(client, QUESTION.format(slug=consultation.slug))
    assert len(_replies(page)) == REPLIES_SHOWN
    assert page.select_one(".more-replies") is None


def test_the_answer_page_shows_replies_a_page_at_a_time(client, session) -> None:
    _, answer = _answer_with_replies(session, 2 * REPLIES_PER_PAGE + 20)
    first = _page(client, f"/answers/{answer.id}")
    assert len(_replies(first)) == REPLIES_PER_PAGE
    assert _replies(first)[0] == "Reply number 1 in this thread."
    later = first.select_one("nav.pagination a[rel=next]")
    assert later["href"] == f"/answers/{answer.id}?page=2"
    total = 2 * REPLIES_PER_PAGE + 20
    assert f"Replies 1 to {REPLIES_PER_PAGE} of {total}" in first.select_one("nav.pagination").text
    last = _page(client, f"/answers/{answer.id}?page=3")
    assert _replies(last)[0] == f"Reply number {2 * REPLIES_PER_PAGE + 1} in this thread."
    assert len(_replies(last)) == 20 and last.select_one("a[rel=next]") is None
    assert last.select_one("ol.replies")["start"] == str(2 * REPLIES_PER_PAGE + 1)
    beyond = _page(client, f"/answers/{answer.id}?page=99")
    assert _replies(beyond) == _replies(last)


def test_htmx_expands_the_replies_in_place(client, session) -> None:
    _, answer = _answer_with_replies(session, 60)
    response = client.get(
        f"/answers/{answer.id}",
        headers={"HX-Request": "true", "HX-Target": f"replies-{answer.id}"},
    )
    assert response.status_code == 200
    fragment = BeautifulSoup(response.text, "html.parser")
    assert fragment.select_one("html") is None and fragment.select_one("h1") is None
    (block,) = fragment.select(f"#replies-{answer.id}")
    assert len(_replies(block)) == REPLIES_PER_PAGE
    assert block.select_one("a[rel=next]")["hx-target"] == f"#replies-{answer.id}"
    assert response.headers["Vary"] == "HX-Request"

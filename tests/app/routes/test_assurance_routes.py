"""Second coding through the pages: asking for it on the consultation's page, the second
coder's page really blind, agreement on the dashboard, disagreements settled by a third."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from app.accounts.models import Role
from app.analysis import coding, tallies
from app.analysis.models import SecondCoding
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel.clock import utcnow
from tests.factories import CSRF_META, add_response, make_consultation, make_user, sign_in


@pytest.fixture
def world(session):
    c = make_consultation(session, status="closed", questions=1)
    (q,) = catalogue.questions_of(session, c)
    first = make_user(session, roles={Role.organiser}, pseudonym="FirstCoder")
    second = make_user(
        session, roles={Role.organiser}, pseudonym="SecondCoder", email="second@example.test"
    )
    third = make_user(
        session, roles={Role.organiser}, pseudonym="ThirdAnalyst", email="third@example.test"
    )
    ids = []
    for i, evaluation in enumerate(["positive", "negative", "neutral", "positive"]):
        response = add_response(
            session, c, {q.id: "agree"}, texts={q.id: f"A considered answer, number {i}."}
        )
        answer = session.exec(
            select(Contribution).where(Contribution.response_id == response.id)
        ).one()
        tag = coding.add_tag(session, consultation=c, label=f"Tag {i}")
        coding.code_answer(
            session,
            consultation=c,
            answer_id=answer.id,
            evaluation=evaluation,
            tag_ids=[tag.id],
            coder=first,
            now=utcnow(),
        )
        ids.append(answer.id)
    session.commit()
    return c, q, first, second, third, ids


def _csrf(page) -> str:
    return CSRF_META.search(page.text).group(1)


def _ask(client, c, second, **data):
    page = client.get(f"/organise/{c.slug}")
    form = {"csrf_token": _csrf(page), "question": "1", "coder": str(second.id)}
    form.update({"amount": "100", "unit": "percent"} | data)
    return client.post(f"/organise/{c.slug}/second-coding", data=form)


def test_asking_for_a_second_coding_on_the_consultation_page(client, outbox, session, world):
    c, _q, _first, second, _third, _ids = world
    sign_in(client, outbox, "third@example.test")
    page = client.get(f"/organise/{c.slug}")
    form = BeautifulSoup(page.text, "html.parser").select_one("form[action$='/second-coding']")
    assert form is not None and form.select_one("select[name=coder] option[value]")
    done = _ask(client, c, second)
    assert done.status_code == 303 and done.headers["location"].endswith("#assurance")
    assert len(session.exec(select(SecondCoding)).all()) == 4
    table = BeautifulSoup(client.get(f"/organise/{c.slug}").text, "html.parser").select_one(
        "#agreement-table"
    )
    assert "SecondCoder" in table.text and "0 of 4" in table.text


def test_a_bad_sample_is_refused_beside_its_field_with_the_input_kept(
    client, outbox, session, world
):
    c, _q, _first, second, _third, _ids = world
    sign_in(client, outbox, "third@example.test")
    refused = _ask(client, c, second, amount="150")
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.select_one("#second-amount-error").text == "A percentage is at most 100."
    assert soup.select_one("#second-amount")["value"] == "150"
    assert soup.select_one("#second-coder option[selected]")["value"] == str(second.id)
    assert session.exec(select(SecondCoding)).all() == []


def _blind_html(client, c) -> str:
    page = client.get(f"/organise/{c.slug}/questions/1/second-coding")
    assert page.status_code == 200
    html = BeautifulSoup(page.text, "html.parser").select_one("#second_coding")
    return str(html)


def test_the_second_coders_page_does_not_show_the_first_evaluation(client, outbox, session, world):
    c, _q, first, second, _third, _ids = world
    sign_in(client, outbox, "third@example.test")
    assert _ask(client, c, second, amount="1", unit="number").status_code == 303
    client.cookies.clear()
    sign_in(client, outbox, "second@example.test")
    sampled = session.exec(select(SecondCoding)).one()
    before = _blind_html(client, c)
    assert f"Answer {sampled.contribution_id}" in before
    for word in ("Coded", "Tag ", "FirstCoder", "Declared stance", "Agree"):
        assert word not in before
    # the page is the same whatever the first evaluation was: nothing of it is in there
    answer = session.get(Contribution, sampled.contribution_id)
    for evaluation in ("positive", "negative", "neutral"):
        coding.code_answer(
            session,
            consultation=c,
            answer_id=answer.id,
            evaluation=evaluation,
            coder=first,
            now=utcnow(),
        )
        session.commit()
        assert _blind_html(client, c) == before


def test_only_the_chosen_analyst_opens_the_sample(client, outbox, session, world):
    c, _q, _first, second, _third, _ids = world
    sign_in(client, outbox, "third@example.test")
    _ask(client, c, second)
    page = client.get(f"/organise/{c.slug}/questions/1/second-coding")
    assert page.status_code == 403


def test_second_coding_then_settling_through_the_pages(client, outbox, session, world):
    c, _q, _first, second, _third, ids = world
    sign_in(client, outbox, "third@example.test")
    _ask(client, c, second)
    client.cookies.clear()
    sign_in(client, outbox, "second@example.test")
    for evaluation in ("positive", "positive", "neutral", "positive"):  # disagrees on the 2nd
        page = client.get(f"/organise/{c.slug}/questions/1/second-coding")
        answer_id = re.search(r"/answers/(\d+)/second-code", page.text).group(1)
        done = client.post(
            f"/organise/{c.slug}/answers/{answer_id}/second-code",
            data={"csrf_token": _csrf(page), "evaluation": evaluation},
        )
        assert done.status_code == 303
    finished = client.get(f"/organise/{c.slug}/questions/1/second-coding")
    assert "sample-done" in finished.text
    dashboard = BeautifulSoup(client.get(f"/organise/{c.slug}").text, "html.parser")
    row = dashboard.select_one("#agreement-table tbody tr").text
    assert "75%" in row and "4 of 4" in row
    # the second coder may not settle; the third analyst does
    listing = client.get(f"/organise/{c.slug}/questions/1/disagreements")
    assert listing.status_code == 200
    refused = client.post(
        f"/organise/{c.slug}/answers/{ids[1]}/settle",
        data={"csrf_token": _csrf(listing), "evaluation": "positive"},
    )
    assert refused.status_code == 403
    client.cookies.clear()
    sign_in(client, outbox, "third@example.test")
    listing = client.get(f"/organise/{c.slug}/questions/1/disagreements")
    item = BeautifulSoup(listing.text, "html.parser").select_one(f"#disagreement-{ids[1]}")
    assert "First coding: Negative" in item.text and "Second coding: Positive" in item.text
    settled = client.post(
        f"/organise/{c.slug}/answers/{ids[1]}/settle",
        data={"csrf_token": _csrf(listing), "evaluation": "positive"},
    )
    assert settled.status_code == 303
    session.expire_all()
    row = tallies.annex_a(session, consultation=c).main.rows[0]
    assert (row.positive, row.negative, row.neutral) == (3, 0, 1)

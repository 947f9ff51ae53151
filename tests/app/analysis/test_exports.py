"""Exports opened with real parsers: csv, openpyxl, pypdf. Nothing identifying in any of them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from app.accounts.models import Role
from app.analysis import exports
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel import localtime
from tests.factories import add_response, make_consultation, make_user

ADDRESSES = ("alice.smith@example.test", "bob.jones@example.test", "organiser@example.test")


def _data(session):
    c = make_consultation(session, questions=2, status="closed")
    q1, q2 = catalogue.questions_of(session, c)
    alice = make_user(session, pseudonym="QuietOwl", email=ADDRESSES[0])
    bob = make_user(session, pseudonym="BrightFox", email=ADDRESSES[1])
    add_response(
        session,
        c,
        {q1.id: "agree", q2.id: "disagree"},
        respondent=alice,
        texts={q1.id: '=HYPERLINK("http://evil.example","click")', q2.id: "Too broad, in my view."},
    )
    add_response(
        session,
        c,
        {q1.id: "disagree"},
        respondent=bob,
        is_public=False,
        texts={q1.id: "+44 is my code; private thoughts here."},
    )
    add_response(
        session,
        c,
        {q1.id: None},
        imported=True,
        respondent_type="organisation",
        organisation_name="Campaign Group Ltd",
        channel="post",
        texts={q1.id: "@everyone should read our letter."},
    )
    add_response(
        session,
        c,
        {q2.id: "neutral"},
        respondent_type="organisation",
        organisation_name="Open Rights Group",
        may_name_organisation=True,
        states={q2.id: "removed"},
        texts={q2.id: "Removed text must not leak."},
    )
    return c


def _no_identity(text: str) -> None:
    for address in ADDRESSES:
        assert address not in text
    assert "@example.test" not in text


def test_answers_csv_has_every_answer_pseudonyms_only_and_neutralised_formulas(
    organiser_client, session
) -> None:
    c = _data(session)
    response = organiser_client.get(f"/organise/{c.slug}/export/answers.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    _no_identity(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [c.name for c in exports.ANSWER_COLUMNS] == list(rows[0].keys())
    assert len(rows) == 5  # private answers included for organisers
    by_text = {r["answer_text"]: r for r in rows}
    assert '\'=HYPERLINK("http://evil.example","click")' in by_text
    assert by_text['\'=HYPERLINK("http://evil.example","click")']["respondent"] == "QuietOwl"
    assert "'+44 is my code; private thoughts here." in by_text
    assert "'@everyone should read our letter." in by_text
    imported = by_text["'@everyone should read our letter."]
    assert imported["respondent"].startswith("Imported ")
    assert imported["evaluation"] == "unevaluated" and imported["evaluated_from"] == "none"
    assert "Removed text must not leak." not in text
    assert {r["moderation_state"] for r in rows} >= {"visible", "removed"}


def test_answers_without_private_ones_for_a_public_release(session) -> None:
    c = _data(session)
    body = b"".join(exports.answers_csv(session, consultation=c, include_private=False))
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert all(r["is_public"] == "yes" for r in rows)
    assert "private thoughts" not in body.decode()


def test_answers_xlsx_opens_in_openpyxl_with_text_not_formulas(organiser_client, session) -> None:
    c = _data(session)
    response = organiser_client.get(f"/organise/{c.slug}/export/answers.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("answer_id", "response_id") and len(rows) == 6
    cells = [str(v) for row in rows for v in row if v is not None]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    _no_identity("\n".join(cells))
    assert "Data dictionary" in workbook.sheetnames


def test_the_xlsx_is_ready_to_work_in_frozen_header_filters_widths_and_real_dates(
    organiser_client, session
) -> None:
    c = _data(session)
    workbook = load_workbook(
        io.BytesIO(organiser_client.get(f"/organise/{c.slug}/export/answers.xlsx").content)
    )
    sheet = workbook["Answers"]
    assert sheet.freeze_panes == "A2"
    last_column = sheet.cell(row=1, column=len(exports.ANSWER_COLUMNS)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}{sheet.max_row}"
    header = [cell.value for cell in sheet[1]]
    text_column = sheet.cell(row=1, column=header.index("answer_text") + 1).column_letter
    assert sheet.column_dimensions[text_column].width >= 80
    when = sheet.cell(row=2, column=header.index("submitted_at") + 1)
    assert isinstance(when.value, datetime) and when.is_date
    stored = session.exec(select(Contribution).order_by(Contribution.id)).first()
    expected = localtime.current().local(stored.created_at).replace(tzinfo=None)
    assert when.value == expected.replace(second=0, microsecond=0)


def test_the_workspace_answer_number_is_found_in_the_csv_and_the_xlsx(
    organiser_client, session
) -> None:
    c = _data(session)
    page = organiser_client.get(f"/organise/{c.slug}/questions/1/code")
    title = BeautifulSoup(page.text, "html.parser").select_one("#answer-title").get_text()
    number = int(re.match(r"Answer (\d+) from ", title).group(1))
    text = organiser_client.get(f"/organise/{c.slug}/export/answers.csv").content.decode(
        "utf-8-sig"
    )
    by_id = {int(r["answer_id"]): r for r in csv.DictReader(io.StringIO(text))}
    assert number in by_id and by_id[number]["question_number"] == "1"
    xlsx = organiser_client.get(f"/organise/{c.slug}/export/answers.xlsx").content
    ids = [
        row[0]
        for row in load_workbook(io.BytesIO(xlsx))["Answers"].iter_rows(min_row=2, values_only=True)
    ]
    assert number in ids


def test_tallies_csv_and_json_agree_with_annex_a(organiser_client, session) -> None:
    c = _data(session)
    text = organiser_client.get(f"/organise/{c.slug}/export/tallies.csv").content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    first = next(r for r in rows if r["split"] == "all" and r["question_number"] == "1")
    assert (first["positive"], first["negative"], first["unevaluated"], first["no_response"]) == (
        "1",
        "1",
        "1",
        "1",
    )
    assert first["respondents"] == "4"
    for r in rows:
        counts = [
            int(r[k]) for k in ("positive", "negative", "neutral", "unevaluated", "no_response")
        ]
        assert sum(counts) == int(r["respondents"])
        if int(r["respondents"]):
            assert (
                sum(
                    int(r[k + "_pct"])
                    for k in ("positive", "negative", "neutral", "unevaluated", "no_response")
                )
                == 100
            )
    document = json.loads(organiser_client.get(f"/organise/{c.slug}/export/tallies.json").content)
    assert [s["split"] for s in document["splits"]] == [
        "all",
        "respondent_type",
        "verification",
        "campaign",
    ]
    assert document["splits"][0]["groups"][0]["rows"][0]["counts"]["positive"] == 1
    dictionary = organiser_client.get(f"/organise/{c.slug}/export/data-dictionary.md").text
    assert "`answer_text`" in dictionary and "`no_response_pct`" in dictionary


def test_summary_pdf_markdown_and_html_carry_the_counts_and_no_identity(
    organiser_client, session
) -> None:
    c = _data(session)
    pdf = organiser_client.get(f"/organise/{c.slug}/export/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "There were 3 responses to this question" in text
    assert "Annex A" in text and "Open Rights Group" in text
    assert "Campaign Group Ltd" not in text  # did not agree to be named
    _no_identity(text)
    md = organiser_client.get(f"/organise/{c.slug}/export/summary.md").text
    assert "There were 3 responses to this question." in md
    assert (
        "| 1. Question 1? | 1 (25%) *d* | 1 (25%) *d* | 0 (0%) | 1 (25%) | 1 (25%) | 4 (100%) |"
        in md
    )
    assert "removed by moderators" in md
    _no_identity(md)
    html = organiser_client.get(f"/organise/{c.slug}/export/summary.html").text
    assert "<svg" in html and "There were 2 responses to this question" in html
    _no_identity(html)


def test_the_summary_is_published_by_the_organiser_with_its_contact(
    organiser_client, session
) -> None:
    c = _data(session)
    path = f"/organise/{c.slug}/export/summary"
    untitled = BeautifulSoup(organiser_client.get(f"{path}.html").text, "html.parser")
    assert untitled.select_one("#published-by").get_text().startswith("Published by Reclaim.")
    c.organiser_name, c.contact_email = "Home Office", "consult@homeoffice.example.gov.uk"
    session.add(c)
    session.flush()
    page = BeautifulSoup(organiser_client.get(f"{path}.html").text, "html.parser")
    line = page.select_one("#published-by").get_text()
    assert line.startswith("Published by Home Office. Contact: consult@homeoffice.example.gov.uk.")
    pdf = PdfReader(io.BytesIO(organiser_client.get(f"{path}.pdf").content))
    assert "Published by Home Office." in pdf.pages[0].extract_text()


def test_exports_are_for_organisers_only(client, outbox, session) -> None:
    from tests.factories import sign_in

    c = _data(session)
    make_user(session, roles={Role.moderator}, email="mod@example.test")
    sign_in(client, outbox, "mod@example.test")
    assert client.get(f"/organise/{c.slug}/export/answers.csv").status_code == 403
    assert client.get(f"/organise/{c.slug}/export/summary.pdf").status_code == 403

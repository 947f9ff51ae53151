"""Importing off-site responses: all problems or nothing, once per file, late ones marked."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts.models import Role
from app.analysis import importing, tallies
from app.analysis.models import ImportedResponse, ResponseImport
from app.consultations import catalogue
from app.participation.models import Contribution, Response
from kernel.clock import utcnow
from tests.factories import csrf_token, make_consultation, make_user

HEADER = (
    "reference,respondent_type,organisation_name,may_name_organisation,channel,"
    "received_at,q1_stance,q1_answer,q2_stance,q2_answer\n"
)


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _closed_consultation(session: Session):
    return make_consultation(session, questions=2, status="closed")


def test_mixed_valid_and_invalid_rows_store_nothing_and_report_every_problem(
    session: Session,
) -> None:
    c = _closed_consultation(session)
    organiser = make_user(session, roles={Role.organiser})
    data = (
        HEADER
        + "L-1,individual,,,post,2020-01-05,agree,Clear enough.,,\n"
        + "L-2,company,,,pigeon,yesterday,furious,Bad.,agree,\n"
        + "L-3,organisation,,maybe,email,2020-01-06,,,,\n"
        + "L-1,individual,,,email,2020-01-07,,Duplicate reference.,,\n"
        + "E-9,individual,,,email,2020-01-07,disagree,Fine answer.,neutral,Another.\n"
    ).encode()
    before = _count(session, Response)
    with pytest.raises(importing.ImportInvalid) as caught:
        importing.import_responses(
            session,
            consultation=c,
            filename="letters.csv",
            data=data,
            organiser=organiser,
            now=utcnow(),
        )
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "respondent_type"),
        (3, "channel"),
        (3, "received_at"),
        (3, "q1_stance"),
        (3, "q2_answer"),
        (4, "organisation_name"),
        (4, "may_name_organisation"),
        (4, "q1_answer"),
        (5, "reference"),
    }
    assert _count(session, Response) == before
    assert _count(session, ResponseImport) == 0


def test_bad_header_reports_unknown_and_missing_columns(session: Session) -> None:
    c = _closed_consultation(session)
    organiser = make_user(session, roles={Role.organiser})
    with pytest.raises(importing.ImportInvalid) as caught:
        importing.import_responses(
            session,
            consultation=c,
            filename="x.csv",
            data=b"reference,q7_answer,name\nA,hi,Bob\n",
            organiser=organiser,
            now=utcnow(),
        )
    found = {(p.row, p.column) for p in caught.value.problems}
    assert (1, "q7_answer") in found and (1, "name") in found
    assert {(1, "respondent_type"), (1, "channel"), (1, "received_at")} <= found


def test_same_file_imported_twice_is_stored_once_and_late_rows_are_marked(session: Session) -> None:
    c = _closed_consultation(session)
    organiser = make_user(session, roles={Role.organiser})
    late = (c.closes_at + timedelta(days=2)).strftime("%Y-%m-%d")
    on_time = (c.closes_at - timedelta(days=2)).strftime("%d/%m/%Y")
    data = (
        HEADER
        + f"L-1,individual,,,post,{on_time},agree,Clear enough.,,\n"
        + f'L-2,organisation,"Bar Council",yes,email,{late},not sure,"Needs work, see '
        f'annex.",disagree,Too wide.\n'
    ).encode()
    first = importing.import_responses(
        session,
        consultation=c,
        filename="letters.csv",
        data=data,
        organiser=organiser,
        now=utcnow(),
    )
    assert (first.imported, first.late) == (2, 1)
    second = importing.import_responses(
        session,
        consultation=c,
        filename="letters.csv",
        data=data,
        organiser=organiser,
        now=utcnow(),
    )
    assert second.already_imported is not None and second.imported == 0
    assert (
        session.exec(
            select(func.count()).select_from(Response).where(Response.consultation_id == c.id)
        ).one()
        == 2
    )
    # An overlapping file (different bytes, one reference already in) adds only the new row.
    overlap = (
        HEADER
        + f"L-2,organisation,Bar Council,yes,email,{late},,Resent.,,\n"
        + f"L-3,individual,,,post,{on_time},disagree,New letter.,,\n"
    ).encode()
    third = importing.import_responses(
        session,
        consultation=c,
        filename="more.csv",
        data=overlap,
        organiser=organiser,
        now=utcnow(),
    )
    assert (third.imported, third.skipped) == (1, ["L-2"])
    assert _count(session, ImportedResponse) == 3
    bar = session.exec(select(Response).where(Response.organisation_name == "Bar Council")).one()
    assert bar.is_late and bar.channel == "email" and bar.may_name_organisation
    assert not bar.is_public and bar.respondent_id is None
    row1 = tallies.annex_a(session, consultation=c).main.rows[0]
    assert row1.counts == (1, 1, 1, 0, 0)  # agree, not sure -> neutral, disagree


def test_xlsx_file_is_imported_like_csv(session: Session) -> None:
    c = _closed_consultation(session)
    organiser = make_user(session, roles={Role.organiser})
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Reference", "Respondent type", "Channel", "Received at", "Q1 stance", "Q1 answer"]
    )
    sheet.append(
        [
            "X-1",
            "individual",
            "post",
            c.opens_at.replace(tzinfo=None),
            "Disagree",
            "Letter by post: see the annex.",
        ]
    )
    sheet.append(["X-2", "individual", "email", "2020-02-02", "", "Letter without stance."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importing.import_responses(
        session,
        consultation=c,
        filename="post.xlsx",
        data=buffer.getvalue(),
        organiser=organiser,
        now=utcnow(),
    )
    assert result.imported == 2
    texts = set(
        session.exec(
            select(Contribution.source_text)
            .join(Response, Response.id == Contribution.response_id)
            .where(Response.consultation_id == c.id)
        )
    )
    assert texts == {"Letter by post: see the annex.", "Letter without stance."}
    row = tallies.annex_a(session, consultation=c).main.rows[0]
    assert row.counts == (0, 1, 0, 1, 0)


def test_import_page_lists_every_problem_with_row_and_column(organiser_client, session) -> None:
    c = _closed_consultation(session)
    path = f"/organise/{c.slug}/import"
    data = (
        HEADER
        + "A,individual,,,post,2020-01-01,agree,Fine.,,\n"
        + "B,individual,,,fax,2020-01-01,agree,Fine.,,\n"
    ).encode()
    page = organiser_client.post(
        path,
        data={"csrf_token": csrf_token(organiser_client, path)},
        files={"file": ("letters.csv", data, "text/csv")},
    )
    assert page.status_code == 422
    rows = BeautifulSoup(page.text, "html.parser").select("#import-problems tbody tr")
    assert [[td.text for td in r.select("td")][:2] for r in rows] == [["3", "channel"]]
    assert (
        session.exec(
            select(func.count()).select_from(Response).where(Response.consultation_id == c.id)
        ).one()
        == 0
    )
    good = (HEADER + "A,individual,,,post,2020-01-01,agree,Fine.,,\n").encode()
    done = organiser_client.post(
        path,
        data={"csrf_token": csrf_token(organiser_client, path)},
        files={"file": ("letters.csv", good, "text/csv")},
    )
    assert done.status_code == 303
    again = organiser_client.post(
        path,
        data={"csrf_token": csrf_token(organiser_client, path)},
        files={"file": ("letters.csv", good, "text/csv")},
    )
    assert again.status_code == 303
    assert (
        session.exec(
            select(func.count()).select_from(Response).where(Response.consultation_id == c.id)
        ).one()
        == 1
    )
    assert catalogue.question_count(session, c) == 2

"""`reclaim export SLUG --format …` writes files that real parsers open."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from app.cli import cli
from app.consultations import catalogue
from app.db import make_engine, session_scope
from app.migrate import upgrade
from app.settings import get_settings
from tests.factories import add_response, make_consultation, make_user


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    monkeypatch.setenv("RECLAIM_DATABASE_URL", url)
    monkeypatch.setenv("RECLAIM_ENVIRONMENT", "test")
    get_settings.cache_clear()
    engine = make_engine(url)
    with session_scope(engine) as session:
        c = make_consultation(session, questions=2, slug="cli-export", status="closed")
        q1, q2 = catalogue.questions_of(session, c)
        for i in range(30):
            add_response(
                session,
                c,
                {q1.id: "agree", q2.id: "disagree"},
                respondent=make_user(session, email=f"cli{i}@example.test"),
                texts={q1.id: f"Answer number {i}."},
            )
    engine.dispose()
    yield url
    get_settings.cache_clear()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "md", "pdf", "docx"])
def test_export_command_writes_each_format(database, tmp_path, fmt) -> None:
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["export", "cli-export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = out.read_bytes()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) == 60
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(data))["Answers"].max_row == 61
    elif fmt == "json":
        assert json.loads(data)["splits"][0]["groups"][0]["respondents"] == 30
    elif fmt == "md":
        assert "There were 30 responses to this question." in data.decode()
    elif fmt == "docx":
        document = Document(io.BytesIO(data))
        texts = [p.text for p in document.paragraphs]
        assert "There were 30 responses to this question." in texts
        assert document.tables
    else:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "There were 30 responses to this question" in text
    assert b"@example.test" not in data


def test_export_of_unknown_consultation_fails(database) -> None:
    result = CliRunner().invoke(cli, ["export", "nope", "--format", "csv"])
    assert result.exit_code == 1
    bad = CliRunner().invoke(cli, ["export", "cli-export", "--format", "odt"])
    assert bad.exit_code != 0

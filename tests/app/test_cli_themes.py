"""`reclaim themes SLUG [--question N] [--json]` finds the themes at once and prints the
suggestions, with --json in exactly the documented shape."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.consultations import catalogue
from app.db import session_scope
from tests.app.analysis.test_themes import labelled_answers
from tests.factories import add_response, make_consultation


@pytest.fixture
def database(cli_database):
    with session_scope(cli_database) as session:
        c = make_consultation(session, questions=2, slug="cli-themes", status="closed")
        q1, q2 = catalogue.questions_of(session, c)
        for _, text in labelled_answers():
            add_response(session, c, {q1.id: "agree"}, texts={q1.id: text})
        add_response(
            session,
            c,
            {q1.id: None, q2.id: None},
            imported=True,
            texts={q1.id: "A letter asking platforms to keep evidence of abuse for the police."},
        )
    return cli_database


def test_themes_json_has_exactly_the_documented_shape(database) -> None:
    result = CliRunner().invoke(cli, ["themes", "cli-themes", "--question", "1", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == ["questions"]
    (entry,) = document["questions"]
    assert list(entry) == ["number", "themes", "other"]
    assert entry["number"] == 1
    assert len(entry["themes"]) >= 3
    ids = []
    for theme in entry["themes"]:
        assert list(theme) == ["label", "phrases", "answers"]
        assert isinstance(theme["label"], str) and theme["label"]
        assert all(isinstance(p, str) for p in theme["phrases"])
        for answer in theme["answers"]:
            assert list(answer) == ["id", "reference"]
            assert isinstance(answer["id"], int)
            ids.append(answer["id"])
    for answer in entry["other"]:
        assert list(answer) == ["id", "reference"]
        ids.append(answer["id"])
    assert len(ids) == len(set(ids)) == len(labelled_answers()) + 1  # each answer once
    references = [a["reference"] for t in entry["themes"] for a in t["answers"]] + [
        a["reference"] for a in entry["other"]
    ]
    assert sum(r is not None for r in references) == 1  # the imported letter's reference
    assert next(r for r in references if r).startswith("L-")


def test_themes_for_every_question_and_as_text(database) -> None:
    result = CliRunner().invoke(cli, ["themes", "cli-themes"])
    assert result.exit_code == 0, result.output
    assert "Question 1:" in result.stdout and "Question 2:" in result.stdout
    again = CliRunner().invoke(cli, ["themes", "cli-themes", "--json"])
    numbers = [q["number"] for q in json.loads(again.stdout)["questions"]]
    assert numbers == [1, 2]


def test_themes_of_an_unknown_consultation_or_question(database) -> None:
    assert CliRunner().invoke(cli, ["themes", "nope"]).exit_code == 1
    assert CliRunner().invoke(cli, ["themes", "cli-themes", "--question", "9"]).exit_code == 1


def test_theme_runs_performs_what_the_page_queued(database) -> None:
    from sqlmodel import Session, select

    from app.analysis.models import ThemeRun
    from app.analysis.themes import runs
    from app.consultations.models import Consultation
    from kernel.clock import utcnow

    with session_scope(database) as session:
        c = session.exec(select(Consultation).where(Consultation.slug == "cli-themes")).one()
        q1 = catalogue.get_question(session, c, 1)
        runs.enqueue_run(session, consultation=c, question=q1, user=None, now=utcnow())
    result = CliRunner().invoke(cli, ["theme-runs"])
    assert result.exit_code == 0, result.output
    with Session(database) as session:
        (run,) = session.exec(select(ThemeRun)).all()
        assert run.state == "done" and run.themes_found >= 3
    assert CliRunner().invoke(cli, ["theme-runs"]).exit_code == 0  # nothing left: no error

"""Data exports for organisers: answers (CSV, XLSX), tallies (CSV, JSON), the data dictionary.

Everything streams: answers are read with ``yield_per`` (a server-side cursor on PostgreSQL) and
written out a batch at a time, so memory does not grow with the number of answers. An XLSX file
is written by xlsxwriter in ``constant_memory`` mode to a temporary file, then streamed.

Nothing identifying leaves: respondents appear by pseudonym (or, for an imported response, the
organiser's reference), never by e-mail address or name. Private answers are included only when
``include_private`` is true (organisers). Every text cell that a spreadsheet could take for a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed
with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, func, literal, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.analysis import cells, summary_text, tallies
from app.analysis.export_columns import ANSWER_COLUMNS, TALLY_COLUMNS, XLSX_WIDTHS
from app.analysis.models import AnswerTag, CampaignMember, CodebookTag
from app.consultations import catalogue
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, Kind, PostState, Response
from kernel import localtime

BATCH = 2000
_SelectT = TypeVar("_SelectT", bound=Select[*tuple[Any, ...]])
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


ROW_ROUNDING_NOTE = (
    "Equal numbers show different percentages in this row. " + summary_text.ROUNDING_EXPLAINED
)


def neutralise(value: object) -> object:
    """Make a text cell inert in spreadsheets (CSV/XLSX formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Cells of ANSWER_COLUMNS that hold free text (the rest are numbers and fixed words).
FREE_TEXT = tuple(
    i
    for i, column in enumerate(ANSWER_COLUMNS)
    if column.name in ("respondent", "organisation_name", "tags", "answer_text")
)


def _neutralise_row(row: list[object]) -> list[object]:
    for i in FREE_TEXT:
        row[i] = neutralise(row[i])
    return row


def _tag_list(dialect: str) -> ColumnElement[str]:
    aggregate = (
        func.string_agg(col(CodebookTag.label), "; ")
        if dialect == "postgresql"
        else func.group_concat(col(CodebookTag.label), "; ")
    )
    return (
        sa_select(aggregate)
        .select_from(AnswerTag)
        .join(CodebookTag, col(CodebookTag.id) == col(AnswerTag.tag_id))
        .where(col(AnswerTag.contribution_id) == col(Contribution.id))
        .scalar_subquery()
    )


def _answers_of(query: _SelectT, consultation: Consultation, include_private: bool) -> _SelectT:
    """A query of answers kept to the consultation's (not withdrawn; published ones only,
    unless ``include_private``)."""
    query = query.join(Question, col(Question.id) == col(Contribution.question_id)).where(
        col(Question.consultation_id) == consultation.id,
        col(Contribution.kind) == Kind.answer,
        col(Contribution.state) != PostState.deleted,
    )
    return query if include_private else query.where(col(Contribution.is_public))


def answer_count(session: Session, *, consultation: Consultation, include_private: bool) -> int:
    query = _answers_of(
        select(func.count()).select_from(Contribution), consultation, include_private
    )
    return session.exec(query).one()


def answer_rows(
    session: Session, *, consultation: Consultation, include_private: bool
) -> Iterator[list[object]]:
    """Every answer of the consultation as a list of cells (``ANSWER_COLUMNS``), streamed."""
    dialect = session.get_bind().dialect.name
    has_tags = (
        session.exec(
            select(CodebookTag.id).where(CodebookTag.consultation_id == consultation.id).limit(1)
        ).first()
        is not None
    )
    tags = _tag_list(dialect) if has_tags else literal("")
    columns = sa_select(
        col(Contribution.id),
        col(Response.id),
        cells.respondent_label(),
        col(Response.respondent_type),
        col(Response.organisation_name),
        col(Response.may_name_organisation),
        col(Response.channel),
        col(Response.is_late),
        col(Question.position),
        col(Contribution.stance),
        cells.effective_evaluation(),
        col(Contribution.evaluation),
        tags,
        col(CampaignMember.group_id),
        col(Contribution.state),
        col(Contribution.is_public),
        type_coerce(col(Contribution.created_at), String),
        col(Contribution.source_text),
    ).select_from(Contribution)
    query = (
        cells.with_respondent(
            _answers_of(columns, consultation, include_private).join(
                Response, col(Response.id) == col(Contribution.response_id)
            )
        )
        .outerjoin(CampaignMember, col(CampaignMember.contribution_id) == col(Contribution.id))
        .order_by(col(Contribution.id))
    )
    result = session.connection().execute(
        query.execution_options(yield_per=BATCH, stream_results=True)
    )
    times = localtime.current()
    for (
        answer_id,
        response_id,
        respondent,
        rtype,
        org,
        may_name,
        channel,
        late,
        number,
        stance,
        evaluation,
        coded,
        tags,
        group,
        state,
        is_public,
        created,
        text,
    ) in result:
        yield [
            answer_id,
            response_id,
            respondent,
            rtype,
            org or "",
            "yes" if may_name else "no",
            channel,
            "yes" if late else "no",
            number,
            stance or "",
            evaluation,
            "coded" if coded else ("declared" if stance else "none"),
            tags or "",
            group or "",
            state,
            "yes" if is_public else "no",
            _local_time(times, created),
            "" if state == PostState.removed else text,
        ]


def _local_time(times: localtime.SiteTime, value: object) -> datetime | str:
    """A stored UTC timestamp as a naive time on the site's clock, to the minute (a
    spreadsheet's date cell has no zone); empty when there is none."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return times.local(moment).replace(tzinfo=None, second=0, microsecond=0)


def _csv_cell(value: object) -> object:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else value


Progress = Callable[[int], None]


def answers_csv(
    session: Session,
    *,
    consultation: Consultation,
    include_private: bool,
    progress: Progress | None = None,
) -> Iterator[bytes]:
    """The answers as UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in ANSWER_COLUMNS])
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    for row in answer_rows(session, consultation=consultation, include_private=include_private):
        writer.writerow([_csv_cell(value) for value in _neutralise_row(row)])
        pending += 1
        if pending == BATCH:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            if progress:
                progress(pending)
            pending = 0
    if pending:
        yield buffer.getvalue().encode()
        if progress:
            progress(pending)


def answers_xlsx(
    session: Session,
    *,
    consultation: Consultation,
    include_private: bool,
    progress: Progress | None = None,
    chunk: int = 64 * 1024,
) -> Iterator[bytes]:
    import xlsxwriter

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "tmpdir": tempfile.gettempdir(),
            },
        )
        sheet = workbook.add_worksheet("Answers")
        bold = workbook.add_format({"bold": True, "bottom": 1})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        # Set before any row is written (constant memory mode writes rows as they come).
        for i, column in enumerate(ANSWER_COLUMNS):
            sheet.set_column(i, i, XLSX_WIDTHS.get(column.name, max(10, len(column.name) + 2)))
        sheet.freeze_panes(1, 0)  # the header stays in view
        for i, column in enumerate(ANSWER_COLUMNS):
            sheet.write_string(0, i, column.name, bold)
        last = 0
        for r, row in enumerate(
            answer_rows(session, consultation=consultation, include_private=include_private),
            start=1,
        ):
            for i, value in enumerate(_neutralise_row(row)):
                if isinstance(value, datetime):
                    sheet.write_datetime(r, i, value, when)
                elif isinstance(value, int):
                    sheet.write_number(r, i, value)
                else:
                    sheet.write_string(r, i, str(value))
            last = r
            if progress and r % BATCH == 0:
                progress(BATCH)
        sheet.autofilter(0, 0, last, len(ANSWER_COLUMNS) - 1)
        dictionary = workbook.add_worksheet("Data dictionary")
        dictionary.set_column(0, 0, 24)
        dictionary.set_column(1, 1, 100)
        dictionary.write_string(0, 0, "column", bold)
        dictionary.write_string(0, 1, "meaning", bold)
        for i, column in enumerate(ANSWER_COLUMNS, start=1):
            dictionary.write_string(i, 0, column.name)
            dictionary.write_string(i, 1, column.description)
        workbook.close()
        with open(path, "rb") as file:
            while block := file.read(chunk):
                yield block
    finally:
        os.unlink(path)


def tally_records(session: Session, *, consultation: Consultation) -> Iterator[dict[str, object]]:
    questions = catalogue.questions_of(session, consultation)
    for split in tallies.Split:
        annex = tallies.annex_a(
            session, consultation=consultation, split=split, questions=questions
        )
        for table in annex.tables:
            for row in table.rows:
                record: dict[str, object] = {
                    "split": split.value,
                    "group": table.group,
                    "question_number": row.position,
                    "question": row.text,
                    "respondents": row.respondents,
                }
                for category, count, pct in row.cells():
                    record[category] = count
                    record[f"{category}_pct"] = pct
                record.update(
                    coded=row.coded,
                    declared=row.declared_total,
                    removed=row.removed,
                    rounding_note=ROW_ROUNDING_NOTE if row.equal_counts_differ else "",
                )
                yield record


def tallies_csv(session: Session, *, consultation: Consultation) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[c.name for c in TALLY_COLUMNS], lineterminator="\r\n"
    )
    writer.writeheader()
    for record in tally_records(session, consultation=consultation):
        writer.writerow({k: neutralise(v) for k, v in record.items()})
    yield ("\ufeff" + buffer.getvalue()).encode()


def tallies_json(session: Session, *, consultation: Consultation, now: datetime) -> Iterator[bytes]:
    questions = catalogue.questions_of(session, consultation)
    splits = []
    for split in tallies.Split:
        annex = tallies.annex_a(
            session, consultation=consultation, split=split, questions=questions
        )
        splits.append(
            {
                "split": split.value,
                "label": split.label,
                "groups": [
                    {
                        "group": t.group,
                        "label": t.label,
                        "respondents": t.respondents,
                        "declared_answers": t.declared_answers,
                        "declared_cells": t.declared_cells,
                        "notes": summary_text.annex_notes(t),
                        "rows": [
                            {
                                "question_number": r.position,
                                "question": r.text,
                                "counts": dict(zip(tallies.CATEGORIES, r.counts, strict=True)),
                                "percentages": dict(
                                    zip(tallies.CATEGORIES, r.percentages, strict=True)
                                ),
                                "answered": r.answered,
                                "coded": r.coded,
                                "declared": r.declared,
                                "removed": r.removed,
                                "equal_counts_differ": r.equal_counts_differ,
                            }
                            for r in t.rows
                        ],
                    }
                    for t in annex.tables
                ],
            }
        )
    document = {
        "consultation": {"slug": consultation.slug, "title": consultation.title},
        "generated_at": now.isoformat(),
        "definitions": {
            "respondents": "Every response to the consultation (web and imported).",
            "no_response": "Respondents who did not answer the question.",
            "percentages": "Whole numbers of all respondents, largest-remainder rounding; "
            "ties go to the larger count, then in column order.",
            "evaluation": "An analyst's coding when there is one, else the declared stance "
            "(agree → positive, disagree → negative, neutral or not sure → "
            "neutral).",
        },
        "splits": splits,
    }
    yield json.dumps(document, ensure_ascii=False, indent=2).encode()


def data_dictionary_md() -> str:
    lines = [
        "# Data dictionary",
        "",
        "## answers.csv and answers.xlsx",
        "",
        "One row per answer.",
        "",
        "| column | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{c.name}` | {c.description} |" for c in ANSWER_COLUMNS]
    lines += [
        "",
        (
            "Text cells that start with `=`, `+`, `-` or `@` are prefixed with `'` so "
            "that spreadsheets do not run them as formulas."
        ),
        "",
        "## tallies.csv",
        "",
        "One row per split, group and question (Annex A).",
        "",
        "| column | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{c.name}` | {c.description} |" for c in TALLY_COLUMNS]
    lines += [
        "",
        "## tallies.json",
        "",
        "The same figures, nested by split and group, with the definitions used.",
        "",
    ]
    return "\n".join(lines)

"""Importing responses received by e-mail or post, from a CSV or XLSX file.

One row per respondent. Columns (names are case-insensitive; spaces count as underscores):

- ``reference`` (required): the organiser's own reference for the letter or e-mail, unique in
  the consultation. A row whose reference was imported before is skipped, so overlapping files
  never duplicate a response.
- ``respondent_type``: ``individual`` or ``organisation``.
- ``organisation_name``: required for an organisation.
- ``may_name_organisation``: ``yes`` if the organisation agreed to be named in the summary
  (default no).
- ``channel``: ``email`` or ``post``.
- ``received_at``: the date (and time, UTC) it arrived; after the closing time it is late.
- ``q1_stance``, ``q1_answer``, ``q2_stance``, … for each question: the declared stance
  (agree, disagree, neutral, not sure, or empty) and the answer's text.

Every row is checked first; if any has a problem, nothing is stored and every problem is
reported with its row and column. A valid file is stored in one transaction. A file imported
before (the same bytes: its SHA-256 is kept) is not imported again.

Imported responses are private to the organisers (their senders never chose to publish them
under a pseudonym) and count in Annex A like any other.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.analysis import spreadsheets
from app.analysis.grouping import request_regrouping
from app.analysis.models import ImportedResponse, ResponseImport
from app.audit import log as audit
from app.consultations import catalogue
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, Kind, PostState, Response
from app.participation.text import render_markdown
from kernel import i18n
from kernel.errors import FormInvalid
from kernel.text import clean

MAX_BYTES = spreadsheets.MAX_BYTES
MAX_ROWS = 50_000
MAX_ANSWER = 20_000
REQUIRED = ("reference", "respondent_type", "channel", "received_at")
OPTIONAL = ("organisation_name", "may_name_organisation")
STANCES = {
    "agree": "agree",
    "disagree": "disagree",
    "neutral": "neutral",
    "not sure": "not_sure",
    "not_sure": "not_sure",
    "": None,
}
CHANNELS = {"email": "email", "e-mail": "email", "post": "post", "letter": "post"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
QUESTION_COLUMN = re.compile(r"^q(\d+)_(stance|answer)$")


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ImportInvalid(FormInvalid):
    """A file with problems: each is listed by row and column, and nothing is imported."""

    title = i18n.N_("The file was not imported")

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__({"file": f"{len(problems)} problem(s) in the file; nothing was imported."})
        self.problems = problems


@dataclass
class ImportResult:
    imported: int = 0
    skipped: list[str] = field(default_factory=list)  # references imported before
    late: int = 0
    already_imported: ResponseImport | None = None


@dataclass(frozen=True)
class _Row:
    number: int
    reference: str
    respondent_type: str
    organisation_name: str | None
    may_name: bool
    channel: str
    received_at: datetime
    answers: dict[int, tuple[str | None, str]]  # question position -> (stance, text)


def _read(filename: str, data: bytes) -> list[list[str]]:
    """The file's rows (the header and at most ``MAX_ROWS`` responses), or ``ImportInvalid``."""
    try:
        table = spreadsheets.read_table(filename, data, max_rows=MAX_ROWS + 1)
    except spreadsheets.Unreadable as error:
        raise ImportInvalid([Problem(1, "", error.reason)]) from None
    if table.truncated:
        raise ImportInvalid(
            [
                Problem(
                    MAX_ROWS + 2,
                    "",
                    i18n._("A file holds at most {MAX_ROWS:,} responses.", MAX_ROWS=MAX_ROWS),
                )
            ]
        )
    return table.rows


def _parse_time(value: str) -> datetime | None:
    value = value.strip()
    for parse in (
        datetime.fromisoformat,
        lambda v: datetime.strptime(v, "%d/%m/%Y %H:%M"),  # noqa: DTZ007 - zone set below
        lambda v: datetime.strptime(v, "%d/%m/%Y"),  # noqa: DTZ007 - zone set below
    ):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return None


def _header(cells: list[str], questions: list[Question]) -> tuple[dict[str, int], list[Problem]]:
    problems: list[Problem] = []
    index: dict[str, int] = {}
    numbers = {q.position for q in questions}
    for i, raw in enumerate(cells):
        name = re.sub(r"\s+", "_", raw.strip().lower())
        if not name:
            continue
        match = QUESTION_COLUMN.match(name)
        known = (
            name in REQUIRED or name in OPTIONAL or (match is not None and int(match[1]) in numbers)
        )
        if not known:
            problems.append(
                Problem(
                    1,
                    raw,
                    i18n._(
                        "Unknown column (expected reference, respondent_type, organisation_name, "
                        "may_name_organisation, channel, received_at, and q<N>_stance / "
                        "q<N>_answer for questions 1 to {value}).",
                        value=len(questions),
                    ),
                )
            )
        elif name in index:
            problems.append(Problem(1, raw, i18n._("This column appears twice.")))
        else:
            index[name] = i
    problems.extend(
        Problem(1, name, i18n._("This column is missing."))
        for name in REQUIRED
        if name not in index
    )
    if not any(QUESTION_COLUMN.match(n) for n in index):
        problems.append(
            Problem(1, "q1_answer", i18n._("There is no answer column (q1_answer, …)."))
        )
    return index, problems


def _validate(rows: list[list[str]], questions: list[Question]) -> tuple[list[_Row], list[Problem]]:
    if not rows:
        return [], [Problem(1, "", i18n._("The file is empty."))]
    index, problems = _header(rows[0], questions)
    if problems:
        return [], problems
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):

        def get(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        if not any(c.strip() for c in cells):
            continue
        here: list[Problem] = []
        reference = clean(get("reference"), single_line=True)
        if not reference or len(reference) > 80:
            here.append(
                Problem(number, "reference", i18n._("Give a reference of 1 to 80 characters."))
            )
        elif reference in seen:
            here.append(
                Problem(
                    number,
                    "reference",
                    i18n._(
                        "The reference “{reference}” is also on row {seen}.",
                        reference=reference,
                        seen=seen[reference],
                    ),
                )
            )
        else:
            seen[reference] = number
        rtype = get("respondent_type").lower()
        if rtype not in ("individual", "organisation"):
            here.append(
                Problem(number, "respondent_type", i18n._("Write individual or organisation."))
            )
        org = clean(get("organisation_name"), single_line=True)
        if rtype == "organisation" and not org:
            here.append(
                Problem(
                    number,
                    "organisation_name",
                    i18n._("Give the organisation's name for an organisation."),
                )
            )
        if len(org) > 200:
            here.append(Problem(number, "organisation_name", i18n._("At most 200 characters.")))
        may_name = get("may_name_organisation").lower()
        if may_name not in YES | NO:
            here.append(Problem(number, "may_name_organisation", i18n._("Write yes or no.")))
        channel = CHANNELS.get(get("channel").lower())
        if channel is None:
            here.append(Problem(number, "channel", i18n._("Write email or post.")))
        received = _parse_time(get("received_at"))
        if received is None:
            here.append(
                Problem(
                    number,
                    "received_at",
                    i18n._("Write the date it arrived, e.g. 2026-03-14 or 14/03/2026."),
                )
            )
        answers: dict[int, tuple[str | None, str]] = {}
        before_answers = len(here)
        for question in questions:
            n = question.position
            stance_text = get(f"q{n}_stance").lower().replace("_", " ")
            text = get(f"q{n}_answer")
            if stance_text.replace(" ", "_") == "not_sure":
                stance_text = "not sure"
            if stance_text not in STANCES:
                here.append(
                    Problem(
                        number,
                        f"q{n}_stance",
                        i18n._("Write agree, disagree, neutral, not sure, or leave empty."),
                    )
                )
                continue
            if len(text) > MAX_ANSWER:
                here.append(
                    Problem(
                        number,
                        f"q{n}_answer",
                        i18n._(
                            "An answer is at most {MAX_ANSWER:,} characters.", MAX_ANSWER=MAX_ANSWER
                        ),
                    )
                )
                continue
            if stance_text and not text:
                here.append(
                    Problem(
                        number, f"q{n}_answer", i18n._("A stance is given but the answer is empty.")
                    )
                )
                continue
            if text:
                answers[n] = (STANCES[stance_text], text)
        if not answers and len(here) == before_answers:
            here.append(Problem(number, "q1_answer", i18n._("This row answers no question.")))
        problems.extend(here)
        if not here and channel is not None and received is not None:
            parsed.append(
                _Row(
                    number,
                    reference,
                    rtype,
                    org or None,
                    may_name in YES,
                    channel,
                    received,
                    answers,
                )
            )
    return parsed, problems


def import_responses(
    session: Session,
    *,
    consultation: Consultation,
    filename: str,
    data: bytes,
    organiser: User,
    now: datetime,
) -> ImportResult:
    """Validate the whole file, then store every row in the caller's transaction."""
    if len(data) > MAX_BYTES:
        raise ImportInvalid(
            [
                Problem(
                    1,
                    "",
                    i18n._("The file is larger than {MAX_BYTES} MB.", MAX_BYTES=MAX_BYTES // 2**20),
                )
            ]
        )
    digest = hashlib.sha256(data).hexdigest()
    before = session.exec(
        select(ResponseImport).where(
            ResponseImport.consultation_id == consultation.id, ResponseImport.file_sha256 == digest
        )
    ).first()
    if before is not None:
        return ImportResult(already_imported=before)
    questions = catalogue.questions_of(session, consultation)
    rows, problems = _validate(_read(filename, data), questions)
    if problems:
        raise ImportInvalid(problems)
    assert consultation.id is not None, "a stored consultation"
    known = (
        set(
            session.exec(
                select(ImportedResponse.reference).where(
                    ImportedResponse.consultation_id == consultation.id,
                    col(ImportedResponse.reference).in_([r.reference for r in rows]),
                )
            )
        )
        if rows
        else set()
    )
    batch = ResponseImport(
        consultation_id=consultation.id,
        file_sha256=digest,
        filename=filename[-200:],
        row_count=0,
        imported_by_id=organiser.id,
        imported_at=now,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None, "flushed, so it has its id"
    id_at_position = dict(
        zip((q.position for q in questions), catalogue.question_ids(questions), strict=True)
    )
    result = ImportResult()
    closes = consultation.effective_closes_at
    for row in rows:
        if row.reference in known:
            result.skipped.append(row.reference)
            continue
        late = row.received_at > closes
        response = Response(
            consultation_id=consultation.id,
            respondent_id=None,
            is_public=False,
            channel=row.channel,
            respondent_type=row.respondent_type,
            organisation_name=row.organisation_name,
            may_name_organisation=row.may_name,
            is_late=late,
            created_at=row.received_at,
            updated_at=now,
        )
        session.add(response)
        session.flush()
        assert response.id is not None, "flushed, so it has its id"
        session.add(
            ImportedResponse(
                response_id=response.id,
                import_id=batch.id,
                consultation_id=consultation.id,
                reference=row.reference,
            )
        )
        for position, (stance, text) in row.answers.items():
            session.add(
                Contribution(
                    kind=Kind.answer,
                    question_id=id_at_position[position],
                    response_id=response.id,
                    author_id=None,
                    stance=stance,
                    source_text=text,
                    html=render_markdown(text),
                    is_public=False,
                    state=PostState.visible,
                    created_at=row.received_at,
                    updated_at=now,
                )
            )
        result.imported += 1
        result.late += int(late)
    batch.row_count = result.imported
    session.add(batch)
    audit.record(
        session,
        actor_id=organiser.id,
        action="responses.import",
        subject_type="consultation",
        subject_id=consultation.id,
        details={
            "import_id": batch.id,
            "imported": result.imported,
            "skipped": len(result.skipped),
        },
        now=now,
    )
    if result.imported:
        request_regrouping(session, consultation_id=consultation.id, now=now, delay=timedelta(0))
    session.flush()
    return result

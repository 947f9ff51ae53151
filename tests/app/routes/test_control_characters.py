"""Control characters and bidirectional overrides sent through organisers' paths (the
consultation form, a CSV import, a codebook tag, the outcome) are removed on the way in, so
none comes out in the exports (before, NUL bytes reached answers.csv and summary.html, and
PostgreSQL refused to store them)."""

from __future__ import annotations

from sqlmodel import select

from app.analysis.downloads import MEDIA_TYPES
from app.consultations import catalogue
from app.consultations.models import Consultation, Theme
from tests.factories import csrf_token, make_consultation

BAD = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066"]
DIRTY = "".join(BAD)
HEADER = "reference,respondent_type,organisation_name,may_name_organisation,channel,received_at"


def _post(client, path: str, data: dict, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data}, **kwargs)


def test_organisers_text_is_cleaned_on_the_way_in_and_the_exports_are_clean(
    organiser_client, session
) -> None:
    theme = session.get(Theme, make_consultation(session).theme_id)
    created = _post(
        organiser_client,
        "/organise/new",
        {
            "theme_id": str(theme.id),
            "slug": "clean-text",
            "title": f"Clean{DIRTY} title",
            "summary": f"A sum{DIRTY}mary",
            "introduction": f"Intro{DIRTY}duction\r\nwith two lines",
            "documents": "",
            "opens_at": "2020-01-01T09:00",
            "closes_at": "2020-02-01T09:00",
            "moderation_mode": "post",
            "required_level": "email",
        },
    )
    assert created.status_code == 303, created.text[:500]
    consultation = session.exec(select(Consultation).where(Consultation.slug == "clean-text")).one()
    assert consultation.title == "Clean title"
    assert consultation.introduction == "Introduction\nwith two lines"
    added = _post(
        organiser_client,
        "/organise/clean-text/questions",
        {"text": f"What do you{DIRTY} think?", "guidance": "", "stance_prompt": ""},
    )
    assert added.status_code == 303, added.text[:500]
    assert catalogue.get_question(session, consultation, 1).text == "What do you think?"
    csv = (
        f"{HEADER},q1_stance,q1_answer\n"
        f'R{DIRTY}1,organisation,Org{DIRTY} Ltd,yes,post,2020-01-05,agree,"An{DIRTY} answer"\n'
    )
    imported = _post(
        organiser_client,
        "/organise/clean-text/import",
        {},
        files={"file": ("letters.csv", csv.encode(), "text/csv")},
    )
    assert imported.status_code == 303, imported.text[:800]
    tag = _post(organiser_client, "/organise/clean-text/codebook", {"label": f"Ta{DIRTY}g"})
    assert tag.status_code == 303
    for kind in ("answers.csv", "summary.html", "summary.md", "tallies.json", "answers.xlsx"):
        assert kind in MEDIA_TYPES
        export = organiser_client.get(f"/organise/clean-text/export/{kind}")
        assert export.status_code == 200, (kind, export.text[:300])
        body = export.content.decode("utf-8", "replace") if kind != "answers.xlsx" else ""
        assert not any(ch in body for ch in BAD), kind
    answers = organiser_client.get("/organise/clean-text/export/answers.csv").text
    assert "R1" in answers and "Org Ltd" in answers and "An answer" in answers

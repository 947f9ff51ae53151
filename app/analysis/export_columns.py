"""The columns of the organisers' exports, with what each means (the data dictionary), and
how wide each is shown in a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass

from app.analysis import tallies


@dataclass(frozen=True)
class Column:
    name: str
    description: str


ANSWER_COLUMNS = [
    Column(
        "answer_id",
        "Number of the answer: the same as “Answer N” in the coding workspace and in the "
        "organisers' links to it.",
    ),
    Column("response_id", "Number of the response (one per respondent and consultation)."),
    Column(
        "respondent",
        "The respondent's public pseudonym, or “Imported <reference>” for a "
        "response received by e-mail or post. Never a name or an address.",
    ),
    Column("respondent_type", "individual or organisation."),
    Column("organisation_name", "The organisation's name, for organisations (empty otherwise)."),
    Column(
        "may_name_organisation",
        "yes if the organisation agreed to be named in the published summary.",
    ),
    Column("channel", "web, email or post: how the response arrived."),
    Column("is_late", "yes if the response arrived after the consultation closed."),
    Column("question_number", "The question's number in the consultation."),
    Column(
        "declared_stance",
        "The stance the respondent chose: agree, disagree, neutral, not_sure, or empty.",
    ),
    Column(
        "evaluation",
        "The Annex A category this answer counts in: positive, negative, neutral or unevaluated.",
    ),
    Column(
        "evaluated_from",
        "coded (an analyst's coding), declared (the declared stance, no coding yet) or none.",
    ),
    Column("tags", "Codebook tags the analyst gave the answer, separated by “; ”."),
    Column("campaign_group", "Number of the campaign group the answer belongs to, if any."),
    Column(
        "moderation_state",
        "visible, held, hidden or removed (removed answers count; their text is not exported).",
    ),
    Column(
        "is_public",
        "yes if the respondent published their answers; no if they are private to the organisers.",
    ),
    Column(
        "submitted_at",
        "When the answer was first submitted, in the site's time zone (UK time unless set "
        "otherwise): “YYYY-MM-DD HH:MM” in CSV, a date and time cell in XLSX.",
    ),
    Column("answer_text", "The answer as the respondent wrote it (Markdown)."),
]

# Column widths in the XLSX (characters): the text wide, the codes narrow.
XLSX_WIDTHS = {
    "respondent": 24,
    "organisation_name": 30,
    "submitted_at": 17,
    "tags": 24,
    "answer_text": 90,
}

TALLY_COLUMNS = [
    Column("split", "all, respondent_type, verification or campaign."),
    Column("group", "The group within the split (e.g. individual, organisation)."),
    Column("question_number", "The question's number."),
    Column("question", "The question's text."),
    Column("respondents", "Respondents in the group: every row adds up to this number."),
    *[
        Column(f"{c}", f"Respondents counted as {tallies.CATEGORY_LABELS[c].lower()}.")
        for c in tallies.CATEGORIES
    ],
    *[
        Column(
            f"{c}_pct",
            f"{tallies.CATEGORY_LABELS[c]} as a whole-number percentage of "
            "respondents (largest remainder: each row adds up to 100).",
        )
        for c in tallies.CATEGORIES
    ],
    Column("coded", "Answers counted by an analyst's coding."),
    Column("declared", "Answers counted by their declared stance (not coded yet)."),
    Column("removed", "Answers removed by moderators (still counted)."),
    Column(
        "rounding_note",
        "Filled in when two cells of the row have the same count but different percentages, "
        "and says why (the largest remainder gives a point left over to the column further "
        "left, so that the row adds up to 100).",
    ),
]

"""The sentences of the summary of responses, worked out from its figures, once for every
rendering (the web page, the PDF and the Markdown say the same thing).

Every sentence is chosen by the numbers it states, so that none claims what the data does not
show ("every response has been analysed" while most answers are uncoded, "no organisation
asked to be named" when no organisation responded), and every count takes its singular or
plural form through ``kernel.plurals.plural`` (whole phrases, ready for translation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.analysis.tallies import TallyTable
from kernel import i18n
from kernel.plurals import plural

if TYPE_CHECKING:
    from app.analysis.outcome import QuestionSummary, Summary

# The standard method, shown unless the organisers write their own: what the evaluations
# mean, true whatever the figures (how far the coding has gone is said beside it, from them).
STANDARD_METHOD = i18n.N_(
    "Each answer to each question is given an overall evaluation: positive (it suggests the "
    "proposal is likely to be helpful), negative (it suggests the proposal needs significant "
    "change or that its focus is wrong) or neutral (including answers that suggest revisions). "
    "Until an analyst has evaluated an answer, the stance its respondent declared counts "
    "instead: agree as positive, disagree as negative, neutral or not sure as neutral. Answers "
    "received after the consultation closed, and those sent by e-mail or post, are counted in "
    "the same way. The evaluations are shown at Annex A."
)

CHANNELS = (
    ("web", i18n.N_("{n} on the site")),
    ("email", i18n.N_("{n} by e-mail")),
    ("post", i18n.N_("{n} by post")),
)


def join_words(items: Sequence[str]) -> str:
    """ "1", "1 and 3", "1, 3 and 4"."""
    if len(items) <= 1:
        return "".join(items)
    return i18n._("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def responses_sentences(s: Summary) -> list[str]:
    """What arrived: how many responses, by which channel, late ones, campaigns."""
    if not s.respondents:
        return [i18n._("We received no responses.")]
    channels = [
        i18n._(template, n=i18n.number(s.by_channel[key]))
        for key, template in CHANNELS
        if s.by_channel.get(key)
    ]
    if len(channels) > 1:
        received = plural(
            s.respondents,
            "We received {n} response: {channels}.",
            "We received {n} responses: {channels}.",
            channels=join_words(channels),
        )
    elif channels and s.by_channel.get("web") != s.respondents:
        received = plural(
            s.respondents,
            "We received {n} response, {channel}.",
            "We received {n} responses, {channel}.",
            channel=channels[0],
        )
    elif channels:
        received = plural(
            s.respondents,
            "We received {n} response, all on the site.",
            "We received {n} responses, all on the site.",
        )
    else:
        received = plural(s.respondents, "We received {n} response.", "We received {n} responses.")
    sentences = [received]
    if s.late:
        sentences.append(
            plural(
                s.late,
                "{n} response arrived after the consultation closed and was included.",
                "{n} responses arrived after the consultation closed and were included.",
            )
        )
    if s.campaign_answers:
        sentences.append(
            plural(
                s.campaign_answers,
                "{n} answer was part of an organised campaign (the same or nearly the same text "
                "sent by many people); it is counted like any other.",
                "{n} answers were part of organised campaigns (the same or nearly the same text "
                "sent by many people); they are counted like any other.",
            )
        )
    return sentences


def coding_sentences(s: Summary) -> list[str]:
    """How far the analysts' coding has gone, and what counts instead where it has not."""
    answers, coded = s.answers, s.coded
    if not answers:
        return [i18n._("No answers have been received, so there was nothing to evaluate.")]
    if coded == answers:
        sentences = [
            plural(
                answers,
                "An analyst read and evaluated the one answer.",
                "Analysts read and evaluated every one of the {n} answers.",
            )
        ]
    elif coded:
        sentences = [
            plural(
                coded,
                "Analysts have evaluated {n} of the {total} answers so far.",
                "Analysts have evaluated {n} of the {total} answers so far.",
                total=f"{answers:,}",
            )
        ]
    else:
        sentences = [
            plural(
                answers,
                "No analyst has evaluated the one answer yet.",
                "No analyst has evaluated any of the {n} answers yet.",
            )
        ]
    if s.declared:
        sentences.append(
            plural(
                s.declared,
                "{n} answer is counted by the stance its respondent declared.",
                "{n} answers are counted by the stances their respondents declared.",
            )
        )
    if s.unevaluated:
        sentences.append(
            plural(
                s.unevaluated,
                "{n} answer received by e-mail or post has neither an evaluation nor a declared "
                "stance yet, and is shown as not yet evaluated.",
                "{n} answers received by e-mail or post have neither an evaluation nor a "
                "declared stance yet, and are shown as not yet evaluated.",
            )
        )
    return sentences


def question_sentences(q: QuestionSummary) -> list[str]:
    """How many answered one question, how many of those answers are coded or campaigns."""
    if not q.answered:
        return [i18n._("Nobody answered this question.")]
    sentences = [
        plural(
            q.answered,
            "There was {n} response to this question.",
            "There were {n} responses to this question.",
        )
    ]
    if q.campaign_answers:
        sentences.append(
            plural(
                q.campaign_answers,
                "{n} of them was part of a campaign.",
                "{n} of them were part of a campaign.",
            )
        )
    return sentences


def theme_sentence(answers: int, share: int) -> str:
    """After an accepted theme's name: how many answers it holds, and their share."""
    return plural(
        answers,
        "{n} answer ({share}% of the answers to this question)",
        "{n} answers ({share}% of the answers to this question)",
        share=share,
    )


@dataclass(frozen=True)
class Organisations:
    """What to say about the organisations that responded."""

    lead: str  # the sentence before the list of names, or the only sentence
    names: list[str]
    after: str  # a sentence after the list ("2 other organisations …"), or ""


def organisation_sentences(s: Summary) -> Organisations:
    total, names = s.organisation_count, s.organisations
    if not total:
        return Organisations(i18n._("No organisation responded."), [], "")
    if not names:
        return Organisations(
            plural(
                total,
                "{n} organisation responded and did not ask to be named.",
                "{n} organisations responded; none of them asked to be named.",
            ),
            [],
            "",
        )
    lead = plural(
        len(names),
        "This organisation responded and agreed to be named:",
        "These {n} organisations responded and agreed to be named:",
    )
    others = total - len(names)
    after = (
        plural(
            others,
            "{n} other organisation responded and did not ask to be named.",
            "{n} other organisations responded and did not ask to be named.",
        )
        if others > 0
        else ""
    )
    return Organisations(lead, names, after)


def annex_notes(table: TallyTable) -> list[str]:
    """The notes under an Annex A table: the base of the percentages, what rests on declared
    stances, removed answers, and why equal counts can show different percentages."""
    notes = [
        plural(
            table.respondents,
            "Percentages are of the {n} respondent, rounded so that each row adds up to 100 "
            "(largest remainder).",
            "Percentages are of all {n} respondents, rounded so that each row adds up to 100 "
            "(largest remainder).",
        )
    ]
    answered = sum(row.answered for row in table.rows)
    unevaluated = sum(row.unevaluated for row in table.rows)
    if table.declared_answers:
        notes.append(
            plural(
                table.declared_answers,
                "{n} answer is counted by the stance its respondent declared, because no "
                "analyst has coded it yet.",
                "{n} answers are counted by the stances their respondents declared, because no "
                "analyst has coded them yet.",
            )
        )
        notes.append(
            plural(
                table.declared_cells,
                "The cell that rests on declared stances is marked d.",
                "The {n} cells that rest, at least in part, on declared stances are marked d.",
            )
        )
    elif answered and not unevaluated:
        notes.append(i18n._("Every answer counted here has been evaluated by an analyst."))
    if table.removed:
        notes.append(
            plural(
                table.removed,
                "Includes {n} answer removed by moderators, which still counts as a response.",
                "Includes {n} answers removed by moderators, which still count as responses.",
            )
        )
    tie = rounding_note(table)
    if tie:
        notes.append(tie)
    return notes


ROUNDING_EXPLAINED = i18n.N_(
    "This is the rounding: each row must add up to 100, so a point left over goes to the "
    "column further left."
)


def rounding_note(table: TallyTable) -> str:
    """Why equal numbers show different percentages in some rows ("" when none does)."""
    rows = [str(row.position) for row in table.rows if row.equal_counts_differ]
    if not rows:
        return ""
    return plural(
        len(rows),
        "In question {questions}, equal numbers of respondents show different percentages. ",
        "In questions {questions}, equal numbers of respondents show different percentages. ",
        questions=join_words(rows),
    ) + i18n.gettext(ROUNDING_EXPLAINED)

"""Theme runs and their review, on both databases: the run performed the way a worker does it
(its own sessions), the privacy rule for quotations, campaigns, accept/rename/merge/move/reject,
re-running with accepted themes kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from app.analysis import coding
from app.analysis.grouping import detect_campaigns
from app.analysis.models import (
    AnswerTag,
    CodebookTag,
    SuggestionState,
    ThemeAnswer,
    ThemeRun,
    ThemeSuggestion,
)
from app.analysis.themes import review, runs, views
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import Conflict, FormInvalid
from tests.factories import add_response, make_consultation, make_user

DATA = Path(__file__).resolve().parents[3] / "bench" / "data" / "themes_tuning.txt"


def labelled_answers() -> list[tuple[str, str]]:
    out, label = [], None
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            label = line[3:]
        elif line.strip() and not line.startswith("# "):
            out.append((label, line.strip()))
    return out


@pytest.fixture
def sessions(worker_sessions):
    return worker_sessions


@pytest.fixture
def themed(session):
    """A closed consultation whose first question has the labelled answers, published."""
    consultation = make_consultation(session, status="closed", questions=1)
    (question,) = catalogue.questions_of(session, consultation)
    for _, text in labelled_answers():
        add_response(session, consultation, {question.id: "agree"}, texts={question.id: text})
    session.commit()
    return consultation, question


def _run(session, sessions, consultation, question) -> ThemeRun:
    run = runs.enqueue_run(
        session, consultation=consultation, question=question, user=None, now=utcnow()
    )
    session.commit()
    return runs.perform_run(sessions, run.id)


def _suggested(session, question) -> list[ThemeSuggestion]:
    return list(
        session.exec(
            select(ThemeSuggestion)
            .where(
                ThemeSuggestion.question_id == question.id,
                ThemeSuggestion.state == SuggestionState.suggested,
            )
            .order_by(ThemeSuggestion.position)
        )
    )


def _members(session, suggestion) -> set[int]:
    return set(
        session.exec(
            select(ThemeAnswer.contribution_id).where(ThemeAnswer.suggestion_id == suggestion.id)
        )
    )


def test_a_run_suggests_themes_with_labels_and_records_its_progress(session, sessions, themed):
    consultation, question = themed
    ended = _run(session, sessions, consultation, question)
    assert ended.state == "done", ended.error
    assert ended.total == len(labelled_answers()) and ended.processed == ended.total
    assert ended.themes_found >= 3 and ended.finished_at is not None
    suggested = _suggested(session, question)
    assert len(suggested) == ended.themes_found
    assert all(s.label and json.loads(s.phrases) for s in suggested)
    # every answer is in exactly one suggestion or in "other"
    placed = session.exec(
        select(ThemeAnswer.contribution_id).where(ThemeAnswer.question_id == question.id)
    ).all()
    assert len(placed) == len(set(placed)) == len(labelled_answers())


def test_the_same_answers_give_the_same_themes(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    first = [(s.label, _members(session, s)) for s in _suggested(session, question)]
    _run(session, sessions, consultation, question)
    again = [(s.label, _members(session, s)) for s in _suggested(session, question)]
    assert first == again


def test_a_second_run_is_refused_while_one_is_queued(session, themed):
    consultation, question = themed
    runs.enqueue_run(session, consultation=consultation, question=question, user=None, now=utcnow())
    with pytest.raises(Conflict):
        runs.enqueue_run(
            session, consultation=consultation, question=question, user=None, now=utcnow()
        )
    assert len(session.exec(select(ThemeRun)).all()) == 1


def test_a_claimed_run_cannot_be_claimed_again(session, sessions, themed):
    consultation, question = themed
    run = runs.enqueue_run(
        session, consultation=consultation, question=question, user=None, now=utcnow()
    )
    assert runs.claim(session, run.id, now=utcnow())
    assert not runs.claim(session, run.id, now=utcnow())
    session.commit()
    with pytest.raises(Conflict):
        runs.perform_run(sessions, run.id)


def test_run_pending_performs_queued_runs_like_a_worker(session, sessions, themed):
    consultation, question = themed
    runs.enqueue_run(session, consultation=consultation, question=question, user=None, now=utcnow())
    session.commit()
    assert runs.run_pending(sessions) == 1
    assert runs.run_pending(sessions) == 0
    assert runs.latest_run(session, question=question).state == "done"


def test_quotations_come_only_from_answers_their_authors_published(session, sessions):
    consultation = make_consultation(session, status="closed", questions=1)
    (question,) = catalogue.questions_of(session, consultation)
    texts = [t for label, t in labelled_answers() if label in ("evidence", "takedown", "privacy")]
    private_ids = set()
    for i, text in enumerate(texts):
        if i % 3 == 0:  # kept private by its author
            add_response(
                session,
                consultation,
                {question.id: "agree"},
                texts={question.id: text},
                is_public=False,
            )
        elif i % 3 == 1:  # an imported letter
            add_response(
                session,
                consultation,
                {question.id: None},
                texts={question.id: text},
                imported=True,
            )
        else:
            add_response(session, consultation, {question.id: "agree"}, texts={question.id: text})
            continue
        private_ids.add(text)
    session.commit()
    _run(session, sessions, consultation, question)
    page = views.theme_page(
        session, consultation=consultation, question=question, questions=[question]
    )
    quoted = [q for card in page.suggested for q in card.quotations]
    assert quoted, "some theme has a published answer to quote"
    assert not any(q in private_ids for q in quoted)
    published = {t for i, t in enumerate(texts) if i % 3 == 2}
    assert all(q in published for q in quoted)
    assert all(len(card.quotations) <= 3 for card in page.suggested)


def test_campaign_copies_count_once_in_finding_and_every_copy_in_the_numbers(
    session, sessions, themed
):
    consultation, question = themed
    template = (
        "Platforms must keep the evidence and hand it to the police before deleting abusive "
        "posts, so that victims can get justice."
    )
    for i in range(40):
        add_response(
            session,
            consultation,
            {question.id: "agree"},
            texts={question.id: f"{template} Signed by campaigner {i}."},
        )
    detect_campaigns(session, consultation=consultation, now=utcnow())
    session.commit()
    ended = _run(session, sessions, consultation, question)
    # 40 copies are one item for the method: the themed total is the other answers plus one
    assert ended.total == len(labelled_answers()) + 40
    assert ended.items == len(labelled_answers()) + 1
    copies = set(
        session.exec(select(Contribution.id).where(Contribution.source_text.startswith(template)))
    )
    homes = set(
        session.exec(
            select(ThemeAnswer.suggestion_id).where(ThemeAnswer.contribution_id.in_(copies))
        )
    )
    assert len(homes) == 1, "every copy is in the theme of its representative"
    assert len(_members(session, session.get(ThemeSuggestion, homes.pop())) & copies) == 40


def test_accepting_a_theme_tags_its_answers_and_keeps_them_open_to_review(
    session, sessions, themed
):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    first = _suggested(session, question)[0]
    members = _members(session, first)
    tag = review.accept(
        session,
        consultation=consultation,
        suggestion_id=first.id,
        version=first.version,
        label="Keep the evidence",
        now=utcnow(),
    )
    assert tag.question_id == question.id and tag.label == "Keep the evidence"
    tagged = set(session.exec(select(AnswerTag.contribution_id).where(AnswerTag.tag_id == tag.id)))
    assert tagged == members
    # the workspace can still change each answer's tags
    one = min(members)
    organiser = make_user(session)
    coding.code_answer(
        session,
        consultation=consultation,
        answer_id=one,
        evaluation="neutral",
        tag_ids=[],
        coder=organiser,
        now=utcnow(),
    )
    assert session.get(AnswerTag, (one, tag.id)) is None
    # accepting twice (a second analyst with the same page) is refused
    with pytest.raises(Conflict):
        review.accept(
            session,
            consultation=consultation,
            suggestion_id=first.id,
            version=first.version,
            now=utcnow(),
        )


def test_accepting_under_a_name_the_codebook_has_is_refused(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    coding.add_tag(session, consultation=consultation, label="Evidence")
    first = _suggested(session, question)[0]
    with pytest.raises(FormInvalid) as refused:
        review.accept(
            session,
            consultation=consultation,
            suggestion_id=first.id,
            version=first.version,
            label="evidence",
            now=utcnow(),
        )
    assert "label" in refused.value.errors


def test_rename_merge_move_and_reject(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    a, b, c, *_ = _suggested(session, question)
    in_a, in_b, in_c = _members(session, a), _members(session, b), _members(session, c)

    review.rename(
        session,
        consultation=consultation,
        suggestion_id=a.id,
        version=a.version,
        label="Renamed theme",
    )
    assert session.get(ThemeSuggestion, a.id).label == "Renamed theme"
    with pytest.raises(Conflict):  # the version seen before the rename
        review.rename(
            session, consultation=consultation, suggestion_id=a.id, version=1, label="Stale"
        )

    review.merge(
        session,
        consultation=consultation,
        suggestion_id=b.id,
        version=session.get(ThemeSuggestion, b.id).version,
        into=str(a.id),
    )
    assert session.get(ThemeSuggestion, b.id) is None
    assert _members(session, a) == in_a | in_b

    moved = sorted(in_c)[:2]
    assert (
        review.move_answers(
            session,
            consultation=consultation,
            suggestion_id=c.id,
            answer_ids=[str(m) for m in moved],
            to="other",
        )
        == 2
    )
    other = review.other_of(session, consultation=consultation, question_id=question.id)
    assert set(moved) <= _members(session, other)
    assert _members(session, c) == in_c - set(moved)

    rejected = review.reject(
        session,
        consultation=consultation,
        suggestion_id=c.id,
        version=session.get(ThemeSuggestion, c.id).version,
    )
    assert rejected == len(in_c) - 2
    assert session.get(ThemeSuggestion, c.id) is None
    assert in_c <= _members(session, other)


def test_moving_nothing_or_to_a_theme_of_another_question_is_refused(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    a, b, *_ = _suggested(session, question)
    with pytest.raises(FormInvalid):
        review.move_answers(
            session, consultation=consultation, suggestion_id=a.id, answer_ids=[], to=str(b.id)
        )
    with pytest.raises(FormInvalid):
        review.move_answers(
            session,
            consultation=consultation,
            suggestion_id=a.id,
            answer_ids=[str(min(_members(session, a)))],
            to="999999",
        )


def test_rerunning_keeps_accepted_themes_and_themes_new_answers(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    first = _suggested(session, question)[0]
    members = _members(session, first)
    tag = review.accept(
        session,
        consultation=consultation,
        suggestion_id=first.id,
        version=first.version,
        now=utcnow(),
    )
    for text in (
        "Platforms should keep copies of deleted abuse for the police.",
        "Please save the evidence before removing anything.",
    ):
        add_response(session, consultation, {question.id: "agree"}, texts={question.id: text})
    session.commit()
    ended = _run(session, sessions, consultation, question)
    assert ended.state == "done"
    kept = session.get(ThemeSuggestion, first.id)
    assert kept.state == "accepted" and kept.tag_id == tag.id
    assert _members(session, kept) == members
    assert ended.total == len(labelled_answers()) + 2
    assert ended.items == ended.total - len(members)
    assert session.get(CodebookTag, tag.id) is not None


def test_accepted_themes_are_counted_for_the_summary_largest_first(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    for s in _suggested(session, question)[:2]:
        review.accept(
            session, consultation=consultation, suggestion_id=s.id, version=s.version, now=utcnow()
        )
    total = len(labelled_answers())
    themes = views.accepted_themes(
        session, question_ids=[question.id], answered={question.id: total}
    )[question.id]
    assert len(themes) == 2
    assert themes[0].answers >= themes[1].answers
    assert themes[0].share == round(100 * themes[0].answers / total)
    assert themes[0].quotation


def test_suggestions_json_has_the_documented_shape(session, sessions, themed):
    consultation, question = themed
    add_response(
        session,
        consultation,
        {question.id: None},
        texts={question.id: "A letter about keeping evidence of abuse for the police."},
        imported=True,
    )
    session.commit()
    _run(session, sessions, consultation, question)
    document = views.suggestions_json(session, questions=[question])
    assert set(document) == {"questions"}
    (entry,) = document["questions"]
    assert set(entry) == {"number", "themes", "other"} and entry["number"] == 1
    for theme in entry["themes"]:
        assert set(theme) == {"label", "phrases", "answers"}
        for answer in theme["answers"]:
            assert set(answer) == {"id", "reference"}
    references = [a["reference"] for t in entry["themes"] for a in t["answers"]] + [
        a["reference"] for a in entry["other"]
    ]
    assert sum(r is not None and r.startswith("L-") for r in references) == 1
    assert references.count(None) == len(references) - 1


def test_the_analysts_messages_are_in_their_language(session, sessions, themed):
    consultation, question = themed
    _run(session, sessions, consultation, question)
    a, b, c, *_ = _suggested(session, question)

    def act(language, action, suggestion, values, answers=()):
        with i18n.using(language):
            return review.apply(
                session,
                consultation=consultation,
                suggestion_id=suggestion.id,
                action=action,
                values={"version": str(session.get(ThemeSuggestion, suggestion.id).version)}
                | values,
                answer_ids=[str(x) for x in answers],
                now=utcnow(),
            )

    assert act("cy", "rename", a, {"label": "Tai"}) == "Ailenwyd y thema yn “Tai”."
    assert act("en", "rename", a, {"label": "Housing"}) == "Theme renamed “Housing”."
    assert act("cy", "merge", b, {"into": str(a.id)}) == "Cyfunwyd y themâu yn “Housing”."
    one = sorted(_members(session, c))[:1]
    assert act("cy", "move", c, {"to": "other"}, one) == "Symudwyd 1 ateb."
    two = sorted(_members(session, c))[:2]
    assert act("en", "move", c, {"to": "other"}, two) == "2 answers moved."
    left = len(_members(session, c))
    assert act("cy", "reject", c, {}) == (
        f"Gwrthodwyd y thema: mae ei {left} ateb bellach o dan “Arall”."
    )
    accepted = act("cy", "accept", a, {})
    assert accepted.startswith("Derbyniwyd y thema “Housing”")

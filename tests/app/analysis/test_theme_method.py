"""The theme method on its own (no database): words, determinism, each answer once."""

from __future__ import annotations

import random

import pytest

from app.analysis.themes.method import suggest_themes, words_of
from tests.app.analysis.test_themes import labelled_answers


def test_words_drop_stop_words_fillers_and_apostrophes():
    assert words_of("I don't think it's REALLY about the Police’s budget!") == [
        "police",
        "budget",
    ]
    assert words_of("") == [] and words_of("a an to of") == []


def test_the_same_answers_in_any_order_give_the_same_themes():
    items = [(i, text) for i, (_, text) in enumerate(labelled_answers())]
    first = suggest_themes(items)
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    again = suggest_themes(shuffled)
    assert first == again
    assert len(first.themes) >= 3


def test_each_answer_is_in_one_theme_or_other():
    items = [(i, text) for i, (_, text) in enumerate(labelled_answers())]
    found = suggest_themes(items)
    placed = [i for t in found.themes for i in t.member_ids] + list(found.other_ids)
    assert sorted(placed) == [i for i, _ in items]
    assert all(t.size >= 3 and t.label and t.phrases for t in found.themes)
    assert [t.size for t in found.themes] == sorted((t.size for t in found.themes), reverse=True)


def test_too_few_or_empty_answers_fit_no_theme():
    found = suggest_themes([(1, "Yes."), (2, "No!"), (3, "Keep the evidence.")])
    assert found.themes == [] and found.other_ids == (1, 2, 3)
    items = [(i, text) for i, (_, text) in enumerate(labelled_answers())] + [(9999, "!!!")]
    assert 9999 in suggest_themes(items).other_ids


def test_an_id_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        suggest_themes([(1, "a text"), (1, "another")])


def test_progress_is_reported_up_to_the_total():
    seen: list[tuple[int, int]] = []
    items = [(i, text) for i, (_, text) in enumerate(labelled_answers())]
    suggest_themes(items, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (len(items), len(items))
    assert all(done <= total for done, total in seen)


def test_above_the_sample_size_every_answer_is_placed_once_and_the_same_way():
    """Beyond ``sample_size`` answers only a sample goes through the sentence model; the others
    are placed by their words among the themes the sample found."""
    items = [(i, text) for i, (_, text) in enumerate(labelled_answers())]
    found = suggest_themes(items, sample_size=80)
    placed = [i for t in found.themes for i in t.member_ids] + list(found.other_ids)
    assert sorted(placed) == [i for i, _ in items]
    assert len(found.themes) >= 3
    assert suggest_themes(list(reversed(items)), sample_size=80) == found
    assert found != suggest_themes(items)  # the sample really changed what was clustered

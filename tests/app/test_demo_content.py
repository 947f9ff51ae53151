"""Checks on the demo content data (app/demo/content.py): counts, lengths, stances, uniqueness."""

from collections import Counter

import pytest

from app.demo import content

STANCES = {"agree", "disagree", "neutral", "not_sure"}
THEME_SLUGS = [
    "law-reform",
    "policing",
    "online-platforms",
    "employers-and-organisations",
    "young-people",
]
MIN_TEXT, MAX_TEXT = 10, 5000


def _by_state(state):
    return [c for c in content.CONSULTATIONS if c["state"] == state]


def _closed():
    (closed,) = _by_state("closed")
    return closed


def _all_answers():
    for answers in content.CLOSED_ANSWERS.values():
        yield from answers
    for per_question in content.OPEN_ANSWERS.values():
        for answers in per_question.values():
            yield from answers


def test_themes():
    assert [t["slug"] for t in content.THEMES] == THEME_SLUGS
    for theme in content.THEMES:
        assert set(theme) == {"slug", "name", "description"}
        assert theme["name"].strip()
        assert 20 <= len(theme["description"]) <= 300


def test_consultation_shape():
    slugs = [c["slug"] for c in content.CONSULTATIONS]
    assert len(slugs) == len(set(slugs))
    keys = {"slug", "theme", "title", "summary", "introduction", "state", "questions"}
    for c in content.CONSULTATIONS:
        assert set(c) == keys, c["slug"]
        assert c["theme"] in THEME_SLUGS
        assert c["state"] in {"open", "closed", "upcoming"}
        assert 3 <= len(c["questions"]) <= 5, c["slug"]
        assert 150 <= len(c["introduction"].split()) <= 350, c["slug"]
        assert c["summary"].strip() and "\n" not in c["summary"]
        for question in c["questions"]:
            assert set(question) == {"text", "guidance", "stance_prompt"}
            assert question["text"].endswith("?"), question["text"]
            assert question["stance_prompt"].endswith("?"), question["stance_prompt"]
            assert isinstance(question["guidance"], str)


def test_consultation_states():
    open_ = _by_state("open")
    assert sorted(c["theme"] for c in open_) == sorted(THEME_SLUGS)
    closed = _closed()
    assert closed["theme"] == "law-reform"
    assert len(closed["questions"]) == 5
    (upcoming,) = _by_state("upcoming")
    assert len(upcoming["questions"]) == 3


def test_closed_answers():
    closed = _closed()
    assert sorted(content.CLOSED_ANSWERS) == list(range(len(closed["questions"])))
    for answers in content.CLOSED_ANSWERS.values():
        assert len(answers) >= 30
    assert sum(len(a) for a in content.CLOSED_ANSWERS.values()) >= 150


def test_closed_answers_have_a_realistic_mix():
    stances = Counter(s for answers in content.CLOSED_ANSWERS.values() for s, _ in answers)
    total = sum(stances.values())
    assert set(stances) == STANCES
    assert 0.30 <= stances["agree"] / total <= 0.55
    assert 0.10 <= stances["disagree"] / total <= 0.25
    assert 0.15 <= stances["neutral"] / total <= 0.40
    assert stances["not_sure"] / total <= 0.10
    texts = [t for answers in content.CLOSED_ANSWERS.values() for _, t in answers]
    words = [len(t.split()) for t in texts]
    assert min(words) >= 15 and max(words) >= 90  # short and long answers both present
    assert any("https://example.org/" in t for t in texts)
    assert any("\n- " in t or "\n1. " in t for t in texts)
    assert any("*" in t for t in texts)


def test_open_answers():
    open_ = {c["slug"]: c for c in _by_state("open")}
    assert set(content.OPEN_ANSWERS) == set(open_)
    for slug, per_question in content.OPEN_ANSWERS.items():
        assert sorted(per_question) == list(range(len(open_[slug]["questions"]))), slug
        for answers in per_question.values():
            assert 5 <= len(answers) <= 8, slug


@pytest.mark.parametrize("answer", list(_all_answers()), ids=lambda a: a[1][:30])
def test_answer_is_valid(answer):
    stance, text = answer
    assert stance in STANCES
    assert MIN_TEXT <= len(text) <= MAX_TEXT
    assert text == text.strip()


def test_no_duplicate_texts():
    texts = [t for _, t in _all_answers()] + list(content.REPLIES)
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert duplicates == []


def test_replies():
    assert len(content.REPLIES) >= 40
    for reply in content.REPLIES:
        assert MIN_TEXT <= len(reply) <= 400


@pytest.mark.parametrize("words", [content.PSEUDONYM_ADJECTIVES, content.PSEUDONYM_NOUNS])
def test_pseudonym_parts(words):
    assert len(words) >= 60
    assert len(set(words)) == len(words)
    for word in words:
        assert word.isascii() and word.isalpha() and word == word.lower()


def test_organisation_names():
    assert len(content.ORGANISATION_NAMES) == 12
    assert len(set(content.ORGANISATION_NAMES)) == 12

"""Checks on the demo content (the TOML files in app/demo/data/, read by app/demo/content.py):
counts, lengths, stances, uniqueness; that every file parses and ships in the wheel; and that
the loader refuses a malformed file with a message naming the file and the field."""

import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path, PurePosixPath

import pytest

from app.demo import content
from app.demo.content import ContentError

DATA = content.demo_content()
STANCES = {"agree", "disagree", "neutral", "not_sure"}
THEME_SLUGS = [
    "law-reform",
    "policing",
    "online-platforms",
    "employers-and-organisations",
    "young-people",
]
MIN_TEXT, MAX_TEXT = 10, 5000
DATA_FILES = sorted(content.DATA_DIR.rglob("*.toml"))
PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def _by_state(state):
    return [c for c in DATA.consultations if c.state == state]


def _closed():
    (closed,) = _by_state("closed")
    return closed


def _all_answers():
    for consultation in DATA.consultations:
        for question in consultation.questions:
            yield from question.answers


def test_themes():
    assert [t.slug for t in DATA.themes] == THEME_SLUGS
    for theme in DATA.themes:
        assert theme.name.strip()
        assert 20 <= len(theme.description) <= 300


def test_consultation_shape():
    slugs = [c.slug for c in DATA.consultations]
    assert len(slugs) == len(set(slugs))
    for c in DATA.consultations:
        assert c.theme in THEME_SLUGS
        assert c.state in {"open", "closed", "upcoming"}
        assert 3 <= len(c.questions) <= 5, c.slug
        assert 150 <= len(c.introduction.split()) <= 350, c.slug
        assert c.summary.strip() and "\n" not in c.summary
        for question in c.questions:
            assert question.text.endswith("?"), question.text
            assert question.stance_prompt.endswith("?"), question.stance_prompt
            assert isinstance(question.guidance, str)


def test_consultation_states():
    open_ = _by_state("open")
    assert sorted(c.theme for c in open_) == sorted(THEME_SLUGS)
    closed = _closed()
    assert closed.theme == "law-reform"
    assert len(closed.questions) == 5
    (upcoming,) = _by_state("upcoming")
    assert len(upcoming.questions) == 3
    assert not upcoming.answered


def test_closed_answers():
    closed = _closed()
    for question in closed.questions:
        assert len(question.answers) >= 30
    assert sum(len(q.answers) for q in closed.questions) >= 150


def test_closed_answers_have_a_realistic_mix():
    answers = [a for q in _closed().questions for a in q.answers]
    stances = Counter(a.stance for a in answers)
    total = sum(stances.values())
    assert set(stances) == STANCES
    assert 0.30 <= stances["agree"] / total <= 0.55
    assert 0.10 <= stances["disagree"] / total <= 0.25
    assert 0.15 <= stances["neutral"] / total <= 0.40
    assert stances["not_sure"] / total <= 0.10
    texts = [a.text for a in answers]
    words = [len(t.split()) for t in texts]
    assert min(words) >= 15 and max(words) >= 90  # short and long answers both present
    assert any("https://example.org/" in t for t in texts)
    assert any("\n- " in t or "\n1. " in t for t in texts)
    assert any("*" in t for t in texts)


def test_open_answers():
    for consultation in _by_state("open"):
        for question in consultation.questions:  # every question has answers
            assert 5 <= len(question.answers) <= 8, consultation.slug


@pytest.mark.parametrize("answer", list(_all_answers()), ids=lambda a: a.text[:30])
def test_answer_is_valid(answer):
    assert answer.stance in STANCES
    assert MIN_TEXT <= len(answer.text) <= MAX_TEXT
    assert answer.text == answer.text.strip()


def test_no_duplicate_texts():
    texts = [a.text for a in _all_answers()] + [r for a in _all_answers() for r in a.replies]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert duplicates == []


def test_replies_are_written_for_the_answers_they_sit_under():
    with_replies = [a for a in _all_answers() if a.replies]
    assert len(with_replies) >= 8
    for answer in with_replies:
        assert answer.channel == "web"  # an imported answer is private: nobody replies to it
        for reply in answer.replies:
            assert MIN_TEXT <= len(reply) <= 400


def test_the_demo_has_organisations_imports_a_campaign_coding_and_an_outcome():
    answers = list(_all_answers())
    organisations = [a for a in answers if a.organisation]
    assert any(a.named for a in organisations) and any(not a.named for a in organisations)
    assert {a.channel for a in answers} == {"web", "email", "post"}
    closed = [c for c in DATA.consultations if c.state == "closed"]
    assert any(c.campaign and c.outcome and c.coded_questions for c in closed)
    assert all(c.organiser_name and c.contact_email for c in DATA.consultations)


@pytest.mark.parametrize("words", [DATA.pseudonym_adjectives, DATA.pseudonym_nouns])
def test_pseudonym_parts(words):
    assert len(words) >= 60
    assert len(set(words)) == len(words)
    for word in words:
        assert word.isascii() and word.isalpha() and word == word.lower()


def test_organisation_names():
    assert len(DATA.organisation_names) == 12
    assert len(set(DATA.organisation_names)) == 12


# The files themselves.


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_data_file_parses(path):
    assert tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_shipped_files_are_all_read():
    assert {p.name for p in DATA_FILES} == {"themes.toml", "names.toml"} | {
        p.name for p in (content.DATA_DIR / "consultations").glob("*.toml")
    }
    assert len(DATA.consultations) == len(list((content.DATA_DIR / "consultations").glob("*")))


def test_the_data_files_ship_in_the_wheel():
    patterns = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["package-data"]["app"]
    app_dir = content.DATA_DIR.parents[1]
    for path in content.DATA_DIR.rglob("*"):
        if path.is_file():
            relative = PurePosixPath(path.relative_to(app_dir).as_posix())
            assert any(relative.match(p) for p in patterns), relative


# The loader refuses malformed files, naming the file and the field.

FIRST = "consultations/01-updating-the-law-on-online-abuse.toml"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(content.DATA_DIR, folder)
    return folder


def _edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_copy_of_the_data_loads_the_same(data_copy):
    assert content.load(data_copy) == DATA


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            FIRST,
            'title = "Updating the law on online abuse"\n',
            "",
            f"{FIRST}: field 'title' is missing",
        ),
        (
            FIRST,
            'theme = "law-reform"',
            'theme = "law-reforms"',
            f"{FIRST}: field 'theme' names an unknown theme 'law-reforms'",
        ),
        (
            FIRST,
            'stance = "agree"',
            'stance = "agre"',
            (
                f"{FIRST}: question 1, answer 1: field 'stance' must be one of agree, disagree, "
                "neutral, not_sure, not 'agre'"
            ),
        ),
        (
            FIRST,
            "stance_prompt =",
            "stance_promt =",
            f"{FIRST}: question 1: unknown field 'stance_promt'",
        ),
        (FIRST, 'state = "open"', 'state = "opne"', f"{FIRST}: field 'state' must be one of"),
        (FIRST, 'state = "open"', "state = 3", f"{FIRST}: field 'state' must be text"),
        (FIRST, 'state = "open"', 'state = "open', f"{FIRST}: not valid TOML"),
        (
            "consultations/07-keeping-the-evidence.toml",
            'slug = "keeping-the-evidence"',
            'slug = "growing-up-online"',
            "07-keeping-the-evidence.toml: field 'slug' 'growing-up-online' is already used by",
        ),
        (
            "consultations/07-keeping-the-evidence.toml",
            'stance_prompt = "Should reporters always be told?"\n',
            (
                'stance_prompt = "Should reporters always be told?"\n\n'
                '[[questions.answers]]\nstance = "agree"\ntext = "Too early to say."\n'
            ),
            "07-keeping-the-evidence.toml: question 3: an upcoming consultation cannot have",
        ),
        ("themes.toml", 'name = "Policing"\n', "", "themes.toml: theme 2: field 'name' is missing"),
        ("names.toml", '"quiet", ', "3, ", "names.toml: field 'pseudonym_adjectives' must be"),
        (
            "consultations/06-guidance-on-prosecuting-online-communications.toml",
            'channel = "post"',
            'channel = "fax"',
            "field 'channel' must be one of web, email, post, not 'fax'",
        ),
    ],
)
def test_the_loader_refuses_a_malformed_file(data_copy, name, old, new, message):
    _edit(data_copy, name, old, new)
    with pytest.raises(ContentError, match=re.escape(message)) as caught:
        content.load(data_copy)
    assert str(caught.value).startswith(str(data_copy))  # the full path of the file


def test_the_loader_names_a_missing_file(data_copy):
    (data_copy / "names.toml").unlink()
    with pytest.raises(
        ContentError, match=re.escape(f"{data_copy / 'names.toml'}: file is missing")
    ):
        content.load(data_copy)

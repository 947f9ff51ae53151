"""The Welsh catalogue is complete, compiled and faithful to its message ids.

Messages are extracted from the code and templates here, as ``pybabel extract`` does with
``babel.cfg``, so a new English message without its Welsh translation fails this test (run
``bash scripts/translations.sh extract``, ``update``, translate, ``compile``)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "app" / "locale"
PO = LOCALE / "cy" / "LC_MESSAGES" / "messages.po"
MO = LOCALE / "cy" / "LC_MESSAGES" / "messages.mo"
# pybabel extract -k _ -k N_ -k n_:1,2 -k ngettext:1,2 adds these to the default keywords
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "n_": (1, 2), "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+(?:[:!][^}]*)?\}")
TAG = re.compile(r"</?[a-z]+")


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def _source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_in_the_code_and_templates_has_a_welsh_translation() -> None:
    catalogue = _catalogue()
    extracted = _source_messages()
    assert len(extracted) > 1000  # the extraction itself works
    missing = []
    for message_id in sorted(extracted):
        entry = catalogue.get(message_id)
        if entry is None:
            # a plural message is keyed by its singular
            entry = next(
                (m for m in catalogue if isinstance(m.id, tuple) and m.id[0] == message_id), None
            )
        strings = (
            ()
            if entry is None
            else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(message_id)
    assert not missing, f"{len(missing)} messages lack Welsh: {missing[:10]}"


def test_welsh_plurals_have_all_six_forms() -> None:
    catalogue = _catalogue()
    assert catalogue.num_plurals == 6
    plurals = [m for m in catalogue if m.id and isinstance(m.id, tuple)]
    assert plurals
    for message in plurals:
        assert len(message.string) == 6 and all(message.string), message.id


@pytest.mark.parametrize("kind", ["placeholders", "tags"])
def test_each_translation_keeps_the_placeholders_and_markup_of_its_message(kind: str) -> None:
    pattern = PLACEHOLDER if kind == "placeholders" else TAG
    broken = []
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(pattern.findall(ids[-1])) | set(pattern.findall(ids[0])))
        for text in strings:
            have = sorted(set(pattern.findall(text)))
            # a Welsh sentence may leave out an English-only word passed in (were / was)
            if (kind == "tags" and have != sorted(set(pattern.findall(ids[0])))) or (
                kind == "placeholders" and not set(have) <= set(wanted)
            ):
                broken.append((ids[0], text))
    assert not broken, broken[:5]


def test_the_compiled_catalogue_is_not_stale_against_its_source() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(), use_fuzzy=False)
    assert MO.read_bytes() == compiled.getvalue(), (
        "app/locale/cy/LC_MESSAGES/messages.mo is stale: run bash scripts/translations.sh compile"
    )


def test_the_glossary_names_the_terms_the_catalogue_uses() -> None:
    glossary = (LOCALE / "README.md").read_text(encoding="utf-8")
    catalogue = _catalogue()
    for english, welsh in (("consultation", "ymgynghoriad"), ("pseudonym", "ffugenw")):
        assert english in glossary and welsh in glossary
        assert any(welsh in str(m.string).lower() for m in catalogue if m.id)

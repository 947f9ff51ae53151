"""Property tests of the watched-word normaliser and matcher (Hypothesis): any phrase gives a
rule or a refusal with a reason, and any text a list of matches inside it, never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moderation.watchwords import WatchRule, compile_rules, normalise

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=200)
DISGUISED = st.lists(
    st.sampled_from(["k", "i", "1", "l", "|", "-", ".", " ", "ı", "К", "\u200b", "\u0301", "ǩ"]),
    max_size=40,
).map("".join)
RULES = compile_rules(
    [
        WatchRule(id=1, phrase="kill", action="hold"),
        WatchRule(id=2, phrase="go away", action="flag"),
    ]
)


@given(ANY_TEXT)
def test_normalising_any_text_gives_folded_single_spaced_text(text: str) -> None:
    folded = normalise(text)
    assert folded == " ".join(folded.split())
    assert normalise(folded) == normalise(folded)


@given(st.one_of(ANY_TEXT, DISGUISED))
def test_matching_any_text_gives_matches_that_lie_inside_it(text: str) -> None:
    for match in RULES.find(text):
        assert 0 <= match.start < match.end <= len(text)
        assert match.text == text[match.start : match.end]
    assert RULES.strongest_action(text) in (None, "hold", "flag")


@given(ANY_TEXT, ANY_TEXT)
def test_any_phrase_is_a_rule_or_refused_and_then_matches_any_text(phrase: str, text: str) -> None:
    try:
        rule = WatchRule(id="p", phrase=phrase, action="flag")
    except ValueError as error:  # no letters or digits: the form says so (moderation.watch)
        refusal = str(error)
    else:
        refusal = None
    if refusal is not None:
        assert "no letters or digits" in refusal
        return
    matcher = compile_rules([rule])
    assert all(m.rule_id == "p" for m in matcher.find(text))
    assert matcher.find(phrase) or not normalise(phrase).strip()

import time

import pytest

from moderation.watchwords import Match, WatchRule, compile_rules, normalise, skeleton

KILL = WatchRule(id="kill", phrase="kill", action="hold")


@pytest.fixture(scope="module")
def matcher():
    return compile_rules(
        [
            KILL,
            WatchRule(id="kill-you", phrase="kill you", action="flag"),
            WatchRule(id="ass", phrase="ass", action="flag"),
            WatchRule(id="cunt", phrase="cunt", action="hold"),
            WatchRule(id="whore", phrase="whore", action="flag"),
            WatchRule(id="god", phrase="god", action="flag"),
        ]
    )


def rule_ids(matcher, text):
    return {match.rule_id for match in matcher.find(text)}


# --- normalise ----------------------------------------------------------------------------


def test_normalise_folds_case_width_and_accents():
    assert normalise("ＫＩＬＬ") == "kill"
    assert normalise("Crème Brûlée") == "creme brulee"
    assert normalise("STRASSE straße") == "strasse strasse"


def test_normalise_removes_invisible_characters():
    assert normalise("k\u200bi\u200cl\u200dl\u2060\ufeff") == "kill"
    assert normalise("ki\u00adll") == "kill"
    assert normalise("k\u2062i\u200ell") == "kill"


def test_normalise_removes_every_format_character_including_bidi_controls_and_tags():
    # U+2066..U+2069 isolate bidi text; U+E0020..U+E007F are invisible "tag" letters
    assert normalise("k\u2066i\u2069l\U000e0041l\u202e") == "kill"


def test_normalise_maps_cyrillic_and_greek_look_alikes():
    assert normalise("kіll") == "kill"  # Cyrillic і
    assert normalise("рау уоur ѕсоrе") == "pay your score"  # Cyrillic throughout
    assert normalise("ɡοοd ναlue αnd ԁata") == "good value and data"


def test_normalise_reads_leetspeak_inside_words():
    assert normalise("k1ll") == "kill"
    assert normalise("h4t3") == "hate"
    assert normalise("l0s3r") == "loser"
    assert normalise("$h!t") == "shit"
    assert normalise("@ss") == "ass"
    assert normalise("7h15") == "this"


def test_normalise_leaves_numbers_and_punctuation_alone():
    assert normalise("In 2017, 45 people said stop!") == "in 2017, 45 people said stop!"
    assert normalise("costs $5") == "costs $5"


def test_normalise_strips_combining_marks_stacked_on_letters():
    assert normalise("k\u0336i\u0301\u0301l\u0308l\u20dd") == "kill"


def test_normalise_collapses_whitespace():
    assert normalise("  kill \u3000\t\n you  ") == "kill you"


def test_skeleton_keeps_only_letters_and_digits():
    assert skeleton("K.i-l l!") == "kill"


# --- matching: disguises that must match ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I will k1ll you",
        "ｋｉｌｌ",
        "kіll",  # Cyrillic і
        "k\u200bill",
        "k i l l",
        "k.i.l.l",
        "k-i-l-l",
        "k_i_l_l",
        "kiiill",
        "KILL!!!",
        "k!ll",
        "kíll",
        "k ill",
        "ki.ll",
        "I k i l l people",
    ],
)
def test_disguised_kill_matches_rule_kill(matcher, text):
    assert "kill" in rule_ids(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "skill",
        "Kilkenny",
        "skills to kiln clay",
        "killjoy",
    ],
)
def test_words_containing_kill_do_not_match(matcher, text):
    assert "kill" not in rule_ids(matcher, text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Scunthorpe", "cunt"),
        ("a class on assassins and bass", "ass"),
        ("good", "god"),
        ("who re-posted that?", "whore"),
        ("as", "ass"),
    ],
)
def test_classic_scunthorpe_cases_do_not_match(matcher, text, rule):
    assert rule not in rule_ids(matcher, text)


def test_short_phrases_match_when_spelt_out_one_letter_at_a_time(matcher):
    assert "ass" in rule_ids(matcher, "what an a s s")
    assert "ass" not in rule_ids(matcher, "what an as s")


def test_a_stretched_short_word_matches_but_a_doubled_letter_does_not(matcher):
    assert "god" in rule_ids(matcher, "oh gooood")
    assert "god" not in rule_ids(matcher, "oh good")


def test_multi_word_phrases_match_across_spacing_and_when_run_together(matcher):
    for text in ("I will kill   you", "kill-you", "killyou", "k i l l y o u"):
        assert "kill-you" in rule_ids(matcher, text), text


def test_a_longer_phrase_and_its_first_word_are_both_reported(matcher):
    matches = matcher.find("I will k1ll you")
    assert {m.rule_id for m in matches} == {"kill", "kill-you"}


def test_matches_give_the_span_in_the_original_text(matcher):
    text = "Well, I will ｋ\u200bіll you."
    [kill] = [m for m in matcher.find(text) if m.rule_id == "kill"]
    assert text[kill.start : kill.end] == "ｋ\u200bіll"
    assert kill.text == "ｋ\u200bіll"
    assert kill == Match(
        rule_id="kill",
        phrase="kill",
        action="hold",
        start=13,
        end=18,
        text="ｋ\u200bіll",
        form="word",
    )


def test_a_span_includes_marks_stacked_on_its_last_letter(matcher):
    [kill] = [m for m in matcher.find("kil\u0336l\u0336 now") if m.rule_id == "kill"]
    assert kill.text == "kil\u0336l\u0336"


def test_spaced_matches_span_the_whole_spaced_word(matcher):
    [kill] = [m for m in matcher.find("now k.i.l.l them") if m.rule_id == "kill"]
    assert (kill.start, kill.end, kill.form) == (4, 11, "split")


def test_every_occurrence_is_reported_once(matcher):
    matches = [m for m in matcher.find("kill, k i l l, and kill") if m.rule_id == "kill"]
    assert [m.start for m in matches] == [0, 6, 19]


# --- actions ---------------------------------------------------------------------------------


def test_strongest_action_prefers_hold_over_flag(matcher):
    assert matcher.strongest_action("I will kill you") == "hold"
    assert matcher.strongest_action("a s s") == "flag"
    assert matcher.strongest_action("A thoughtful answer about policing.") is None


def test_rules_refuse_unknown_actions_and_empty_phrases():
    with pytest.raises(ValueError, match="a\\ watch\\ rule's\\ action\\ is\\ 'hold'\\ or\\ 'flag"):
        WatchRule(id=1, phrase="kill", action="delete")
    with pytest.raises(ValueError, match=r"watch rule 1 has no letters or digits in"):
        WatchRule(id=1, phrase=" ... ", action="flag")


def test_rule_ids_must_be_unique():
    with pytest.raises(ValueError, match=r"watch rule ids must be unique"):
        compile_rules([WatchRule(1, "kill", "hold"), WatchRule(1, "maim", "hold")])


def test_a_rule_written_in_leetspeak_matches_the_plain_word():
    assert compile_rules([WatchRule(1, "k1ll", "hold")]).strongest_action("kill") == "hold"


def test_no_rules_match_nothing():
    assert compile_rules([]).find("kill") == []


def test_hundreds_of_rules_find_matches_quickly():
    words = [f"zq{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}word" for i in range(400)]
    rules = [WatchRule(i, w, "flag") for i, w in enumerate(words)]
    rules.append(WatchRule("kill", "kill", "hold"))
    matcher = compile_rules(rules)
    text = "An ordinary answer about policing and platforms, " * 100 + "k.i.l.l " + words[399]
    started = time.perf_counter()
    found = matcher.find(text)
    elapsed = time.perf_counter() - started
    assert {m.rule_id for m in found} == {"kill", 399}
    assert elapsed < 0.5

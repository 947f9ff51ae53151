"""Campaign (near-duplicate) grouping.

The template below has 100 distinct words, so 96 distinct 5-word shingles. Replacing one word
changes the 5 shingles that contain it: Jaccard with the template 91 / 101 = 0.90. Appending
3 words adds 3 shingles: 96 / 99 = 0.97. Replacing three words far apart changes 15 shingles:
81 / 111 = 0.73, below the default threshold of 0.8.
"""

import random

import pytest

from app.analysis.campaigns import (
    CampaignGroup,
    find_campaign_groups,
    normalise_for_shingles,
    shingles,
)

TEMPLATE_WORDS = [f"w{i}" for i in range(100)]
TEMPLATE = " ".join(TEMPLATE_WORDS)


def _replace(positions):
    words = list(TEMPLATE_WORDS)
    for p in positions:
        words[p] = f"changed{p}"
    return " ".join(words)


def _distinct_text(n):
    # Words that never occur elsewhere: no shingle in common with anything.
    return " ".join(f"t{n}x{i}" for i in range(40))


# normalise_for_shingles and shingles


def test_normalisation_casefolds_strips_markdown_and_url_noise():
    text = "Read **THIS**: https://www.Example.org/petition?utm_source=mail#top  now!"
    assert normalise_for_shingles(text) == "read this example org petition now"


def test_normalisation_applies_nfkc_and_joins_apostrophes():
    assert normalise_for_shingles("We don\u2019t want ﬁne print — ＡＢＣ") == (
        "we dont want fine print abc"
    )


def test_normalisation_collapses_whitespace_and_markdown_syntax():
    assert normalise_for_shingles("# Title\n\n> quoted  `code`\n- [link](x)") == (
        "title quoted code link x"
    )


def test_shingles_are_consecutive_five_word_runs():
    assert shingles("a b c d e f") == {"a b c d e", "b c d e f"}


def test_short_text_is_one_shingle_of_all_its_words():
    assert shingles("Stop  THIS!") == {"stop this"}
    assert shingles("one two", k=3) == {"one two"}


def test_empty_or_punctuation_only_text_has_no_shingles():
    assert shingles("") == set()
    assert shingles("  *** --- ") == set()


def test_template_has_ninety_six_shingles():
    assert len(shingles(TEMPLATE)) == 96


# find_campaign_groups


def test_empty_input_gives_no_groups():
    assert find_campaign_groups([]) == []


def test_identical_texts_are_one_group_represented_by_the_lowest_id():
    items = [(i, TEMPLATE) for i in (15, 10, 11, 14, 12, 13)]
    items += [(100 + n, _distinct_text(n)) for n in range(3)]
    assert find_campaign_groups(items) == [
        CampaignGroup(member_ids=(10, 11, 12, 13, 14, 15), representative_id=10)
    ]


def test_texts_identical_after_normalisation_are_grouped():
    variants = [
        TEMPLATE,
        TEMPLATE.upper(),
        f"**{TEMPLATE}**",
        TEMPLATE.replace(" ", "\n\n", 3),
        f"{TEMPLATE} https://example.org/x?utm_source=a",
        f"{TEMPLATE} https://www.example.org/x?ref=b#c",
    ]
    items = list(enumerate(variants, start=1))
    groups = find_campaign_groups(items)
    assert [g.member_ids for g in groups] == [(1, 2, 3, 4, 5, 6)]


def test_near_identical_texts_are_grouped_with_the_template_as_representative():
    items = [
        (1, _replace([10])),
        (2, _replace([30])),
        (3, _replace([50])),
        (4, _replace([70])),
        (5, _replace([90])),
        (6, TEMPLATE + " thank you kindly"),
        (50, TEMPLATE),
    ] + [(200 + n, _distinct_text(n)) for n in range(20)]
    groups = find_campaign_groups(items)
    assert len(groups) == 1
    assert groups[0].member_ids == (1, 2, 3, 4, 5, 6, 50)
    # The template's shingles are shared by more members, on average, than any variant's.
    assert groups[0].representative_id == 50


def test_text_below_the_threshold_is_left_out_of_the_group():
    items = [(i, TEMPLATE) for i in range(1, 6)]
    items.append((9, _replace([5, 45, 85])))  # Jaccard 0.73 with every other member
    assert [g.member_ids for g in find_campaign_groups(items)] == [(1, 2, 3, 4, 5)]
    lower = find_campaign_groups(items, threshold=0.7)
    assert [g.member_ids for g in lower] == [(1, 2, 3, 4, 5, 9)]


def test_distinct_texts_are_not_grouped_even_in_pairs():
    items = [(n, _distinct_text(n)) for n in range(30)]
    assert find_campaign_groups(items, min_group_size=2) == []


def test_group_smaller_than_min_group_size_is_dropped():
    items = [(i, TEMPLATE) for i in range(1, 5)]
    assert find_campaign_groups(items) == []
    assert [g.member_ids for g in find_campaign_groups(items, min_group_size=4)] == [(1, 2, 3, 4)]


def test_empty_texts_are_never_a_campaign():
    items = [(i, "") for i in range(10)] + [(20 + i, " **  ") for i in range(10)]
    assert find_campaign_groups(items) == []


def test_groups_come_largest_first_then_by_lowest_id_whatever_the_input_order():
    other = " ".join(f"v{i}" for i in range(60))
    third = " ".join(f"u{i}" for i in range(60))
    items = (
        [(i, TEMPLATE) for i in range(40, 46)]  # 6 members, lowest id 40
        + [(i, other) for i in range(10, 18)]  # 8 members, lowest id 10
        + [(i, third) for i in range(30, 36)]  # 6 members, lowest id 30
        + [(100 + n, _distinct_text(n)) for n in range(10)]
    )
    expected = [
        (tuple(range(10, 18)), 10),
        (tuple(range(30, 36)), 30),
        (tuple(range(40, 46)), 40),
    ]
    for seed in range(3):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        groups = find_campaign_groups(shuffled)
        assert [(g.member_ids, g.representative_id) for g in groups] == expected


def test_campaign_with_small_edits_is_found_among_many_distinct_answers():
    rng = random.Random(3)
    items = []
    for i in range(60):
        words = list(TEMPLATE_WORDS)
        words[rng.randrange(100)] = f"edit{i}"  # one word: Jaccard >= 0.9 with the template
        items.append((i, " ".join(words)))
    items += [(1000 + n, _distinct_text(n)) for n in range(300)]
    groups = find_campaign_groups(items)
    assert [g.member_ids for g in groups] == [tuple(range(60))]


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate id"):
        find_campaign_groups([(1, "a"), (1, "b")])


def test_bucket_member_unlike_the_leader_is_joined_through_another_member():
    # A has 2 words replaced: 86 / 106 = 0.81 with the template T. B has A's 2 replacements
    # and 2 more: 76 / 116 = 0.66 with T, but 86 / 106 = 0.81 with A. In a bucket led by T,
    # the first pass leaves B out; the second pass compares B with A and joins it.
    from app.analysis.campaigns import _hashed_shingles, _join_to_leader, _repair_bucket, _UnionFind

    texts = [TEMPLATE, _replace([10, 30]), _replace([10, 30, 60, 80])]
    sets = [_hashed_shingles(t, 5, {}) for t in texts]
    uf = _UnionFind(3)
    _join_to_leader([0, 1, 2], 0, sets, uf, 0.8)
    assert uf.find(1) == uf.find(0)
    assert uf.find(2) != uf.find(0)
    _repair_bucket([0, 1, 2], sets, uf, 0.8, set())
    assert uf.find(2) == uf.find(0)

import random
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from app.analysis.charts import stacked_bar_svg

SVG = "{http://www.w3.org/2000/svg}"

Q1 = [
    ("Positive", 14, "stance-positive"),
    ("Negative", 3, "stance-negative"),
    ("Neutral", 10, "stance-neutral"),
    ("No response", 15, "stance-none"),
]


def _parse(markup):
    return ET.fromstring(str(markup))


def _segments(root):
    return [r for r in root.findall(f"{SVG}rect") if r.get("class") != "stacked-bar-track"]


def test_output_is_markup_that_parses_as_svg_labelled_by_its_title():
    markup = stacked_bar_svg(Q1, total=42, title="Question 1")
    assert isinstance(markup, Markup)
    root = _parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert root.get("aria-labelledby") == title.get("id")


def test_title_describes_every_count_with_largest_remainder_percentages():
    root = _parse(stacked_bar_svg(Q1, total=42, title="Question 1"))
    assert root.find(f"{SVG}title").text == (
        "Question 1: Positive 14 (33%), Negative 3 (7%), Neutral 10 (24%), No response 15 (36%)"
    )


def test_segment_widths_are_shared_by_largest_remainder_and_fill_the_bar():
    # 480 px of 42: 14 -> 160 exactly; 3 -> 34 r12; 10 -> 114 r12; 15 -> 171 r18.
    # 160 + 34 + 114 + 171 = 479; the missing pixel goes to the largest remainder (15).
    root = _parse(stacked_bar_svg(Q1, total=42, title="Question 1"))
    segments = _segments(root)
    assert [r.get("class") for r in segments] == [c for _, _, c in Q1]
    assert [int(r.get("width")) for r in segments] == [160, 34, 114, 172]
    assert [int(r.get("x")) for r in segments] == [0, 160, 194, 308]


def test_widths_sum_to_the_width_for_random_rows():
    rng = random.Random(11)
    for _ in range(300):
        counts = [rng.randint(0, 60) for _ in range(rng.randint(1, 5))]
        if sum(counts) == 0:
            counts[0] = 1
        width = rng.randint(50, 900)
        segments = [(f"S{i}", c, f"s{i}") for i, c in enumerate(counts)]
        root = _parse(stacked_bar_svg(segments, total=sum(counts), title="t", width=width))
        assert sum(int(r.get("width")) for r in _segments(root)) == width


def test_zero_count_segment_is_not_drawn_but_is_named_in_the_title():
    segments = [("Positive", 0, "pos"), ("Negative", 2, "neg")]
    root = _parse(stacked_bar_svg(segments, total=2, title="Q", width=200))
    drawn = _segments(root)
    assert [(r.get("class"), r.get("width")) for r in drawn] == [("neg", "200")]
    assert root.find(f"{SVG}title").text == "Q: Positive 0 (0%), Negative 2 (100%)"


def test_zero_total_draws_an_empty_bar_titled_no_responses():
    segments = [("Positive", 0, "pos"), ("Negative", 0, "neg")]
    root = _parse(stacked_bar_svg(segments, total=0, title="Question 4"))
    assert root.find(f"{SVG}title").text == "Question 4: No responses"
    assert _segments(root) == []
    track = root.find(f"{SVG}rect")
    assert track.get("class") == "stacked-bar-track"
    assert track.get("width") == "480"


def test_hostile_label_title_and_class_are_escaped():
    hostile = "<script>alert(1)</script>"
    markup = stacked_bar_svg(
        [(hostile, 1, 'x" onmouseover="alert(2)')], total=1, title='"><img src=x>'
    )
    assert "<script" not in markup
    assert "<img" not in markup
    root = _parse(markup)
    assert root.find(f"{SVG}title").text == '"><img src=x>: <script>alert(1)</script> 1 (100%)'
    (segment,) = _segments(root)
    assert segment.get("class") == 'x" onmouseover="alert(2)'
    assert segment.get("onmouseover") is None


def test_no_element_carries_a_style_attribute():
    root = _parse(stacked_bar_svg(Q1, total=42, title="Q", fills={"stance-positive": "#1b7837"}))
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)


def test_fill_fallback_is_set_only_for_mapped_classes():
    root = _parse(stacked_bar_svg(Q1, total=42, title="Q", fills={"stance-positive": "#1b7837"}))
    fills = [r.get("fill") for r in _segments(root)]
    assert fills == ["#1b7837", None, None, None]


def test_title_ids_are_unique_per_call_and_use_the_prefix():
    first = _parse(stacked_bar_svg(Q1, total=42, title="Q", id_prefix="annex-q1"))
    second = _parse(stacked_bar_svg(Q1, total=42, title="Q", id_prefix="annex-q1"))
    first_id = first.find(f"{SVG}title").get("id")
    second_id = second.find(f"{SVG}title").get("id")
    assert first_id.startswith("annex-q1-")
    assert second_id.startswith("annex-q1-")
    assert first_id != second_id


def test_unsafe_id_prefix_is_refused():
    with pytest.raises(ValueError, match="id_prefix"):
        stacked_bar_svg(Q1, total=42, title="Q", id_prefix='x" onload="y')


def test_counts_above_total_are_refused():
    with pytest.raises(ValueError):
        stacked_bar_svg(Q1, total=40, title="Q")

"""The Annex A bar chart: valid SVG, accessible, no inline styles, exact widths."""

import xml.etree.ElementTree as ET

from app.analysis.charts import stacked_bar_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_segments_fill_the_width_exactly_and_say_their_numbers() -> None:
    svg = stacked_bar_svg(
        [
            ("positive", "Positive", 7),
            ("negative", "Negative", 4),
            ("neutral", "Neutral", 20),
            ("no_response", "No response", 11),
        ],
        title="Question 1 <&>",
        element_id="q1",
    )
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "q1-title q1-desc"
    assert root.find(f"{SVG}title").text == "Question 1 <&>"
    assert "Positive: 7 (17%)" in root.find(f"{SVG}desc").text
    rects = root.findall(f"{SVG}rect")
    assert sum(int(r.get("width")) for r in rects) == 400
    assert [r.find(f"{SVG}title").text for r in rects][1] == "Negative: 4 (9%)"
    assert "style" not in str(svg)


def test_empty_bar_says_no_responses() -> None:
    root = ET.fromstring(str(stacked_bar_svg([("positive", "Positive", 0)], title="Nobody")))
    assert root.find(f"{SVG}desc").text == "No responses."

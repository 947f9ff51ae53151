"""Property tests of Markdown and the sanitiser (Hypothesis): whatever a person types, cleaning
and rendering give safe HTML or a refusal with a reason, never an exception."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from app.participation.text import ALLOWED_TAGS, render_markdown, text_problem
from kernel.text import clean

# Text weighted towards what Markdown and HTML make of it, with any character mixed in.
MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[link](javascript:alert(1))",
        "<a href='https://x.test' onclick='x()'>a</a>",
        "**bold**",
        "_em_",
        "# heading\n",
        "> quote\n",
        "```\ncode\n```",
        "- item\n",
        "1. item\n",
        "<!-- comment -->",
        "&amp;",
        "https://example.test/path?q=1",
        "\x00",
        "\u202e",
        "\r\n",
        "|a|b|\n|-|-|\n",
        "![image](https://x.test/i.png)",
        "<style>*{}</style>",
        "<iframe src=x>",
    ]
)
TEXT = st.lists(st.one_of(MARKUP, st.text(st.characters(exclude_categories=()))), max_size=20).map(
    "".join
)
HREF = re.compile(r'href="([^"]*)"')
TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")


@given(TEXT)
def test_any_text_renders_to_html_with_only_allowed_tags_and_no_script(text: str) -> None:
    html = render_markdown(clean(text))
    assert {tag.lower() for tag in TAG.findall(html)} <= ALLOWED_TAGS
    lowered = html.lower()
    assert all(
        href.startswith(("http://", "https://", "mailto:")) for href in HREF.findall(lowered)
    )
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered)
    assert "\x00" not in html and "\u202e" not in html


@given(TEXT, st.integers(0, 50), st.integers(0, 5000))
def test_any_text_is_either_accepted_or_refused_with_a_reason(
    text: str, minimum: int, maximum: int
) -> None:
    problem = text_problem(clean(text), minimum=minimum, maximum=maximum, what="answer")
    assert problem is None or (isinstance(problem, str) and problem)

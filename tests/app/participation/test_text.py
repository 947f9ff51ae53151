"""User text: Markdown rendered to HTML that is safe to show (no script, no event handler, only
safe links), and the checks a text must pass before it is stored."""

from __future__ import annotations

import sys
import threading

import pytest
from bs4 import BeautifulSoup

from app.participation.text import ALLOWED_TAGS, LINK_REL, render_markdown, text_problem

ATTACKS = [
    "<script>alert(1)</script>",
    '<a href="/" onclick="evil()">click</a>',
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    "![tracker](https://evil.example/pixel.png)",
    '<svg onload="alert(1)"></svg>',
    "<style>body { display: none }</style>",
    '[x](https://example.org "title" onmouseover="alert(1)")',
]


def parsed(source: str) -> BeautifulSoup:
    return BeautifulSoup(render_markdown(source), "html.parser")


@pytest.mark.parametrize("source", ATTACKS)
def test_rendered_html_has_no_script_handler_or_unsafe_link(source: str) -> None:
    soup = parsed(source)
    for element in soup.find_all(True):
        assert element.name in ALLOWED_TAGS, element
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
        assert element.name != "a" or element["href"].startswith(("http://", "https://", "mailto:"))
    assert soup.find(["script", "img", "iframe", "svg", "style"]) is None


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render_markdown("<b>bold</b> & <script>x</script>")
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_markdown_formatting_is_kept() -> None:
    soup = parsed("**strong** _em_ ~~gone~~ `code`\n\n- one\n- two\n\n> quoted")
    assert soup.find("strong").text == "strong"
    assert soup.find("em").text == "em"
    assert soup.find("s").text == "gone"
    assert soup.find("code").text == "code"
    assert [li.text for li in soup.find_all("li")] == ["one", "two"]
    assert soup.find("blockquote") is not None


def test_links_are_kept_and_marked_nofollow_ugc_noopener() -> None:
    soup = parsed("[the paper](https://example.org/paper) or [mail](mailto:desk@example.org)")
    links = soup.find_all("a")
    assert [a["href"] for a in links] == ["https://example.org/paper", "mailto:desk@example.org"]
    assert all(" ".join(a["rel"]) == LINK_REL for a in links)


def test_bare_addresses_become_marked_links_but_not_inside_code() -> None:
    soup = parsed("See https://example.org/report for details.")
    (link,) = soup.find_all("a")
    assert link["href"] == "https://example.org/report"
    assert " ".join(link["rel"]) == LINK_REL
    assert parsed("`https://example.org/report`").find("a") is None


def test_an_e_mail_address_in_text_is_not_turned_into_a_link() -> None:
    assert parsed("Write to someone@example.org please.").find("a") is None


@pytest.mark.parametrize(
    ("source", "tag"), [("# Title", "h3"), ("## Sub", "h4"), ("#### Low", "h4")]
)
def test_headings_are_demoted_below_the_pages_own(source: str, tag: str) -> None:
    soup = parsed(source)
    assert soup.find(tag) is not None
    assert soup.find(["h1", "h2"]) is None


# text_problem --------------------------------------------------------------------------------


def problem(text, minimum=10, maximum=50, what="answer"):
    return text_problem(text, minimum=minimum, maximum=maximum, what=what)


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_empty_text_is_asked_for(text) -> None:
    assert problem(text) == "Enter your answer."
    assert problem(text, what="reply") == "Enter your reply."


def test_length_counts_characters_without_surrounding_space() -> None:
    assert problem("  " + "x" * 9 + "  ") == "Your answer must be at least 10 characters (it is 9)."
    assert problem("x" * 10) is None
    assert problem("x" * 50) is None
    assert problem("x" * 51) == "Your answer must be at most 50 characters (it is 51)."


def test_length_is_counted_in_characters_not_bytes() -> None:
    assert problem("é" * 50) is None
    assert problem("🙂" * 10) is None


def test_long_limits_are_written_with_thousands_separators() -> None:
    message = problem("x" * 5001, maximum=5000)
    assert message == "Your answer must be at most 5,000 characters (it is 5,001)."


def test_line_breaks_and_tabs_are_allowed() -> None:
    assert problem("First line,\r\nsecond line\tand a tab.") is None


@pytest.mark.parametrize("bad", ["\ufffd", chr(0xD800)], ids=["replacement", "surrogate"])
def test_text_that_was_not_valid_utf8_is_refused(bad: str) -> None:
    assert "not valid text" in problem(f"Broken {bad} text here.")


def test_posts_rendered_in_several_threads_at_once_each_come_out_whole() -> None:
    """Posts are written in the thread pool, several at once, and bleach's cleaner keeps the
    document it is parsing: shared between threads, one post's HTML took pieces of another's
    (or the parse failed). The interpreter is made to switch threads as often as it can."""
    sources = [
        f"Post {n}: **bold {n}**, [a link](https://example.org/{n}) and `code {n}`\n\n"
        f"- item {n}\n- <script>alert({n})</script>"
        for n in range(40)
    ]
    expected = [render_markdown(source) for source in sources]
    wrong: list[int] = []
    failed: list[BaseException] = []

    def render_some(start: int) -> None:
        for step in range(30):
            n = (start * 7 + step) % len(sources)
            try:
                if render_markdown(sources[n]) != expected[n]:
                    wrong.append(n)
            except Exception as error:  # counted: the test fails on any
                failed.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=render_some, args=(k,)) for k in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert (wrong, failed) == ([], [])

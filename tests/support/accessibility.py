"""Accessibility checks in a real browser: axe-core (the npm package pinned in
``tests/axe/package.json``, installed by ``scripts/install-test-deps.sh``) run inside a page, and
a crawl of the site as one person, one page per kind of address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.0, 2.1 and 2.2 A and AA rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Addresses a crawl does not follow: other languages (checked on purpose elsewhere), files,
# sign-in links, the operators' endpoints, leaving the site.
SKIP = re.compile(
    r"^/(language/|static/|auth/link|healthz|readyz|metrics|transparency\.json)|/export/|"
    r"\.(csv|xlsx|json|pdf|md|docx|zip)$|/evidence|/bundle|/download"
)


def axe_available() -> bool:
    return AXE.exists()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG A/AA violations axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the site's strict CSP does not apply.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def kind_of(path: str) -> str:
    """One kind of page per route: ids and slugs folded ("/consultations/S/questions/N")."""
    path = re.sub(r"\d+", "N", path)
    path = re.sub(
        r"/(consultations|themes|organise|reports)/(?!new\b)[A-Za-z0-9_-]+", r"/\1/S", path
    )
    return re.sub(r"/(pages)/[a-z-]+", r"/\1/S", path)


def crawl(page: Page, base: str, starts: list[str], *, limit: int = 80) -> Iterator[str]:
    """Visit ``starts`` and every same-site page linked from them (breadth first), once per
    kind of address; yields each address with the page loaded."""
    seen: set[str] = set()
    queue = [urljoin(base, s) for s in starts]
    visited = 0
    while queue and visited < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc != urlsplit(base).netloc or SKIP.search(parts.path):
            continue
        kind = kind_of(parts.path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        yield url
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = href.split("#", 1)[0]
            if target and kind_of(urlsplit(target).path) not in seen:
                queue.append(target)


def someone_elses_answer(engine: Any, pseudonym: str = "DemoCitizen") -> int:
    """The id of a published answer that ``pseudonym`` did not write (one they may report)."""
    from sqlmodel import select

    from app.accounts.models import User
    from app.db import session_scope
    from app.participation.models import Contribution

    with session_scope(engine) as session:
        person = session.exec(select(User).where(User.pseudonym == pseudonym)).one()
        found = session.exec(
            select(Contribution.id).where(
                Contribution.kind == "answer",
                Contribution.is_public,
                Contribution.state == "visible",
                Contribution.author_id != person.id,
            )
        ).first()
    assert found is not None, "the site has someone else's answer"
    return found

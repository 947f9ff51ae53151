"""Security from the first line: CSRF, headers, cookies, hostile input."""

import pytest
from bs4 import BeautifulSoup
from fastapi.routing import APIRoute
from sqlmodel import select

from app.participation.models import Contribution
from tests.factories import csrf_token, make_consultation, sign_in

XSS_PAYLOADS = [
    "<script>alert('x')</script> enough text",
    "<img src=x onerror=alert(1)> enough text",
    "[click me](javascript:alert(1)) enough text",
    '<a href="/x" hx-get="/account" hx-trigger="load">hx</a> enough text',
    "<svg onload=alert(1)></svg> enough text",
    "{{ 7*7 }} {% raw %} template syntax",
    '<iframe src="https://evil.example"></iframe> enough',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "![x](javascript:alert(1)) image link here",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a> data',
    '"><script>alert(document.cookie)</script> quote break',
    "<details open ontoggle=alert(1)>toggle</details>",
]


def test_every_state_changing_route_refuses_a_post_without_csrf_token(app, client) -> None:
    client.get("/")  # gets the CSRF cookie, as a browser would
    posts = []
    for route in app.routes:
        included = getattr(route, "original_router", None)
        posts.extend(
            sub.path_format
            for sub in (included.routes if included is not None else [route])
            if isinstance(sub, APIRoute) and "POST" in sub.methods
        )
    assert len(posts) >= 7
    # One-click unsubscribe is posted by mail clients without a form token (RFC 8058): the
    # signed token in its address is its authority (tests/app/participation/test_reply_notices).
    exempt = {"/unsubscribe/{token}"}
    assert exempt <= set(posts)
    for path in (p for p in posts if p not in exempt):
        concrete = (
            path.replace("{slug}", "x")
            .replace("{number}", "1")
            .replace("{answer_id}", "1")
            .replace("{token}", "t" * 20)
        )
        response = client.post(concrete, data={"text": "hello there"})
        assert response.status_code == 403, (path, response.status_code)
        assert "security token" in response.text


def test_wrong_csrf_token_is_refused_even_with_htmx_header(client) -> None:
    client.get("/")
    response = client.post(
        "/auth/sign-in",
        data={"email": "a@example.test"},
        headers={"X-CSRF-Token": "forged", "HX-Request": "true"},
    )
    assert response.status_code == 403


def test_csrf_token_in_header_is_accepted(client) -> None:
    token = csrf_token(client, "/auth/sign-in")
    response = client.post(
        "/auth/sign-in", data={"email": "a@example.test"}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 303


@pytest.mark.parametrize("path", ["/", "/auth/sign-in", "/nowhere"])
def test_security_headers_on_every_response(client, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_or_event_handlers(client, session) -> None:
    c = make_consultation(session)
    for path in [
        "/",
        f"/consultations/{c.slug}",
        f"/consultations/{c.slug}/questions/1",
        "/auth/sign-in",
        "/how-to-report",
    ]:
        page = BeautifulSoup(client.get(path).text, "html.parser")
        for script in page.find_all("script"):
            assert script.get("src"), f"inline script on {path}"
        for tag in page.find_all(True):
            assert not any(a.startswith("on") for a in tag.attrs), (path, tag.name)
            assert "style" not in tag.attrs, (path, tag.name)


def test_session_cookie_flags_and_rotation(client, outbox) -> None:
    client.get("/")
    before_csrf = client.cookies.get("reclaim_csrf")
    token = csrf_token(client, "/auth/sign-in")
    client.post("/auth/sign-in", data={"email": "cookie@example.test", "csrf_token": token})
    from tests.factories import link_from

    link = link_from(outbox)
    page = client.get(link)
    token = csrf_token(client, link)
    done = client.post(link, data={"csrf_token": token, "pseudonym": "Cookie1"})
    cookies = done.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("reclaim_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie.replace("Lax", "lax")
    assert any(c.startswith("reclaim_csrf=") for c in cookies)  # rotated at sign-in
    assert client.cookies.get("reclaim_csrf") != before_csrf
    assert page.status_code == 200


def test_xss_payloads_are_stored_and_shown_inert(client, outbox, session) -> None:
    c = make_consultation(session, questions=len(XSS_PAYLOADS))
    sign_in(client, outbox, "xss@example.test", pseudonym="Tester1")
    for number, payload in enumerate(XSS_PAYLOADS, start=1):
        path = f"/consultations/{c.slug}/questions/{number}"
        token = csrf_token(client, path)
        response = client.post(
            f"{path}/answer", data={"csrf_token": token, "stance": "agree", "text": payload}
        )
        assert response.status_code == 303, payload
        page = BeautifulSoup(client.get(path).text, "html.parser")
        body = page.select_one("#answer_list .answer__body")
        assert body is not None
        assert not body.find_all(["script", "img", "iframe", "svg", "div", "details"])
        for tag in body.find_all(True):
            assert not any(a.startswith(("on", "hx-", "style")) for a in tag.attrs), payload
            href = tag.get("href", "")
            assert not href.lower().startswith(("javascript:", "data:")), payload
    stored = session.exec(select(Contribution.source_text)).all()
    assert set(stored) == {p.strip() for p in XSS_PAYLOADS}  # kept as typed, shown inert


def test_over_long_answer_is_refused_with_a_message_and_nothing_stored(
    client, outbox, session
) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "long@example.test", pseudonym="Longwinded")
    path = f"/consultations/{c.slug}/questions/1"
    token = csrf_token(client, path)
    text = "word " * 1200
    response = client.post(
        f"{path}/answer", data={"csrf_token": token, "stance": "agree", "text": text}
    )
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "at most 5,000 characters" in page.select_one("#answer-text-error").text
    assert page.select_one("#answer-text").text.strip() == text.strip()
    assert session.exec(select(Contribution)).all() == []


def test_empty_answer_is_refused(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "empty@example.test", pseudonym="Empty1")
    path = f"/consultations/{c.slug}/questions/1"
    response = client.post(
        f"{path}/answer",
        data={"csrf_token": csrf_token(client, path), "stance": "agree", "text": "   "},
    )
    assert response.status_code == 422
    assert "Enter your answer" in response.text
    assert session.exec(select(Contribution)).all() == []


def test_invalid_utf8_is_refused_and_nothing_stored(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "bytes@example.test", pseudonym="Bytes1")
    path = f"/consultations/{c.slug}/questions/1"
    token = csrf_token(client, path)
    body = f"csrf_token={token}&stance=agree&text=".encode() + b"caf%C3%A9 not valid %FF%FE here"
    response = client.post(
        f"{path}/answer",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "not valid text" in response.text
    assert session.exec(select(Contribution)).all() == []

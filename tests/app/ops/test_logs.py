"""Structured logs: JSON lines in production, readable ones in development, each with the
request id that the response and the error page carry; no address of any kind in them."""

from __future__ import annotations

import io
import logging

import pytest
from bs4 import BeautifulSoup
from fastapi import APIRouter

from app.ops import logs
from app.settings import Settings


def _request_lines(captured) -> list[dict]:
    return [line for line in captured.lines() if line.get("event") == "request"]


def test_each_request_gets_an_id_in_its_log_line_and_its_response(client, captured_logs) -> None:
    response = client.get("/")
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 16
    [line] = _request_lines(captured_logs)
    assert line["request_id"] == request_id
    assert line["route"] == "/" and line["status"] == 200 and line["method"] == "GET"
    assert line["level"] == "info" and line["timestamp"].endswith("Z")
    assert client.get("/").headers["x-request-id"] != request_id


def test_the_route_is_logged_by_its_template_never_its_address(client, captured_logs) -> None:
    client.get("/auth/link/a-secret-sign-in-token")
    [line] = _request_lines(captured_logs)
    assert line["route"] == "/auth/link/{token}"
    assert "a-secret-sign-in-token" not in captured_logs.text


def test_a_proxys_request_id_is_used_only_when_the_proxy_is_trusted(app, client) -> None:
    sent = {"X-Request-ID": "proxy-id-0123456789"}
    assert client.get("/healthz", headers=sent).headers["x-request-id"] != "proxy-id-0123456789"
    trusted = app.state.settings.model_copy(update={"trust_proxy_headers": True})
    from fastapi.testclient import TestClient

    from app.main import create_app

    trusting = create_app(trusted, site=app.state.site)
    with TestClient(trusting) as proxied:
        assert (
            proxied.get("/healthz", headers=sent).headers["x-request-id"] == "proxy-id-0123456789"
        )
        odd = proxied.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
        assert odd.headers["x-request-id"] != "bad id <script>"


def test_an_error_page_shows_the_request_id_to_quote(client, captured_logs) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    shown = BeautifulSoup(response.text, "html.parser").select_one(".request-id code").text
    assert shown == response.headers["x-request-id"]


def test_an_unexpected_error_is_logged_with_its_request_id(
    app, settings, site, captured_logs
) -> None:
    from fastapi.testclient import TestClient

    broken = APIRouter()

    @broken.get("/broken-for-the-test")
    def fail() -> None:
        raise RuntimeError("something broke for 198.51.100.23 and someone@example.org")

    app.include_router(broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken-for-the-test")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert request_id in response.text
    [error] = [line for line in captured_logs.lines() if line.get("event") == "unhandled error"]
    assert error["request_id"] == request_id and error["level"] == "error"
    assert "RuntimeError" in error["exception"]
    assert (
        "198.51.100.23" not in captured_logs.text
        and "someone@example.org" not in captured_logs.text
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("sent to someone.else+tag@example.co.uk today", "sent to [redacted] today"),
        ("from 203.0.113.7:443", "from [redacted]:443"),
        ("client 2001:db8::1 connected", "client [redacted] connected"),
        ("version 1.2.3 and 12:30:45", "version 1.2.3 and 12:30:45"),
    ],
)
def test_addresses_in_any_log_line_are_scrubbed(text, kept) -> None:
    stream = io.StringIO()
    logs.configure(Settings(environment="test", log_format="json", _env_file=None), stream=stream)
    try:
        logging.getLogger("some.library").warning(text)
        assert kept in stream.getvalue()
    finally:
        logs.configure(Settings(environment="test", _env_file=None))


def test_development_logs_are_readable_lines_and_production_logs_json() -> None:
    assert not Settings(environment="development", _env_file=None).logs_as_json
    assert Settings(environment="test", log_format="json", _env_file=None).logs_as_json
    stream = io.StringIO()
    logs.configure(Settings(environment="development", _env_file=None), stream=stream)
    try:
        logs.get_logger("reclaim.test").info("hello", answer=42)
        line = stream.getvalue()
        assert "hello" in line and "answer=42" in line and not line.startswith("{")
    finally:
        logs.configure(Settings(environment="test", _env_file=None))

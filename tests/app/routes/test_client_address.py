"""Rate limits count the client's address: behind the trusted proxy, the one it added."""

from __future__ import annotations

from starlette.requests import Request

from app.web.client import client_address


class _App:
    def __init__(self, trust: bool) -> None:
        self.state = type(
            "State", (), {"settings": type("S", (), {"trust_proxy_headers": trust})()}
        )()


def _request(trust: bool, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request(
        {"type": "http", "headers": headers, "client": ("10.0.0.5", 1234), "app": _App(trust)}
    )


def test_the_address_the_proxy_added_counts_not_one_the_client_made_up() -> None:
    assert client_address(_request(True, "1.1.1.1, 203.0.113.7")) == "203.0.113.7"
    assert client_address(_request(True, "203.0.113.7")) == "203.0.113.7"


def test_without_a_trusted_proxy_the_header_is_ignored() -> None:
    assert client_address(_request(False, "203.0.113.7")) == "10.0.0.5"
    assert client_address(_request(True, None)) == "10.0.0.5"

"""Each request's context: its id, the site's time zone, one log line and its metrics.

The request id comes from the trusted proxy's header (``RECLAIM_REQUEST_ID_HEADER``, read only
with ``RECLAIM_TRUST_PROXY_HEADERS``) when it looks like an id, otherwise it is made up. It is
bound into every log line of the request, shown on error pages and sent back in
``X-Request-ID``, so a person reporting a problem can quote it and an operator can find it.

The log line and the metrics name the route's template (``/answers/{answer_id}``), never the
address as typed: an address can carry a sign-in token, and the metrics must not grow a series
per address.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ops import logs
from app.settings import Settings
from kernel import i18n, localtime
from kernel.localtime import SiteTime

if TYPE_CHECKING:  # prometheus-client is imported only when metrics are enabled
    from app.ops.metrics import Metrics

REQUEST_ID_HEADER = b"x-request-id"
LANGUAGE_COOKIE = "reclaim_lang"
_ACCEPTABLE_ID = re.compile(rb"^[A-Za-z0-9._:-]{8,64}$")

log = logs.get_logger("reclaim.request")


def new_request_id() -> str:
    return secrets.token_hex(8)


def request_language(scope: Scope) -> str:
    """The language a request is answered in: the one chosen with the language switch (its
    cookie), else the browser's first supported choice, else English."""
    cookie_header = accept = None
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            cookie_header = value.decode("latin-1")
        elif name == b"accept-language":
            accept = value.decode("latin-1")
    if cookie_header and LANGUAGE_COOKIE in cookie_header:
        for part in cookie_header.split(";"):
            key, _eq, value = part.strip().partition("=")
            if key == LANGUAGE_COOKIE:
                chosen = i18n.normalise(value)
                if chosen:
                    return chosen
    return i18n.negotiate(accept)


class RequestContextMiddleware:
    def __init__(
        self, app: ASGIApp, *, settings: Settings, site_time: SiteTime, metrics: Metrics | None
    ) -> None:
        self.app = app
        self.site_time = site_time
        self.metrics = metrics
        self.log_requests = settings.log_requests
        self.proxy_header = (
            settings.request_id_header.lower().encode() if settings.trust_proxy_headers else None
        )

    def _incoming_id(self, scope: Scope) -> str | None:
        if self.proxy_header is None:
            return None
        for name, value in scope.get("headers", ()):
            if name == self.proxy_header and _ACCEPTABLE_ID.match(value):
                return str(value.decode("ascii"))
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._incoming_id(scope) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        # Each request runs in a task of its own, so these stay with it to its last log line
        # (the server's own report of an unhandled error included).
        logs.bind_request(request_id)
        localtime.activate(self.site_time)
        language = request_language(scope)
        scope["state"]["language"] = language
        i18n.activate(language)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    (REQUEST_ID_HEADER, request_id.encode()),
                    (b"content-language", language.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            if self.metrics is not None:
                self.metrics.observe(scope["method"], route, status, seconds)
            if self.log_requests:
                log.info(
                    "request",
                    method=scope["method"],
                    route=route,
                    status=status,
                    ms=round(seconds * 1000, 1),
                )

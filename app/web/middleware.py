"""One small ASGI middleware for every response: security headers and the CSRF cookie."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web import csrf

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies
        headers = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if secure_cookies:
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_value = _read_cookie(scope, csrf.COOKIE)
        set_cookie = None
        if not cookie_value:
            cookie_value = csrf.new_cookie_value()
            set_cookie = cookie_value
        scope.setdefault("state", {})["csrf_cookie"] = cookie_value

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in self.headers if h[0] not in present)
                if set_cookie and not _sets_cookie(headers, csrf.COOKIE):
                    headers.append((b"set-cookie", self.cookie_header(set_cookie)))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def cookie_header(self, value: str) -> bytes:
        secure = "; Secure" if self.secure_cookies else ""
        return f"{csrf.COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()


def _read_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is just ignored
                return None
            if name in jar:
                return jar[name].value
    return None


def _sets_cookie(headers: list[tuple[bytes, bytes]], name: str) -> bool:
    prefix = name.encode() + b"="
    return any(k == b"set-cookie" and v.startswith(prefix) for k, v in headers)

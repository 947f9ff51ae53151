"""Helpers that start real services for the tests: PostgreSQL, an SMTP sink, Chromium and an
OpenID Connect provider.

Each lives in its own module so that importing one does not pull in the others' dependencies:

- ``tests.support.postgres``: ``running_postgres()``, ``PostgresServer``, ``pg_dump(url)``
- ``tests.support.smtp``: ``running_smtp()``, ``SmtpSink``
- ``tests.support.browser``: ``chromium_available()``, ``launch_chromium()``, ``chromium_context()``
- ``tests.support.oidc``: ``running_oidc_provider()``, ``OidcProvider``, ``complete_login()``
"""

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on right now (the usual small race applies)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])

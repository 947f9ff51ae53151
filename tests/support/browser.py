"""Headless Chromium for browser tests, driven by Playwright.

The system Chromium (``/usr/bin/chromium``, from ``apt-get install chromium``, or the path in
``RECLAIM_CHROMIUM``) is used; ``playwright install`` is never needed.

    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright, chromium_context(playwright) as context:
        page = context.new_page()
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

ENV_CHROMIUM = "RECLAIM_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--metrics-recording-only",
)


def chromium_path() -> str | None:
    """The Chromium executable to use, or None if there is none."""
    configured = os.environ.get(ENV_CHROMIUM)
    for candidate in (configured, DEFAULT_CHROMIUM, shutil.which("chromium")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_available() -> bool:
    """True when both a Chromium executable and the Playwright package are present."""
    if chromium_path() is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def launch_chromium(
    playwright: Playwright,
    *,
    javascript_enabled: bool = True,
    base_url: str | None = None,
    **context_options: Any,
) -> tuple[Browser, BrowserContext]:
    """Launch headless Chromium and open a fresh context (its own cookies and storage).

    The caller closes both: ``context.close(); browser.close()``. Extra keyword arguments go to
    ``browser.new_context`` (e.g. ``viewport``, ``locale``).
    """
    executable = chromium_path()
    if executable is None:
        raise RuntimeError(
            f"Chromium not found at {DEFAULT_CHROMIUM} (apt-get install chromium, or set "
            f"{ENV_CHROMIUM})"
        )
    browser = playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )
    try:
        options: dict[str, Any] = {"java_script_enabled": javascript_enabled, **context_options}
        if base_url is not None:
            options["base_url"] = base_url
        context = browser.new_context(**options)
    except BaseException:
        browser.close()
        raise
    return browser, context


@contextmanager
def chromium_context(
    playwright: Playwright,
    *,
    javascript_enabled: bool = True,
    base_url: str | None = None,
    **context_options: Any,
) -> Iterator[BrowserContext]:
    """``launch_chromium`` as a context manager yielding the ``BrowserContext``; closes both."""
    browser, context = launch_chromium(
        playwright, javascript_enabled=javascript_enabled, base_url=base_url, **context_options
    )
    try:
        yield context
    finally:
        try:
            context.close()
        finally:
            browser.close()

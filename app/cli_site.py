"""The site a ``reclaim`` command works on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.wiring import Site


def site() -> Site:
    """The site this command works on, from the environment's settings."""
    from app.settings import get_settings
    from app.wiring import build_site
    from kernel import localtime

    site = build_site(get_settings())
    localtime.activate(site.time)  # messages and documents show times in the site's zone
    return site

"""Paths from route names (``url_for`` in templates and handlers), without scanning routes.

Each application has its own ``Urls`` (``app.state.urls``), built once its routers are in."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from starlette.routing import BaseRoute, Route


class Urls:
    def __init__(self, router: Any) -> None:
        self._paths: dict[str, str] = {}
        self._register(router.routes, "")

    def _register(self, routes: list[BaseRoute], prefix: str) -> None:
        """Remember every named route's path (routers included by FastAPI are walked too)."""
        for route in routes:
            if isinstance(route, Route) and route.name:
                self._paths[route.name] = prefix + route.path_format
            included = getattr(route, "original_router", None)
            if included is not None:
                context = getattr(route, "include_context", None)
                self._register(included.routes, prefix + (getattr(context, "prefix", "") or ""))

    def __call__(self, name: str, /, _query: dict[str, Any] | None = None, **params: object) -> str:
        try:
            template = self._paths[name]
        except KeyError:
            raise KeyError(f"no route named {name!r}") from None
        # A whole number (most parameters: ids, positions) is digits already: quoting it would
        # give the same text, at several times the cost, for every link of every page.
        path = template.format(
            **{k: str(v) if type(v) is int else quote(str(v), safe="") for k, v in params.items()}
        )
        if _query:
            clean = {k: v for k, v in _query.items() if v not in (None, "")}
            if clean:
                path += "?" + urlencode(clean)
        return path


def url_for(
    request: Request, name: str, /, _query: dict[str, Any] | None = None, **params: object
) -> str:
    """The path of the route ``name`` in the request's application."""
    urls: Urls = request.app.state.urls
    return urls(name, _query=_query, **params)


def static_url(path: str) -> str:
    return "/static/" + path.lstrip("/")

"""Fast path building from route names (``url_for`` in templates), without scanning routes."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.routing import Route, Router

_paths: dict[str, str] = {}


def register_routes(router: Router, prefix: str = "") -> None:
    """Remember every named route's path (routers included by FastAPI are walked too)."""
    for route in router.routes:
        if isinstance(route, Route) and route.name:
            _paths[route.name] = prefix + route.path_format
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            register_routes(included, prefix + (getattr(context, "prefix", "") or ""))


def url_for(name: str, /, _query: dict | None = None, **params: object) -> str:
    try:
        template = _paths[name]
    except KeyError:
        raise KeyError(f"no route named {name!r}") from None
    path = template.format(**{k: quote(str(v), safe="") for k, v in params.items()})
    if _query:
        clean = {k: v for k, v in _query.items() if v not in (None, "")}
        if clean:
            path += "?" + urlencode(clean)
    return path


def static_url(path: str) -> str:
    return "/static/" + path.lstrip("/")

"""One hook mechanism for the whole site: how a domain asks the rest of the site for what it
does not own, without importing it.

Built on pluggy (the plugin system of pytest and tox). A domain declares what it needs as hook
*specifications* (a class of ``@hookspec`` methods); another part of the site answers with
*implementations* (``@hookimpl`` methods of a plugin object). Each running site builds its own
registry (``registry``), so two applications in one process (tests do this) never share hooks,
and a database session carries the registry of the site that opened it (``bind`` / ``of``):
domain code that needs a hook reaches it through the session it was given.

Calls take keyword arguments only. A hook with ``firstresult=True`` returns the first non-None
answer; any other returns the list of every plugin's answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

import pluggy
from sqlalchemy.orm import Session

PROJECT = "reclaim"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

Registry = pluggy.PluginManager
_KEY = "reclaim.hooks"


class HooksNotBound(RuntimeError):
    """A session without a registry reached code that needs one (a wiring mistake)."""


def registry(*, specs: Iterable[ModuleType | type], plugins: Iterable[object] = ()) -> Registry:
    """A new registry with these specifications and plugins; an implementation that matches no
    specification is refused, so a misspelt hook fails at start-up."""
    manager = pluggy.PluginManager(PROJECT)
    for spec in specs:
        manager.add_hookspecs(spec)
    for plugin in plugins:
        manager.register(plugin)
    manager.check_pending()
    return manager


def bind(session: Session, hooks: Registry) -> Session:
    """Give a session the registry of the site that opened it."""
    session.info[_KEY] = hooks
    return session


def session_info(hooks: Registry) -> dict[str, Any]:
    """The ``info`` argument for a new ``Session`` bound to ``hooks``."""
    return {_KEY: hooks}


def of(session: Session) -> pluggy.HookRelay:
    """The hooks of the session's site (``of(session).some_hook(session=session, ...)``)."""
    hooks: Registry | None = session.info.get(_KEY)
    if hooks is None:
        raise HooksNotBound("this database session has no hook registry (see kernel.hooks.bind)")
    return hooks.hook


def implemented(session: Session, name: str) -> bool:
    """Whether any plugin of the session's site implements the hook ``name``."""
    return bool(getattr(of(session), name).get_hookimpls())


def announce(session: Session, name: str, **kwargs: Any) -> None:
    """Call hook ``name`` if the session belongs to a site; a session opened on a bare engine
    (a script loading data) has nobody listening, and that is no mistake for an announcement
    (unlike a question the caller needs answered, see ``of``)."""
    hooks: Registry | None = session.info.get(_KEY)
    if hooks is not None:
        getattr(hooks.hook, name)(session=session, **kwargs)

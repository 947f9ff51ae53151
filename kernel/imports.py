"""Keeping a library from importing optional modules that a process does not need."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


def hide(*names: str) -> list[str]:
    """From now on, importing any of the modules ``names`` raises ``ImportError``, as if it
    were not installed (``None`` in ``sys.modules`` is the import system's "not here"). A
    module imported already is left alone. Returns the names hidden."""
    hiding = [name for name in names if name not in sys.modules]
    for name in hiding:
        sys.modules[name] = None  # type: ignore[assignment]
    return hiding


@contextmanager
def hidden(*names: str) -> Iterator[None]:
    """``hide`` the modules for the block only: afterwards each can be imported again by
    whoever needs it."""
    hiding = hide(*names)
    try:
        yield
    finally:
        for name in hiding:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]

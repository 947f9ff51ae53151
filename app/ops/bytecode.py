"""How the web workers of ``reclaim serve --workers N`` load their code: optimised, from a
bytecode cache of their own.

A worker holds the compiled code of some thousand modules for as long as it lives, and a good
part of that is docstrings and ``assert`` statements, which a server never reads. Workers run
with ``PYTHONOPTIMIZE=2`` (as ``python -OO``), which leaves both out: about 5 MiB less in each
worker, measured with ``bench/mixed_load.py`` (118 against 123 MiB after three runs).

Optimised code has compiled files of its own (``*.opt-2.pyc``), which ``pip install`` does not
write; a worker without them compiles every module from its source at each start, which takes
longer and leaves the compiler's memory behind. So the workers keep their compiled files in a
cache folder of their own (``PYTHONPYCACHEPREFIX``), never beside the installed sources; the
supervisor fills it before the first worker starts (``app.serving``). Because those files go
only there, the workers may write them even where ``PYTHONDONTWRITEBYTECODE`` keeps Python
from writing beside the sources. An operator who sets ``PYTHONOPTIMIZE`` or
``PYTHONPYCACHEPREFIX`` keeps their own choice (``PYTHONOPTIMIZE=0`` turns this off).

The site's code does not use docstrings or ``assert`` to work: its asserts state what the types
already guarantee, and its checks of input are ordinary conditions.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

OPTIMISE = "2"


def cache_folder(environ: MutableMapping[str, str] | None = None) -> Path:
    """``reclaim/bytecode`` in the user's cache folder (``XDG_CACHE_HOME`` or ``~/.cache``)."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reclaim" / "bytecode"


def prepare_workers(environ: MutableMapping[str, str] | None = None) -> bool:
    """Set, in the environment the workers inherit, how they load their code; whether their
    compiled files may be written (not where an operator's own folder forbids it), so that
    filling the cache is worth a process."""
    environ = os.environ if environ is None else environ
    environ.setdefault("PYTHONOPTIMIZE", OPTIMISE)
    if "PYTHONPYCACHEPREFIX" not in environ:
        environ["PYTHONPYCACHEPREFIX"] = str(cache_folder(environ))
        # Compiled files now go only to the cache, never beside the sources.
        environ.pop("PYTHONDONTWRITEBYTECODE", None)
    return not environ.get("PYTHONDONTWRITEBYTECODE")

"""Structured logs: every line through structlog, JSON in production, readable in development.

``configure`` sends the standard library's log records (uvicorn's, Alembic's, the site's own)
through the same processors, so each line carries the time (UTC), the level, the logger and
the request id of the request it belongs to (bound by ``app.web.context`` for each request).

No line may hold an IP address or an e-mail address. The site never logs them, and as a last
line of defence ``scrub`` replaces anything that looks like one (a library's message can quote
what it was given); verified names cannot be recognised that way, so nothing logs a person's
name in the first place (``tests/app/ops/test_journey_logs.py`` checks a whole journey).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import sys
import threading
from collections.abc import MutableMapping
from typing import IO, Any

from kernel.imports import hidden

# structlog imports Rich (and Rich imports Pygments) whenever they are installed, to draw
# tracebacks in a terminal; the site's lines are JSON or plain text, and Rich would cost every
# worker some 4 MiB. structlog is imported with Rich hidden, then Rich is left for whatever else
# imports it (the CLI's progress bars); a development console shows plain tracebacks.
with hidden("rich"):
    import structlog
    from structlog.typing import EventDict, Processor, WrappedLogger

from app.settings import Settings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
REDACTED = "[redacted]"

# Loggers whose records go through the same handler (uvicorn configures its own otherwise).
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic")
# uvicorn's line per request, with the client's address: kept only when asked for
# (``reclaim serve --access-log``). uvicorn turns it off by emptying this logger and stopping
# its records from propagating, before it loads the application, whose ``configure`` would
# otherwise route it to the site's handler again, and uvicorn then logs every request.
ACCESS_LOGGER = "uvicorn.access"


def _access_log_turned_off(logger: logging.Logger) -> bool:
    return not logger.propagate and not logger.handlers


# Loggers kept to warnings: the HTTP client logs every address it calls (an identity provider's
# token and userinfo calls among them), which is noise at best. httpx2 is the fork of httpx
# that huggingface_hub (through tokenizers, for the theme method) and Starlette's test client
# use when it is installed; it logs under its own names.
QUIET_LOGGERS = ("httpx", "httpcore", "httpx2", "httpcore2")


def _scrub_text(text: str) -> str:
    if "@" in text:
        text = EMAIL.sub(REDACTED, text)
    if "." in text:
        text = IPV4.sub(REDACTED, text)
    if text.count(":") >= 2:
        text = IPV6.sub(_if_address, text)
    return text


def _if_address(match: re.Match[str]) -> str:
    """An IPv6 address is replaced; a time of day (12:30:45) is not one."""
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)
    return REDACTED


def scrub(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Replace e-mail and IP addresses in every text value of a log line."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = _scrub_text(value)
    return event_dict


class _Sink:
    """Where every line of the process goes, from either path below; ``configure`` points it
    at a stream. One lock, so that lines from threads never interleave."""

    def __init__(self) -> None:
        self.stream: IO[str] = sys.stderr
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


_SINK = _Sink()


class _Tail:
    """The last processors of every line (scrubbing and rendering). Loggers keep their chain
    once used, so the chain holds this one object, which ``configure`` updates in place."""

    def __init__(self) -> None:
        self.processors: list[Processor] = []

    def __call__(self, logger: WrappedLogger, name: str, event_dict: EventDict) -> Any:
        result: Any = event_dict
        for processor in self.processors:
            result = processor(logger, name, result)
        return result


_TAIL = _Tail()


def _common() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _name_the_logger(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """``logger``, as the standard library's lines have it (``get_logger`` cannot bind that
    key itself: structlog takes it for something else)."""
    if "logger_name" in event_dict:
        event_dict["logger"] = event_dict.pop("logger_name")
    return event_dict


def _drop_colours(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """uvicorn gives some records a copy of their message with terminal colour codes
    (``color_message``): not for a log file."""
    event_dict.pop("color_message", None)
    return event_dict


def configure(settings: Settings, *, stream: IO[str] | None = None) -> None:
    """Route every log line of this process through structlog. Called once per process (the
    web workers on import of ``app.asgi``, each CLI command); the tests call it with a stream
    of their own to read what was written.

    Two paths end in the same place. The site's own lines (``get_logger``) take structlog's
    native path, straight to the stream: a request's line costs about a third of what the
    standard library's machinery would (``bench/profile_request.py``). Everything logged through
    the standard library (uvicorn, Alembic, other libraries) is formatted by the same
    processors on its way out."""
    _SINK.stream = stream or sys.stderr
    if settings.logs_as_json:
        _TAIL.processors = [
            structlog.processors.format_exc_info,
            scrub,
            structlog.processors.JSONRenderer(),
        ]
    else:
        _TAIL.processors = [scrub, structlog.dev.ConsoleRenderer(colors=False)]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            *_common(),
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            _drop_colours,
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _TAIL],
    )
    handler = logging.StreamHandler(_SINK)
    handler.setFormatter(formatter)
    level = logging.getLevelName(settings.log_level)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        if name == ACCESS_LOGGER and _access_log_turned_off(server_logger):
            continue  # the server was told to keep no access log: it stays off
        server_logger.handlers = []
        server_logger.propagate = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    structlog.configure(
        processors=[*_common(), _name_the_logger, _TAIL],
        logger_factory=structlog.WriteLoggerFactory(file=_SINK),  # type: ignore[arg-type]
        # The level is read when a logger is first used: set it once, at the start.
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    """A structlog logger (``log.info("event", key=value)``) whose lines name ``name``."""
    return structlog.get_logger(logger_name=name)  # lazy: set up on first use


def bind_request(request_id: str) -> None:
    """Start a request's log context: its id goes into every line until the next request."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)


def bound_values() -> MutableMapping[str, Any]:
    return structlog.contextvars.get_contextvars()

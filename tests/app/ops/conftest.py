"""Reading what the site logs: every line of the process, as the configured handler writes it."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from app.ops import logs
from app.settings import Settings


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        """Every line as JSON (each must be a JSON object)."""
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@pytest.fixture
def captured_logs() -> Iterator[Captured]:
    """Every log line of the process as JSON, as production writes them, until the test ends."""
    stream = io.StringIO()
    logs.configure(Settings(environment="test", log_format="json", _env_file=None), stream=stream)
    yield Captured(stream)
    logs.configure(Settings(environment="test", _env_file=None))

"""The web framework's own telemetry stays off: with an OpenTelemetry provider in the process
(an instrumented launch), FastAPI would otherwise trace each request, the query string and the
client's address included, to an exporter outside the site's scrubbed logs."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.telemetry")  # FastAPI with telemetry of its own brings it
from opentelemetry import _logs, metrics, trace


class RecordingTracer(trace.NoOpTracer):
    def __init__(self, spans: list[str]) -> None:
        self.spans = spans

    def start_span(self, name: str, *args: Any, **kwargs: Any) -> trace.Span:
        self.spans.append(name)
        return super().start_span(name, *args, **kwargs)

    def start_as_current_span(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.spans.append(name)
        return super().start_as_current_span(name, *args, **kwargs)


class RecordingTracerProvider(trace.TracerProvider):
    """A configured provider (neither OpenTelemetry's deferred default nor its no-op one) that
    notes every span."""

    def __init__(self) -> None:
        self.spans: list[str] = []

    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        return RecordingTracer(self.spans)


class RecordingMeterProvider(metrics.MeterProvider):
    """A configured meter provider that notes every meter asked for."""

    def __init__(self) -> None:
        self.meters: list[str] = []

    def get_meter(self, name: str, *args: Any, **kwargs: Any) -> metrics.Meter:
        self.meters.append(name)
        return metrics.NoOpMeter(name)


@pytest.fixture
def providers(monkeypatch) -> tuple[RecordingTracerProvider, RecordingMeterProvider]:
    tracer, meter = RecordingTracerProvider(), RecordingMeterProvider()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: tracer)
    monkeypatch.setattr(metrics, "get_meter_provider", lambda: meter)
    monkeypatch.setattr(_logs, "get_logger_provider", _logs.NoOpLoggerProvider)
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
    return tracer, meter


def test_no_request_is_traced_even_with_a_provider_configured(providers, client) -> None:
    tracer, meter = providers
    assert trace.get_tracer_provider() is tracer  # the site would see a configured provider
    assert client.get("/consultations", params={"q": "someone@example.org"}).status_code == 200
    assert client.get("/auth/link/a-secret-sign-in-token").status_code in (200, 303, 400, 404)
    assert client.post("/auth/sign-in", data={"email": "someone@example.org"}).status_code < 500
    assert tracer.spans == []
    assert meter.meters == []

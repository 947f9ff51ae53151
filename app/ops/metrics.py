"""Prometheus metrics (``prometheus-client``), off unless ``RECLAIM_METRICS_ENABLED``.

Two kinds of figure:

- per process, counted as requests are answered: requests by method, route and status, and
  the time they took (a histogram per route);
- read from the database when scraped, the same whichever process answers: cases waiting for
  a moderator by severity band, and whatever else is registered with ``Metrics.register``
  (``build_metrics`` is the one place that registers them; the outbox adds mail waiting to be
  sent there).

Several uvicorn workers are several processes, each counting its own requests. Set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder writable by the site (it must be set before
the workers start, and emptied at each start: compose.yaml uses a tmpfs) and every worker
writes its counts there; whichever worker answers the scrape adds them all up. Without it, a
scrape sees only the worker that answered it (fine with one worker per container).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from app.wiring import Site
from moderation import workload
from moderation.reasons import severity_band_label

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """One application's metrics: its own registry, never the library's global one."""

    def __init__(self, *, multiprocess_dir: str | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir or os.environ.get(MULTIPROCESS_ENV) or None
        self.registry = CollectorRegistry(auto_describe=False)
        self._read_at_scrape: list[Collector] = []
        self.requests = Counter(
            "reclaim_http_requests",
            "HTTP requests answered, by method, route and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "reclaim_http_request_duration_seconds",
            "Time taken to answer a request, by method and route.",
            ("method", "route"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def register(self, collector: Collector) -> None:
        """Add a figure read when scraped (a ``collect()`` that yields metric families)."""
        self._read_at_scrape.append(collector)

    def exposition(self) -> tuple[bytes, str]:
        """The text a scraper reads, and its content type."""
        registry = CollectorRegistry(auto_describe=False)
        if self.multiprocess_dir:
            MultiProcessCollector(registry, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
        else:
            registry.register(_Forward(self.registry))
        for collector in self._read_at_scrape:
            registry.register(collector)
        return generate_latest(registry), CONTENT_TYPE_LATEST


class _Forward(Collector):
    """This process's own counters, in the registry of one scrape."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


class ModerationWorkload(Collector):
    """``reclaim_moderation_cases_waiting{band,label}``: cases awaiting a moderator."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def collect(self) -> Iterable[Metric]:
        try:
            with self.site.session() as session:
                counts = workload.waiting_by_band(session)
        except SQLAlchemyError:  # the database is down: /readyz says so; the rest still scrapes
            return
        family = GaugeMetricFamily(
            "reclaim_moderation_cases_waiting",
            "Moderation cases waiting for a moderator (open, held or appealed), by severity band.",
            labels=("band", "label"),
        )
        for band, count in counts.items():
            family.add_metric((str(band), severity_band_label(band)), count)
        yield family


def build_metrics(site: Site) -> Metrics:
    """The application's metrics, with every figure read from the database registered."""
    metrics = Metrics()
    metrics.register(ModerationWorkload(site))
    return metrics

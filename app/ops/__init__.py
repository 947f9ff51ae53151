"""Operating the site: structured logs, readiness checks, metrics and backups.

- ``logs``       structlog for every log line (JSON in production), the request id in each
- ``readiness``  what ``/readyz`` checks, as a list of named checks that others can extend
- ``metrics``    Prometheus metrics, with one place to register a collector
- ``backup``     a consistent copy of a SQLite database while the site serves
"""

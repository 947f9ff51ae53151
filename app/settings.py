"""All of Reclaim's configuration, read from the environment (prefix ``RECLAIM_``) or ``.env``.

Every field here is documented in README.md ("Settings"); a test checks the two agree.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.identity import onelogin

# Development-only values. The app refuses to start with any of them outside development.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-0123456789abcdef"  # noqa: S105
DEV_VAULT_KEYS = "dev1:" + base64.urlsafe_b64encode(b"D" * 32).decode()
DEV_BLIND_INDEX_KEY = base64.urlsafe_b64encode(b"B" * 32).decode()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RECLAIM_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production."
    )
    database_url: str = Field(
        "sqlite:///var/reclaim.db",
        description="SQLAlchemy URL: sqlite:///path.db (default) or postgresql+psycopg://…",
    )
    database_pool_size: int | None = Field(
        None,
        ge=1,
        description="Requests per process that use the database at once (more wait "
        "their turn; default 2, measured best for 2 workers on 2 cores on either database); "
        "the pool holds twice as many connections.",
    )
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY), description="Signs CSRF tokens and other server secrets."
    )
    vault_keys: SecretStr = Field(
        SecretStr(DEV_VAULT_KEYS),
        description="Identity-vault key-encryption keys, 'id:base64url32bytes' comma-separated.",
    )
    vault_active_key: str | None = Field(
        None, description="Id of the vault key that encrypts new records (default: the first)."
    )
    blind_index_key: SecretStr = Field(
        SecretStr(DEV_BLIND_INDEX_KEY),
        description="HMAC key (base64url, 32 bytes) for the vault's blind indexes.",
    )
    base_url: str = Field(
        "http://127.0.0.1:8000", description="Public address of the site, used in e-mail links."
    )
    site_name: str = Field("Reclaim", description="Name shown in pages and e-mails.")
    leave_site_url: str = Field(
        "https://www.bbc.co.uk/weather",
        description="Neutral site the 'Leave this site' button opens in place of Reclaim.",
    )
    mail_from: str = Field("Reclaim <no-reply@reclaim.invalid>", description="Sender of e-mails.")
    smtp_host: str | None = Field(None, description="SMTP server; unset = console + dev outbox.")
    smtp_port: int = Field(587, description="SMTP port.")
    smtp_username: str | None = Field(None, description="SMTP user name, if the server needs one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Use STARTTLS when the server offers it.")
    session_idle_minutes: int = Field(120, description="A session ends after this long unused.")
    session_absolute_hours: int = Field(
        24 * 14, description="A session ends this long after sign-in (hours)."
    )
    sign_in_link_minutes: int = Field(15, description="How long a sign-in link stays valid.")
    rate_limit_sign_in: str = Field(
        "5/15 minutes", description="Sign-in link requests per e-mail address."
    )
    rate_limit_sign_in_client: str = Field(
        "100/15 minutes",
        description="Sign-in link requests per client address (loose: a school or an office "
        "may share one).",
    )
    rate_limit_posting: str = Field("30/hour", description="Answers and replies per account.")
    rate_limit_reporting: str = Field("20/hour", description="Reports per account.")
    answers_per_page: int = Field(50, description="Answers shown per page of a question.")
    fragment_cache_mib: int = Field(
        3,  # 2 served fewer pages; 3 as many as 4 (bench/README.md), a megabyte less a process
        ge=0,
        le=1024,
        description="Rendered answer lists and answers each web process keeps, in MiB of "
        "memory (0 keeps none): more serves more pages from memory, at that cost per process.",
    )
    moderation_claim_minutes: int = Field(
        20, description="How long a moderator's claim on a case lasts (minutes)."
    )
    appeal_window_days: int = Field(183, description="Days in which a decision can be appealed.")
    auto_hide_reporters: int = Field(
        3, description="Established, accurate reporters needed to hide a post pending review."
    )
    moderation_queue_per_page: int = Field(50, description="Cases per page of the queue.")
    trust_proxy_headers: bool = Field(
        False,
        description="Behind a reverse proxy: take the client address from the last "
        "X-Forwarded-For entry, and the request id from RECLAIM_REQUEST_ID_HEADER.",
    )
    # Identity verification by OpenID Connect (e.g. GOV.UK One Login) --------------------------
    oidc_issuer: str | None = Field(
        None, description="OpenID Connect issuer URL; unset = no identity verification."
    )
    oidc_provider_name: str = Field(
        "your identity provider", description="Name of the provider shown to people."
    )
    oidc_client_id: str | None = Field(None, description="Client id registered at the provider.")
    oidc_client_auth: Literal["client_secret_basic", "client_secret_post", "private_key_jwt"] = (
        Field(
            "client_secret_basic",
            description="How Reclaim authenticates at the token "
            "endpoint: client_secret_basic, client_secret_post or private_key_jwt.",
        )
    )
    oidc_client_secret: SecretStr | None = Field(
        None, description="Client secret (client_secret_basic or client_secret_post)."
    )
    oidc_private_key: SecretStr | None = Field(
        None, description="Private key as a JWK (JSON) for private_key_jwt, with its kid."
    )
    oidc_scopes: str = Field("openid email profile", description="Scopes requested.")
    oidc_claims: str | None = Field(
        None, description="JSON of the 'claims' request parameter (identity claims to ask for)."
    )
    oidc_vtr: str | None = Field(
        None,
        description="Vector of trust requested ('vtr'), e.g. [\"Cl.Cm.P2\"] for GOV.UK "
        "One Login; unset = not sent.",
    )
    oidc_min_vot: str | None = Field(
        None,
        description="Lowest 'vot' accepted in the ID token (e.g. Cl.Cm.P2); unset = not checked.",
    )
    oidc_core_identity_issuer: str | None = Field(
        None,
        description="Issuer of GOV.UK One Login core identity JWTs (e.g. "
        "https://identity.integration.account.gov.uk/); with the key below, the name and birth "
        "date are taken only from that signed JWT, which is then required. Unset = off.",
    )
    oidc_core_identity_keys: str | None = Field(
        None,
        description="Public key(s) that sign core identity JWTs (EC P-256), as a JWK or a "
        "JWK Set (JSON) copied from One Login's DID document, each with its kid (the DID "
        "verification method id). Never fetched at run time.",
    )
    rate_limit_oidc: str = Field(
        "10/15 minutes", description="Identity-provider sign-ins started and callbacks, per client."
    )
    # Disclosure of an identity ---------------------------------------------------------------
    disclosure_two_person_rule: bool = Field(
        True, description="A second custodian must approve every disclosure of an identity."
    )
    disclosure_view_minutes: int = Field(
        30, description="How long after approval the requester may view the identity (once)."
    )
    # Operating it: local time, logs, metrics, readiness (README, "Running in production") ------
    time_zone: str = Field(
        "Europe/London",
        description="Time zone of every time shown and of every time an organiser types "
        "(stored times stay UTC).",
    )
    log_format: Literal["auto", "json", "console"] = Field(
        "auto",
        description="Log lines as JSON or readable console lines; auto = JSON in "
        "production, console otherwise.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Lowest level of log line written."
    )
    log_requests: bool = Field(
        True,
        description="One log line per request: method, route, status, time taken and request "
        "id (never the address, the query or the visitor's IP address).",
    )
    request_id_header: str = Field(
        "X-Request-ID",
        description="Header the trusted proxy puts its request id in (read only with "
        "RECLAIM_TRUST_PROXY_HEADERS); otherwise a request id is made up.",
    )
    metrics_enabled: bool = Field(
        False, description="Serve Prometheus metrics at /metrics (needs RECLAIM_METRICS_TOKEN)."
    )
    metrics_token: SecretStr | None = Field(
        None, description="Bearer token that a scraper must send to read /metrics."
    )
    bench_routes: bool = Field(
        False, description="Serve the benchmark-only /hello route (for bench/ scripts only)."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"RECLAIM_TIME_ZONE {value!r} is not a known time zone (e.g. Europe/London)."
            ) from None
        return value

    @model_validator(mode="after")
    def _metrics_need_a_token(self) -> Settings:
        token = self.metrics_token.get_secret_value() if self.metrics_token else ""
        if self.metrics_enabled and len(token) < 24:
            raise ValueError(
                "RECLAIM_METRICS_ENABLED needs RECLAIM_METRICS_TOKEN of at least 24 characters."
            )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def logs_as_json(self) -> bool:
        if self.log_format == "auto":
            return self.environment == "production"
        return self.log_format == "json"

    # Mail outbox, the worker and scheduled jobs ------------------------------------------------
    smtp_timeout_seconds: float = Field(
        15, gt=0, description="Seconds to wait for the SMTP server before an attempt fails."
    )
    worker_in_process: bool = Field(
        False,
        description="Run the worker (mail and scheduled jobs) inside each web process; "
        "`reclaim serve` and `reclaim demo` turn it on with SQLite unless given --no-worker.",
    )
    worker_poll_seconds: float = Field(
        5, gt=0, description="Longest a worker sleeps when nothing wakes it (seconds)."
    )
    mail_batch_size: int = Field(
        100, ge=1, description="Messages a worker claims at once and sends over one connection."
    )
    mail_lease_seconds: float = Field(
        300,
        gt=0,
        description="How long claimed messages stay with their worker before another may take "
        "them over (after a crash).",
    )
    mail_max_attempts: int = Field(
        10, ge=1, description="Attempts before a message is parked as failed for an admin."
    )
    mail_retry_seconds: float = Field(
        10,
        gt=0,
        description="Wait after a first failed attempt; it doubles after each further failure "
        "(with jitter), up to an hour (30 seconds for sign-in links).",
    )
    outbox_keep_days: int = Field(
        30, ge=1, description="Days sent, cancelled and failed messages are kept in the outbox."
    )
    campaign_regroup_seconds: float = Field(
        60,
        ge=0,
        description="After new answers, campaigns are found again this many seconds later "
        "(one run for all that arrived meanwhile); after an import, at once.",
    )

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def pool_size(self) -> int:
        """How many of a process's requests use the database at once. Each runs Python in a
        thread of its own, and every thread more competes for the same interpreter lock and
        the same two cores (PostgreSQL's backends too): on 2 workers and 2 cores, 2 each
        served about 17 % more of the mixed load than 4 on PostgreSQL and 8 % more on SQLite,
        posted 15-20 % more replies per second with a lower p99, and used 2-4 MiB less
        (``bench/mixed_load.py``, ``bench/question_page.py``; bench/README.md). One did no
        better than two, and would let one slow request hold up every other. On a larger
        machine, or a database server of its own, raise it."""
        return self.database_pool_size or 2

    @model_validator(mode="after")
    def _check_core_identity(self) -> Settings:
        issuer, keys = self.oidc_core_identity_issuer, self.oidc_core_identity_keys
        if bool(issuer) != bool(keys):
            raise ValueError(
                "Set RECLAIM_OIDC_CORE_IDENTITY_ISSUER and "
                "RECLAIM_OIDC_CORE_IDENTITY_KEYS together, or neither."
            )
        if keys:
            try:
                onelogin.load_public_keys(keys)
            except ValueError as error:
                raise ValueError(f"RECLAIM_OIDC_CORE_IDENTITY_KEYS {error}.") from None
            try:
                onelogin.with_core_identity_claim(self.oidc_claims)
            except ValueError as error:
                raise ValueError(f"RECLAIM_OIDC_CLAIMS {error}.") from None
        return self

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.environment != "production":
            return self
        defaults = {
            "RECLAIM_SECRET_KEY": self.secret_key.get_secret_value() == DEV_SECRET_KEY,
            "RECLAIM_VAULT_KEYS": self.vault_keys.get_secret_value() == DEV_VAULT_KEYS,
            "RECLAIM_BLIND_INDEX_KEY": self.blind_index_key.get_secret_value()
            == DEV_BLIND_INDEX_KEY,
        }
        bad = [name for name, is_default in defaults.items() if is_default]
        if bad:
            raise ValueError(
                "Refusing to start in production with development secrets: set "
                + ", ".join(bad)
                + " (see README, 'Settings')."
            )
        if len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("RECLAIM_SECRET_KEY must be at least 32 characters.")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()

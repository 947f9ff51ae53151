"""Settings: documented in README and .env.example, and no development secret in production."""

import re

import pytest
from pydantic import ValidationError

from app.settings import Settings
from tests.factories import ROOT

NAMES = [f"RECLAIM_{name.upper()}" for name in Settings.model_fields]


@pytest.mark.parametrize("document", ["README.md", ".env.example"])
def test_every_setting_is_documented(document: str) -> None:
    text = (ROOT / document).read_text()
    documented = set(re.findall(r"RECLAIM_[A-Z_]+", text))
    assert set(NAMES) <= documented, set(NAMES) - documented
    assert documented <= set(NAMES) | {
        "RECLAIM_TEST_DATABASE_URL",
        "RECLAIM_PG_BIN",
        "RECLAIM_CHROMIUM",
    }


def test_production_refuses_development_secrets() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", _env_file=None)
    assert "RECLAIM_SECRET_KEY" in str(refused.value)
    assert "RECLAIM_VAULT_KEYS" in str(refused.value)


def test_production_starts_with_real_secrets() -> None:
    key = "k1:" + "A" * 43 + "="
    settings = Settings(
        environment="production",
        secret_key="s" * 40,
        vault_keys=key,
        blind_index_key="B" * 43 + "=",
        _env_file=None,
    )
    assert settings.environment == "production"


def test_development_accepts_defaults() -> None:
    assert Settings(environment="development", _env_file=None).is_development

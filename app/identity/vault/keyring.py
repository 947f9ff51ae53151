"""Key-encryption keys (KEKs) for the identity vault, read from settings.

The setting ``RECLAIM_VAULT_KEYS`` holds one or more keys, comma-separated, each written
``id:base64url`` where the base64url text (padded or not) decodes to exactly 32 bytes::

    RECLAIM_VAULT_KEYS="k2:3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,k1:…"
    RECLAIM_VAULT_ACTIVE_KEY=k2            # optional; default: the first key listed

The *active* key wraps every new data key and every re-wrapped one; the others are kept only so
that records wrapped under them can still be opened until ``reclaim keys rotate`` has re-wrapped
them all. After that, an old key can be removed from the setting. Keys never live in the
database, and no error message or ``repr`` ever contains key material.

``generate_key_spec(key_id)`` makes a new ``id:base64url`` entry (``reclaim keys new``).
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterator, Mapping
from typing import Any

from app.identity.vault.crypto import VaultError

KEY_BYTES = 32
KEY_ID_PATTERN = re.compile(r"[a-z0-9_-]{1,32}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


class KeyringError(VaultError, ValueError):
    """The key setting is malformed: bad id, bad key, duplicate id or unknown active id."""


class UnknownKey(VaultError, LookupError):
    """A record was wrapped under a key id that is not in the keyring."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(
            f"vault key {key_id!r} is not in the keyring (RECLAIM_VAULT_KEYS); "
            "was it removed before `reclaim keys rotate` finished?"
        )


def _secret_text(value: Any) -> str:
    """Accept a plain string or a pydantic ``SecretStr`` (anything with ``get_secret_value``)."""
    getter = getattr(value, "get_secret_value", None)
    text = getter() if callable(getter) else value
    if not isinstance(text, str):
        raise TypeError("expected a string or SecretStr")
    return text


def validate_key_id(key_id: str) -> str:
    """Return ``key_id`` if it matches ``[a-z0-9_-]{1,32}``, else raise ``KeyringError``."""
    if not isinstance(key_id, str) or not KEY_ID_PATTERN.fullmatch(key_id):
        raise KeyringError(f"invalid vault key id {key_id!r}: use 1 to 32 of a-z, 0-9, '_' and '-'")
    return key_id


def decode_key(encoded: Any, *, name: str = "key") -> bytes:
    """Decode base64url text (padding optional) to exactly 32 bytes, else ``KeyringError``.

    Also used for the blind-index key (``RECLAIM_BLIND_INDEX_KEY``). ``name`` appears in the
    error message; the key text never does.
    """
    text = _secret_text(encoded).strip()
    if not _BASE64URL.fullmatch(text):
        raise KeyringError(f"{name}: not base64url text (A-Z a-z 0-9 - _)")
    try:
        raw = base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except ValueError:
        raise KeyringError(f"{name}: not valid base64url") from None
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"{name}: must decode to {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def encode_key(raw: bytes) -> str:
    """The settings form of a 32-byte key: padded base64url (as ``decode_key`` reads it)."""
    if len(raw) != KEY_BYTES:
        raise KeyringError(f"a key must be {KEY_BYTES} bytes, got {len(raw)}")
    return base64.urlsafe_b64encode(raw).decode("ascii")


def generate_key_spec(key_id: str) -> str:
    """A new random key as a settings entry ``"<key_id>:<base64url>"``.

    Prepend it to ``RECLAIM_VAULT_KEYS`` (first = active) and run ``reclaim keys rotate``.
    """
    validate_key_id(key_id)
    return f"{key_id}:{encode_key(secrets.token_bytes(KEY_BYTES))}"


class Keyring:
    """An ordered, immutable set of 32-byte KEKs by id, one of them active."""

    __slots__ = ("_active", "_keys")

    def __init__(self, keys: Mapping[str, bytes], *, active: str | None = None) -> None:
        if not keys:
            raise KeyringError("the vault keyring is empty: set RECLAIM_VAULT_KEYS")
        checked: dict[str, bytes] = {}
        for key_id, key in keys.items():
            validate_key_id(key_id)
            if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
                raise KeyringError(f"vault key {key_id!r} must be {KEY_BYTES} bytes")
            checked[key_id] = bytes(key)
        active_id = next(iter(checked)) if active is None else active
        if active_id not in checked:
            raise KeyringError(
                f"active vault key {active_id!r} is not among the keys "
                f"({', '.join(checked)}); check RECLAIM_VAULT_ACTIVE_KEY"
            )
        self._keys = checked
        self._active = active_id

    @classmethod
    def parse(cls, spec: Any, *, active: str | None = None) -> Keyring:
        """Build a keyring from ``"id:base64url,id:base64url"`` (a str or ``SecretStr``).

        ``active`` names the key that wraps new data keys; by default, the first listed.
        Blanks around entries are ignored. Raises ``KeyringError`` naming the bad entry's id
        (or position), never its key.
        """
        text = _secret_text(spec)
        keys: dict[str, bytes] = {}
        for position, entry in enumerate(text.split(","), start=1):
            entry = entry.strip()
            if not entry:
                if text.strip():
                    raise KeyringError(f"vault key entry {position} is empty (stray comma?)")
                continue
            key_id, sep, encoded = entry.partition(":")
            if not sep:
                raise KeyringError(
                    f"vault key entry {position} is not 'id:base64url' (missing ':')"
                )
            key_id = validate_key_id(key_id.strip())
            if key_id in keys:
                raise KeyringError(f"vault key id {key_id!r} appears twice")
            keys[key_id] = decode_key(encoded, name=f"vault key {key_id!r}")
        if active is not None and active.strip() == "":
            active = None
        return cls(keys, active=None if active is None else active.strip())

    @classmethod
    def from_settings(cls, settings: Any) -> Keyring:
        """``Keyring.parse(settings.vault_keys, active=settings.vault_active_key)``."""
        return cls.parse(settings.vault_keys, active=getattr(settings, "vault_active_key", None))

    @property
    def active_id(self) -> str:
        return self._active

    @property
    def active_key(self) -> bytes:
        return self._keys[self._active]

    @property
    def ids(self) -> tuple[str, ...]:
        """Key ids in the order they were given."""
        return tuple(self._keys)

    def get(self, key_id: str) -> bytes:
        """The key with this id, or ``UnknownKey`` (whose message names the id)."""
        try:
            return self._keys[key_id]
        except KeyError:
            raise UnknownKey(key_id) from None

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"Keyring(ids={self.ids!r}, active={self._active!r})"

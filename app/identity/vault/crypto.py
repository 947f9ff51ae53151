"""Envelope encryption for the identity vault (AES-256-GCM, ``cryptography``).

Two layers of keys:

- each person's vault record has its own random 32-byte **data key** (DEK). It encrypts that
  record's fields, one ciphertext per field (``encrypt_field``), with associated data
  ``b"reclaim/field/v1|<record_id>|<field>"``: a ciphertext copied to another row or another
  field does not decrypt;
- the DEK is stored only **wrapped** (``wrap_data_key``): encrypted under the keyring's active
  key-encryption key (KEK, from settings), with associated data
  ``b"reclaim/dek/v1|<record_id>"``, and tagged with that KEK's id.

Consequences:

- **Key rotation re-wraps DEKs, nothing else.** ``reclaim keys rotate`` calls ``rewrap`` on each
  record whose wrapped DEK is under a non-active key (in batches, so it can stop and resume);
  the field ciphertexts do not change because the DEK does not change. When no record is left
  under the old KEK, the old KEK can be removed from ``RECLAIM_VAULT_KEYS``.
- **Crypto-shredding = deleting the wrapped DEK.** Without it, the field ciphertexts of that
  record are unreadable, in the live database and in every backup, even to someone holding all
  the KEKs. Erasing an account deletes (or nulls) the wrapped DEK in the same transaction as the
  rest of the record.

Formats (stable; the version byte / ``v1`` tags allow a change later):

- wrapped DEK: ``WrappedKey(key_id, blob)``, ``blob = nonce(12) || ciphertext+tag(48)``;
- field: ``0x01 || nonce(12) || ciphertext+tag``.

Nonces are 96 random bits. Each DEK encrypts only a handful of fields in its lifetime and each
KEK wraps one DEK per record, far below the ~2**32 messages per key where random GCM nonces
would become a concern.

``record_id`` and ``field`` are part of the associated data; they must be non-empty and must
not contain ``|`` (so that no two (record, field) pairs share associated data).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.identity.vault.keyring import Keyring

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
FIELD_FORMAT_V1 = 0x01

_DEK_AAD_PREFIX = b"reclaim/dek/v1|"
_FIELD_AAD_PREFIX = b"reclaim/field/v1|"


class VaultError(Exception):
    """Base class of every identity-vault error."""


class DecryptionError(VaultError):
    """A ciphertext or wrapped key did not authenticate: tampered with, truncated, moved to
    another record or field, or opened with the wrong key."""


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A data key encrypted under the KEK ``key_id``; ``blob`` is ``nonce || ciphertext``."""

    key_id: str
    blob: bytes


def _check_label(value: str, what: str) -> bytes:
    if not isinstance(value, str) or not value or "|" in value:
        raise VaultError(f"{what} must be a non-empty string without '|'")
    return value.encode("utf-8")


def _check_data_key(dek: bytes) -> bytes:
    if not isinstance(dek, bytes | bytearray | memoryview) or len(dek) != DATA_KEY_BYTES:
        raise VaultError(f"a data key must be {DATA_KEY_BYTES} bytes")
    return bytes(dek)


def _dek_aad(record_id: str) -> bytes:
    return _DEK_AAD_PREFIX + _check_label(record_id, "record_id")


def _field_aad(record_id: str, field: str) -> bytes:
    return (
        _FIELD_AAD_PREFIX
        + _check_label(record_id, "record_id")
        + b"|"
        + _check_label(field, "field")
    )


def _seal(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    # cryptography is imported on first use: most requests (page views) never need it, and a
    # worker that never loads it stays some 15 MiB smaller.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(nonce, data, aad)


def _open(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes | None:
    """The plaintext, or None if it does not authenticate."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        return None


def new_data_key() -> bytes:
    """A fresh random 32-byte data key for one vault record."""
    return secrets.token_bytes(DATA_KEY_BYTES)


def wrap_data_key(keyring: Keyring, dek: bytes, *, record_id: str) -> WrappedKey:
    """Encrypt ``dek`` under the keyring's active KEK, bound to ``record_id``."""
    dek = _check_data_key(dek)
    aad = _dek_aad(record_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = _seal(keyring.active_key, nonce, dek, aad)
    return WrappedKey(key_id=keyring.active_id, blob=nonce + ciphertext)


def unwrap_data_key(keyring: Keyring, wrapped: WrappedKey, *, record_id: str) -> bytes:
    """The data key inside ``wrapped``.

    Raises ``UnknownKey`` if its KEK is not in the keyring, ``DecryptionError`` if the blob was
    altered, belongs to another record, or the KEK with that id is not the one that wrapped it.
    """
    aad = _dek_aad(record_id)
    kek = keyring.get(wrapped.key_id)
    blob = bytes(wrapped.blob)
    if len(blob) != NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES:
        raise DecryptionError(f"wrapped data key of record {record_id!r} has the wrong length")
    dek = _open(kek, blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    if dek is None:
        raise DecryptionError(
            f"wrapped data key of record {record_id!r} does not authenticate under "
            f"vault key {wrapped.key_id!r}"
        )
    return dek


def rewrap(keyring: Keyring, wrapped: WrappedKey, *, record_id: str) -> WrappedKey:
    """The same data key, wrapped under the keyring's active KEK (one step of key rotation).

    Returns ``wrapped`` itself when it is already under the active KEK, so a resumed rotation
    does no needless work. Field ciphertexts are untouched: they are under the data key.
    """
    if wrapped.key_id == keyring.active_id:
        # Still authenticate it, so rotation reports a damaged record instead of skipping it.
        unwrap_data_key(keyring, wrapped, record_id=record_id)
        return wrapped
    dek = unwrap_data_key(keyring, wrapped, record_id=record_id)
    return wrap_data_key(keyring, dek, record_id=record_id)


def encrypt_field(dek: bytes, plaintext: str, *, record_id: str, field: str) -> bytes:
    """``0x01 || nonce || AES-256-GCM(dek, plaintext as UTF-8)``, bound to (record_id, field).

    Two encryptions of the same value differ (random nonce), so equal ciphertexts reveal
    nothing; use a blind index for look-ups.
    """
    dek = _check_data_key(dek)
    if not isinstance(plaintext, str):
        raise TypeError("encrypt_field takes a str; format dates and numbers first")
    aad = _field_aad(record_id, field)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = _seal(dek, nonce, plaintext.encode("utf-8"), aad)
    return bytes([FIELD_FORMAT_V1]) + nonce + ciphertext


def decrypt_field(dek: bytes, blob: bytes, *, record_id: str, field: str) -> str:
    """The plaintext of a field ciphertext, or ``DecryptionError`` if it does not authenticate
    for this data key, record and field."""
    dek = _check_data_key(dek)
    aad = _field_aad(record_id, field)
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"field {field!r} of record {record_id!r} is truncated")
    if blob[0] != FIELD_FORMAT_V1:
        raise DecryptionError(
            f"field {field!r} of record {record_id!r} has unknown format version {blob[0]}"
        )
    nonce, ciphertext = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    plaintext = _open(dek, nonce, ciphertext, aad)
    if plaintext is None:
        raise DecryptionError(
            f"field {field!r} of record {record_id!r} does not authenticate "
            "(altered, moved from another record or field, or wrong data key)"
        )
    return plaintext.decode("utf-8")

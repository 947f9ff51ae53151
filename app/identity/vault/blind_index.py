"""Keyed blind indexes: look up and enforce uniqueness of vault records without decrypting.

A blind index is HMAC-SHA256 under the blind-index key (``RECLAIM_BLIND_INDEX_KEY``, 32 bytes,
separate from the vault's key-encryption keys) of a normalised value, as lower-case hex. The
database stores it in a unique column; without the key, the index cannot be computed from a
guessed e-mail address, so a stolen database does not let anyone test "is X a member?".

The functions are pure: the caller passes the key (decode it with
``app.vault.keyring.decode_key``). Each index type has its own prefix inside the HMAC
(``b"email|"``, ``b"subject|"``), so an e-mail index can never equal a subject index.

Changing the key or the normalisation changes every index: that needs a re-indexing migration
that decrypts each record and recomputes its indexes.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from app.identity.vault.crypto import VaultError

MIN_KEY_BYTES = 32
MAX_EMAIL_LENGTH = 254
MAX_LOCAL_PART_LENGTH = 64


class InvalidEmail(VaultError, ValueError):
    """Not an e-mail address we accept. The message never repeats the address."""


def normalise_email(addr: str) -> str:
    """The canonical form of an e-mail address, for indexing and comparison.

    Strips surrounding blanks, applies Unicode NFKC, and lower-cases the *whole* address,
    local part included: RFC 5321 lets a server treat local parts case-sensitively, but nearly
    all providers do not, and treating ``Alice@`` and ``alice@`` as two people would let one
    person hold two accounts. Dots and ``+tags`` are kept: whether ``a.b+x@`` reaches ``ab@``
    is a provider's private rule (true at Gmail, false elsewhere), and guessing wrong would merge
    two different people.

    A pragmatic validity check, not RFC 5322: exactly one ``@``; a non-empty local part of at
    most 64 characters; a domain with a dot and no empty labels; no blanks or control characters;
    at most 254 characters in all. Anything else raises ``InvalidEmail``.
    """
    if not isinstance(addr, str):
        raise InvalidEmail("an e-mail address must be text")
    email = unicodedata.normalize("NFKC", addr).strip().lower()
    if not email:
        raise InvalidEmail("the e-mail address is empty")
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidEmail(f"an e-mail address has at most {MAX_EMAIL_LENGTH} characters")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in email):
        raise InvalidEmail("an e-mail address cannot contain blanks or control characters")
    if email.count("@") != 1:
        raise InvalidEmail("an e-mail address has exactly one '@'")
    local, domain = email.split("@")
    if not local:
        raise InvalidEmail("the part before '@' is empty")
    if len(local) > MAX_LOCAL_PART_LENGTH:
        raise InvalidEmail(f"the part before '@' has at most {MAX_LOCAL_PART_LENGTH} characters")
    labels = domain.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        raise InvalidEmail("the part after '@' must be a domain such as example.org")
    return email


def _check_key(key: bytes) -> bytes:
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise VaultError(f"a blind-index key must be at least {MIN_KEY_BYTES} bytes")
    return bytes(key)


def _length_prefixed(value: str) -> bytes:
    data = value.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def email_index(key: bytes, email: str) -> str:
    """HMAC-SHA256(key, ``b"email|"`` + normalised address), hex. Raises ``InvalidEmail``."""
    message = b"email|" + normalise_email(email).encode("utf-8")
    return hmac.new(_check_key(key), message, hashlib.sha256).hexdigest()


def subject_index(key: bytes, issuer: str, subject: str) -> str:
    """HMAC-SHA256 of an identity provider's (issuer, subject) pair, hex.

    Each part is length-prefixed, so ``("ab", "c")`` and ``("a", "bc")`` differ. Neither part
    is normalised: OpenID Connect compares issuers and subjects as exact strings.
    """
    for name, value in (("issuer", issuer), ("subject", subject)):
        if not isinstance(value, str) or not value:
            raise VaultError(f"the identity provider's {name} must be a non-empty string")
    message = b"subject|" + _length_prefixed(issuer) + _length_prefixed(subject)
    return hmac.new(_check_key(key), message, hashlib.sha256).hexdigest()

"""Key rotation: re-wrapping every record's data key (and re-encrypting pending sign-in links)
under the active key-encryption key, in resumable batches. Part of the vault: the only other
code that reads ``vault_*`` tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_
from sqlmodel import Session, col, select

from app.identity.vault import service
from app.identity.vault.crypto import WrappedKey, encrypt_field, rewrap
from app.identity.vault.keyring import Keyring
from app.identity.vault.models import IdentityRecord, SignInToken
from app.identity.vault.service import _record_label, _token_email, _token_link


def _stale_records(ring: Keyring) -> ColumnElement[bool]:
    return (col(IdentityRecord.wrapped_key).is_not(None)) & (
        col(IdentityRecord.key_id) != ring.active_id
    )


def rotation_remaining(session: Session) -> int:
    """How many records (and unexpired sign-in links) are not yet under the active key."""
    ring = service.keyring()
    records = session.exec(
        select(func.count()).select_from(IdentityRecord).where(_stale_records(ring))
    ).one()
    tokens = session.exec(
        select(func.count()).select_from(SignInToken).where(SignInToken.key_id != ring.active_id)
    ).one()
    return records + tokens


def rotate_batch(session: Session, *, batch_size: int = 500, now: datetime) -> int:
    """Re-wrap up to ``batch_size`` data keys under the active key; returns how many.

    Resumable by construction: each batch picks the records still under another key, so a
    rotation stopped half-way continues where it stopped. Field ciphertexts do not change.
    Sign-in links under an old key are re-encrypted, or deleted when used or expired.
    """
    ring = service.keyring()
    records = session.exec(
        select(IdentityRecord)
        .where(_stale_records(ring))
        .order_by(col(IdentityRecord.id))
        .limit(batch_size)
    ).all()
    for record in records:
        assert record.wrapped_key is not None, "chosen for its wrapped key"
        wrapped = rewrap(
            ring,
            WrappedKey(key_id=record.key_id or "", blob=record.wrapped_key),
            record_id=_record_label(record),
        )
        record.key_id, record.wrapped_key = wrapped.key_id, wrapped.blob
        session.add(record)
    done = len(records)
    if done < batch_size:
        session.execute(
            delete(SignInToken).where(
                col(SignInToken.key_id) != ring.active_id,
                or_(col(SignInToken.used_at).is_not(None), col(SignInToken.expires_at) <= now),
            )
        )
        tokens = session.exec(
            select(SignInToken)
            .where(SignInToken.key_id != ring.active_id)
            .order_by(col(SignInToken.id))
            .limit(batch_size - done)
        ).all()
        for token in tokens:
            email = _token_email(token)
            link = _token_link(token) if token.link_ct is not None else None
            label = f"token-{token.token_hash}"
            token.key_id = ring.active_id
            token.email_ct = encrypt_field(ring.active_key, email, record_id=label, field="email")
            if link is not None:
                token.link_ct = encrypt_field(ring.active_key, link, record_id=label, field="link")
            session.add(token)
        done += len(tokens)
    session.flush()
    return done


def keys_in_use(session: Session) -> dict[str, int]:
    """Records per key id (to know when an old key can be removed from the settings)."""
    rows = session.exec(
        select(IdentityRecord.key_id, func.count())
        .where(col(IdentityRecord.key_id).is_not(None))
        .group_by(col(IdentityRecord.key_id))
    ).all()
    return {key_id: n for key_id, n in rows if key_id is not None}

"""The vault's storage: full identity records, uniqueness, crypto-shredding, key rotation."""

import pytest
from sqlmodel import Session, select

from app.identity.vault import rotation
from app.identity.vault import service as vault
from app.identity.vault.crypto import DecryptionError, WrappedKey, decrypt_field, unwrap_data_key
from app.identity.vault.keyring import Keyring, UnknownKey, generate_key_spec
from app.identity.vault.models import IdentityRecord, SignInToken
from app.settings import DEV_VAULT_KEYS
from kernel.clock import utcnow
from tests.factories import make_user

ISSUER = "https://oidc.example.test"


def _verify(session: Session, user, *, subject="sub-1", email=None, name="Ada Quintessa"):
    vault.record_verified_identity(
        session,
        user_id=user.id,
        issuer=ISSUER,
        subject=subject,
        email=email,
        name=name,
        birthdate="1990-01-01",
        level="identity",
        now=utcnow(),
    )


def test_verified_identity_is_stored_encrypted_and_read_back(session: Session) -> None:
    user = make_user(session, email="ada@example.test")
    _verify(session, user)
    identity = vault.identity_of(session, user.id)
    assert identity.email == "ada@example.test"
    assert identity.name == "Ada Quintessa" and identity.birthdate == "1990-01-01"
    assert (identity.issuer, identity.subject) == (ISSUER, "sub-1")
    assert identity.verification_level == "identity"
    record = session.exec(select(IdentityRecord).where(IdentityRecord.user_id == user.id)).one()
    assert b"Ada Quintessa" not in record.name_ct and b"sub-1" not in record.subject_ct
    assert vault.find_user_id_by_subject(session, issuer=ISSUER, subject="sub-1") == user.id


def test_ciphertext_moved_to_another_field_does_not_decrypt(session: Session) -> None:
    user = make_user(session)
    _verify(session, user)
    record = session.exec(select(IdentityRecord).where(IdentityRecord.user_id == user.id)).one()
    record.birthdate_ct = record.name_ct
    session.add(record)
    with pytest.raises(DecryptionError):
        vault.identity_of(session, user.id)


def test_one_identity_cannot_hold_two_accounts(session: Session) -> None:
    first, second = make_user(session), make_user(session)
    _verify(session, first, subject="same-person")
    with pytest.raises(vault.IdentityTaken):
        _verify(session, second, subject="same-person")


def test_provider_address_of_another_account_is_refused(session: Session) -> None:
    make_user(session, email="owner@example.test")
    newcomer = make_user(session)
    vault.erase_identity(session, user_id=newcomer.id, now=utcnow())  # no address on record
    with pytest.raises(vault.IdentityTaken):
        _verify(session, newcomer, email="Owner@Example.test")


def test_erasure_destroys_the_data_key_so_old_ciphertexts_are_unreadable(session: Session) -> None:
    user = make_user(session, email="shred@example.test")
    _verify(session, user)
    record = session.exec(select(IdentityRecord).where(IdentityRecord.user_id == user.id)).one()
    backup = (record.id, record.key_id, bytes(record.wrapped_key), bytes(record.email_ct))
    assert vault.erase_identity(session, user_id=user.id, now=utcnow())
    session.refresh(record)
    assert record.wrapped_key is None and record.email_ct is None and record.user_id is None
    assert record.email_index is None and record.subject_index is None and record.erased_at
    assert vault.identity_of(session, user.id) is None
    assert vault.find_user_id_by_email(session, "shred@example.test") is None
    # A backup taken before erasure still holds the wrapped key; the live row no longer does,
    # and the field ciphertext alone cannot be opened without it.
    record_id, key_id, wrapped, email_ct = backup
    dek = unwrap_data_key(
        vault.keyring(), WrappedKey(key_id, wrapped), record_id=f"identity-{record_id}"
    )
    assert decrypt_field(dek, email_ct, record_id=f"identity-{record_id}", field="email")
    assert session.get(IdentityRecord, record_id).wrapped_key is None


def test_rotation_rewraps_every_record_in_resumable_batches(session: Session, monkeypatch) -> None:
    old = vault.keyring()
    users = [make_user(session) for _ in range(5)]
    _verify(session, users[0])
    vault.issue_sign_in_token(
        session,
        email="pending@example.test",
        next_path="/",
        now=utcnow(),
        lifetime=vault.timedelta(minutes=15),
    )
    new_spec = generate_key_spec("k2")
    both = Keyring.parse(new_spec + "," + DEV_VAULT_KEYS)
    assert both.get("dev1") == old.get("dev1")
    monkeypatch.setattr(vault, "keyring", lambda settings=None: both)
    before = rotation.rotation_remaining(session)
    assert before >= 6  # five records (at least) and the pending link
    assert rotation.rotate_batch(session, batch_size=2, now=utcnow()) == 2
    assert rotation.rotation_remaining(session) == before - 2  # stopped here: resumes below
    while rotation.rotate_batch(session, batch_size=2, now=utcnow()):
        pass
    assert rotation.rotation_remaining(session) == 0
    assert set(rotation.keys_in_use(session)) == {"k2"}
    only_new = Keyring.parse(new_spec)
    monkeypatch.setattr(vault, "keyring", lambda settings=None: only_new)
    assert vault.identity_of(session, users[0].id).name == "Ada Quintessa"
    assert all(vault.email_of(session, u.id) for u in users)
    token = session.exec(select(SignInToken)).first()
    assert token.key_id == "k2"


def test_record_under_a_removed_key_names_the_key(session: Session, monkeypatch) -> None:
    user = make_user(session)
    monkeypatch.setattr(
        vault, "keyring", lambda settings=None: Keyring.parse(generate_key_spec("other"))
    )
    with pytest.raises(UnknownKey) as error:
        vault.email_of(session, user.id)
    assert "dev1" in str(error.value)

import dataclasses

import pytest

from app.identity.vault.crypto import (
    DecryptionError,
    VaultError,
    WrappedKey,
    decrypt_field,
    encrypt_field,
    new_data_key,
    rewrap,
    unwrap_data_key,
    wrap_data_key,
)
from app.identity.vault.keyring import Keyring, UnknownKey, generate_key_spec

K1 = generate_key_spec("k1")
K2 = generate_key_spec("k2")


def flip(blob: bytes, index: int) -> bytes:
    changed = bytearray(blob)
    changed[index] ^= 0x01
    return bytes(changed)


def test_new_data_keys_are_32_random_bytes():
    first, second = new_data_key(), new_data_key()
    assert len(first) == 32 and len(second) == 32
    assert first != second


def test_field_round_trips_including_non_ascii_text():
    dek = new_data_key()
    blob = encrypt_field(dek, "Zoë Ångström 🙂", record_id="7", field="verified_name")
    assert decrypt_field(dek, blob, record_id="7", field="verified_name") == "Zoë Ångström 🙂"


def test_field_ciphertext_does_not_contain_the_plaintext_and_starts_with_version_byte():
    dek = new_data_key()
    blob = encrypt_field(dek, "alice@example.com", record_id="7", field="email")
    assert b"alice" not in blob
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + len("alice@example.com") + 16


def test_two_encryptions_of_the_same_value_differ():
    dek = new_data_key()
    one = encrypt_field(dek, "same", record_id="1", field="email")
    two = encrypt_field(dek, "same", record_id="1", field="email")
    assert one != two
    assert decrypt_field(dek, one, record_id="1", field="email") == "same"
    assert decrypt_field(dek, two, record_id="1", field="email") == "same"


@pytest.mark.parametrize("index", [0, 1, 12, 13, -1])
def test_changing_any_single_byte_of_a_field_ciphertext_is_detected(index):
    dek = new_data_key()
    blob = encrypt_field(dek, "1990-01-31", record_id="1", field="date_of_birth")
    with pytest.raises(DecryptionError):
        decrypt_field(dek, flip(blob, index), record_id="1", field="date_of_birth")


def test_truncated_field_ciphertext_is_refused():
    dek = new_data_key()
    blob = encrypt_field(dek, "x", record_id="1", field="email")
    with pytest.raises(DecryptionError):
        decrypt_field(dek, blob[:20], record_id="1", field="email")


def test_field_ciphertext_copied_to_another_record_does_not_decrypt():
    dek = new_data_key()
    blob = encrypt_field(dek, "alice@example.com", record_id="1", field="email")
    with pytest.raises(DecryptionError):
        decrypt_field(dek, blob, record_id="2", field="email")


def test_field_ciphertext_copied_to_another_field_does_not_decrypt():
    dek = new_data_key()
    blob = encrypt_field(dek, "Alice Smith", record_id="1", field="verified_name")
    with pytest.raises(DecryptionError):
        decrypt_field(dek, blob, record_id="1", field="email")


def test_field_ciphertext_does_not_decrypt_under_another_persons_data_key():
    blob = encrypt_field(new_data_key(), "Alice", record_id="1", field="verified_name")
    with pytest.raises(DecryptionError):
        decrypt_field(new_data_key(), blob, record_id="1", field="verified_name")


def test_record_and_field_boundary_is_part_of_the_associated_data():
    dek = new_data_key()
    blob = encrypt_field(dek, "x", record_id="1", field="2email")
    with pytest.raises(DecryptionError):
        decrypt_field(dek, blob, record_id="12", field="email")


def test_labels_with_a_separator_are_refused_so_associated_data_is_unambiguous():
    dek = new_data_key()
    with pytest.raises(VaultError):
        encrypt_field(dek, "x", record_id="1|email", field="name")
    with pytest.raises(VaultError):
        encrypt_field(dek, "x", record_id="", field="name")


def test_data_key_wraps_under_the_active_key_and_unwraps():
    ring = Keyring.parse(f"{K2},{K1}")
    dek = new_data_key()
    wrapped = wrap_data_key(ring, dek, record_id="5")
    assert wrapped.key_id == "k2"
    assert dek not in wrapped.blob
    assert len(wrapped.blob) == 12 + 32 + 16
    assert unwrap_data_key(ring, wrapped, record_id="5") == dek


def test_wrapped_key_is_immutable():
    wrapped = wrap_data_key(Keyring.parse(K1), new_data_key(), record_id="5")
    with pytest.raises(dataclasses.FrozenInstanceError):
        wrapped.key_id = "k2"


def test_wrapped_key_moved_to_another_record_does_not_unwrap():
    ring = Keyring.parse(K1)
    wrapped = wrap_data_key(ring, new_data_key(), record_id="5")
    with pytest.raises(DecryptionError):
        unwrap_data_key(ring, wrapped, record_id="6")


def test_tampered_wrapped_key_does_not_unwrap():
    ring = Keyring.parse(K1)
    wrapped = wrap_data_key(ring, new_data_key(), record_id="5")
    tampered = WrappedKey(wrapped.key_id, flip(wrapped.blob, 20))
    with pytest.raises(DecryptionError):
        unwrap_data_key(ring, tampered, record_id="5")


def test_wrong_key_encryption_key_under_the_same_id_does_not_unwrap():
    wrapped = wrap_data_key(Keyring.parse(K1), new_data_key(), record_id="5")
    impostor = Keyring.parse(generate_key_spec("k1"))
    with pytest.raises(DecryptionError, match="'k1'"):
        unwrap_data_key(impostor, wrapped, record_id="5")


def test_wrapped_key_under_a_removed_key_reports_the_missing_key_id():
    wrapped = wrap_data_key(Keyring.parse(K1), new_data_key(), record_id="5")
    with pytest.raises(UnknownKey, match="'k1'"):
        unwrap_data_key(Keyring.parse(K2), wrapped, record_id="5")


def test_after_rewrap_the_old_key_can_be_removed_and_fields_still_decrypt():
    old_ring = Keyring.parse(K1)
    dek = new_data_key()
    wrapped = wrap_data_key(old_ring, dek, record_id="9")
    email = encrypt_field(dek, "alice@example.com", record_id="9", field="email")

    rotating = Keyring.parse(f"{K2},{K1}")  # new key first = active, old kept
    rewrapped = rewrap(rotating, wrapped, record_id="9")
    assert rewrapped.key_id == "k2"

    new_only = Keyring.parse(K2)  # old key removed from settings
    recovered = unwrap_data_key(new_only, rewrapped, record_id="9")
    assert recovered == dek
    assert decrypt_field(recovered, email, record_id="9", field="email") == "alice@example.com"
    with pytest.raises(UnknownKey):
        unwrap_data_key(new_only, wrapped, record_id="9")


def test_rewrap_of_a_key_already_under_the_active_key_changes_nothing():
    ring = Keyring.parse(f"{K2},{K1}")
    wrapped = wrap_data_key(ring, new_data_key(), record_id="3")
    assert rewrap(ring, wrapped, record_id="3") is wrapped


def test_rewrap_refuses_a_damaged_wrapped_key_even_when_already_active():
    ring = Keyring.parse(K1)
    wrapped = wrap_data_key(ring, new_data_key(), record_id="3")
    with pytest.raises(DecryptionError):
        rewrap(ring, WrappedKey("k1", flip(wrapped.blob, 30)), record_id="3")


def test_without_the_wrapped_data_key_the_field_cannot_be_read_even_with_every_kek():
    # Crypto-shredding: the field ciphertext survives (e.g. in a backup), the wrapped DEK is gone.
    ring = Keyring.parse(f"{K2},{K1}")
    dek = new_data_key()
    blob = encrypt_field(dek, "Alice Smith", record_id="4", field="verified_name")
    wrap_data_key(ring, dek, record_id="4")
    del dek
    for key_id in ring.ids:
        with pytest.raises(DecryptionError):
            decrypt_field(ring.get(key_id), blob, record_id="4", field="verified_name")


def test_data_key_of_the_wrong_length_is_refused():
    with pytest.raises(VaultError):
        wrap_data_key(Keyring.parse(K1), b"short", record_id="1")
    with pytest.raises(VaultError):
        encrypt_field(b"short", "x", record_id="1", field="email")

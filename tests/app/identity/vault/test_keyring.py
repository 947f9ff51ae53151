import base64

import pytest

from app.identity.vault.crypto import VaultError
from app.identity.vault.keyring import (
    Keyring,
    KeyringError,
    UnknownKey,
    decode_key,
    encode_key,
    generate_key_spec,
)

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def test_parse_reads_keys_in_order_and_first_is_active_by_default():
    ring = Keyring.parse(f"k2:{b64(KEY_B)}, k1:{b64(KEY_A)}")
    assert ring.ids == ("k2", "k1")
    assert ring.active_id == "k2"
    assert ring.get("k2") == KEY_B
    assert ring.get("k1") == KEY_A


def test_parse_honours_an_explicit_active_key():
    ring = Keyring.parse(f"k2:{b64(KEY_B)},k1:{b64(KEY_A)}", active="k1")
    assert ring.active_id == "k1"
    assert ring.active_key == KEY_A


def test_parse_accepts_unpadded_base64url_and_a_secret_str():
    from pydantic import SecretStr

    ring = Keyring.parse(SecretStr(f"k1:{b64(KEY_A).rstrip('=')}"))
    assert ring.get("k1") == KEY_A


def test_unknown_key_error_names_the_id_but_not_any_key():
    ring = Keyring.parse(f"k1:{b64(KEY_A)}")
    with pytest.raises(UnknownKey) as caught:
        ring.get("k9")
    assert "'k9'" in str(caught.value)
    assert caught.value.key_id == "k9"
    assert b64(KEY_A) not in str(caught.value)
    assert isinstance(caught.value, VaultError)


def test_active_key_must_be_in_the_keyring():
    with pytest.raises(KeyringError, match="'k3'"):
        Keyring.parse(f"k1:{b64(KEY_A)}", active="k3")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        (f"K1:{b64(KEY_A)}", "invalid vault key id"),
        (f"{'k' * 33}:{b64(KEY_A)}", "invalid vault key id"),
        (f"k1 {b64(KEY_A)}", "missing ':'"),
        (f"k1:{b64(KEY_A)},k1:{b64(KEY_B)}", "appears twice"),
        (f"k1:{b64(KEY_A)},,k2:{b64(KEY_B)}", "empty"),
        (f"k1:{b64(KEY_A[:16])}", "32 bytes, got 16"),
        ("k1:not*base64", "base64url"),
    ],
)
def test_malformed_specs_are_refused_with_a_clear_message(spec, message):
    with pytest.raises(KeyringError, match=message):
        Keyring.parse(spec)


def test_errors_about_a_bad_key_do_not_repeat_the_key_text():
    short = b64(b"secret-material-16")
    with pytest.raises(KeyringError) as caught:
        Keyring.parse(f"k1:{short}")
    assert short.rstrip("=") not in str(caught.value)


def test_repr_shows_ids_but_no_key_material():
    ring = Keyring.parse(f"k1:{b64(KEY_A)}")
    assert "k1" in repr(ring)
    assert b64(KEY_A) not in repr(ring) and repr(KEY_A) not in repr(ring)


def test_generated_spec_parses_to_a_fresh_32_byte_key():
    spec = generate_key_spec("k7")
    other = generate_key_spec("k7")
    ring = Keyring.parse(spec)
    assert ring.ids == ("k7",)
    assert len(ring.get("k7")) == 32
    assert spec != other


def test_generate_key_spec_refuses_a_bad_id():
    with pytest.raises(KeyringError):
        generate_key_spec("Bad Id")


def test_decode_key_round_trips_encode_key_and_names_the_setting_on_error():
    assert decode_key(encode_key(KEY_B)) == KEY_B
    with pytest.raises(KeyringError, match="RECLAIM_BLIND_INDEX_KEY"):
        decode_key(b64(b"short"), name="RECLAIM_BLIND_INDEX_KEY")

import pytest

from app.identity.vault.blind_index import InvalidEmail, email_index, normalise_email, subject_index
from app.identity.vault.crypto import VaultError

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def test_normalise_email_strips_blanks_and_lower_cases_the_whole_address():
    assert normalise_email("  Alice.Smith@Example.COM \n") == "alice.smith@example.com"


def test_normalise_email_keeps_dots_and_plus_tags():
    assert normalise_email("A.Lice+News@gmail.com") == "a.lice+news@gmail.com"


def test_normalise_email_applies_nfkc():
    # Fullwidth letters and a decomposed "é" fold to their canonical forms.
    assert normalise_email("\uff21lice@example.com") == "alice@example.com"
    assert normalise_email("jose\u0301@example.com") == "jos\u00e9@example.com"


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "alice",
        "alice@",
        "@example.com",
        "alice@@example.com",
        "al@ice@example.com",
        "alice@localhost",
        "alice@example.",
        "alice@.example.com",
        "alice@example..com",
        "ali ce@example.com",
        "alice@exa\tmple.com",
        "alice\x00@example.com",
        "a" * 65 + "@example.com",
        "a@" + "b" * 249 + ".com",
    ],
)
def test_obviously_invalid_addresses_are_refused(address):
    with pytest.raises(InvalidEmail):
        normalise_email(address)


def test_longest_allowed_local_part_and_address_are_accepted():
    assert normalise_email("a" * 64 + "@example.com")
    assert len(normalise_email("a@" + "b" * 248 + ".com")) == 254


def test_invalid_email_message_does_not_repeat_the_address():
    with pytest.raises(InvalidEmail) as caught:
        normalise_email("secret.person@nowhere")
    assert "secret.person" not in str(caught.value)
    assert isinstance(caught.value, VaultError) and isinstance(caught.value, ValueError)


def test_email_index_is_equal_for_differently_written_forms_of_one_address():
    assert email_index(KEY, "Alice@Example.COM ") == email_index(KEY, "alice@example.com")


def test_email_index_is_64_hex_characters_and_not_a_plain_hash():
    import hashlib

    index = email_index(KEY, "alice@example.com")
    assert len(index) == 64 and int(index, 16) >= 0
    assert index != hashlib.sha256(b"email|alice@example.com").hexdigest()


def test_email_index_differs_for_different_addresses():
    assert email_index(KEY, "alice@example.com") != email_index(KEY, "alice@example.org")


def test_email_index_differs_under_a_different_key():
    assert email_index(KEY, "alice@example.com") != email_index(OTHER_KEY, "alice@example.com")


def test_email_index_refuses_an_invalid_address():
    with pytest.raises(InvalidEmail):
        email_index(KEY, "not an address")


def test_short_index_key_is_refused():
    with pytest.raises(VaultError):
        email_index(b"short", "alice@example.com")
    with pytest.raises(VaultError):
        subject_index(b"short", "https://idp.example", "123")


def test_subject_index_is_stable_and_keyed():
    one = subject_index(KEY, "https://oidc.example/", "user-1")
    assert one == subject_index(KEY, "https://oidc.example/", "user-1")
    assert one != subject_index(OTHER_KEY, "https://oidc.example/", "user-1")
    assert one != subject_index(KEY, "https://oidc.example/", "user-2")
    assert one != subject_index(KEY, "https://other.example/", "user-1")


def test_subject_index_is_not_ambiguous_about_where_issuer_ends():
    assert subject_index(KEY, "ab", "c") != subject_index(KEY, "a", "bc")
    assert subject_index(KEY, "a|", "b") != subject_index(KEY, "a", "|b")


def test_subject_index_compares_issuer_and_subject_exactly():
    assert subject_index(KEY, "https://idp.example", "Abc") != subject_index(
        KEY, "https://idp.example", "abc"
    )


def test_index_formats_are_pinned_because_stored_indexes_depend_on_them():
    import hashlib
    import hmac

    expected_email = hmac.new(KEY, b"email|alice@example.com", hashlib.sha256).hexdigest()
    assert email_index(KEY, " Alice@Example.com") == expected_email
    message = b"subject|" + b"\x00\x00\x00\x13https://idp.example" + b"\x00\x00\x00\x03u-1"
    expected_subject = hmac.new(KEY, message, hashlib.sha256).hexdigest()
    assert subject_index(KEY, "https://idp.example", "u-1") == expected_subject


def test_subject_index_cannot_equal_an_email_index():
    assert subject_index(KEY, "alice@example", ".com") != email_index(KEY, "alice@example.com")


def test_subject_index_refuses_empty_parts():
    with pytest.raises(VaultError):
        subject_index(KEY, "", "123")
    with pytest.raises(VaultError):
        subject_index(KEY, "https://idp.example", "")

"""Signing in by e-mail link, called directly: only same-site paths after sign-in, the link
sent and counted, a new account or the existing one, and who may no longer sign in."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from app.accounts import signin
from app.accounts.models import AccountStatus, User
from app.identity.vault import service as vault
from app.identity.vault.models import SignInToken
from kernel.clock import utcnow
from kernel.errors import Forbidden, FormInvalid, NotFound, RateLimited
from tests.factories import make_user

# safe_next_path ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unsafe",
    [
        None,
        "",
        "https://evil.example/phish",
        "http:/evil.example",
        "//evil.example/path",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "evil.example",
        "javascript:alert(1)",
        " /leading-space",
    ],
)
def test_safe_next_path_refuses_anything_but_a_same_site_path(unsafe) -> None:
    assert signin.safe_next_path(unsafe) == "/"


@pytest.mark.parametrize("unsafe", ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example"])
def test_safe_next_path_refuses_control_characters_a_browser_would_strip(unsafe) -> None:
    assert signin.safe_next_path(unsafe) == "/"


@pytest.mark.parametrize("path", ["/", "/consultations/x", "/account?tab=data#top"])
def test_safe_next_path_keeps_a_same_site_path(path) -> None:
    assert signin.safe_next_path(path) == path


def test_safe_next_path_shortens_a_very_long_path() -> None:
    assert signin.safe_next_path("/" + "a" * 1000) == "/" + "a" * 499


# request_sign_in_link ------------------------------------------------------------------------


class CountingLimiter:
    """Records every counted attempt; refuses once ``allow`` attempts were counted."""

    def __init__(self, allow: int = 100) -> None:
        self.hits: list[tuple[str, tuple[str, ...]]] = []
        self.allow = allow

    def hit(self, name: str, spec: str, *identifiers: str, message: str, **_) -> None:
        self.hits.append((name, identifiers))
        if len(self.hits) > self.allow:
            raise RateLimited(message, retry_after_seconds=60)


LINK = re.compile(r"/auth/link/([A-Za-z0-9_-]+)")


def request_link(session, settings, outbox, email, *, next_path=None, limiter=None) -> str:
    signin.request_sign_in_link(
        session,
        email=email,
        next_path=next_path,
        client="203.0.113.9",
        now=utcnow(),
        settings=settings,
        limiter=limiter or CountingLimiter(),
    )
    return LINK.search(outbox.messages[0].body).group(1)


def test_a_link_is_mailed_to_the_address_and_counted_twice(
    session: Session, settings, outbox
) -> None:
    limiter = CountingLimiter()
    request_link(session, settings, outbox, "Someone@Example.test", limiter=limiter)
    (mail,) = outbox.messages
    assert mail.to == "someone@example.test"  # as the vault keeps it
    assert "sign-in link" in mail.subject and "http://testserver/auth/link/" in mail.body
    index = vault.email_lookup_index("someone@example.test")
    assert limiter.hits == [("sign-in-ip", ("203.0.113.9",)), ("sign-in-address", (index,))]
    token = session.exec(select(SignInToken)).one()
    assert token.email_index == index and token.used_at is None


def test_an_invalid_address_is_refused_after_counting_the_client(
    session: Session, settings, outbox
) -> None:
    limiter = CountingLimiter()
    with pytest.raises(FormInvalid) as refused:
        request_link(session, settings, outbox, "not an address", limiter=limiter)
    assert set(refused.value.errors) == {"email"}
    assert [name for name, _ in limiter.hits] == ["sign-in-ip"]
    assert list(outbox.messages) == []
    assert session.exec(select(SignInToken)).first() is None


def test_over_the_limit_no_link_is_sent(session: Session, settings, outbox) -> None:
    with pytest.raises(RateLimited):
        request_link(session, settings, outbox, "a@example.test", limiter=CountingLimiter(1))
    assert list(outbox.messages) == []
    assert session.exec(select(SignInToken)).first() is None


def test_an_unsafe_next_path_is_replaced_before_it_is_stored(
    session: Session, settings, outbox
) -> None:
    request_link(session, settings, outbox, "a@example.test", next_path="//evil.example")
    assert session.exec(select(SignInToken.next_path)).one() == "/"


# complete_sign_in ----------------------------------------------------------------------------


def test_a_new_address_gets_an_account_with_the_chosen_pseudonym(
    session: Session, settings, outbox
) -> None:
    token = request_link(session, settings, outbox, "new@example.test", next_path="/account")
    page = signin.inspect_link(session, token=token, now=utcnow())
    assert not page.has_account and page.suggested_pseudonym
    done = signin.complete_sign_in(session, token=token, pseudonym=" NewPerson ", now=utcnow())
    assert done.is_new and done.next_path == "/account"
    assert done.user.pseudonym == "NewPerson" and done.user.roles == "citizen"
    assert vault.find_user_id_by_email(session, "new@example.test") == done.user.id


def test_an_unusable_pseudonym_is_refused_before_the_link_is_used(
    session: Session, settings, outbox
) -> None:
    make_user(session, pseudonym="TakenName")
    token = request_link(session, settings, outbox, "late@example.test")
    for bad in ("takenname", "x", "OfficialAdmin", ""):
        with pytest.raises(FormInvalid) as refused:
            signin.complete_sign_in(session, token=token, pseudonym=bad, now=utcnow())
        assert set(refused.value.errors) == {"pseudonym"}
    assert session.exec(select(SignInToken.used_at)).one() is None
    done = signin.complete_sign_in(session, token=token, pseudonym="LateComer", now=utcnow())
    assert done.is_new


def test_an_existing_account_signs_in_without_a_pseudonym(
    session: Session, settings, outbox
) -> None:
    user = make_user(session, email="known@example.test")
    token = request_link(session, settings, outbox, "KNOWN@example.test")
    assert signin.inspect_link(session, token=token, now=utcnow()).has_account
    done = signin.complete_sign_in(session, token=token, pseudonym=None, now=utcnow())
    assert done.user.id == user.id and not done.is_new and done.next_path == "/"
    assert len(session.exec(select(User)).all()) == 1


def test_a_link_works_only_once(session: Session, settings, outbox) -> None:
    make_user(session, email="once@example.test")
    token = request_link(session, settings, outbox, "once@example.test")
    signin.complete_sign_in(session, token=token, pseudonym=None, now=utcnow())
    with pytest.raises(vault.LinkInvalid):
        signin.complete_sign_in(session, token=token, pseudonym=None, now=utcnow())


def test_an_unknown_link_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        signin.complete_sign_in(session, token="no-such-token", pseudonym="X123", now=utcnow())


@pytest.mark.parametrize(
    ("status", "error"), [(AccountStatus.excluded, Forbidden), (AccountStatus.deleted, NotFound)]
)
def test_an_excluded_or_deleted_account_cannot_sign_in(
    session: Session, settings, outbox, status, error
) -> None:
    user = make_user(session, email="gone@example.test")
    user.status = status
    session.flush()
    token = request_link(session, settings, outbox, "gone@example.test")
    with pytest.raises(error):
        signin.complete_sign_in(session, token=token, pseudonym=None, now=utcnow())


def test_a_suspended_account_may_still_sign_in(session: Session) -> None:
    user = make_user(session)
    user.status = AccountStatus.suspended
    assert signin.user_who_may_sign_in(session, user.id).id == user.id
    with pytest.raises(NotFound):
        signin.user_who_may_sign_in(session, user.id + 10_000)

"""One hook mechanism: registries per site, reached through the session, with safe defaults."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pluggy import PluginValidationError
from sqlmodel import Session

from kernel import hooks
from kernel.errors import DomainError, Forbidden, FormInvalid, NotFound
from kernel.hooks import hookimpl, hookspec
from moderation import errors as moderation_errors
from moderation import hooks as moderation_hooks
from moderation.hookspecs import ModerationSpec


class _Spec:
    @hookspec(firstresult=True)
    def greeting(self, name: str) -> str | None:
        """A test hook."""
        return None


class _Polite:
    @hookimpl
    def greeting(self, name: str) -> str:
        return f"Good morning, {name}"


def test_each_registry_answers_with_its_own_plugins() -> None:
    polite = hooks.registry(specs=[_Spec], plugins=[_Polite()])
    silent = hooks.registry(specs=[_Spec])
    assert polite.hook.greeting(name="Ada") == "Good morning, Ada"
    assert silent.hook.greeting(name="Ada") is None


def test_a_misspelt_implementation_is_refused_when_the_registry_is_built() -> None:
    class Typo:
        @hookimpl
        def greting(self, name: str) -> str:
            return name

    with pytest.raises(PluginValidationError):
        hooks.registry(specs=[_Spec], plugins=[Typo()])


def test_a_session_carries_the_hooks_of_the_site_that_opened_it() -> None:
    registry = hooks.registry(specs=[_Spec], plugins=[_Polite()])
    with Session(info=hooks.session_info(registry)) as session:
        assert hooks.of(session).greeting(name="Bo") == "Good morning, Bo"
        assert hooks.implemented(session, "greeting")
    with Session() as unbound, pytest.raises(hooks.HooksNotBound):
        hooks.of(unbound)


def test_moderation_refuses_to_act_when_nothing_records_the_audit_log() -> None:
    registry = hooks.registry(specs=[ModerationSpec])
    with Session(info=hooks.session_info(registry)) as session:
        with pytest.raises(moderation_hooks.AuditNotConfigured):
            moderation_hooks.audit(
                session,
                actor_id=1,
                action="moderation.claim",
                subject_type="case",
                subject_id=1,
                now=datetime.now(UTC),
            )
        # the other hooks answer safely: default settings, no identity, no disclosures
        assert moderation_hooks.settings(session) == moderation_hooks.DEFAULT_SETTINGS
        assert moderation_hooks.disclosed_identity(session, user_id=1, case_id=1) is None
        assert moderation_hooks.disclosure_counts(session) == {}


def test_moderation_errors_are_domain_errors_of_the_one_tree() -> None:
    assert issubclass(moderation_errors.ModerationError, DomainError)
    assert moderation_errors.StaleCase("x").status_code == 409
    assert moderation_errors.ConflictOfInterest().status_code == 403
    for shared in (NotFound, Forbidden, FormInvalid):
        assert issubclass(shared, DomainError)

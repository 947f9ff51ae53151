"""Two moderators decide the same case at the same moment, truly in parallel (two threads, two
connections, a barrier), 100 rounds on SQLite and on PostgreSQL: one decision is applied, the
other is refused, and the audit log records the one."""

from __future__ import annotations

import pytest
from sqlmodel import col, func, select

from app.audit import log as audit
from app.audit.models import AuditEntry
from kernel.clock import utcnow
from moderation import decisions, reporting
from moderation.errors import StaleCase
from moderation.models import Decision, ModerationCase, Notice
from tests.factories import make_moderator, make_post, make_user
from tests.support.races import ROUNDS, fresh_site, race


@pytest.fixture
def site(backend: str, tmp_path, request: pytest.FixtureRequest):
    with fresh_site(backend, tmp_path, lambda: request.getfixturevalue("postgres_url")) as s:
        yield s


def _decide(case_id: int, version: int, moderator_id: int, action: str):
    def act(s) -> str:
        decisions.decide(
            s,
            case_id=case_id,
            moderator_id=moderator_id,
            version=version,
            action=action,
            basis="threat" if action == "remove" else None,
            statement=f"Moderator {moderator_id} read the threat against the person "
            "named in the thread and decided on that basis.",
            now=utcnow(),
        )
        return "decided"

    return act


def test_two_moderators_deciding_at_once_give_one_decision_and_one_refusal(site) -> None:
    with site.transaction() as s:
        first, second = make_moderator(s).id, make_moderator(s).id
        cases = []
        for _ in range(ROUNDS):
            report = reporting.report_post(
                s,
                post_id=make_post(s).id,
                reporter_id=make_user(s).id,
                reason="threat",
                about_me=True,
                note="",
                now=utcnow(),
            )
            cases.append((report.case_id, s.get(ModerationCase, report.case_id).version))
    for case_id, version in cases:
        outcomes = race(
            site,
            _decide(case_id, version, first, "remove"),
            _decide(case_id, version, second, "dismiss"),
        )
        assert list(outcomes).count("decided") == 1, outcomes
        (refusal,) = [o for o in outcomes if isinstance(o, StaleCase)]
        assert refusal.status_code == 409
        assert "changed since you opened it" in refusal.message
    ids = [case_id for case_id, _ in cases]
    with site.transaction() as s:
        per_case = dict(
            s.exec(
                select(Decision.case_id, func.count())
                .where(col(Decision.case_id).in_(ids))
                .group_by(Decision.case_id)
            ).all()
        )
        assert per_case == dict.fromkeys(ids, 1)
        for case_id, version in cases:
            case = s.get(ModerationCase, case_id)
            assert case.state == "decided" and case.version == version + 1
        audited = s.exec(
            select(AuditEntry.subject_id, func.count())
            .where(col(AuditEntry.action).like("moderation.decide.%"))
            .group_by(AuditEntry.subject_id)
        ).all()
        assert dict(audited) == {str(i): 1 for i in ids}
        assert audit.verify(s) is None
        # Each reporter was told once, not twice.
        told = s.exec(
            select(func.count())
            .select_from(Notice)
            .where(col(Notice.case_id).in_(ids), col(Notice.subject).like("Outcome%"))
        ).one()
        assert told == ROUNDS

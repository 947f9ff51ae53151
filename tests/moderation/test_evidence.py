"""Evidence: fingerprinted at the first report, kept through edits and deletions, verifiable."""

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.audit import log as audit
from app.audit.models import AuditEntry
from app.cli import cli
from app.db import make_engine
from app.identity.vault.models import IdentityRecord
from app.migrate import upgrade
from app.participation import commands
from app.participation.models import Contribution, Response
from app.settings import Settings, get_settings
from app.wiring import build_site
from kernel.clock import utcnow
from moderation import evidence, queue, reporting
from moderation.models import EvidenceSnapshot, ModerationCase
from tests.factories import make_moderator, make_post, make_user

TEXT = "You will regret speaking at the meeting on Tuesday, I know where you park."


def _reported(session, text=TEXT):
    author = make_user(session)
    post = make_post(session, author=author, text=text)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="threat",
        about_me=True,
        note="",
        now=utcnow(),
    )
    return session.get(ModerationCase, report.case_id), post, author


def test_snapshot_holds_text_pseudonym_times_thread_and_its_hash(session: Session, mod) -> None:
    case, _post, author = _reported(session)
    snapshot = evidence.snapshots_of(session, case.id)[0]
    data = evidence.parsed(snapshot)
    assert data["post"]["text_as_shown"] == TEXT
    assert data["post"]["author_pseudonym"] == author.pseudonym
    assert data["post"]["posted_at"] and data["question"]
    assert snapshot.sha256 == evidence.digest(snapshot.content)
    assert evidence.verify(session)[1] == []


def test_a_changed_byte_fails_verification(session: Session, mod) -> None:
    case, *_ = _reported(session)
    snapshot = evidence.snapshots_of(session, case.id)[0]
    tampered = snapshot.content.replace("Tuesday", "Tuesdax")
    session.execute(
        update(EvidenceSnapshot).where(EvidenceSnapshot.id == snapshot.id).values(content=tampered)
    )
    session.expire_all()
    checked, bad = evidence.verify(session)
    assert checked >= 1 and [m.snapshot_id for m in bad] == [snapshot.id]


def _rewrite(session: Session, snapshot: EvidenceSnapshot, old: str, new: str) -> str:
    """Rewrite a snapshot's content and its stored hash together, consistently."""
    content = snapshot.content.replace(old, new)
    assert content != snapshot.content
    session.execute(
        update(EvidenceSnapshot)
        .where(EvidenceSnapshot.id == snapshot.id)
        .values(content=content, sha256=evidence.digest(content))
    )
    session.expire_all()
    return content


def test_each_snapshot_hash_is_recorded_in_the_audit_chain_when_taken(
    session: Session, mod
) -> None:
    case, *_ = _reported(session)
    snapshot = evidence.snapshots_of(session, case.id)[0]
    entry = session.exec(
        select(AuditEntry).where(
            AuditEntry.action == evidence.CAPTURED, AuditEntry.subject_id == str(snapshot.id)
        )
    ).one()
    assert entry.details == {
        "case_id": case.id,
        "sha256": snapshot.sha256,
        "trigger": "first_report",
    }
    assert audit.verify(session) is None


def test_content_and_hash_rewritten_together_fail_verification(session: Session, mod) -> None:
    case, *_ = _reported(session)
    snapshot = evidence.snapshots_of(session, case.id)[0]
    recorded = snapshot.sha256
    _rewrite(session, snapshot, "Tuesday", "Friday")
    (mismatch,) = evidence.verify(session)[1]
    assert mismatch.snapshot_id == snapshot.id and mismatch.recorded == recorded
    assert mismatch.stored == mismatch.computed != recorded
    assert "both rewritten" in mismatch.reason


def test_a_snapshot_without_its_audit_entry_fails_verification(session: Session, mod) -> None:
    case, *_ = _reported(session)
    snapshot = evidence.snapshots_of(session, case.id)[0]
    session.execute(
        update(AuditEntry)
        .where(col(AuditEntry.action) == evidence.CAPTURED)
        .values(action="something.else")
    )
    (mismatch,) = evidence.verify(session)[1]
    assert mismatch.snapshot_id == snapshot.id and mismatch.recorded is None
    assert "no hash was recorded" in mismatch.reason


def test_edit_after_report_keeps_reported_and_current_versions(session: Session, mod) -> None:
    case, post, author = _reported(session)
    from app.consultations.models import Consultation, Question

    question = session.get(Question, post.question_id)
    consultation = session.get(Consultation, question.consultation_id)
    commands.submit_answer(
        session,
        consultation=consultation,
        question=question,
        author=author,
        stance="agree",
        text="I take it back entirely.",
        publish=True,
        now=utcnow(),
    )
    view = queue.case_view(
        session, case_id=case.id, moderator_id=make_moderator(session).id, now=utcnow()
    )
    assert view.reported_text == TEXT and view.post.source_text == "I take it back entirely."
    assert view.edited_since_report
    assert [s.trigger for s in view.snapshots] == ["first_report", "edited"]


def test_evidence_survives_deleting_the_post_and_the_account(session: Session, mod) -> None:
    case, post, author = _reported(session)
    evidence.post_changed(session, post_id=post.id, deleted=True, now=utcnow())
    session.delete(
        session.exec(select(IdentityRecord).where(IdentityRecord.user_id == author.id)).one()
    )
    session.delete(session.get(Contribution, post.id))
    session.flush()
    session.delete(session.exec(select(Response).where(Response.respondent_id == author.id)).one())
    session.flush()
    session.delete(author)
    session.flush()
    session.expire_all()
    case = session.get(ModerationCase, case.id)
    assert case.contribution_id is None and case.author_id is None
    assert case.post_deleted_at is not None
    snapshots = evidence.snapshots_of(session, case.id)
    assert evidence.parsed(snapshots[0])["post"]["text_as_shown"] == TEXT
    assert evidence.verify(session)[1] == []


def test_reclaim_evidence_verify_reports_a_tampered_snapshot(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'evidence.db'}"
    upgrade(url)
    engine = make_engine(url)
    site = build_site(Settings(environment="test", database_url=url, smtp_host=None), engine=engine)
    with site.transaction() as s:
        case, *_ = _reported(s)
        case_id = case.id
    monkeypatch.setenv("RECLAIM_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        ok = runner.invoke(cli, ["evidence", "verify"])
        assert ok.exit_code == 0 and "match" in ok.output
        with site.transaction() as s:
            snap = evidence.snapshots_of(s, case_id)[0]
            s.execute(
                update(EvidenceSnapshot)
                .where(EvidenceSnapshot.id == snap.id)
                .values(content=snap.content.replace("park", "pork"))
            )
        bad = runner.invoke(cli, ["evidence", "verify"])
        assert bad.exit_code == 1
        assert f"MISMATCH snapshot {snap.id}" in bad.output
        with site.transaction() as s:  # now content and hash together, consistently
            _rewrite(s, evidence.snapshots_of(s, case_id)[0], "pork", "pink")
        rewritten = runner.invoke(cli, ["evidence", "verify"])
        assert rewritten.exit_code == 1
        assert f"MISMATCH snapshot {snap.id}" in rewritten.output
        assert "both rewritten" in rewritten.output
    finally:
        get_settings.cache_clear()
        engine.dispose()


@pytest.mark.parametrize("trigger", ["first_report"])
def test_snapshot_json_is_canonical(session: Session, mod, trigger: str) -> None:
    case, *_ = _reported(session)
    snapshot = evidence.snapshots_of(session, case.id)[0]
    assert snapshot.trigger == trigger
    assert snapshot.content == evidence.canonical_json(evidence.parsed(snapshot))

"""The scheduler's jobs, run as a worker would run them: cases closed after the appeal window,
used links and ended sessions purged, campaigns regrouped after answers and imports without
anyone pressing the button."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.accounts import sessions
from app.accounts.models import Role, UserSession
from app.analysis import importing
from app.analysis.models import CampaignGroup
from app.consultations import catalogue
from app.identity.models import OidcLogin
from app.identity.vault import service as vault
from app.identity.vault.models import SignInToken
from app.outbox.jobs import JobName
from app.outbox.models import OutboxMessage, ScheduledJob
from app.participation import commands
from kernel.clock import utcnow
from moderation import hooks as moderation_hooks
from moderation.models import ModerationCase
from tests.factories import make_consultation, make_user
from tests.moderation.test_appeals import _decided

CAMPAIGN = (
    "Scrap this proposal now. It will chill legitimate debate online and punish "
    "ordinary people for speaking their minds about public figures."
)


def _due_now(session: Session, name: str) -> None:
    """Bring the job's waiting run forward to now (instead of waiting for its time)."""
    session.exec(
        update(ScheduledJob)
        .where(col(ScheduledJob.name) == name)
        .values(due_at=utcnow() - timedelta(seconds=1))
    )


def _jobs(session: Session, name: str) -> list[ScheduledJob]:
    session.expire_all()
    return list(session.exec(select(ScheduledJob).where(ScheduledJob.name == name)))


def test_the_moderation_job_closes_decided_cases_whose_appeal_window_passed(
    session: Session, outbox
) -> None:
    _decision, case, *_ = _decided(session)
    window = moderation_hooks.settings(session).appeal_window
    case.decided_at = utcnow() - window - timedelta(days=1)
    session.add(case)
    session.flush()
    from app.outbox.jobs import request_job

    request_job(session, name=JobName.moderation, now=utcnow())
    assert outbox.run_jobs() >= 1
    session.expire_all()
    assert session.get(ModerationCase, case.id).state == "closed"
    (again,) = _jobs(session, JobName.moderation)
    assert again.state == "pending" and again.due_at > utcnow()  # its next run


def test_the_purge_removes_used_links_ended_sessions_abandoned_logins_and_old_mail(
    session: Session, outbox, site
) -> None:
    from app.outbox.jobs import request_job

    now = utcnow()
    long_ago = now - timedelta(days=60)
    person = make_user(session)
    old_link = vault.issue_sign_in_token(
        session, email="old@example.test", next_path="/", now=long_ago, lifetime=timedelta(1)
    )
    fresh_link = vault.issue_sign_in_token(
        session, email="fresh@example.test", next_path="/", now=now, lifetime=timedelta(1)
    )
    live = sessions.start_session(session, user=person, now=now)
    signed_out = sessions.start_session(session, user=person, now=now)
    sessions.end_session(session, signed_out, now=now)
    idle = sessions.start_session(session, user=person, now=long_ago)
    session.add(
        OidcLogin(
            state_hash="a" * 64,
            nonce="n",
            code_verifier="v",
            created_at=long_ago,
            expires_at=long_ago + timedelta(minutes=10),
        )
    )
    sent = OutboxMessage(
        message_id="s" * 32, template="moderation_notice", recipient_id=person.id, state="sent"
    )
    sent.finished_at = long_ago
    waiting = OutboxMessage(
        message_id="w" * 32, template="moderation_notice", recipient_id=person.id
    )
    session.add_all([sent, waiting])
    session.flush()
    request_job(session, name=JobName.purge, now=now)
    outbox.run_jobs()
    session.expire_all()
    tokens = session.exec(select(SignInToken.token_hash)).all()
    assert vault._token_hash(fresh_link) in tokens and vault._token_hash(old_link) not in tokens
    ids = set(session.exec(select(UserSession.id)).all())
    assert ids == {sessions._session_id(live)}, (signed_out, idle)
    assert session.exec(select(func.count()).select_from(OidcLogin)).one() == 0
    messages = set(session.exec(select(OutboxMessage.message_id)).all())
    assert messages == {"w" * 32}


def _campaign_answers(session: Session, consultation, count: int) -> None:
    question = catalogue.get_question(session, consultation, 1)
    for i in range(count):
        commands.submit_answer(
            session,
            consultation=consultation,
            question=question,
            author=make_user(session),
            stance="disagree",
            text=f"{CAMPAIGN} Yours, campaigner {i}.",
            publish=True,
            now=utcnow(),
        )
    session.commit()  # each request's transaction ends


def test_new_answers_regroup_the_campaigns_after_a_pause_without_the_button(
    session: Session, outbox, site
) -> None:
    consultation = make_consultation(session, questions=1)
    _campaign_answers(session, consultation, 6)
    (pending,) = _jobs(session, JobName.regroup_campaigns)  # one request for six answers
    assert pending.key == str(consultation.id)
    wait = timedelta(seconds=site.settings.campaign_regroup_seconds)
    assert pending.due_at >= utcnow() + wait - timedelta(seconds=5)
    assert outbox.run_jobs() == 0  # not yet: more answers may come
    _due_now(session, JobName.regroup_campaigns)
    assert outbox.run_jobs() == 1
    (group,) = session.exec(
        select(CampaignGroup).where(CampaignGroup.consultation_id == consultation.id)
    ).all()
    assert group.size == 6
    assert _jobs(session, JobName.regroup_campaigns) == []  # done, not repeated
    # One more copy: the group grows at the next run; an unchanged group would keep its id.
    _campaign_answers(session, consultation, 1)
    _due_now(session, JobName.regroup_campaigns)
    outbox.run_jobs()
    (grown,) = session.exec(
        select(CampaignGroup).where(CampaignGroup.consultation_id == consultation.id)
    ).all()
    assert grown.size == 7


def test_regrouping_twice_keeps_an_unchanged_group_and_its_address(session: Session) -> None:
    from app.analysis.grouping import detect_campaigns

    consultation = make_consultation(session, questions=1)
    _campaign_answers(session, consultation, 5)
    assert detect_campaigns(session, consultation=consultation, now=utcnow()) == 1
    first = session.exec(select(CampaignGroup.id)).one()
    assert detect_campaigns(session, consultation=consultation, now=utcnow()) == 1
    assert session.exec(select(CampaignGroup.id)).one() == first


def test_an_import_asks_for_the_campaigns_to_be_found_at_once(session: Session, outbox) -> None:
    consultation = make_consultation(session, questions=1, status="closed")
    organiser = make_user(session, roles={Role.organiser})
    on_time = (consultation.closes_at - timedelta(days=2)).strftime("%Y-%m-%d")
    rows = "".join(
        f"L-{i},individual,,,post,{on_time},disagree,{CAMPAIGN} ({i})\n" for i in range(5)
    )
    importing.import_responses(
        session,
        consultation=consultation,
        filename="letters.csv",
        data=(
            "reference,respondent_type,organisation_name,may_name_organisation,channel,"
            "received_at,q1_stance,q1_answer\n" + rows
        ).encode(),
        organiser=organiser,
        now=utcnow(),
    )
    (pending,) = _jobs(session, JobName.regroup_campaigns)
    assert pending.due_at <= utcnow()
    assert outbox.run_jobs() == 1
    (group,) = session.exec(select(CampaignGroup)).all()
    assert group.size == 5

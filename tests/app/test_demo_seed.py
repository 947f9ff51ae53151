"""`reclaim demo` seeds a site a newcomer can try every part of, from the data files."""

import shutil
from pathlib import Path

from sqlmodel import Session, col, func, select

from app.accounts.models import User
from app.analysis.models import CampaignGroup, ConsultationOutcome
from app.consultations.models import Consultation, Question, Theme
from app.demo import content, seed
from app.identity.vault import service as vault
from app.participation.models import Contribution, Response
from kernel.clock import utcnow
from moderation.models import ModerationCase


def _answers(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(Contribution).where(Contribution.kind == "answer")
    ).one()


def test_demo_seed_fills_every_part_of_the_site(session: Session) -> None:
    accounts = seed.seed(session, now=utcnow())
    assert {a.role for a in accounts} == {"citizen", "moderator", "organiser", "custodian", "admin"}
    for account in accounts:  # each demo sign-in address reaches its account
        user_id = vault.find_user_id_by_email(session, account.email)
        assert session.get(User, user_id).pseudonym == account.pseudonym
    assert session.exec(select(func.count()).select_from(Theme)).one() == 5
    consultations = session.exec(select(Consultation)).all()
    phases = {c.phase_at(utcnow()).value for c in consultations}
    assert phases == {"open", "closed", "upcoming"}
    answers = _answers(session)
    assert answers >= 200
    assert session.exec(select(func.count()).select_from(ModerationCase)).one() >= 3
    assert seed.is_seeded(session)
    # Everything in the data files, and nothing else, is in the database.
    data = content.demo_content()
    assert [t.slug for t in session.exec(select(Theme).order_by(col(Theme.position)))] == [
        t.slug for t in data.themes
    ]
    assert sorted(c.title for c in consultations) == sorted(c.title for c in data.consultations)
    written = [q for c in data.consultations for q in c.questions]
    assert session.exec(select(func.count()).select_from(Question)).one() == len(written)
    campaigns = sum(len(c.campaign.texts) for c in data.consultations if c.campaign)
    assert answers == sum(len(q.answers) for q in written) + campaigns


def test_the_demo_looks_lived_in_and_nothing_is_dated_in_the_future(session: Session) -> None:
    now = utcnow()
    seed.seed(session, now=now)
    latest = session.exec(select(func.max(Contribution.created_at))).one()
    assert latest.replace(tzinfo=None) <= now.replace(tzinfo=None)
    # Each reply is one written for the answer it sits under, and comes after it.
    data = content.demo_content()
    written = {
        a.text: a.replies for c in data.consultations for q in c.questions for a in q.answers
    }
    replies = session.exec(select(Contribution).where(Contribution.kind == "reply")).all()
    assert len(replies) >= 10
    for reply in replies:
        parent = session.get(Contribution, reply.parent_id)
        assert reply.source_text in written[parent.source_text]
        assert reply.created_at >= parent.created_at
    organisations = session.exec(
        select(Response).where(Response.respondent_type == "organisation")
    ).all()
    assert any(r.may_name_organisation for r in organisations)
    assert any(not r.may_name_organisation for r in organisations)
    channels = set(session.exec(select(Response.channel)))
    assert channels == {"web", "email", "post"}
    assert session.exec(select(func.count()).select_from(CampaignGroup)).one() >= 1
    coded = session.exec(
        select(func.count())
        .select_from(Contribution)
        .where(col(Contribution.evaluation).is_not(None))
    ).one()
    assert coded >= 20
    published = session.exec(select(ConsultationOutcome.published_at)).all()
    assert len(published) == 1 and published[0] is not None
    assert published[0].replace(tzinfo=None) <= now.replace(tzinfo=None)


def test_demo_seed_reads_the_data_it_is_given(session: Session, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(content.DATA_DIR, folder)
    path = folder / "consultations" / "07-keeping-the-evidence.toml"
    original = "Keeping the evidence: takedowns, preservation and police referrals"
    text = path.read_text()
    assert f'title = "{original}"' in text
    path.write_text(text.replace(f'title = "{original}"', 'title = "Edited in a copy"'))
    seed.seed(session, now=utcnow(), data=content.load(folder))
    titles = set(session.exec(select(Consultation.title)))
    assert "Edited in a copy" in titles and original not in titles

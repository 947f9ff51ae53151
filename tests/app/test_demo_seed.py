"""`reclaim demo` seeds a site a newcomer can try every part of, from the data files."""

import shutil
from pathlib import Path

from sqlmodel import Session, col, func, select

from app.accounts.models import User
from app.consultations.models import Consultation, Question, Theme
from app.demo import content, seed
from app.identity.vault import service as vault
from app.participation.models import Contribution
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
    assert answers == sum(len(q.answers) for q in written)


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

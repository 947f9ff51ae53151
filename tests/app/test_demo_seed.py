"""`reclaim demo` seeds a site a newcomer can try every part of."""

from sqlmodel import Session, func, select

from app.accounts.models import User
from app.consultations.models import Consultation, Theme
from app.demo import seed
from app.identity.vault import service as vault
from app.participation.models import Contribution
from kernel.clock import utcnow
from moderation.models import ModerationCase


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
    answers = session.exec(
        select(func.count()).select_from(Contribution).where(Contribution.kind == "answer")
    ).one()
    assert answers >= 200
    assert session.exec(select(func.count()).select_from(ModerationCase)).one() >= 3
    assert seed.is_seeded(session)

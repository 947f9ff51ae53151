"""Every log line of a whole journey (sign-in, answer, report, decision, disclosure), written as
production writes them, holds no IP address, no e-mail address and no verified name, while
each request's line is there with its request id."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import select

from app.accounts.models import Role
from app.identity.models import Disclosure
from app.identity.vault import service as vault
from kernel.clock import utcnow
from moderation.models import ModerationCase
from tests.factories import csrf_token, make_consultation, make_user, sign_in

CLIENT_IP = "203.0.113.9"
PEOPLE = {
    "author": ("alys.author@example.test", "Alys Authorson"),
    "reporter": ("rhys.reporter@example.test", "Rhys Reporterson"),
    "moderator": ("mair.moderator@example.test", "Mair Moderatorwen"),
    "custodian_a": ("cai.custodian@example.test", "Cai Custodianson"),
    "custodian_b": ("bethan.custodian@example.test", "Bethan Custodianwen"),
}
ROLES = {
    "moderator": {Role.moderator},
    "custodian_a": {Role.custodian},
    "custodian_b": {Role.custodian},
}
STATEMENT = (
    "The answer names a councillor and says where they will be waited for, which reads as a "
    "credible threat of violence against a named person."
)
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def test_a_whole_journey_logs_no_address_and_no_name(app, outbox, session, captured_logs) -> None:
    now = utcnow()
    for key, (email, name) in PEOPLE.items():
        user = make_user(
            session, roles=ROLES.get(key), pseudonym=key.title().replace("_", ""), email=email
        )
        vault.record_verified_identity(
            session,
            user_id=user.id,
            issuer="https://idp.example",
            subject=key,
            email=None,
            name=name,
            birthdate="1980-02-03",
            level="identity",
            now=now,
        )
    consultation = make_consultation(session, questions=1)
    clients = {
        key: TestClient(app, client=(CLIENT_IP, 40000 + n), follow_redirects=False)
        for n, key in enumerate(PEOPLE)
    }
    headers = {"X-Forwarded-For": "198.51.100.77", "User-Agent": "Journey/1.0"}
    for key, (email, _) in PEOPLE.items():
        clients[key].headers.update(headers)
        sign_in(clients[key], outbox, email)

    author = clients["author"]
    answered = author.post(
        f"/consultations/{consultation.slug}/questions/1/answer",
        data={
            "csrf_token": csrf_token(author),
            "stance": "disagree",
            "text": "I know where the councillor lives and I will be waiting there.",
        },
    )
    assert answered.status_code == 303
    from app.participation.models import Contribution

    post = session.exec(select(Contribution).order_by(Contribution.id.desc())).first()
    reporter = clients["reporter"]
    reported = reporter.post(
        f"/posts/{post.id}/report",
        data={
            "csrf_token": csrf_token(reporter),
            "reason": "threat",
            "about_me": "no",
            "note": "Please look at this; my address is rhys.reporter@example.test.",
        },
    )
    assert reported.status_code == 303, reported.text
    case = session.exec(
        select(ModerationCase).where(ModerationCase.contribution_id == post.id)
    ).one()
    moderator = clients["moderator"]
    token = csrf_token(moderator, f"/moderation/cases/{case.id}")
    assert (
        moderator.post(f"/moderation/cases/{case.id}/claim", data={"csrf_token": token}).status_code
        == 303
    )
    session.refresh(case)
    decided = moderator.post(
        f"/moderation/cases/{case.id}/decide",
        data={
            "csrf_token": token,
            "version": str(case.version),
            "action": "remove",
            "basis": "threat",
            "statement": STATEMENT,
        },
    )
    assert decided.status_code == 303, decided.text
    asker, approver = clients["custodian_a"], clients["custodian_b"]
    asked = asker.post(
        "/custodian/disclosures",
        data={
            "csrf_token": csrf_token(asker),
            "pseudonym": "Author",
            "reason_category": "court_order",
            "reason": "A court ordered us to name the author of a threat against a councillor, reference 77.",
        },
    )
    assert asked.status_code == 303, asked.text
    disclosure = session.exec(select(Disclosure)).one()
    approved = approver.post(
        f"/custodian/disclosures/{disclosure.id}/decision",
        data={"csrf_token": csrf_token(approver), "decision": "approve"},
    )
    assert approved.status_code == 303
    revealed = asker.post(
        f"/custodian/disclosures/{disclosure.id}/reveal", data={"csrf_token": csrf_token(asker)}
    )
    assert revealed.status_code == 200 and "Alys Authorson" in revealed.text  # shown, not logged

    lines = captured_logs.lines()
    requests = [line for line in lines if line.get("event") == "request"]
    assert len(requests) >= 25 and all(len(line["request_id"]) == 16 for line in requests)
    assert {line["route"] for line in requests} >= {
        "/auth/sign-in",
        "/auth/link/{token}",
        "/consultations/{slug}/questions/{number}/answer",
        "/posts/{post_id}/report",
        "/moderation/cases/{case_id}/decide",
        "/custodian/disclosures/{disclosure_id}/reveal",
    }
    text = captured_logs.text
    assert IPV4.findall(text) == []
    assert "@" not in text
    for email, name in PEOPLE.values():
        assert email not in text and name not in text
        assert name.split()[1] not in text  # not even the family name

"""Reporting and moderating through the real routes, and hostile content made inert."""

import re

from bs4 import BeautifulSoup
from sqlmodel import Session, select

from app.accounts.models import Role
from kernel.clock import utcnow
from moderation import appeals, decisions, reporting
from moderation.models import ModerationCase
from tests.factories import csrf_token, make_consultation, make_post, make_user, sign_in

HOSTILE = (
    '<script>alert("xss")</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">click</a><b hx-get="/evil" hx-trigger="load" '
    'onmouseover="alert(3)">b</b> {{ 7*7 }} {% if true %}TPL{% endif %}'
)
STATEMENT = (
    "The post names a participant and says they will be hurt at the meeting, a credible threat. "
)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def assert_inert(response) -> None:
    page = soup(response)
    for script in page.find_all("script"):
        assert script.get("src", "").startswith("/static/"), script
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            if name.startswith("hx-"):
                assert "/evil" not in str(value), tag
            if name in ("href", "src", "action"):
                assert not str(value).strip().lower().startswith("javascript:"), tag
    text = page.get_text()
    if "7*7" in text:  # template syntax is shown as typed, never evaluated
        assert "{{ 7*7 }}" in text
    assert "TPL" not in text.replace("%}TPL{%", "")


def _question_path(post, session) -> str:
    from app.consultations.models import Consultation, Question

    q = session.get(Question, post.question_id)
    return f"/consultations/{session.get(Consultation, q.consultation_id).slug}/questions/1"


def test_report_control_form_receipt_and_follow_page(client, outbox, session: Session) -> None:
    post = make_post(session)
    sign_in(client, outbox, "reporter@example.test", pseudonym="Reporter1")
    page = client.get(_question_path(post, session))
    link = soup(page).select_one(f"#answer-{post.id} a.report-link")
    assert link["href"] == f"/posts/{post.id}/report"
    form = client.get(link["href"])
    assert form.status_code == 200 and soup(form).select_one("#reason-threat")
    token = csrf_token(client, link["href"])
    sent = client.post(
        link["href"],
        data={"csrf_token": token, "reason": "threat", "about_me": "yes", "note": "He means it."},
    )
    assert sent.status_code == 303
    reference = sent.headers["location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"R(-[3469ACDEFGHJKMNPQRTWXY]{4}){4}", reference)
    receipt = client.get(sent.headers["location"])
    assert soup(receipt).select_one("#case-reference").text == reference
    assert "report this to the police directly" in receipt.text
    again = client.post(link["href"], data={"csrf_token": token, "reason": "spam"})
    assert again.status_code == 409 and "already reported" in again.text


def test_report_without_a_reason_is_422_with_the_error_by_the_field(
    client, outbox, session: Session
) -> None:
    post = make_post(session)
    sign_in(client, outbox, "r2@example.test", pseudonym="Reporter2")
    path = f"/posts/{post.id}/report"
    refused = client.post(path, data={"csrf_token": csrf_token(client, path), "note": "kept text"})
    assert refused.status_code == 422
    assert soup(refused).select_one("#reason-error")
    assert soup(refused).select_one("#note").text == "kept text"


def test_queue_is_for_moderators_only(client, outbox, session: Session) -> None:
    sign_in(client, outbox, "citizen@example.test", pseudonym="Citizen1")
    assert client.get("/moderation").status_code == 403


def _hostile_case(session: Session):
    author = make_user(session, pseudonym="Author1")
    post = make_post(session, author=author, text=HOSTILE)
    reporter = make_user(session)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=reporter.id,
        reason="threat",
        about_me=True,
        note=HOSTILE,
        now=utcnow(),
    )
    return session.get(ModerationCase, report.case_id), post, author, reporter, report


def test_the_case_page_and_queue_speak_plainly_and_the_form_starts_with_its_template(
    client, outbox, session: Session
) -> None:
    case, _post, _author, _reporter, _report = _hostile_case(session)
    make_user(session, roles={Role.moderator}, email="mod@example.test", pseudonym="ModOne")
    sign_in(client, outbox, "mod@example.test")
    page = soup(client.get(f"/moderation/cases/{case.id}"))
    # The statement box starts with the text the hint says must be rewritten.
    assert page.select_one("#statement").get_text() == decisions.TEMPLATES["general"]
    text = page.main.get_text(" ", strip=True)
    assert "Version" not in text and "first_report" not in text and "Snapshot" not in text
    assert "taken when it was first reported" in text
    assert "?." not in page.select_one("#post-byline").get_text()
    assert page.select_one("#post-question").get_text().startswith("An answer to question 1 of")
    queue_page = soup(client.get("/moderation"))
    choices = {o["value"]: o.get_text() for o in queue_page.select("#filter-consultation option")}
    consultation = session.get(ModerationCase, case.id).consultation_id
    assert choices[str(consultation)].startswith("Consultation ")  # by title, not a number
    states = {o["value"]: o.get_text() for o in queue_page.select("#filter-state option")}
    assert states["open"] == "Open" and "open or held" in states["awaiting"]
    row_state = queue_page.select_one(".queue-table tbody tr td:last-child").get_text(strip=True)
    assert row_state in states.values()


def test_moderator_removes_with_reasons_and_thread_shows_the_marker(
    client, outbox, session: Session
) -> None:
    case, post, _author, _reporter, _report = _hostile_case(session)
    make_user(session, roles={Role.moderator}, email="mod@example.test", pseudonym="ModOne")
    sign_in(client, outbox, "mod@example.test")
    queue_page = client.get("/moderation")
    assert queue_page.status_code == 200
    assert_inert(queue_page)
    row = soup(queue_page).select_one(f"a[href='/moderation/cases/{case.id}']")
    assert row is not None
    case_page = client.get(row["href"])
    assert_inert(case_page)
    version = soup(case_page).select_one("input[name=version]")["value"]
    token = csrf_token(client, row["href"])
    bad = client.post(
        f"/moderation/cases/{case.id}/decide",
        data={
            "csrf_token": token,
            "version": version,
            "action": "remove",
            "basis": "threat",
            "statement": decisions.TEMPLATES["general"],
        },
    )
    assert bad.status_code == 422 and soup(bad).select_one("#statement-error")
    done = client.post(
        f"/moderation/cases/{case.id}/decide",
        data={
            "csrf_token": token,
            "version": version,
            "action": "remove",
            "basis": "threat",
            "statement": STATEMENT + HOSTILE,
        },
    )
    assert done.status_code == 303
    again = client.post(
        f"/moderation/cases/{case.id}/decide",
        data={
            "csrf_token": token,
            "version": version,
            "action": "dismiss",
            "statement": STATEMENT + " and more words to be specific.",
        },
    )
    assert again.status_code == 409 and "changed since you opened it" in again.text
    thread = client.get(f"/answers/{post.id}")
    marker = soup(thread).select_one(f"#answer-{post.id}-by").text
    assert "Removed by moderators: Threat of violence (category 1)" in marker
    assert_inert(client.get(f"/moderation/cases/{case.id}"))
    # E-mails are plain text: the hostile text is only ever characters, never markup to run.
    for mail in outbox.messages:
        if "decided" in mail.subject or "Outcome" in mail.subject:
            assert "<html" not in mail.body.lower()
    from app.outbox.transport import Mail, build_email

    newest = outbox.messages[0]
    mail = Mail(to=newest.to, subject=newest.subject, body=newest.body, message_id="<m@x.test>")
    message = build_email(mail, mod_settings(client))
    assert message.get_content_type() == "text/plain"
    # The statement reaches the author's e-mail as text: its template syntax is not run.
    assert any("{{ 7*7 }} {% if true %}TPL{% endif %}" in m.body for m in outbox.messages)


def mod_settings(client):
    return client.app.state.settings


def test_hostile_appeal_and_report_are_inert_for_moderators_and_reporters(
    client, outbox, session: Session
) -> None:
    case, _post, author, _reporter, _report = _hostile_case(session)
    moderator = make_user(session, roles={Role.moderator})
    decision = decisions.decide(
        session,
        case_id=case.id,
        moderator_id=moderator.id,
        version=case.version,
        action="remove",
        basis="threat",
        statement=STATEMENT + HOSTILE,
        now=utcnow(),
    )
    appeals.lodge_appeal(
        session, decision_id=decision.id, appellant_id=author.id, reason=HOSTILE, now=utcnow()
    )
    make_user(session, roles={Role.moderator}, email="mod2@example.test", pseudonym="ModTwo")
    sign_in(client, outbox, "mod2@example.test")
    for path in (
        "/moderation",
        "/moderation?state=appealed",
        f"/moderation/cases/{case.id}",
        "/moderation/appeals",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_inert(page)


def test_reporter_sees_outcome_and_notice(client, outbox, session: Session) -> None:
    post = make_post(session)
    sign_in(client, outbox, "follow@example.test", pseudonym="Follower")
    path = f"/posts/{post.id}/report"
    sent = client.post(path, data={"csrf_token": csrf_token(client, path), "reason": "spam"})
    case = session.exec(
        select(ModerationCase).where(ModerationCase.contribution_id == post.id)
    ).one()
    decisions.decide(
        session,
        case_id=case.id,
        moderator_id=make_user(session, roles={Role.moderator}).id,
        version=case.version,
        action="dismiss",
        basis=None,
        statement="This is an ordinary argument about the proposal, not spam at all.",
        now=utcnow(),
    )
    status = client.get(sent.headers["location"])
    assert "Dismiss the report" in soup(status).select_one("#outcome").text
    assert soup(status).select_one("a[href^='/decisions/']")
    notices = client.get("/notices")
    assert "Outcome of your report" in notices.text


def test_transparency_page_and_json_are_public(client, session: Session) -> None:
    page = client.get("/transparency")
    assert page.status_code == 200 and soup(page).select_one("#reports-by-reason")
    data = client.get("/transparency.json").json()
    assert set(data) >= {
        "reports_by_reason",
        "actions_by_type",
        "actions_by_basis",
        "time_to_decision_hours",
        "appeals",
        "police_referrals",
        "identity_disclosures_by_reason",
    }
    assert (
        'href="/transparency"' in page.text and 'href="/how-to-report"' in page.text
    ) or "How to report abuse" in page.text


def test_every_page_links_to_how_to_report(client, session: Session) -> None:
    make_consultation(session)
    home = client.get("/")
    footer = soup(home).select_one("footer")
    assert footer.find("a", string="How to report abuse")

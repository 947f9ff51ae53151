"""The custodians' pages, the person's account page and the public transparency page."""

from bs4 import BeautifulSoup
from sqlmodel import select

from app.accounts.models import Role
from app.identity.models import Disclosure
from tests.factories import csrf_token, make_user, sign_in

REASON = "Court order 2026/77 from the county court, served on the operator today."


def test_two_custodians_disclose_and_the_person_and_the_public_can_see_it(
    client, outbox, session
) -> None:
    make_user(session, pseudonym="Subject1", email="subject1@example.test")
    make_user(session, roles={Role.custodian}, pseudonym="CustA", email="custa@example.test")
    make_user(session, roles={Role.custodian}, pseudonym="CustB", email="custb@example.test")

    sign_in(client, outbox, "custa@example.test")
    listing = client.get("/custodian/disclosures")
    assert listing.status_code == 200
    bad = client.post(
        "/custodian/disclosures",
        data={"csrf_token": csrf_token(client), "pseudonym": "Subject1", "reason": "too short"},
    )
    assert bad.status_code == 422
    page = BeautifulSoup(bad.text, "html.parser")
    assert page.select_one("#reason")["aria-invalid"] == "true"
    assert page.select_one("#pseudonym")["value"] == "Subject1"
    made = client.post(
        "/custodian/disclosures",
        data={
            "csrf_token": csrf_token(client),
            "pseudonym": "subject1",  # found whatever its capitals
            "reason_category": "court_order",
            "reason": REASON,
        },
    )
    assert made.status_code == 303
    d = session.exec(select(Disclosure)).one()
    detail = client.get(made.headers["location"])
    assert "Waiting for a different custodian" in detail.text
    own_approval = client.post(
        f"/custodian/disclosures/{d.id}/decision",
        data={"csrf_token": csrf_token(client), "decision": "approve"},
    )
    assert own_approval.status_code == 403

    client.cookies.clear()
    outbox.clear()
    sign_in(client, outbox, "custb@example.test")
    assert (
        client.post(
            f"/custodian/disclosures/{d.id}/decision",
            data={"csrf_token": csrf_token(client), "decision": "approve"},
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/custodian/disclosures/{d.id}/reveal", data={"csrf_token": csrf_token(client)}
        ).status_code
        == 403
    )

    client.cookies.clear()
    outbox.clear()
    sign_in(client, outbox, "custa@example.test")
    shown = client.post(
        f"/custodian/disclosures/{d.id}/reveal", data={"csrf_token": csrf_token(client)}
    )
    assert shown.status_code == 200
    assert "subject1@example.test" in shown.text
    assert "no-store" in shown.headers["cache-control"]
    again = client.get(f"/custodian/disclosures/{d.id}")
    assert "subject1@example.test" not in again.text and "was shown to CustA" in again.text
    # The status says what happened last and who did each step, not the approver as viewer.
    shown_page = BeautifulSoup(again.text, "html.parser")
    assert shown_page.select_one("#disclosure_status").get_text() == "Viewed"
    assert shown_page.select_one("#disclosure_decision").get_text().startswith("CustB, ")
    assert shown_page.select_one("#disclosure_viewed").get_text().startswith("CustA, ")
    assert (
        client.post(
            f"/custodian/disclosures/{d.id}/reveal", data={"csrf_token": csrf_token(client)}
        ).status_code
        == 409
    )

    client.cookies.clear()
    outbox.clear()
    sign_in(client, outbox, "subject1@example.test")
    account = BeautifulSoup(client.get("/account").text, "html.parser")
    assert "Court order" in account.select_one("#identity_disclosures").text

    client.cookies.clear()
    report = BeautifulSoup(client.get("/transparency").text, "html.parser")
    rows = {
        r.th.text: [td.text for td in r.select("td")]
        for r in report.select("#disclosure_figures tbody tr")
    }
    assert rows["Court order"] == ["1", "1", "0"]


def test_a_police_referral_request_without_its_referral_is_refused_beside_the_field(
    client, outbox, session
) -> None:
    from tests.factories import make_referral

    subject = make_user(session, pseudonym="Subject2", email="subject2@example.test")
    make_user(session, roles={Role.custodian}, pseudonym="CustC", email="custc@example.test")
    sign_in(client, outbox, "custc@example.test")
    data = {
        "csrf_token": csrf_token(client),
        "pseudonym": "Subject2",
        "reason_category": "police_referral",
        "reason": REASON,
    }
    refused = client.post("/custodian/disclosures", data=data)
    assert refused.status_code == 422
    page = BeautifulSoup(refused.text, "html.parser")
    assert "police referral" in page.select_one("#referral-error").get_text()
    assert page.select_one("#pseudonym")["value"] == "Subject2"
    referral = make_referral(session, subject)
    made = client.post("/custodian/disclosures", data={**data, "referral": str(referral.id)})
    assert made.status_code == 303
    detail = BeautifulSoup(client.get(made.headers["location"]).text, "html.parser")
    basis = detail.select_one("#disclosure_basis").get_text()
    assert basis == f"Moderation case {referral.case_id}, police referral {referral.id}"

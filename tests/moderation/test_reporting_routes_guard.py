"""Report pages never reveal a post that the public cannot see."""

from sqlalchemy import update

from app.consultations.catalogue import get_question
from app.participation import commands
from app.participation.models import Contribution
from kernel.clock import utcnow
from tests.factories import csrf_token, make_consultation, make_user, sign_in


def _answer(session, *, publish: bool, text: str):
    c = make_consultation(session)
    return commands.submit_answer(
        session,
        consultation=c,
        question=get_question(session, c, 1),
        author=make_user(session),
        stance="agree",
        text=text,
        publish=publish,
        now=utcnow(),
    )


def test_private_answer_cannot_be_read_or_reported_through_the_report_form(
    client, outbox, session
) -> None:
    private = _answer(session, publish=False, text="Only for the organisers to read.")
    sign_in(client, outbox, "curious@example.test", pseudonym="Curious1")
    page = client.get(f"/posts/{private.id}/report")
    assert page.status_code == 404
    assert "Only for the organisers" not in page.text
    refused = client.post(
        f"/posts/{private.id}/report", data={"csrf_token": csrf_token(client), "reason": "spam"}
    )
    assert refused.status_code == 404


def test_removed_answer_is_not_shown_on_the_report_form(client, outbox, session) -> None:
    removed = _answer(session, publish=True, text="Text that moderators removed.")
    session.execute(
        update(Contribution).where(Contribution.id == removed.id).values(state="removed")
    )
    sign_in(client, outbox, "curious2@example.test", pseudonym="Curious2")
    page = client.get(f"/posts/{removed.id}/report")
    assert page.status_code == 404 and "moderators removed" not in page.text

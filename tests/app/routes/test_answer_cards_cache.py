"""Each answer's cached card is checked against its row (``thread_version``): a change to one
thread renders that card again and reads no other answer's replies, and no change to a reply,
whatever code made it, leaves a card out of date."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, update

from app.accounts.models import User
from app.participation import views
from app.participation.models import Contribution
from tests.factories import make_consultation, make_post, make_reply, make_user, remove_post


def _answers(client, path: str) -> str:
    return BeautifulSoup(client.get(path).text, "html.parser").select_one("#answer_list").text


@pytest.fixture
def thread(session):
    """A question with two answers, the first with a reply; its page's path."""
    c = make_consultation(session)
    first = make_post(session, consultation=c, text="The first answer on the page.")
    second = make_post(session, consultation=c, text="The second answer on the page.")
    author = make_user(session, pseudonym="ReplyWriter")
    reply = make_reply(session, parent=first, author=author, text="An early reply to the first.")
    session.flush()
    return {
        "first": first,
        "second": second,
        "reply": reply,
        "author": author,
        "path": f"/consultations/{c.slug}/questions/1",
    }


@pytest.fixture
def threads_read(monkeypatch) -> list[list[int]]:
    """The answers whose replies each rendering of a list read."""
    calls: list[list[int]] = []
    complete = views.complete_threads

    def recording(session, answers, **kwargs):
        calls.append(sorted(a.id for a in answers))
        return complete(session, answers, **kwargs)

    monkeypatch.setattr(views, "complete_threads", recording)
    return calls


def test_a_reply_reads_the_replies_of_its_own_answer_only(
    client, session, thread, threads_read
) -> None:
    first, second = thread["first"], thread["second"]
    assert "An early reply" in _answers(client, thread["path"])
    assert threads_read == [sorted([first.id, second.id])]  # nothing cached yet
    make_reply(session, parent=second, text="A new reply to the second.")
    session.flush()
    shown = _answers(client, thread["path"])
    assert "A new reply to the second." in shown and "An early reply" in shown
    assert threads_read[1:] == [[second.id]]
    # A change of an answer itself shows from its own row: no thread is read again.
    session.execute(
        update(Contribution)
        .where(Contribution.id == first.id)
        .values(html="<p>The first answer, edited.</p>")
    )
    session.flush()
    shown = _answers(client, thread["path"])
    assert "The first answer, edited." in shown and "An early reply" in shown
    assert threads_read[2:] == [[first.id]]  # its card is new: rendered with its replies


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda r: update(Contribution).where(Contribution.id == r.id).values(state="hidden"),
            id="hidden",
        ),
        pytest.param(
            lambda r: (
                update(Contribution).where(Contribution.id == r.id).values(html="<p>Rewritten.</p>")
            ),
            id="rewritten",
        ),
        pytest.param(lambda r: delete(Contribution).where(Contribution.id == r.id), id="deleted"),
    ],
)
def test_a_reply_changed_by_any_code_leaves_no_card_out_of_date(
    client, session, thread, change
) -> None:
    assert "An early reply" in _answers(client, thread["path"])
    assert "An early reply" in _answers(client, thread["path"])  # from the cache
    session.execute(change(thread["reply"]))
    session.flush()
    assert "An early reply" not in _answers(client, thread["path"])


def test_a_reply_authors_new_pseudonym_shows_at_once(client, session, thread) -> None:
    assert "ReplyWriter" in _answers(client, thread["path"])
    session.execute(
        update(User).where(User.id == thread["author"].id).values(pseudonym="RenamedWriter")
    )
    session.flush()
    shown = _answers(client, thread["path"])
    assert "RenamedWriter" in shown and "ReplyWriter" not in shown


def test_a_reply_removed_by_moderators_shows_its_marker_and_reason(client, session, thread) -> None:
    assert "An early reply" in _answers(client, thread["path"])
    remove_post(session, thread["reply"])
    session.flush()
    shown = " ".join(_answers(client, thread["path"]).split())
    assert "An early reply" not in shown
    assert "Reply removed by moderators: Threat" in shown and "(category" in shown

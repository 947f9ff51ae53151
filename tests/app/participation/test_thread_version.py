"""The database keeps each answer's ``thread_version`` (the key of its cached card) and its
question's ``feed_version`` (the key of the cached list), whatever statement changes a post."""

from sqlalchemy import delete, text, update

from app.accounts.models import User
from app.participation.models import Contribution
from tests.factories import make_consultation, make_post, make_reply, make_user


def _versions(session, *answer_ids: int) -> tuple[int, ...]:
    session.flush()
    conn = session.connection()
    threads = tuple(
        conn.execute(
            text("SELECT thread_version FROM contribution WHERE id = :id"), {"id": i}
        ).scalar_one()
        for i in answer_ids
    )
    feed = conn.execute(
        text(
            "SELECT feed_version FROM question WHERE id = "
            "(SELECT question_id FROM contribution WHERE id = :id)"
        ),
        {"id": answer_ids[0]},
    ).scalar_one()
    return (*threads, feed)


def test_every_change_to_a_reply_bumps_its_answer_once(session) -> None:
    c = make_consultation(session)
    first, second = make_post(session, consultation=c), make_post(session, consultation=c)
    t1, t2, feed = _versions(session, first.id, second.id)
    reply = make_reply(session, parent=first, text="A reply that will move and go.")
    # The reply, and the code's own count of it on the answer: the answer's thread moves with
    # each (the count moves it too), and so the question's list changes once, not twice.
    after = _versions(session, first.id, second.id)
    assert after[0] > t1 and after[1] == t2 and after[2] == feed + 1
    t1, t2, feed = after
    session.execute(
        update(Contribution).where(Contribution.id == reply.id).values(html="<p>Edited.</p>")
    )
    assert _versions(session, first.id, second.id) == (t1 + 1, t2, feed + 1)
    session.execute(
        update(Contribution).where(Contribution.id == reply.id).values(parent_id=second.id)
    )
    assert _versions(session, first.id, second.id) == (t1 + 2, t2 + 1, feed + 2)
    session.execute(delete(Contribution).where(Contribution.id == reply.id))
    assert _versions(session, first.id, second.id) == (t1 + 2, t2 + 2, feed + 3)


def test_a_change_to_an_answer_itself_leaves_its_thread_version(session) -> None:
    answer = make_post(session)
    thread, feed = _versions(session, answer.id)
    session.execute(update(Contribution).where(Contribution.id == answer.id).values(state="hidden"))
    assert _versions(session, answer.id) == (thread, feed + 1)


def test_a_renamed_author_bumps_the_answers_they_replied_to(session) -> None:
    c = make_consultation(session)
    replied, other = make_post(session, consultation=c), make_post(session, consultation=c)
    author = make_user(session, pseudonym="BeforeRename")
    make_reply(session, parent=replied, author=author)
    before = _versions(session, replied.id, other.id)
    session.execute(update(User).where(User.id == author.id).values(pseudonym="AfterRename"))
    after = _versions(session, replied.id, other.id)
    assert after[0] == before[0] + 1 and after[1] == before[1]
    assert after[2] > before[2]  # and the question's list (its author replied there)

"""The cached answer list never outlives a change to the answers, whatever code made it."""

from bs4 import BeautifulSoup
from sqlalchemy import update

from app.consultations import catalogue
from app.main import create_app
from app.participation import commands
from app.participation.models import Contribution
from app.web.fragments import FragmentCache
from kernel.clock import utcnow
from tests.factories import make_consultation, make_post, make_user


def _answers(client, path: str) -> str:
    return BeautifulSoup(client.get(path).text, "html.parser").select_one("#answer_list").text


def _reply(session, consultation, answer, text: str) -> None:
    """A reply by a new account to ``answer``, stored."""
    commands.add_reply(
        session,
        consultation=consultation,
        parent=answer,
        author=make_user(session),
        text=text,
        now=utcnow(),
    )
    session.flush()


def test_a_post_removed_by_a_raw_update_disappears_at_once(client, session) -> None:
    c = make_consultation(session)
    question = catalogue.get_question(session, c, 1)
    answer = commands.submit_answer(
        session,
        consultation=c,
        question=question,
        author=make_user(session),
        stance="agree",
        text="A post that moderators will remove.",
        publish=True,
        now=utcnow(),
    )
    path = f"/consultations/{c.slug}/questions/1"
    assert "moderators will remove" in _answers(client, path)
    assert "moderators will remove" in _answers(client, path)  # served from the cache
    session.execute(
        update(Contribution).where(Contribution.id == answer.id).values(state="removed")
    )
    session.flush()
    after = _answers(client, path)
    assert "moderators will remove" not in after
    assert "Removed by moderators" in after


def test_a_new_reply_appears_in_a_cached_list(client, session) -> None:
    c = make_consultation(session)
    question = catalogue.get_question(session, c, 1)
    answer = commands.submit_answer(
        session,
        consultation=c,
        question=question,
        author=make_user(session),
        stance="agree",
        text="An answer that gets a reply.",
        publish=True,
        now=utcnow(),
    )
    path = f"/consultations/{c.slug}/questions/1"
    assert "A later reply" not in _answers(client, path)
    _reply(session, c, answer, "A later reply.")
    assert "A later reply" in _answers(client, path)


def test_a_reply_renders_again_only_the_answer_it_was_made_to(app, client, session) -> None:
    c = make_consultation(session)
    question = catalogue.get_question(session, c, 1)
    first, second = (
        commands.submit_answer(
            session,
            consultation=c,
            question=question,
            author=make_user(session),
            stance="agree",
            text=f"Answer number {n} on this question.",
            publish=True,
            now=utcnow(),
        )
        for n in (1, 2)
    )
    path = f"/consultations/{c.slug}/questions/1"
    _answers(client, path)
    cache = app.state.fragment_cache

    def answer_keys(answer_id: int) -> set:
        return {k for k in cache._items if k[0] == "answer" and k[1][0] == answer_id}

    before_first, before_second = answer_keys(first.id), answer_keys(second.id)
    assert len(before_first) == len(before_second) == 1
    commands.add_reply(
        session,
        consultation=c,
        parent=first,
        author=make_user(session),
        text="A reply to the first answer.",
        now=utcnow(),
    )
    session.flush()
    assert "A reply to the first answer" in _answers(client, path)
    assert answer_keys(second.id) == before_second  # reused as it was
    after_first = answer_keys(first.id)
    assert len(after_first) == 1 and after_first != before_first  # rendered again, replaced


def _reader(client, outbox, session, email: str, pseudonym: str):
    """Sign in (the real journey, in a fresh set of cookies) and return the account."""
    from sqlmodel import select

    from app.accounts.models import User
    from tests.factories import sign_in

    client.cookies.clear()
    sign_in(client, outbox, email, pseudonym=pseudonym)
    return session.exec(select(User).where(User.pseudonym == pseudonym)).one()


def _report_links(client, path: str) -> set[int]:
    page = BeautifulSoup(client.get(path).text, "html.parser")
    links = page.select("#answer_list a.report-link")
    return {int(link["href"].split("/")[2]) for link in links}


def test_a_list_cached_for_one_reader_shows_every_other_reader_their_own_report_links(
    client, session, outbox
) -> None:
    from tests.factories import make_post

    c = make_consultation(session)
    alice = _reader(client, outbox, session, "alice@example.test", "AliceCache")
    bob = make_user(session, pseudonym="BobCache")
    alices = make_post(session, author=alice, consultation=c)
    bobs = make_post(session, author=bob, consultation=c)
    reply = commands.add_reply(
        session, consultation=c, parent=bobs, author=alice, text="Alice replies.", now=utcnow()
    )
    session.flush()
    path = f"/consultations/{c.slug}/questions/1"
    # Alice fills the cache: nobody reports their own posts.
    assert _report_links(client, path) == {bobs.id}
    assert _report_links(client, path) == {bobs.id}  # from the cache
    # Bob reads the list Alice's visit cached: he can report both of her posts, not his own.
    reader = _reader(client, outbox, session, "bob-cache@example.test", "BobReader")
    assert reader.id not in {alice.id, bob.id}
    assert _report_links(client, path) == {alices.id, bobs.id, reply.id}


def test_the_cache_size_is_the_operators_and_zero_keeps_nothing(
    app, client, session, settings, site
) -> None:
    sized = create_app(settings.model_copy(update={"fragment_cache_mib": 2}), site=site)
    assert sized.state.fragment_cache.max_bytes == 2 * 2**20
    app.state.fragment_cache = FragmentCache(0)  # what RECLAIM_FRAGMENT_CACHE_MIB=0 makes
    c = make_consultation(session)
    make_post(session, consultation=c, text="Shown without any cache.")
    path = f"/consultations/{c.slug}/questions/1"
    assert "Shown without any cache." in _answers(client, path)
    assert "Shown without any cache." in _answers(client, path)
    assert len(app.state.fragment_cache) == 0


def test_an_english_question_page_is_ascii_so_its_cached_pieces_take_a_byte_a_character(
    client, session, outbox
) -> None:
    """One curly quote anywhere in a piece of markup makes Python keep the whole piece, and the
    page it is joined into, at two bytes a character: the cache then holds half as much and
    every page costs more to join and encode. People's own words may be anything; the site's
    own English stays ASCII (entities or plain quotes)."""
    c = make_consultation(session)
    answer = make_post(session, consultation=c, text="A plain answer with a reply form.")
    _reply(session, c, answer, "A plain reply.")
    _reader(client, outbox, session, "ascii-reader@example.test", "AsciiReader")
    page = client.get(f"/consultations/{c.slug}/questions/1")
    assert page.status_code == 200 and 'name="content_note"' in page.text
    odd = sorted({ch for ch in page.text if ord(ch) > 127})
    assert odd == [], f"characters beyond ASCII in the page's own markup: {odd}"

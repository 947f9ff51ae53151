"""Pages use a constant number of queries, whatever the number of answers and replies."""

from app.consultations import catalogue
from app.participation import commands
from kernel.clock import utcnow
from tests.factories import make_consultation, make_user


def _fill(session, consultation, answers: int) -> None:
    question = catalogue.get_question(session, consultation, 1)
    people = [make_user(session) for _ in range(answers)]
    for person in people:
        answer = commands.submit_answer(
            session,
            consultation=consultation,
            question=question,
            author=person,
            stance="agree",
            text=f"An answer from {person.pseudonym}.",
            publish=True,
            now=utcnow(),
        )
        for replier in people[:2]:
            commands.add_reply(
                session,
                consultation=consultation,
                parent=answer,
                author=replier,
                text="A reply.",
                now=utcnow(),
            )
    session.flush()


def _count(client, count_queries, path: str) -> int:
    count_queries.statements.clear()
    response = client.get(path)
    assert response.status_code == 200
    return count_queries.count


def test_question_page_queries_do_not_grow_with_answers(client, session, count_queries) -> None:
    few = make_consultation(session)
    many = make_consultation(session)
    _fill(session, few, 2)
    _fill(session, many, 40)
    small = _count(client, count_queries, f"/consultations/{few.slug}/questions/1")
    large = _count(client, count_queries, f"/consultations/{many.slug}/questions/1")
    assert small == large
    assert large <= 10


def test_consultation_page_queries_do_not_grow_with_answers(client, session, count_queries) -> None:
    few = make_consultation(session, questions=2)
    many = make_consultation(session, questions=5)
    _fill(session, few, 1)
    _fill(session, many, 30)
    assert _count(client, count_queries, f"/consultations/{few.slug}") == _count(
        client, count_queries, f"/consultations/{many.slug}"
    )

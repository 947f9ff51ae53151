"""Rate limits: shared counters in the database, a clear message with when to try again."""

from tests.factories import csrf_token


def test_sign_in_requests_are_rate_limited_with_a_clear_message(client, outbox) -> None:
    statuses = []
    for _ in range(6):
        token = csrf_token(client, "/auth/sign-in")
        response = client.post(
            "/auth/sign-in", data={"email": "same@example.test", "csrf_token": token}
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [303] * 5
    assert statuses[5] == 429
    assert "Try again in" in response.text and "minutes" in response.text
    assert int(response.headers["retry-after"]) > 0
    assert len(outbox.messages) == 5  # the refused request sent nothing


def test_counters_are_shared_between_limiters(app) -> None:
    from app.ratelimit.limiter import RateLimiter

    storage_engine = app.state.limiter.strategy.storage.engine
    first, second = RateLimiter(storage_engine), RateLimiter(storage_engine)
    first.hit("shared", "2/minute", "k", message="x")
    second.hit("shared", "2/minute", "k", message="x")
    import pytest

    from kernel.errors import RateLimited

    with pytest.raises(RateLimited):
        first.hit("shared", "2/minute", "k", message="Slow down.")


def test_posting_is_rate_limited_and_a_refused_post_is_not_stored(
    app, client, outbox, session
) -> None:
    from sqlmodel import func, select

    from app.participation.models import Contribution
    from tests.factories import make_consultation, sign_in

    consultation = make_consultation(session)
    sign_in(client, outbox, "poster@example.test", pseudonym="Poster1")
    app.state.settings = app.state.settings.model_copy(update={"rate_limit_posting": "3/hour"})
    page = f"/consultations/{consultation.slug}/questions/1"
    answered = client.post(
        f"{page}/answer",
        data={
            "csrf_token": csrf_token(client, page),
            "stance": "agree",
            "text": "Training for every officer who takes reports of online abuse.",
        },
    )
    assert answered.status_code == 303
    answer_id = session.exec(select(Contribution.id)).one()
    token = csrf_token(client, f"/answers/{answer_id}")

    def reply(text: str) -> int:
        return client.post(
            f"/answers/{answer_id}/replies", data={"csrf_token": token, "text": text}
        ).status_code

    assert reply("x") == 422  # invalid, stored nothing, and does not count
    assert [reply("A first reply."), reply("A second reply.")] == [303, 303]
    refused = client.post(
        f"/answers/{answer_id}/replies", data={"csrf_token": token, "text": "A third reply."}
    )
    assert refused.status_code == 429
    assert "You have posted a lot in a short time. Try again in" in refused.text
    stored = session.exec(
        select(Contribution.source_text).where(Contribution.parent_id == answer_id)
    ).all()
    assert sorted(stored) == ["A first reply.", "A second reply."]
    assert session.exec(select(func.count()).select_from(Contribution)).one() == 3

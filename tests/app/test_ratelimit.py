"""Rate limits: shared counters in the database, a clear message with when to try again."""

from tests.factories import csrf_token


def test_sign_in_requests_are_rate_limited_with_a_clear_message(client, outbox) -> None:
    statuses = []
    for _ in range(6):
        token = csrf_token(client, "/auth/sign-in")
        response = client.post("/auth/sign-in", data={"email": "same@example.test",
                                                      "csrf_token": token})
        statuses.append(response.status_code)
    assert statuses[:5] == [303] * 5
    assert statuses[5] == 429
    assert "Try again in" in response.text and "minutes" in response.text
    assert int(response.headers["retry-after"]) > 0
    assert len(outbox.messages) == 5  # the refused request sent nothing


def test_counters_are_shared_between_limiters(app) -> None:  # noqa: ANN001
    from app.ratelimit import RateLimiter

    storage_engine = app.state.limiter.strategy.storage.engine
    first, second = RateLimiter(storage_engine), RateLimiter(storage_engine)
    first.hit("shared", "2/minute", "k", message="x")
    second.hit("shared", "2/minute", "k", message="x")
    import pytest

    from app.errors import RateLimited

    with pytest.raises(RateLimited):
        first.hit("shared", "2/minute", "k", message="Slow down.")

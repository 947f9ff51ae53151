"""Local time: one way of writing dates, UK time by default, and typed times read in the
site's zone across the clock changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel import i18n, localtime
from kernel.localtime import LocalTimeError, SiteTime

UK = SiteTime.named("Europe/London")


def test_dates_read_one_way_without_a_leading_zero() -> None:
    assert UK.date(datetime(2026, 11, 1, 9, 5, tzinfo=UTC)) == "1 November 2026"
    assert UK.datetime(datetime(2026, 11, 1, 9, 5, tzinfo=UTC)) == "1 November 2026 at 09:05"
    assert UK.date(None) == "" and UK.datetime(None) == ""


def test_summer_times_show_in_british_summer_time() -> None:
    evening = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)
    assert UK.datetime(evening) == "14 July 2026 at 23:30"
    assert UK.date(datetime(2026, 7, 31, 23, 30, tzinfo=UTC)) == "1 August 2026"


def test_a_naive_stored_time_is_taken_as_utc() -> None:
    assert UK.time(datetime(2026, 7, 14, 22, 30)) == "23:30"  # noqa: DTZ001


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2027-03-01T09:00", datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),  # GMT
        ("2027-03-31T23:59", datetime(2027, 3, 31, 22, 59, tzinfo=UTC)),  # BST from 28 March
        ("2026-10-25T01:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # twice: the first
        ("2027-03-31T23:59+00:00", datetime(2027, 3, 31, 23, 59, tzinfo=UTC)),  # its own offset
    ],
)
def test_typed_times_are_read_in_uk_time_and_stored_in_utc(typed, stored) -> None:
    assert UK.parse(typed) == stored
    assert UK.parse(typed).tzinfo is UTC


def test_a_time_skipped_by_the_clocks_going_forward_is_refused() -> None:
    with pytest.raises(LocalTimeError, match="does not exist in UK time"):
        UK.parse("2027-03-28T01:30")


@pytest.mark.parametrize("typed", ["", "tomorrow", "2027-13-01T09:00"])
def test_unreadable_times_are_refused_with_an_example(typed) -> None:
    with pytest.raises(LocalTimeError, match="like 2027-03-31 23:59"):
        UK.parse(typed)


def test_input_values_round_trip_in_local_time() -> None:
    stored = UK.parse("2027-03-31T23:59")
    assert UK.input_value(stored) == "2027-03-31T23:59"


def test_another_zone_is_named_and_used() -> None:
    tokyo = SiteTime.named("Asia/Tokyo")
    assert tokyo.label == "Asia/Tokyo" and UK.label == "UK time"
    assert tokyo.datetime(datetime(2026, 11, 1, 15, 0, tzinfo=UTC)) == "2 November 2026 at 00:00"


def test_the_current_site_time_is_uk_time_unless_a_request_sets_another() -> None:
    assert localtime.current().zone.key == "Europe/London"
    with localtime.using(SiteTime.named("Asia/Tokyo")):
        assert localtime.current().zone.key == "Asia/Tokyo"
    assert localtime.current().zone.key == "Europe/London"


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - naive, as SQLite gives them
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    ),
    aware=st.booleans(),
    language=st.sampled_from(i18n.LANGUAGES),
)
def test_a_time_in_words_is_its_date_and_its_minute(
    moment: datetime, aware: bool, language: str
) -> None:
    """Each minute is written once per language and kept: whatever the seconds, the zone of the
    value or the language asked before, the words are the ones composed afresh."""
    value = moment.replace(tzinfo=UTC) if aware else moment
    with i18n.using(language):
        expected = i18n._("{date} at {time}", date=UK.date(value), time=UK.time(value))
        assert UK.datetime(value) == expected
        assert UK.datetime(value) == expected  # from the kept words


def test_the_same_minute_reads_in_each_language() -> None:
    minute = datetime(2026, 11, 1, 9, 5, 30, tzinfo=UTC)
    with i18n.using("en"):
        assert UK.datetime(minute).startswith("1 November 2026")
    with i18n.using("cy"):
        assert UK.datetime(minute).startswith("1 Tachwedd 2026")

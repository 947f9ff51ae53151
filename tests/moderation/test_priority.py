from datetime import UTC, datetime, timedelta, timezone

import pytest

from moderation.priority import (
    MIN_REPORTER_WEIGHT,
    ReporterStanding,
    auto_hide_allowed,
    case_score,
    priority_key,
    reporter_weight,
    score_to_int,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def weight(upheld=0, dismissed=0, age=365.0, trusted=False):
    return reporter_weight(
        upheld=upheld, dismissed=dismissed, account_age_days=age, is_trusted=trusted
    )


def test_an_established_reporter_with_no_history_weighs_a_half():
    assert weight() == pytest.approx(0.5)


def test_a_reporter_whose_reports_are_mostly_dismissed_counts_less_than_a_new_one():
    assert weight(upheld=1, dismissed=20) < weight()


def test_a_reporter_never_counts_for_nothing():
    assert weight(upheld=0, dismissed=10_000, age=0) == MIN_REPORTER_WEIGHT
    assert weight(upheld=0, dismissed=10_000, age=0) > 0


def test_accuracy_raises_weight():
    assert weight(upheld=10, dismissed=0) > weight(upheld=2, dismissed=0) > weight()


def test_brand_new_accounts_count_for_less_until_two_weeks_old():
    assert weight(age=0) < weight(age=7) < weight(age=14)
    assert weight(age=14) == weight(age=400)


def test_trusted_reporters_weigh_at_least_point_nine_whatever_their_age():
    assert weight(trusted=True, age=0) >= 0.9


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match=r"report counts cannot be negative"):
        weight(upheld=-1)
    with pytest.raises(ValueError, match=r"account age must be a non\-negative numbe"):
        weight(age=-1)


def test_case_score_of_no_reporters_is_zero_and_stays_below_one():
    assert case_score([]) == 0.0
    assert 0 < case_score([1.0] * 100) <= 1.0
    assert case_score([1.0]) == pytest.approx(0.9)


def test_each_extra_reporter_adds_less_than_the_one_before():
    one, two, three = case_score([0.5]), case_score([0.5] * 2), case_score([0.5] * 3)
    assert one < two < three
    assert three - two < two - one


def test_case_score_refuses_weights_outside_zero_to_one():
    with pytest.raises(ValueError, match=r"a reporter weight must be between 0 and "):
        case_score([1.5])
    with pytest.raises(ValueError, match=r"a reporter weight must be between 0 and "):
        case_score([float("nan")])


def test_score_to_int_is_rounded_millionths():
    assert score_to_int(0.0) == 0
    assert score_to_int(0.1234564) == 123456
    assert score_to_int(1.0) == 1_000_000
    with pytest.raises(ValueError, match=r"a case score must be between 0 and 1, no"):
        score_to_int(1.01)


def key(band, score, at):
    return priority_key(severity_band=band, score=score, first_reported_at=at)


def test_a_threat_reported_last_sorts_before_ten_thousand_category_4_cases():
    cases = [
        ("offensive", key(5, case_score([0.9] * 5), T0 + timedelta(seconds=i)))
        for i in range(10_000)
    ]
    cases.append(("threat", key(1, case_score([0.05]), T0 + timedelta(days=30))))
    cases.sort(key=lambda case: case[1])
    assert cases[0][0] == "threat"


def test_within_a_band_more_distinct_reporters_come_first():
    few = key(2, case_score([0.5, 0.5]), T0)
    many = key(2, case_score([0.5, 0.5, 0.5]), T0 + timedelta(hours=1))
    assert sorted([few, many]) == [many, few]


def test_a_report_from_a_mostly_dismissed_reporter_sorts_after_a_new_reporters():
    poor = key(4, case_score([weight(upheld=1, dismissed=20)]), T0)
    fresh = key(4, case_score([weight()]), T0 + timedelta(hours=1))
    assert sorted([poor, fresh]) == [fresh, poor]


def test_equal_band_and_score_sort_oldest_first():
    newer = key(3, 0.5, T0 + timedelta(minutes=1))
    older = key(3, 0.5, T0)
    assert sorted([newer, older]) == [older, newer]


def test_naive_datetimes_are_read_as_utc_so_they_compare_with_aware_ones():
    naive = key(3, 0.5, datetime(2025, 3, 1, 8, 0))  # noqa: DTZ001 - naive on purpose
    aware = key(3, 0.5, datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1))))
    # 09:30+01:00 is 08:30 UTC, after the naive 08:00 (UTC)
    assert sorted([aware, naive]) == [naive, aware]


def test_scores_that_round_to_the_same_integer_fall_back_to_age_as_in_sql():
    older = key(3, 0.5000001, T0)
    newer = key(3, 0.5000004, T0 + timedelta(seconds=1))
    assert sorted([newer, older]) == [older, newer]


def test_thirty_new_accounts_rank_below_three_established_accurate_reporters():
    brigade = case_score([weight(age=0)] * 30)
    established = case_score([weight(upheld=5, dismissed=0, age=400)] * 3)
    assert brigade < established


def standing(age=400, upheld=5, dismissed=0, trusted=False, rid=None):
    return ReporterStanding(
        account_age_days=age,
        upheld=upheld,
        dismissed=dismissed,
        is_trusted=trusted,
        reporter_id=rid,
    )


def test_a_brigade_of_thirty_new_accounts_cannot_auto_hide():
    brigade = [standing(age=0, upheld=0, rid=i) for i in range(30)]
    assert not auto_hide_allowed(brigade)


def test_even_a_perfect_record_does_not_count_before_the_minimum_account_age():
    assert not auto_hide_allowed([standing(age=13.9, upheld=50, rid=i) for i in range(30)])


def test_old_accounts_with_no_upheld_reports_cannot_auto_hide():
    assert not auto_hide_allowed([standing(upheld=0, rid=i) for i in range(30)])


def test_three_established_accurate_reporters_can_auto_hide():
    assert auto_hide_allowed([standing(rid=i) for i in range(3)])


def test_two_established_accurate_reporters_are_not_enough():
    assert not auto_hide_allowed([standing(rid=i) for i in range(2)])


def test_the_same_reporter_counts_once():
    assert not auto_hide_allowed([standing(rid="same")] * 3)


def test_trusted_reporters_count_without_an_upheld_record_once_old_enough():
    assert auto_hide_allowed([standing(upheld=0, trusted=True, rid=i) for i in range(3)])
    assert not auto_hide_allowed([standing(age=1, trusted=True, rid=i) for i in range(3)])


def test_auto_hide_threshold_is_configurable_and_must_be_positive():
    assert auto_hide_allowed([standing(rid=1)], threshold=1)
    assert not auto_hide_allowed([standing(rid=i) for i in range(3)], threshold=4)
    with pytest.raises(ValueError, match=r"threshold must be at least 1"):
        auto_hide_allowed([], threshold=0)


def test_a_mostly_dismissed_reporter_does_not_count_towards_auto_hide():
    reporters = [standing(rid=1), standing(rid=2), standing(upheld=1, dismissed=20, rid=3)]
    assert not auto_hide_allowed(reporters)

from datetime import UTC, datetime, timedelta

import pytest

from moderation.errors import (
    AlreadyAppealed,
    AlreadyReported,
    AppealWindowClosed,
    ClaimedByOther,
    ConflictOfInterest,
    InvalidTransition,
    ModerationError,
    OwnPost,
    ReasonsRequired,
    StaleCase,
)
from moderation.reasons import Action
from moderation.states import (
    TRANSITIONS,
    AppealDecided,
    AppealLodged,
    AppealWindowPassed,
    CaseState,
    Decision,
    DecisionMade,
    HoldApplied,
    Reopened,
    ReportAdded,
    appeal_window_open,
    can_decide,
    can_decide_appeal,
    check_claim,
    claim_is_active,
    initial_state,
    next_state,
    require_specific_statement,
    statement_is_specific,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ALL_EVENTS = [
    ReportAdded(),
    HoldApplied(),
    DecisionMade(Action.remove),
    AppealLodged(),
    AppealDecided(upheld=True),
    AppealWindowPassed(),
    Reopened(),
]


# --- the state machine ------------------------------------------------------------------


def test_a_case_starts_open_or_held():
    assert initial_state(held=False) == CaseState.open
    assert initial_state(held=True) == CaseState.held


def test_a_reported_case_goes_from_open_to_decided_to_appealed_to_closed():
    state = CaseState.open
    state = next_state(state, ReportAdded())
    assert state == CaseState.open
    state = next_state(state, DecisionMade(Action.remove))
    assert state == CaseState.decided
    state = next_state(state, AppealLodged())
    assert state == CaseState.appealed
    state = next_state(state, AppealDecided(upheld=False))
    assert state == CaseState.closed


def test_an_open_case_is_held_when_its_post_is_hidden_pending_review():
    assert next_state(CaseState.open, HoldApplied()) == CaseState.held
    assert next_state(CaseState.held, HoldApplied()) == CaseState.held
    assert next_state(CaseState.held, ReportAdded()) == CaseState.held


def test_a_held_post_can_be_approved_or_acted_on():
    assert next_state(CaseState.held, DecisionMade(Action.approve)) == CaseState.decided
    assert next_state(CaseState.held, DecisionMade(Action.dismiss)) == CaseState.decided
    assert next_state(CaseState.held, DecisionMade(Action.remove)) == CaseState.decided


def test_approving_a_post_that_is_already_public_is_refused():
    with pytest.raises(InvalidTransition) as refused:
        next_state(CaseState.open, DecisionMade(Action.approve))
    assert "already public" in refused.value.message


def test_a_decided_case_cannot_be_decided_again_without_reopening():
    with pytest.raises(InvalidTransition):
        next_state(CaseState.decided, DecisionMade(Action.warn))
    reopened = next_state(CaseState.decided, Reopened())
    assert next_state(reopened, DecisionMade(Action.warn)) == CaseState.decided


def test_a_decision_can_be_appealed_only_once():
    with pytest.raises(InvalidTransition):
        next_state(CaseState.appealed, AppealLodged())
    with pytest.raises(InvalidTransition):
        next_state(CaseState.closed, AppealLodged())


def test_an_appeal_closes_the_case_whether_or_not_it_succeeds():
    assert next_state(CaseState.appealed, AppealDecided(upheld=True)) == CaseState.closed
    assert next_state(CaseState.appealed, AppealDecided(upheld=False)) == CaseState.closed


def test_an_unappealed_decision_closes_when_the_window_passes():
    assert next_state(CaseState.decided, AppealWindowPassed()) == CaseState.closed


def test_new_reports_never_change_a_decided_or_closed_case():
    for state in (CaseState.decided, CaseState.appealed, CaseState.closed):
        assert next_state(state, ReportAdded()) == state


def test_a_closed_case_can_be_reopened_but_not_an_open_one():
    assert next_state(CaseState.closed, Reopened()) == CaseState.open
    with pytest.raises(InvalidTransition):
        next_state(CaseState.open, Reopened())
    with pytest.raises(InvalidTransition):
        next_state(CaseState.appealed, Reopened())


def test_an_appeal_needs_a_decision_first():
    for state in (CaseState.open, CaseState.held):
        with pytest.raises(InvalidTransition):
            next_state(state, AppealLodged())
        with pytest.raises(InvalidTransition):
            next_state(state, AppealDecided(upheld=True))


def test_every_pair_not_in_the_table_is_refused_with_a_409():
    for state in CaseState:
        for event in ALL_EVENTS:
            if (state, event.name) in TRANSITIONS:
                next_state(state, event)
                continue
            with pytest.raises(InvalidTransition) as refused:
                next_state(state, event)
            assert refused.value.status_code == 409
            assert refused.value.state == state.value
            assert refused.value.event == event.name


def test_next_state_accepts_the_stored_string():
    assert next_state("open", HoldApplied()) == CaseState.held


def test_the_queue_shows_open_held_and_appealed_cases():
    assert {s for s in CaseState if s.awaits_moderator} == {
        CaseState.open,
        CaseState.held,
        CaseState.appealed,
    }


# --- errors -------------------------------------------------------------------------------


def test_errors_carry_their_status_and_share_a_base():
    assert ModerationError().status_code == 409
    assert ConflictOfInterest("x").status_code == 403
    assert ReasonsRequired().status_code == 422
    for error in (
        InvalidTransition("open", "reopened"),
        StaleCase("a new report arrived"),
        ConflictOfInterest("x"),
        ClaimedByOther(),
        AppealWindowClosed(),
        AlreadyAppealed(),
        AlreadyReported(),
        OwnPost(),
        ReasonsRequired(),
    ):
        assert isinstance(error, ModerationError)
        assert error.message


def test_stale_case_says_what_changed():
    error = StaleCase("another report was added")
    assert error.message.startswith(
        "This case changed since you opened it: another report was added"
    )
    assert error.status_code == 409


# --- claims -------------------------------------------------------------------------------


def test_a_claim_lapses_at_its_expiry():
    expires = NOW + timedelta(minutes=5)
    assert claim_is_active(claimed_by=7, claim_expires_at=expires, now=NOW)
    assert not claim_is_active(claimed_by=7, claim_expires_at=expires, now=expires)
    assert not claim_is_active(claimed_by=None, claim_expires_at=None, now=NOW)


def test_another_moderators_running_claim_is_refused_but_ones_own_is_not():
    expires = NOW + timedelta(minutes=5)
    with pytest.raises(ClaimedByOther) as refused:
        check_claim(moderator_id=8, claimed_by=7, claim_expires_at=expires, now=NOW)
    assert refused.value.until == expires
    assert "12:05" in refused.value.message
    check_claim(moderator_id=7, claimed_by=7, claim_expires_at=expires, now=NOW)
    check_claim(moderator_id=8, claimed_by=7, claim_expires_at=NOW - timedelta(seconds=1), now=NOW)


def test_claim_times_from_sqlite_without_a_zone_are_read_as_utc():
    naive_expiry = datetime(2025, 3, 1, 12, 5)  # noqa: DTZ001 - as SQLite returns it
    assert claim_is_active(claimed_by=1, claim_expires_at=naive_expiry, now=NOW)


def test_appeal_window_is_open_until_its_end_and_closed_after():
    decided = NOW
    window = timedelta(days=14)
    assert appeal_window_open(decided_at=decided, now=decided + window, window=window)
    assert not appeal_window_open(
        decided_at=decided, now=decided + window + timedelta(seconds=1), window=window
    )


# --- conflicts of interest ------------------------------------------------------------------


def test_a_moderator_cannot_decide_on_a_post_they_reported():
    decision = can_decide(moderator_id=1, reporter_ids=[3, 1], author_id=2)
    assert not decision.allowed
    assert "reported" in decision.reason


def test_a_moderator_cannot_decide_on_their_own_post():
    decision = can_decide(moderator_id=2, reporter_ids=[3], author_id=2)
    assert not decision.allowed
    assert "wrote" in decision.reason


def test_an_uninvolved_moderator_can_decide():
    assert can_decide(moderator_id=9, reporter_ids=iter([3, 1]), author_id=2) == Decision(True)


def test_the_original_decider_cannot_review_the_appeal():
    decision = can_decide_appeal(moderator_id=5, original_decider_id=5, appellant_id=2)
    assert not decision.allowed
    assert "decision under appeal" in decision.reason


def test_the_appellant_cannot_review_their_own_appeal():
    assert not can_decide_appeal(moderator_id=2, original_decider_id=5, appellant_id=2).allowed


def test_a_reporter_cannot_review_the_appeal_when_reporters_are_given():
    assert not can_decide_appeal(
        moderator_id=3, original_decider_id=5, appellant_id=2, reporter_ids=[3]
    ).allowed
    assert can_decide_appeal(moderator_id=3, original_decider_id=5, appellant_id=2).allowed


def test_a_refused_decision_raises_conflict_of_interest_with_its_reason():
    refused = can_decide(moderator_id=2, reporter_ids=[], author_id=2)
    with pytest.raises(ConflictOfInterest) as raised:
        refused.raise_if_refused()
    assert raised.value.message == refused.reason
    assert raised.value.status_code == 403
    Decision(True).raise_if_refused()


# --- statements of reasons ------------------------------------------------------------------

TEMPLATE = "This post was removed because it breaks the rule against threats of violence."


def test_a_short_statement_is_not_specific():
    assert not statement_is_specific("Removed: threat.", template=None)
    assert not statement_is_specific(" " * 100, template=None)


def test_a_statement_of_forty_characters_without_a_template_is_specific():
    statement = "The post says it will burn the person's car."
    assert len(statement) >= 40
    assert statement_is_specific(statement, template=None)
    assert not statement_is_specific(statement[:39], template=None)


def test_the_unchanged_template_is_refused():
    assert not statement_is_specific(TEMPLATE, template=TEMPLATE)


def test_reformatting_or_trimming_the_template_is_refused():
    assert not statement_is_specific("  " + TEMPLATE.upper().replace(" ", "   "), template=TEMPLATE)
    assert not statement_is_specific(TEMPLATE[:60], template=TEMPLATE)
    assert not statement_is_specific(TEMPLATE + "!!!!!!!!!!!!!!!!!!!!!!!!!", template=TEMPLATE)


def test_a_small_edit_to_the_template_is_refused():
    assert not statement_is_specific(TEMPLATE + " See post.", template=TEMPLATE)


def test_the_template_with_twenty_characters_about_this_post_is_specific():
    statement = TEMPLATE + " It says they will wait outside her office."
    assert statement_is_specific(statement, template=TEMPLATE)


def test_a_statement_rewritten_from_scratch_is_specific_even_with_a_template():
    statement = "The reply threatens to find the author at her workplace on Friday."
    assert statement_is_specific(statement, template=TEMPLATE)


def test_require_specific_statement_raises_reasons_required():
    with pytest.raises(ReasonsRequired):
        require_specific_statement(TEMPLATE, template=TEMPLATE)
    require_specific_statement(
        TEMPLATE + " It names her street and says 'tonight'.", template=TEMPLATE
    )

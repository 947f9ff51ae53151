import ast
from pathlib import Path

import pytest

from moderation.reasons import (
    SEVERITY_BANDS,
    Action,
    PostEffect,
    ReportReason,
    basis_permits,
    most_severe,
    severity_band_label,
)


def test_legal_reasons_carry_the_prosecutors_category():
    assert ReportReason.threat.legal_category == 1
    assert ReportReason.targeting.legal_category == 2
    assert ReportReason.court_order.legal_category == 3
    assert ReportReason.grossly_offensive.legal_category == 4
    for reason in (
        ReportReason.threat,
        ReportReason.targeting,
        ReportReason.court_order,
        ReportReason.grossly_offensive,
    ):
        assert reason.basis == "law"


def test_site_rule_reasons_have_no_legal_category():
    for reason in (
        ReportReason.personal_information,
        ReportReason.spam,
        ReportReason.off_topic,
        ReportReason.other,
    ):
        assert reason.basis == "site_rules"
        assert reason.legal_category is None
        assert reason.severity_band == 4


def test_bands_put_categories_1_to_3_then_site_rules_then_category_4():
    assert ReportReason.threat.severity_band == 1
    assert ReportReason.targeting.severity_band == 2
    assert ReportReason.court_order.severity_band == 3
    assert ReportReason.grossly_offensive.severity_band == 5


def test_rank_orders_every_reason_with_doxxing_first_among_site_rules():
    ordered = sorted(ReportReason, key=lambda r: r.rank)
    assert ordered[:4] == [
        ReportReason.threat,
        ReportReason.targeting,
        ReportReason.court_order,
        ReportReason.personal_information,
    ]
    assert ordered[-1] == ReportReason.grossly_offensive
    assert len({r.rank for r in ReportReason}) == len(ReportReason)
    # rank never contradicts the band
    assert [r.severity_band for r in ordered] == sorted(r.severity_band for r in ordered)


def test_every_reason_has_a_label_and_a_one_sentence_description():
    for reason in ReportReason:
        assert reason.label
        assert reason.description.endswith(".")
        assert reason.description.count(". ") == 0


def test_reason_values_are_the_stored_strings():
    assert ReportReason("court_order") is ReportReason.court_order
    assert str(ReportReason.personal_information) == "personal_information"


def test_most_severe_picks_the_lowest_rank():
    assert most_severe([ReportReason.spam, ReportReason.grossly_offensive]) == ReportReason.spam
    assert most_severe([ReportReason.off_topic, ReportReason.threat]) == ReportReason.threat
    assert most_severe([ReportReason.other, ReportReason.personal_information]) == (
        ReportReason.personal_information
    )


def test_most_severe_of_nothing_is_an_error():
    with pytest.raises(ValueError, match=r"most_severe\(\) needs at least one reason"):
        most_severe([])


def test_every_band_has_a_label_and_unknown_bands_are_refused():
    assert SEVERITY_BANDS == (1, 2, 3, 4, 5)
    assert "category 1" in severity_band_label(1)
    assert severity_band_label(4) == "Site rules"
    assert "category 4" in severity_band_label(5)
    with pytest.raises(ValueError, match=r"unknown severity band: 6"):
        severity_band_label(6)


def test_only_account_actions_are_sanctions():
    assert {a for a in Action if a.is_sanction} == {Action.warn, Action.suspend, Action.exclude}


def test_hide_and_remove_hide_the_post_approve_publishes_dismiss_restores():
    assert Action.hide.post_effect == PostEffect.hidden
    assert Action.remove.post_effect == PostEffect.hidden
    assert Action.approve.post_effect == PostEffect.published
    assert Action.dismiss.post_effect == PostEffect.restored
    assert {a for a in Action if a.affects_visibility} == {
        Action.hide,
        Action.remove,
        Action.approve,
        Action.dismiss,
    }
    assert Action.warn.post_effect is None


def test_dismiss_and_approve_need_no_basis_everything_else_does():
    assert {a for a in Action if not a.requires_basis} == {Action.dismiss, Action.approve}


def test_police_referral_needs_a_legal_reason():
    assert basis_permits(Action.refer_police, ReportReason.threat)
    assert basis_permits(Action.refer_police, ReportReason.grossly_offensive)
    assert not basis_permits(Action.refer_police, ReportReason.spam)
    assert not basis_permits(Action.refer_police, None)


def test_sanctions_need_a_reason_of_either_basis():
    assert basis_permits(Action.suspend, ReportReason.spam)
    assert basis_permits(Action.remove, ReportReason.targeting)
    assert not basis_permits(Action.remove, None)
    assert basis_permits(Action.dismiss, None)


def test_every_action_has_a_label():
    assert all(action.label for action in Action)
    assert len({action.label for action in Action}) == len(Action)


def test_the_moderation_package_never_imports_the_web_app():
    package = Path(__file__).resolve().parents[2] / "moderation"
    sources = sorted(package.rglob("*.py"))
    assert sources
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] != "app", f"{source.name} imports {name}"

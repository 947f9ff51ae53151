"""Why a post is reported, and what a moderator can do about it.

The first four legal reasons follow the prosecutors' four categories of online abuse that may be
a crime (credible threats; targeting a person; breaching a court order; grossly offensive,
indecent, obscene or false communications). The others are this site's own rules.

The queue is worked in *severity bands* (lower first):

==== ==================================================== ==========================
band reasons                                              why
==== ==================================================== ==========================
1    ``threat`` (category 1)                              risk to someone's safety
2    ``targeting`` (category 2)                           a person is being pursued
3    ``court_order`` (category 3)                         a court already intervened
4    site rules: ``personal_information`` first, then     broken house rules; doxxing
     ``spam``, ``off_topic``, ``other``                   can lead to harm, so it leads
5    ``grossly_offensive`` (category 4)                   offensive but rarely urgent
==== ==================================================== ==========================

Category 4 comes after the site rules on purpose: prosecutors treat it as the least likely to be
in the public interest, and a doxxing report is more urgent than an offensive remark. ``rank``
orders every reason in one line (1 = most urgent) and is what ``most_severe`` uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from kernel import i18n

Basis = Literal["law", "site_rules"]

BAND_THREAT = 1
BAND_TARGETING = 2
BAND_COURT_ORDER = 3
BAND_SITE_RULES = 4
BAND_GROSSLY_OFFENSIVE = 5

_BAND_LABELS = i18n.Labels(
    {
        BAND_THREAT: i18n.N_("Threats of violence (category 1)"),
        BAND_TARGETING: i18n.N_("Targeting a person (category 2)"),
        BAND_COURT_ORDER: i18n.N_("Breach of a court order (category 3)"),
        BAND_SITE_RULES: i18n.N_("Site rules"),
        BAND_GROSSLY_OFFENSIVE: i18n.N_(
            "Grossly offensive, indecent, obscene or false (category 4)"
        ),
    }
)

SEVERITY_BANDS: tuple[int, ...] = tuple(sorted(_BAND_LABELS))


def severity_band_label(band: int) -> str:
    """The heading a queue shows for ``band``; ``ValueError`` for an unknown band."""
    try:
        return _BAND_LABELS[band]
    except KeyError:
        raise ValueError(f"unknown severity band: {band!r}") from None


@dataclass(frozen=True, slots=True)
class _ReasonInfo:
    label: str
    description: str
    basis: Basis
    legal_category: int | None
    severity_band: int
    rank: int


class ReportReason(StrEnum):
    """Why someone reports a post. The value is what the database stores."""

    threat = "threat"
    targeting = "targeting"
    court_order = "court_order"
    grossly_offensive = "grossly_offensive"
    personal_information = "personal_information"
    spam = "spam"
    off_topic = "off_topic"
    other = "other"

    @property
    def label(self) -> str:
        return i18n.gettext(_REASONS[self].label)

    @property
    def description(self) -> str:
        return i18n.gettext(_REASONS[self].description)

    @property
    def basis(self) -> Basis:
        """``"law"`` for the four legal categories, ``"site_rules"`` for the house rules."""
        return _REASONS[self].basis

    @property
    def legal_category(self) -> int | None:
        """The prosecutors' category (1-4), or ``None`` for a site rule."""
        return _REASONS[self].legal_category

    @property
    def severity_band(self) -> int:
        return _REASONS[self].severity_band

    @property
    def rank(self) -> int:
        """Position in the queue order of all reasons, 1 = most urgent."""
        return _REASONS[self].rank


_REASONS: dict[ReportReason, _ReasonInfo] = {
    ReportReason.threat: _ReasonInfo(
        i18n.N_("Threat of violence"),
        i18n.N_(
            "It threatens violence against a person, or damage to their property, in a way "
            "that could be meant seriously."
        ),
        "law",
        1,
        BAND_THREAT,
        1,
    ),
    ReportReason.targeting: _ReasonInfo(
        i18n.N_("Targeting a person"),
        i18n.N_(
            "It singles out a person to harass, stalk, control or coerce them, to share private "
            "sexual images of them, or to blackmail them."
        ),
        "law",
        2,
        BAND_TARGETING,
        2,
    ),
    ReportReason.court_order: _ReasonInfo(
        i18n.N_("Breaks a court order"),
        i18n.N_(
            "It breaks a court order, such as bail conditions or a restraining order, for "
            "example by contacting or writing about the person the order protects."
        ),
        "law",
        3,
        BAND_COURT_ORDER,
        3,
    ),
    ReportReason.personal_information: _ReasonInfo(
        i18n.N_("Reveals personal information"),
        i18n.N_(
            "It reveals someone's private details, such as their real name, home address, "
            "phone number or workplace, without their consent."
        ),
        "site_rules",
        None,
        BAND_SITE_RULES,
        4,
    ),
    ReportReason.spam: _ReasonInfo(
        i18n.N_("Spam"),
        i18n.N_(
            "It advertises something, repeats the same message, or floods the debate instead "
            "of taking part in it."
        ),
        "site_rules",
        None,
        BAND_SITE_RULES,
        5,
    ),
    ReportReason.off_topic: _ReasonInfo(
        i18n.N_("Off topic"),
        i18n.N_(
            "It has nothing to do with the consultation question or the debate it was posted in."
        ),
        "site_rules",
        None,
        BAND_SITE_RULES,
        6,
    ),
    ReportReason.other: _ReasonInfo(
        i18n.N_("Another site rule"),
        i18n.N_("It breaks another of this site's rules, which the report explains."),
        "site_rules",
        None,
        BAND_SITE_RULES,
        7,
    ),
    ReportReason.grossly_offensive: _ReasonInfo(
        i18n.N_("Grossly offensive, indecent, obscene or false"),
        i18n.N_(
            "It is so offensive, indecent, obscene or knowingly false that it may be a crime, "
            "even though it targets nobody in particular."
        ),
        "law",
        4,
        BAND_GROSSLY_OFFENSIVE,
        8,
    ),
}


def most_severe(reasons: Iterable[ReportReason]) -> ReportReason:
    """The most urgent of several reasons (a case takes the band of its worst report)."""
    try:
        return min(reasons, key=lambda reason: reason.rank)
    except ValueError:
        raise ValueError("most_severe() needs at least one reason") from None


class PostEffect(StrEnum):
    """What an action does to the post's visibility."""

    hidden = "hidden"  # taken out of public view (kept, with its evidence, for appeal)
    published = "published"  # a held or pre-moderated post goes public
    restored = "restored"  # a post hidden pending review goes back to public view


@dataclass(frozen=True, slots=True)
class _ActionInfo:
    label: str
    requires_basis: bool
    requires_legal_basis: bool
    is_sanction: bool
    post_effect: PostEffect | None


class Action(StrEnum):
    """What a moderator decides. The value is what the database stores."""

    dismiss = "dismiss"
    hide = "hide"
    remove = "remove"
    warn = "warn"
    suspend = "suspend"
    exclude = "exclude"
    refer_police = "refer_police"
    approve = "approve"

    @property
    def label(self) -> str:
        return i18n.gettext(_ACTIONS[self].label)

    @property
    def requires_basis(self) -> bool:
        """True when the decision must cite a reason: a legal category or a site rule.

        Dismissing a report or approving a held post finds no breach, so cites none.
        """
        return _ACTIONS[self].requires_basis

    @property
    def requires_legal_basis(self) -> bool:
        """True when only a legal reason will do (a police referral needs a possible crime)."""
        return _ACTIONS[self].requires_legal_basis

    @property
    def is_sanction(self) -> bool:
        """True for actions against the author's account, rather than against one post."""
        return _ACTIONS[self].is_sanction

    @property
    def post_effect(self) -> PostEffect | None:
        """The change to the post's visibility, or ``None`` when it is left as it is.

        ``dismiss`` gives ``restored``: it puts back a post that was hidden pending review,
        and leaves a visible post visible.
        """
        return _ACTIONS[self].post_effect

    @property
    def affects_visibility(self) -> bool:
        return _ACTIONS[self].post_effect is not None


_ACTIONS: dict[Action, _ActionInfo] = {
    Action.dismiss: _ActionInfo(
        i18n.N_("Dismiss the report"), False, False, False, PostEffect.restored
    ),
    Action.hide: _ActionInfo(i18n.N_("Hide the post"), True, False, False, PostEffect.hidden),
    Action.remove: _ActionInfo(i18n.N_("Remove the post"), True, False, False, PostEffect.hidden),
    Action.warn: _ActionInfo(i18n.N_("Warn the author"), True, False, True, None),
    Action.suspend: _ActionInfo(i18n.N_("Suspend the author"), True, False, True, None),
    Action.exclude: _ActionInfo(i18n.N_("Exclude the author"), True, False, True, None),
    Action.refer_police: _ActionInfo(i18n.N_("Refer to the police"), True, True, False, None),
    Action.approve: _ActionInfo(
        i18n.N_("Approve the post"), False, False, False, PostEffect.published
    ),
}


def basis_permits(action: Action, reason: ReportReason | None) -> bool:
    """Whether ``reason`` is a sufficient basis for ``action``.

    Actions that need a basis need some reason; a police referral needs a legal one.
    """
    if action.requires_legal_basis:
        return reason is not None and reason.basis == "law"
    if action.requires_basis:
        return reason is not None
    return True

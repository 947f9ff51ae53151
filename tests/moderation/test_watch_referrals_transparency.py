"""Watched words and pre-moderation hold posts; referral bundles; transparency; blocks."""

import io
import json
import zipfile

import pytest
from sqlmodel import Session, select

from app.consultations import catalogue
from app.consultations.models import ModerationMode
from app.participation import commands, views
from app.participation.models import PostState
from app.wiring import Site
from kernel.clock import utcnow
from kernel.errors import Forbidden
from kernel.hooks import hookimpl
from moderation import blocks, decisions, referrals, reporting, transparency, watch
from moderation.models import CustodyEntry, ModerationCase, Notice
from tests.factories import make_consultation, make_moderator, make_post, make_reply, make_user

HOSTILE = (
    '<script>alert(1)</script> <a href="javascript:alert(2)">x</a> '
    '<b onclick="alert(3)" hx-get="/evil">y</b> {{ 7*7 }} {% raw %}'
)
STATEMENT = (
    "The post threatens the named councillor with violence at the next meeting, "
    "which is a credible threat to a person."
)


def test_a_held_watched_word_keeps_the_post_unpublished_and_tells_the_author(
    session: Session, mod
) -> None:
    watch.add_word(
        session,
        phrase="burn your house",
        action="hold",
        moderator_id=make_moderator(session).id,
        now=utcnow(),
    )
    author = make_user(session)
    post = make_post(session, author=author, text="Someone should B U R N your h0use down.")
    assert post.state == PostState.held
    case = reporting.find_case_for_post(session, post.id)
    assert case.state == "held" and case.source == "watch_hold" and case.automation_involved
    notice = session.exec(select(Notice).where(Notice.recipient_id == author.id)).one()
    assert "awaiting review" in notice.subject


def test_a_flagged_word_leaves_the_post_up_but_in_the_queue(session: Session, mod) -> None:
    watch.add_word(
        session,
        phrase="idiot",
        action="flag",
        moderator_id=make_moderator(session).id,
        now=utcnow(),
    )
    post = make_post(session, text="Only an ıdiоt would support this.")  # look-alikes
    assert post.state == PostState.visible
    assert reporting.find_case_for_post(session, post.id).state == "open"


def test_pre_moderation_holds_every_post_until_approved(session: Session, mod) -> None:
    consultation = make_consultation(session)
    consultation.moderation_mode = ModerationMode.pre
    session.add(consultation)
    post = make_post(session, consultation=consultation)
    assert post.state == PostState.held
    case = reporting.find_case_for_post(session, post.id)
    decisions.decide(
        session,
        case_id=case.id,
        moderator_id=make_moderator(session).id,
        version=case.version,
        action="approve",
        basis=None,
        statement="Read in full: a reasoned answer on the proposal, nothing against the rules.",
        now=utcnow(),
    )
    session.refresh(post)
    assert post.state == PostState.visible


def _referred(session):
    author = make_user(session, pseudonym="Evil_Name")
    post = make_post(session, author=author, text=HOSTILE + " I will find you.")
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="threat",
        about_me=True,
        note=HOSTILE,
        now=utcnow(),
    )
    case = session.get(ModerationCase, report.case_id)
    moderator = make_moderator(session)
    decisions.decide(
        session,
        case_id=case.id,
        moderator_id=moderator.id,
        version=case.version,
        action="refer_police",
        basis="threat",
        statement=STATEMENT + HOSTILE,
        remove_post=True,
        force="Example Constabulary",
        police_reference="",
        now=utcnow(),
    )
    (referral,) = session.exec(
        select(referrals.PoliceReferral).where(referrals.PoliceReferral.case_id == case.id)
    ).all()
    return referral, case, moderator


def test_bundle_has_snapshots_manifest_reports_decisions_and_custody(session: Session, mod) -> None:
    referral, case, moderator = _referred(session)
    name, data = referrals.build_bundle(
        session, referral_id=referral.id, actor_id=moderator.id, now=utcnow()
    )
    assert name == f"reclaim-case-{case.id}-referral-{referral.id}.zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert {
        "manifest.json",
        "reports.json",
        "decisions.json",
        "custody.json",
        "README.txt",
        "referral.json",
    } <= set(names)
    assert "identity.json" not in names  # no approved disclosure
    manifest = json.loads(archive.read("manifest.json"))
    for member, sha in manifest["files"].items():
        assert referrals.digest_bytes(archive.read(member)) == sha
    custody = json.loads(archive.read("custody.json"))
    assert [c["action"] for c in custody] == ["created", "downloaded"]
    assert session.exec(select(CustodyEntry).where(CustodyEntry.referral_id == referral.id)).all()
    # Hostile content is only ever JSON string data, never a file a browser would run.
    assert all(n.endswith((".json", ".txt")) for n in names)
    reports = json.loads(archive.read("reports.json"))
    assert reports[0]["note"] == HOSTILE


class _ApprovedDisclosure:
    @hookimpl
    def disclosed_identity(self, session: Session, user_id: int, case_id: int) -> dict[str, str]:
        return {"name": "Disclosed Person", "disclosure": "D-1"}


def test_bundle_includes_identity_only_through_an_approved_disclosure(
    session: Session, site: Site, mod
) -> None:
    referral, _case, moderator = _referred(session)
    site.hooks.register(_ApprovedDisclosure())
    _, data = referrals.build_bundle(
        session, referral_id=referral.id, actor_id=moderator.id, now=utcnow()
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert json.loads(archive.read("identity.json"))["disclosure"] == "D-1"


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/path.json", "abs/path.json"),
        ("..\\..\\windows\\system32", "windows/system32"),
        ("C:\\evil.zip", "C/evil.zip"),
        ("snapshots/../../x.json", "snapshots/x.json"),
        ("...", "unnamed"),
    ],
)
def test_bundle_file_names_cannot_traverse_paths(hostile: str, expected: str) -> None:
    cleaned = referrals.safe_member_name(hostile)
    assert cleaned == expected
    assert ".." not in cleaned.split("/") and not cleaned.startswith("/")
    assert "\\" not in cleaned and ":" not in cleaned


def test_transparency_counts_reports_actions_appeals_and_referrals(session: Session, mod) -> None:
    before = transparency.figures(session).as_json()
    _referred(session)
    after = transparency.figures(session).as_json()
    assert after["reports_by_reason"]["threat"] == before["reports_by_reason"]["threat"] + 1
    assert after["actions_by_type"]["refer_police"] == before["actions_by_type"]["refer_police"] + 1
    assert after["actions_by_basis"]["law"] == before["actions_by_basis"]["law"] + 1
    assert after["police_referrals"] == before["police_referrals"] + 1
    band = after["time_to_decision_hours"]["1"]
    assert band["decisions"] >= 1 and band["median"] is not None
    assert after["identity_disclosures_by_reason"] == {}


def test_blocked_participant_is_hidden_and_cannot_reply(session: Session, mod) -> None:
    blocker, pest = make_user(session), make_user(session)
    consultation = make_consultation(session)
    mine = make_post(session, author=blocker, consultation=consultation)
    theirs = make_post(session, author=pest, consultation=consultation, number=1)
    blocks.block(session, blocker_id=blocker.id, pseudonym=pest.pseudonym, now=utcnow())
    from app.consultations.models import Question

    question = session.get(Question, mine.question_id)
    page = views.answer_page(
        session,
        question=question,
        blocker_id=blocker.id,
        sort=views.AnswerSort.newest,
        page=1,
        per_page=20,
    )
    ids = [a.id for a in page.answers]
    assert mine.id in ids and theirs.id not in ids
    with pytest.raises(Forbidden):
        make_reply(session, parent=mine, author=pest)


def test_blocked_author_is_hidden_on_the_question_page_of_the_blocker(
    client, outbox, session
) -> None:
    """The shared cache of answer lists must never show a blocker the people they blocked."""
    from kernel.clock import utcnow
    from moderation import blocks
    from tests.factories import make_consultation, make_user, sign_in

    c = make_consultation(session)
    question = catalogue.get_question(session, c, 1)
    pest = make_user(session, pseudonym="PestyPoster")
    commands.submit_answer(
        session,
        consultation=c,
        question=question,
        author=pest,
        stance="agree",
        text="Something the blocker must not see.",
        publish=True,
        now=utcnow(),
    )
    path = f"/consultations/{c.slug}/questions/1"
    sign_in(client, outbox, "blocker@example.test", pseudonym="Blocker1")
    assert "must not see" in client.get(path).text  # now cached for signed-in viewers
    from app.accounts.users import get_user_by_pseudonym

    blocker = get_user_by_pseudonym(session, "Blocker1")
    blocks.block(session, blocker_id=blocker.id, pseudonym="PestyPoster", now=utcnow())
    session.flush()
    assert "must not see" not in client.get(path).text

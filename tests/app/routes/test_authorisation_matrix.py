"""Every route × every role gets the expected status, and no page or fragment that a moderator
or an organiser can open contains an e-mail address or a verified name.

When a route is added, add it to MATRIX: the first test fails until every route is listed.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from docx import Document
from fastapi.routing import APIRoute
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select
from starlette.routing import Route

from app.accounts.models import Role, User
from app.accounts.notifications import unsubscribe_token
from app.analysis import assurance, coding, importing, outcome
from app.analysis.downloads import MEDIA_TYPES as KINDS
from app.analysis.grouping import detect_campaigns
from app.analysis.models import CampaignGroup, ThemeAnswer, ThemeSuggestion
from app.consultations import catalogue
from app.consultations.catalogue import get_question
from app.identity import disclosure
from app.identity.vault import service as vault
from app.outbox.models import JobState, MessageState, OutboxMessage, ScheduledJob
from app.outbox.queue import Template, queue_mail
from app.participation import commands
from app.settings import Settings
from app.web.templating import make_environment
from kernel.clock import utcnow
from moderation import appeals, decisions, reporting, watch
from moderation.models import ModerationCase, PoliceReferral
from tests.factories import CSRF_META, add_response, make_consultation, make_user, sign_in

ROLES = ["visitor", "citizen", "moderator", "organiser", "custodian", "admin"]
SIGNED_IN = ROLES[1:]
NAME_OF = {role: f"Matrix{role.capitalize()}" for role in SIGNED_IN}
EMAIL_OF = {role: f"matrix.{role}@example.test" for role in SIGNED_IN}
VERIFIED_NAME_OF = {role: f"Verity {role.capitalize()}son" for role in SIGNED_IN}
STATEMENT = (
    "Matrix test: the post was read in full with its thread, and this decision rests "
    "on what it says about a named person"
)


@dataclass
class World:
    ids: dict[str, str] = field(default_factory=dict)
    identities: list[str] = field(default_factory=list)  # every address and verified name
    pseudonyms: set[str] = field(default_factory=set)  # the respondents an organiser may see


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _signed_in(status: int) -> dict[str, int]:
    return {"visitor": 303, **dict.fromkeys(SIGNED_IN, status)}


def _custodian_only(status: int) -> dict[str, int]:
    return {"visitor": 303, **dict.fromkeys(SIGNED_IN, 403), "custodian": status}


def _moderator_only(status: int) -> dict[str, int]:
    return {"visitor": 303, **dict.fromkeys(SIGNED_IN, 403), "moderator": status}


def _organiser_only(status: int) -> dict[str, int]:
    return {"visitor": 303, **dict.fromkeys(SIGNED_IN, 403), "organiser": status}


def _admin_only(status: int) -> dict[str, int]:
    return {"visitor": 303, **dict.fromkeys(SIGNED_IN, 403), "admin": status}


def _citizen_only(status: int, others: int) -> dict[str, int]:
    """The matrix citizen reported a post; only the reporter may follow or appeal it."""
    return {"visitor": 303, **dict.fromkeys(SIGNED_IN, others), "citizen": status}


IMPORT_CSV = (
    b"reference,respondent_type,organisation_name,may_name_organisation,channel,"
    b"received_at,q1_stance,q1_answer\n"
    b"M-1,individual,,,post,2020-01-05,agree,A matrix letter.\n"
)

# (route name, method) -> (path template or several, form data, expected status per role).
# Requests run in this order, so the ones that change the session come last. A form value that
# is a (filename, content, type) tuple is uploaded as a file; other values are templates too.
MATRIX: dict[
    tuple[str, str], tuple[str | tuple[str, ...], dict[str, str | tuple], dict[str, int]]
] = {
    ("healthz", "GET"): ("/healthz", {}, _all(200)),
    ("readyz", "GET"): ("/readyz", {}, _all(200)),
    ("home", "GET"): ("/", {}, _all(200)),
    ("favicon", "GET"): ("/favicon.ico", {}, _all(200)),
    ("consultations", "GET"): ("/consultations?status=open&q=a", {}, _all(200)),
    ("theme", "GET"): ("/themes/{theme}", {}, _all(200)),
    ("how_to_report", "GET"): ("/how-to-report", {}, _all(200)),
    ("staying_safe", "GET"): ("/staying-safe", {}, _all(200)),
    ("switch_language", "GET"): ("/language/cy", {}, _all(303)),
    ("choose_language", "POST"): ("/language/cy", {}, _all(303)),
    ("privacy", "GET"): ("/privacy", {}, _all(200)),
    ("about", "GET"): ("/about", {}, _all(200)),
    ("site_rules", "GET"): ("/site-rules", {}, _all(200)),
    ("terms", "GET"): ("/terms", {}, _all(200)),
    ("accessibility", "GET"): ("/accessibility", {}, _all(200)),
    ("admin_home", "GET"): ("/admin", {}, _admin_only(200)),
    ("admin_themes", "GET"): ("/admin/themes", {}, _admin_only(200)),
    ("admin_theme", "GET"): ("/admin/themes/{theme_id}", {}, _admin_only(200)),
    ("admin_roles", "GET"): ("/admin/roles", {}, _admin_only(200)),
    ("admin_pages", "GET"): ("/admin/pages", {}, _admin_only(200)),
    ("admin_page", "GET"): ("/admin/pages/rules", {}, _admin_only(200)),
    ("admin_page_version", "GET"): ("/admin/pages/rules/versions/0", {}, _admin_only(200)),
    ("admin_site", "GET"): ("/admin/site", {}, _admin_only(200)),
    ("transparency", "GET"): ("/transparency", {}, _all(200)),
    ("consultation", "GET"): ("/consultations/{slug}", {}, _all(200)),
    ("question", "GET"): ("/consultations/{slug}/questions/1", {}, _all(200)),
    ("answer", "GET"): ("/answers/{answer}", {}, _all(200)),
    ("sign_in", "GET"): ("/auth/sign-in", {}, _all(200)),
    ("check_email", "GET"): ("/auth/check-email", {}, _all(200)),
    ("link", "GET"): ("/auth/link/{token}", {}, _all(200)),
    ("oidc_start", "GET"): ("/auth/oidc/start", {}, _all(404)),  # no provider configured
    ("oidc_callback", "GET"): ("/auth/oidc/callback?state=s&code=c", {}, _all(404)),
    ("account", "GET"): ("/account", {}, _signed_in(200)),
    ("download_my_data", "GET"): ("/account/data.json", {}, _signed_in(200)),
    ("disclosures", "GET"): ("/custodian/disclosures", {}, _custodian_only(200)),
    ("disclosure", "GET"): ("/custodian/disclosures/{pending}", {}, _custodian_only(200)),
    ("transparency_json", "GET"): ("/transparency.json", {}, _all(200)),
    ("moderation_queue", "GET"): ("/moderation", {}, _moderator_only(200)),
    ("moderation_case", "GET"): ("/moderation/cases/{case}", {}, _moderator_only(200)),
    ("moderation_appeals", "GET"): ("/moderation/appeals", {}, _moderator_only(200)),
    ("moderation_watch", "GET"): ("/moderation/watched-words", {}, _moderator_only(200)),
    ("admin_outbox", "GET"): ("/admin/outbox", {}, _admin_only(200)),
    ("report_form", "GET"): ("/posts/{answer}/report", {}, _signed_in(200)),
    ("my_reports", "GET"): ("/reports", {}, _signed_in(200)),
    # a report is followed by its reporter only; anyone else is told there is no such report
    ("report_status", "GET"): ("/reports/{own_report}", {}, _citizen_only(200, 404)),
    ("notices", "GET"): ("/notices", {}, _signed_in(200)),
    # a dismissal is appealed by a reporter only (the author appeals removals and sanctions)
    ("appeal_form", "GET"): ("/decisions/{dismissal}/appeal", {}, _citizen_only(200, 403)),
    ("blocks", "GET"): ("/blocks", {}, _signed_in(200)),
    ("organise_home", "GET"): ("/organise", {}, _organiser_only(200)),
    ("organise_new", "GET"): ("/organise/new", {}, _organiser_only(200)),
    ("organise_consultation", "GET"): ("/organise/{closed}", {}, _organiser_only(200)),
    ("organise_edit", "GET"): ("/organise/{closed}/edit", {}, _organiser_only(200)),
    ("organise_import", "GET"): ("/organise/{closed}/import", {}, _organiser_only(200)),
    ("organise_outcome", "GET"): ("/organise/{closed}/outcome", {}, _organiser_only(200)),
    ("workspace", "GET"): ("/organise/{closed}/questions/1/code", {}, _organiser_only(200)),
    ("annex_a", "GET"): ("/organise/{closed}/annex-a", {}, _organiser_only(200)),
    ("annex_cell", "GET"): ("/organise/{closed}/annex-a/1/positive", {}, _organiser_only(200)),
    # every kind of export, each downloaded and scanned (see _texts)
    ("export", "GET"): (
        tuple(f"/organise/{{closed}}/export/{kind}" for kind in KINDS),
        {},
        _organiser_only(200),
    ),
    ("consultation_outcome", "GET"): ("/consultations/{closed}/outcome", {}, _all(200)),
    ("submit_answer", "POST"): (
        "/consultations/{slug}/questions/1/answer",
        {"stance": "agree", "text": "A matrix answer."},
        _signed_in(303),
    ),
    ("own_response", "GET"): ("/consultations/{slug}/response", {}, _signed_in(200)),
    ("response_visibility", "POST"): (
        "/consultations/{slug}/response/visibility",
        {"publish": "public"},
        _signed_in(303),
    ),
    ("email_response", "POST"): ("/consultations/{slug}/response/email", {}, _signed_in(303)),
    ("email_preferences", "POST"): (
        "/account/email-preferences",
        {"replies": "yes"},
        _signed_in(303),
    ),
    # the signed token in the link is the authority: no sign-in, whoever opens it
    ("unsubscribe", "GET"): ("/unsubscribe/{unsubscribe}", {}, _all(200)),
    ("unsubscribe_now", "POST"): ("/unsubscribe/{unsubscribe}", {}, _all(200)),
    ("reply", "POST"): ("/answers/{answer}/replies", {"text": "A matrix reply."}, _signed_in(303)),
    ("request_link", "POST"): ("/auth/sign-in", {"email": "someone.new@example.test"}, _all(303)),
    ("complete_link", "POST"): ("/auth/link/{token}", {"pseudonym": "x"}, _all(422)),
    ("request_disclosure", "POST"): ("/custodian/disclosures", {}, _custodian_only(422)),
    ("decide_disclosure", "POST"): (
        "/custodian/disclosures/{pending}/decision",
        {},
        _custodian_only(422),
    ),
    ("reveal_disclosure", "POST"): (
        "/custodian/disclosures/{approved}/reveal",
        {},
        _custodian_only(200),
    ),
    ("report_post", "POST"): ("/posts/{answer}/report", {}, _signed_in(422)),
    ("lodge_appeal", "POST"): ("/decisions/{dismissal}/appeal", {}, _citizen_only(422, 403)),
    ("block", "POST"): ("/blocks", {"pseudonym": "MatrixReporter"}, _signed_in(303)),
    ("unblock", "POST"): ("/blocks/remove", {"pseudonym": "MatrixReporter"}, _signed_in(303)),
    ("moderation_claim", "POST"): ("/moderation/cases/{open_case}/claim", {}, _moderator_only(303)),
    ("moderation_decide", "POST"): (
        "/moderation/cases/{open_case}/decide",
        {"version": "1"},
        _moderator_only(422),
    ),
    ("moderation_decide_appeal", "POST"): (
        "/moderation/appeals/{appeal}/decide",
        {"version": "1"},
        _moderator_only(422),
    ),
    ("moderation_referral_update", "POST"): (
        "/moderation/referrals/{referral}",
        {},
        _moderator_only(422),
    ),
    ("moderation_bundle", "POST"): (
        "/moderation/referrals/{referral}/bundle",
        {},
        _moderator_only(200),
    ),
    ("moderation_watch_add", "POST"): ("/moderation/watched-words", {}, _moderator_only(422)),
    ("moderation_watch_delete", "POST"): (
        "/moderation/watched-words/{word}/delete",
        {},
        _moderator_only(303),
    ),
    ("organise_create", "POST"): (
        "/organise/new",
        {
            "theme_id": "{theme_id}",
            "slug": "matrix-new-draft",
            "title": "A new matrix draft",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-02-01T09:00",
            "moderation_mode": "post",
            "required_level": "email",
        },
        _organiser_only(303),
    ),
    ("organise_update", "POST"): ("/organise/{closed}/edit", {"title": ""}, _organiser_only(422)),
    ("organise_add_question", "POST"): (
        "/organise/{draft}/questions",
        {"text": "A fourth matrix question?"},
        _organiser_only(303),
    ),
    ("organise_edit_question", "POST"): (
        "/organise/{draft}/questions/1",
        {"text": "The first question, reworded?"},
        _organiser_only(303),
    ),
    ("organise_move_question", "POST"): (
        "/organise/{draft}/questions/1/move",
        {"direction": "down"},
        _organiser_only(303),
    ),
    ("organise_remove_question", "POST"): (
        "/organise/{draft}/questions/4/remove",
        {},
        _organiser_only(303),
    ),
    ("organise_publish", "POST"): ("/organise/{draft}/publish", {}, _organiser_only(303)),
    ("organise_close", "POST"): (
        "/organise/{to_close}/close",
        {"confirm": "yes"},
        _organiser_only(303),
    ),
    ("organise_close_confirm", "GET"): ("/organise/{to_close}/close", {}, _organiser_only(200)),
    ("organise_import_file", "POST"): (
        "/organise/{closing}/import",
        {"file": ("letters.csv", IMPORT_CSV, "text/csv")},
        _organiser_only(303),
    ),
    ("organise_save_outcome", "POST"): (
        "/organise/{closing}/outcome",
        {"what_we_changed": "Matrix: what we changed."},
        _organiser_only(303),
    ),
    ("organise_publish_outcome", "POST"): (
        "/organise/{closing}/outcome/publish",
        {},
        _organiser_only(303),
    ),
    ("code_answer", "POST"): (
        "/organise/{closed}/answers/{closed_answer}/code",
        {"evaluation": "neutral"},
        _organiser_only(303),
    ),
    ("code_group", "POST"): (
        "/organise/{closed}/groups/{group}/code",
        {"evaluation": "negative"},
        _organiser_only(303),
    ),
    ("add_tag", "POST"): (
        "/organise/{closed}/codebook",
        {"label": "Matrix tag"},
        _organiser_only(303),
    ),
    ("themes", "GET"): ("/organise/{closed}/questions/1/themes", {}, _organiser_only(200)),
    ("run_themes", "POST"): (
        "/organise/{closed}/questions/1/themes/run",
        {},
        _organiser_only(303),
    ),
    # one route for every review action (accept, rename, merge, move, reject: see
    # test_theme_routes.py for each); accepting stands for them here
    ("review_theme", "POST"): (
        "/organise/{closed}/themes/{suggestion}/accept",
        {"version": "1", "label": "Matrix theme"},
        _organiser_only(303),
    ),
    ("request_second_coding", "POST"): (
        "/organise/{closed}/second-coding",
        {"question": "2"},
        _organiser_only(422),  # question 2 has no coded answer to sample
    ),
    ("second_coding", "GET"): (
        "/organise/{closed}/questions/1/second-coding",
        {},
        _organiser_only(200),  # the matrix organiser is the second coder
    ),
    ("second_code_answer", "POST"): (
        "/organise/{closed}/answers/{closed_answer}/second-code",
        {"evaluation": "negative"},
        _organiser_only(303),
    ),
    ("disagreements", "GET"): (
        "/organise/{closed}/questions/1/disagreements",
        {},
        _organiser_only(200),
    ),
    ("settle_disagreement", "POST"): (
        "/organise/{closed}/answers/{closed_answer}/settle",
        {"evaluation": "maybe"},
        _organiser_only(422),
    ),
    # after code_group: finding the campaigns again replaces the groups
    ("detect_campaigns", "POST"): ("/organise/{closed}/campaigns", {}, _organiser_only(303)),
    ("admin_create_theme", "POST"): ("/admin/themes", {"name": ""}, _admin_only(422)),
    ("admin_update_theme", "POST"): (
        "/admin/themes/{theme_id}",
        {"name": "A renamed matrix theme"},
        _admin_only(303),
    ),
    ("admin_move_theme", "POST"): (
        "/admin/themes/{theme_id}/move",
        {"direction": "sideways"},
        _admin_only(422),
    ),
    ("admin_retire_theme", "POST"): ("/admin/themes/{theme_id}/retire", {}, _admin_only(303)),
    ("admin_restore_theme", "POST"): ("/admin/themes/{theme_id}/restore", {}, _admin_only(303)),
    ("admin_grant_role", "POST"): (
        "/admin/roles",
        {"pseudonym": "MatrixAuthor", "role": "moderator", "reason": "Matrix test grant"},
        _admin_only(303),
    ),
    ("admin_remove_role", "POST"): (
        "/admin/roles/{author_id}/remove",
        {"role": "moderator", "reason": "Matrix test removal"},
        _admin_only(303),
    ),
    ("admin_save_page", "POST"): (
        "/admin/pages/rules",
        {"title": "", "based_on": "0"},
        _admin_only(422),
    ),
    ("admin_save_site", "POST"): (
        "/admin/site",
        {"organisation_name": "", "version": "0"},
        _admin_only(422),
    ),
    ("admin_outbox_retry", "POST"): (
        "/admin/outbox/{failed_message}/retry",
        {},
        _admin_only(303),
    ),
    ("admin_outbox_retry_all", "POST"): ("/admin/outbox/retry-all", {}, _admin_only(303)),
    ("admin_job_retry", "POST"): ("/admin/outbox/jobs/{failed_job}/retry", {}, _admin_only(303)),
    ("delete_account", "POST"): ("/account/delete", {"contributions": "keep"}, _signed_in(422)),
    ("sign_out_everywhere", "POST"): ("/account/sign-out-everywhere", {}, _signed_in(303)),
    ("sign_out", "POST"): ("/auth/sign-out", {}, _all(303)),
}
PROTECTED_REDIRECT = "/auth/sign-in?next="
OWN_DATA_ROUTES = {"download_my_data"}  # the person's own identity, by design


def _routes(router, prefix=""):
    for route in router.routes:
        if isinstance(route, Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield route.name, method
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included)


def _api_routes(router):
    for route in router.routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included)


def test_matrix_lists_every_route(app) -> None:
    assert set(_routes(app.router)) == set(MATRIX)


def _world(session: Session) -> World:
    world = World()
    now = utcnow()
    users = {}
    for role in SIGNED_IN:
        roles = {Role.citizen} | ({Role(role)} if role != "citizen" else set())
        users[role] = make_user(session, roles=roles, pseudonym=NAME_OF[role], email=EMAIL_OF[role])
        vault.record_verified_identity(
            session,
            user_id=users[role].id,
            issuer="https://idp",
            subject=role,
            email=None,
            name=VERIFIED_NAME_OF[role],
            birthdate="1970-01-01",
            level="identity",
            now=now,
        )
    author = make_user(session, pseudonym="MatrixAuthor", email="matrix.author@example.test")
    vault.record_verified_identity(
        session,
        user_id=author.id,
        issuer="https://idp",
        subject="author",
        email=None,
        name="Augusta Authorwell",
        birthdate="1970-01-01",
        level="identity",
        now=now,
    )
    other_custodian = make_user(
        session,
        roles={Role.custodian},
        pseudonym="MatrixOtherCust",
        email="matrix.othercust@example.test",
    )
    world.identities = [
        *EMAIL_OF.values(),
        *VERIFIED_NAME_OF.values(),
        "matrix.author@example.test",
        "Augusta Authorwell",
        "matrix.othercust@example.test",
    ]
    c = make_consultation(session)
    answer = commands.submit_answer(
        session,
        consultation=c,
        question=get_question(session, c, 1),
        author=author,
        stance="agree",
        text="The author's answer.",
        publish=True,
        now=now,
    )
    reason = "Matrix test: a reason long enough to be accepted by the form."
    pending = disclosure.request_disclosure(
        session,
        requester=other_custodian,
        pseudonym="MatrixAuthor",
        reason_category="court_order",
        reason=reason,
        notice_delay_days=None,
        now=now,
    )
    approved = disclosure.request_disclosure(
        session,
        requester=users["custodian"],
        pseudonym="MatrixAuthor",
        reason_category="court_order",
        reason=reason,
        notice_delay_days=None,
        now=now,
    )
    disclosure.decide(
        session,
        disclosure_id=approved.id,
        decider=other_custodian,
        decision="approve",
        note="",
        now=now,
    )
    token = vault.issue_sign_in_token(
        session,
        email="matrix.link@example.test",
        next_path="/",
        now=now,
        lifetime=timedelta(minutes=15),
    )
    world.ids = {
        "slug": c.slug,
        "theme": _theme_slug(session, c),
        "theme_id": str(c.theme_id),
        "author_id": str(author.id),
        "answer": str(answer.id),
        "pending": str(pending.id),
        "approved": str(approved.id),
        "token": token,
        "unsubscribe": unsubscribe_token(
            Settings().secret_key.get_secret_value(), account_id=author.id
        ),
        **_moderation_world(session, world, c, author=author, citizen=users["citizen"], now=now),
        **_organiser_world(session, world, author=author, citizen=users["citizen"], now=now),
        **_outbox_world(session, author=author, now=now),
    }
    return world


def _outbox_world(session: Session, *, author, now) -> dict[str, str]:
    """A message to the author that failed every attempt, and a job that failed for good."""
    queue_mail(
        session,
        template=Template.moderation_notice,
        recipient_id=author.id,
        params={"notice_id": 1},
        now=now,
    )
    message = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    message.state, message.attempts, message.finished_at = MessageState.failed, 10, now
    message.last_error = "SMTPRecipientsRefused: 550 5.1.1 <address>: mailbox unavailable"
    job = ScheduledJob(name="regroup_campaigns", key="999999", state=JobState.failed, due_at=now)
    job.last_error = "RuntimeError: the matrix job failed"
    session.add_all([message, job])
    session.flush()
    return {"failed_message": str(message.id), "failed_job": str(job.id)}


def _organiser_world(
    session: Session,
    world: World,
    *,
    author,
    citizen,
    now,
) -> dict[str, str]:
    """Consultations owned by nobody in particular: a draft to word and publish, an open one to
    close early, a closed one with answers (identified, campaign and imported), codings, a
    campaign group and a published outcome, and a closed one whose outcome is still to write."""
    other = make_user(
        session,
        roles={Role.organiser},
        pseudonym="MatrixOtherOrg",
        email="matrix.otherorg@example.test",
    )
    vault.record_verified_identity(
        session,
        user_id=other.id,
        issuer="https://idp",
        subject="otherorg",
        email=None,
        name="Olive Organiserdottir",
        birthdate="1970-01-01",
        level="identity",
        now=now,
    )
    world.identities += ["matrix.otherorg@example.test", "Olive Organiserdottir"]
    draft = make_consultation(session, questions=3, is_published=False)
    to_close = make_consultation(session, questions=1)
    closed = make_consultation(session, status="closed", questions=2)
    q1, q2 = catalogue.questions_of(session, closed)
    world.pseudonyms = {"MatrixAuthor", NAME_OF["citizen"]}
    add_response(
        session,
        closed,
        {q1.id: "agree", q2.id: "disagree"},
        respondent=author,
        texts={q1.id: "The author agrees, in the author's own words."},
    )
    add_response(
        session,
        closed,
        {q1.id: "disagree"},
        respondent=citizen,
        is_public=False,
        texts={q1.id: "A private answer from the matrix citizen."},
    )
    campaign = (
        "Stop the proposal now. It threatens free speech online and will chill "
        "legitimate debate across the country."
    )
    for i in range(5):
        email, name = f"matrix.campaigner{i}@example.test", f"Carys Campaignerson {i}"
        person = make_user(session, pseudonym=f"MatrixCampaigner{i}", email=email)
        vault.record_verified_identity(
            session,
            user_id=person.id,
            issuer="https://idp",
            subject=f"campaigner{i}",
            email=None,
            name=name,
            birthdate="1970-01-01",
            level="identity",
            now=now,
        )
        world.identities += [email, name]
        world.pseudonyms.add(person.pseudonym)
        add_response(
            session,
            closed,
            {q1.id: "agree"},
            respondent=person,
            texts={q1.id: f"{campaign} Signed {i}."},
        )
    importing.import_responses(
        session,
        consultation=closed,
        filename="letters.csv",
        organiser=other,
        now=now,
        data=(
            b"reference,respondent_type,organisation_name,may_name_organisation,channel,"
            b"received_at,q1_stance,q1_answer,q2_stance,q2_answer\n"
            b"L-1,organisation,Matrix Rights Group,yes,email,2020-01-05,,,neutral,"
            b"A letter from an organisation.\n"
        ),
    )
    assert detect_campaigns(session, consultation=closed, now=now) == 1
    group = session.exec(
        select(CampaignGroup).where(CampaignGroup.consultation_id == closed.id)
    ).one()
    tag = coding.add_tag(session, consultation=closed, label="Jurisdiction")
    first = coding.workspace(session, consultation=closed, question=q1, questions=[q1, q2]).answer
    coding.code_answer(
        session,
        consultation=closed,
        answer_id=first.id,
        evaluation="positive",
        tag_ids=[tag.id],
        coder=other,
        now=now,
    )
    outcome.save_outcome(
        session,
        consultation=closed,
        now=now,
        values={
            "what_we_changed": "We narrowed the proposal.",
            "main_points_1": "Most respondents agreed.",
            "main_points_2": "Views were mixed.",
        },
    )
    outcome.publish_outcome(session, consultation=closed, organiser=other, now=now)
    matrix_organiser = session.exec(
        select(User).where(User.pseudonym == NAME_OF["organiser"])
    ).one()
    assurance.request_second_coding(
        session,
        consultation=closed,
        question=q1,
        coder_id=str(matrix_organiser.id),
        amount="1",
        unit="number",
        requester=other,
        now=now,
    )
    suggestions = []
    for label in ("Matrix suggested theme",):
        suggestion = ThemeSuggestion(
            consultation_id=closed.id, question_id=q1.id, label=label, phrases='["matrix"]'
        )
        session.add(suggestion)
        session.flush()
        suggestions.append(suggestion)
    session.add(
        ThemeAnswer(contribution_id=first.id, suggestion_id=suggestions[0].id, question_id=q1.id)
    )
    closing = make_consultation(session, status="closed", questions=1)
    (only,) = catalogue.questions_of(session, closing)
    add_response(session, closing, {only.id: "agree"}, respondent=citizen)
    return {
        "draft": draft.slug,
        "to_close": to_close.slug,
        "closed": closed.slug,
        "closing": closing.slug,
        "closed_answer": str(first.id),
        "group": str(group.id),
        "suggestion": str(suggestions[0].id),
    }


def _moderation_world(
    session: Session,
    world: World,
    c,
    *,
    author,
    citizen,
    now,
) -> dict[str, str]:
    """Three cases about the author's other posts, none of them the matrix users' to decide:
    one removed with a police referral and appealed by the author, one waiting in the queue,
    one reported by the matrix citizen and dismissed (so the citizen may appeal it)."""
    others = {}
    for key, roles in (("reporter", {Role.citizen}), ("othermod", {Role.moderator})):
        email, name = f"matrix.{key}@example.test", f"Verity {key.capitalize()}son"
        others[key] = make_user(
            session, roles=roles, pseudonym=f"Matrix{key.capitalize()}", email=email
        )
        vault.record_verified_identity(
            session,
            user_id=others[key].id,
            issuer="https://idp",
            subject=key,
            email=None,
            name=name,
            birthdate="1970-01-01",
            level="identity",
            now=now,
        )
        world.identities += [email, name]
    reporter, moderator = others["reporter"], others["othermod"]

    def post(number: int, text: str):
        return commands.submit_answer(
            session,
            consultation=c,
            question=get_question(session, c, number),
            author=author,
            stance="disagree",
            text=text,
            publish=True,
            now=now,
        )

    def decide(report, action: str, basis: str | None, **kwargs):
        case = session.get(ModerationCase, report.case_id)
        return decisions.decide(
            session,
            case_id=case.id,
            moderator_id=moderator.id,
            version=case.version,
            action=action,
            basis=basis,
            statement=f"{STATEMENT} ({action})",
            now=now,
            **kwargs,
        )

    removed = post(2, "I know where the councillor lives and I will be waiting there.")
    threat = reporting.report_post(
        session,
        post_id=removed.id,
        reporter_id=reporter.id,
        reason="threat",
        about_me=False,
        note="A threat.",
        now=now,
    )
    referral_decision = decide(
        threat, "refer_police", "threat", remove_post=True, force="Example Constabulary"
    )
    referral = session.exec(
        select(PoliceReferral).where(PoliceReferral.decision_id == referral_decision.id)
    ).one()
    appeal = appeals.lodge_appeal(
        session,
        decision_id=referral_decision.id,
        appellant_id=author.id,
        now=now,
        reason="I was quoting someone else, not threatening anyone.",
    )
    waiting = post(3, "Buy cheap watches at my shop, the best prices in town.")
    spam = reporting.report_post(
        session,
        post_id=waiting.id,
        reporter_id=reporter.id,
        reason="spam",
        about_me=False,
        note="",
        now=now,
    )
    reply = commands.add_reply(
        session,
        consultation=c,
        parent=waiting,
        author=author,
        text="And I stand by every word of it.",
        now=now,
    )
    off_topic = reporting.report_post(
        session,
        post_id=reply.id,
        reporter_id=citizen.id,
        reason="off_topic",
        about_me=False,
        note="",
        now=now,
    )
    dismissal = decide(off_topic, "dismiss", None)
    word = watch.add_word(
        session, phrase="matrix watched phrase", action="flag", moderator_id=moderator.id, now=now
    )
    return {
        "case": str(threat.case_id),
        "referral": str(referral.id),
        "appeal": str(appeal.id),
        "open_case": str(spam.case_id),
        "own_report": off_topic.reference,
        "dismissal": str(dismissal.id),
        "word": str(word.id),
    }


def _theme_slug(session: Session, consultation) -> str:
    from app.consultations.models import Theme

    return session.get(Theme, consultation.theme_id).slug


def _csrf(client) -> str:
    return CSRF_META.search(client.get("/privacy").text).group(1)


_templates = make_environment()
BLOCKS = sorted(
    {
        name
        for template in _templates.list_templates()
        if template.endswith(".html") and not template.startswith("_")
        for name in _templates.get_template(template).blocks
        if name not in ("title", "content", "nav", "footer")
    }
)


def _unzipped(response) -> list[str]:
    """Each file of a ZIP download (a police evidence bundle), to scan for identities."""
    if response.headers.get("content-type") != "application/zip":
        return []
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return [archive.read(name).decode() for name in archive.namelist()]


def _sheets(response) -> list[str]:
    """Every cell of every sheet of an XLSX download, one line a row."""
    if not response.headers.get("content-type", "").startswith(KINDS["answers.xlsx"]):
        return []
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
        for sheet in workbook.worksheets
    ]


def _pdf_pages(response) -> list[str]:
    """The text of every page of a PDF download, white space collapsed (lines break anywhere)."""
    if not response.headers.get("content-type", "").startswith("application/pdf"):
        return []
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _word(response) -> list[str]:
    """Every paragraph and table cell of a Word download."""
    if not response.headers.get("content-type", "").startswith(KINDS["summary.docx"]):
        return []
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return ["\n".join([p.text for p in document.paragraphs] + cells)]


def _texts(response) -> list[str]:
    """What to scan for identities: the page, or the text inside a ZIP, XLSX, PDF or Word
    download."""
    return (
        _word(response)
        or _unzipped(response)
        or _sheets(response)
        or _pdf_pages(response)
        or [response.text]
    )


def _respondents(response) -> list[str]:
    """The respondent column of an answers export (CSV or XLSX)."""
    if response.headers.get("content-type", "").startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Answers"]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    column = rows[0].index("respondent")
    return [row[column] for row in rows[1:]]


def _requires_role(dependant, role: Role) -> bool:
    for dependency in dependant.dependencies:
        cells = getattr(dependency.call, "__closure__", None) or ()
        if any(cell.cell_contents == role for cell in cells) or _requires_role(dependency, role):
            return True
    return False


def test_organiser_routes_check_the_organiser_role(app) -> None:
    """The draft-only rows of MATRIX expect 404 for everyone but organisers, which would hide a
    missing role check: every /organise route must depend on the organiser role."""
    organise = [route for route in _api_routes(app.router) if route.path.startswith("/organise")]
    assert organise
    assert [r.name for r in organise if not _requires_role(r.dependant, Role.organiser)] == []


def test_admin_routes_check_the_admin_role(app) -> None:
    admin = [route for route in _api_routes(app.router) if route.path.startswith("/admin")]
    assert len(admin) >= 17
    assert [r.name for r in admin if not _requires_role(r.dependant, Role.admin)] == []


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_expected(role, client, outbox, session) -> None:
    world = _world(session)
    if role != "visitor":
        sign_in(client, outbox, EMAIL_OF[role])
    leaks = []
    failures = []
    for (name, method), (templates, data, expected) in MATRIX.items():
        for template in (templates,) if isinstance(templates, str) else templates:
            _request(client, world, role, name, method, template, data, expected, failures, leaks)
    assert failures == []
    assert leaks == []


def _request(
    client,
    world: World,
    role: str,
    name: str,
    method: str,
    template: str,
    data: dict,
    expected: dict[str, int],
    failures: list[str],
    leaks: list[str],
) -> None:
    path = template.format(**world.ids)
    if method == "GET":
        response = client.get(path)
        bodies = _texts(response)
        if (
            role in ("moderator", "organiser")
            and response.status_code == 200
            and "attachment" not in response.headers.get("content-disposition", "")
        ):
            bodies += [
                client.get(path, headers={"HX-Request": "true", "HX-Target": block}).text
                for block in BLOCKS
            ]
    else:
        files = {k: v for k, v in data.items() if isinstance(v, tuple)}
        form = {k: v.format(**world.ids) for k, v in data.items() if isinstance(v, str)}
        response = client.post(
            path, data={"csrf_token": _csrf(client), **form}, files=files or None
        )
        bodies = _texts(response)
    name = path.rsplit("/", 1)[-1] if name == "export" else name
    if response.status_code != expected[role]:
        failures.append(f"{method} {name}: {response.status_code}, expected {expected[role]}")
    if (
        role == "visitor"
        and expected[role] == 303
        and name not in ("request_link", "sign_out", "switch_language", "choose_language")
        and not response.headers.get("location", "").startswith(PROTECTED_REDIRECT)
    ):
        failures.append(f"{method} {name}: visitor not sent to sign in")
    if role == "organiser" and name.startswith("answers.") and response.status_code == 200:
        strangers = [
            r
            for r in _respondents(response)
            if r not in world.pseudonyms and not r.startswith("Imported ")
        ]
        if strangers or "MatrixAuthor" not in world.pseudonyms & set(_respondents(response)):
            leaks.append(f"{method} {name}: respondents other than pseudonyms: {strangers}")
    if role in ("moderator", "organiser") or (role == "admin" and name.startswith("admin_")):
        own = {EMAIL_OF[role], VERIFIED_NAME_OF[role]} if name in OWN_DATA_ROUTES else set()
        for body in bodies:
            lowered = body.lower()
            found = [s for s in world.identities if s.lower() in lowered and s not in own]
            if found or (re.search(r"[\w.+-]+@example\.test", lowered) and not own):
                leaks.append(f"{method} {name}: {found or 'an e-mail address'}")

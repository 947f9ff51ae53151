"""Running consultations, called directly: the form's validation field by field, drafts
created and updated with their documents, publishing and closing early, each audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.consultations import catalogue, organising, overview
from app.consultations.models import Consultation, ConsultationDocument, Phase
from kernel.clock import utcnow
from kernel.errors import Conflict, FormInvalid
from tests.factories import add_response, make_consultation, make_theme, make_user


def form(session: Session, **overrides) -> dict[str, str | None]:
    now = utcnow()
    values = {
        "theme_id": str(make_theme(session).id),
        "slug": "online-abuse",
        "title": "Reporting online abuse",
        "summary": "How should the police take reports of online abuse?",
        "introduction": "Read the *paper* first.",
        "documents": "The paper | https://example.org/paper.pdf\n\nImpact | https://example.org/ia",
        "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
        "moderation_mode": "post",
        "required_level": "email",
    }
    values.update(overrides)
    return values


@pytest.fixture
def organiser(session: Session):
    return make_user(session, roles={Role.organiser})


def audited(session: Session, action: str, consultation: Consultation) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry).where(
                AuditEntry.action == action, AuditEntry.subject_id == str(consultation.id)
            )
        )
    )


# parse_consultation --------------------------------------------------------------------------


def test_a_valid_form_is_parsed_into_its_values_in_uk_time(session: Session) -> None:
    values = form(session, opens_at="2026-03-03T09:00", closes_at="2026-04-01T17:30")
    parsed = organising.parse_consultation(session, values)
    assert parsed.theme_id == int(values["theme_id"]) and parsed.slug == "online-abuse"
    assert parsed.opens_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    # typed in UK time: 1 April is in British Summer Time, one hour ahead of UTC
    assert parsed.closes_at == datetime(2026, 4, 1, 16, 30, tzinfo=UTC)
    assert parsed.documents == [
        ("The paper", "https://example.org/paper.pdf"),
        ("Impact", "https://example.org/ia"),
    ]


def test_a_time_with_an_offset_is_converted_to_utc(session: Session) -> None:
    values = form(session, opens_at="2026-06-01T10:00+01:00", closes_at="2026-07-01T10:00")
    assert organising.parse_consultation(session, values).opens_at == datetime(
        2026, 6, 1, 9, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("theme_id", ""),
        ("theme_id", "999999"),
        ("theme_id", "abc"),
        ("slug", "Has Capitals"),
        ("slug", "double--hyphen"),
        ("slug", "-leading"),
        ("slug", "x" * 121),
        ("title", ""),
        ("title", "t" * 201),
        ("summary", "s" * 401),
        ("introduction", "i" * 20001),
        ("documents", "A title without an address"),
        ("documents", "Unsafe | javascript:alert(1)"),
        ("opens_at", "next tuesday"),
        ("opens_at", ""),
        ("closes_at", ""),
        ("moderation_mode", "never"),
        ("required_level", "none"),
        ("required_level", "passport"),
    ],
)
def test_each_bad_field_is_refused_with_its_own_name(session: Session, field, value) -> None:
    with pytest.raises(FormInvalid) as refused:
        organising.parse_consultation(session, form(session, **{field: value}))
    assert set(refused.value.errors) == {field}


def test_closing_before_opening_is_refused_on_the_closing_time(session: Session) -> None:
    values = form(session, opens_at="2026-05-01T09:00", closes_at="2026-05-01T09:00")
    with pytest.raises(FormInvalid) as refused:
        organising.parse_consultation(session, values)
    assert refused.value.errors == {"closes_at": "The closing time must be after the opening time."}


def test_every_problem_is_reported_at_once(session: Session) -> None:
    values = {"slug": "BAD", "title": "", "opens_at": "x", "closes_at": "y"}
    with pytest.raises(FormInvalid) as refused:
        organising.parse_consultation(session, values)
    assert set(refused.value.errors) == {
        "theme_id",
        "slug",
        "title",
        "opens_at",
        "closes_at",
        "moderation_mode",
        "required_level",
    }


def test_the_documents_problem_names_the_bad_lines(session: Session) -> None:
    documents = "Good | https://example.org/a\nbad line\nAlso good | http://example.org/b\nno"
    with pytest.raises(FormInvalid) as refused:
        organising.parse_consultation(session, form(session, documents=documents))
    assert "line 2, 4" in refused.value.errors["documents"]


def test_a_slug_taken_by_another_consultation_is_refused(session: Session) -> None:
    make_consultation(session, slug="taken-slug")
    with pytest.raises(FormInvalid) as refused:
        organising.parse_consultation(session, form(session, slug="taken-slug"))
    assert refused.value.errors["slug"] == "Another consultation already has this address."


def test_a_consultation_keeps_its_own_slug_when_edited(session: Session) -> None:
    existing = make_consultation(session, slug="mine")
    parsed = organising.parse_consultation(session, form(session, slug="mine"), existing=existing)
    assert parsed.slug == "mine"


# create_draft and update_consultation --------------------------------------------------------


def test_create_draft_stores_an_unpublished_consultation_with_documents(
    session: Session, organiser
) -> None:
    draft = organising.create_draft(
        session, values=form(session), organiser=organiser, now=utcnow()
    )
    stored = session.get(Consultation, draft.id)
    assert not stored.is_published and stored.slug == "online-abuse"
    assert "<em>paper</em>" in stored.introduction_html
    assert catalogue.question_count(session, stored) == 0
    documents = overview.documents_of(session, stored)
    assert [(d.position, d.title) for d in documents] == [(1, "The paper"), (2, "Impact")]
    assert [e.actor_id for e in audited(session, "consultation.create", stored)] == [organiser.id]


def test_an_invalid_draft_stores_nothing(session: Session, organiser) -> None:
    with pytest.raises(FormInvalid):
        organising.create_draft(
            session, values=form(session, title=""), organiser=organiser, now=utcnow()
        )
    assert session.exec(select(Consultation)).first() is None


def test_update_changes_the_values_and_replaces_the_documents(session: Session, organiser) -> None:
    draft = organising.create_draft(
        session, values=form(session), organiser=organiser, now=utcnow()
    )
    organising.update_consultation(
        session,
        consultation=draft,
        values=form(
            session,
            slug="renamed-draft",
            title="A better title",
            introduction="**New** introduction.",
            documents="Only one | https://example.org/one",
            moderation_mode="pre",
            required_level="identity",
        ),
        organiser=organiser,
        now=utcnow(),
    )
    session.refresh(draft)
    assert (draft.slug, draft.title) == ("renamed-draft", "A better title")
    assert (draft.moderation_mode, draft.required_level) == ("pre", "identity")
    assert "<strong>New</strong>" in draft.introduction_html
    urls = session.exec(
        select(ConsultationDocument.url).where(ConsultationDocument.consultation_id == draft.id)
    ).all()
    assert urls == ["https://example.org/one"]
    assert len(audited(session, "consultation.update", draft)) == 1


def test_a_published_consultation_keeps_its_address(session: Session, organiser) -> None:
    published = make_consultation(session, slug="out-there")
    with pytest.raises(FormInvalid) as refused:
        organising.update_consultation(
            session,
            consultation=published,
            values=form(session, slug="moved-elsewhere"),
            organiser=organiser,
            now=utcnow(),
        )
    assert set(refused.value.errors) == {"slug"}
    session.refresh(published)
    assert published.slug == "out-there"


# publish and close_early ---------------------------------------------------------------------


def test_publish_makes_a_draft_with_questions_public(session: Session, organiser) -> None:
    draft = make_consultation(session, is_published=False, questions=1)
    organising.publish(session, consultation=draft, organiser=organiser, now=utcnow())
    assert session.get(Consultation, draft.id).is_published
    assert catalogue.get_consultation(session, draft.slug).id == draft.id
    assert len(audited(session, "consultation.publish", draft)) == 1


def test_publish_without_questions_is_refused(session: Session, organiser) -> None:
    draft = make_consultation(session, is_published=False, questions=0)
    with pytest.raises(Conflict) as refused:
        organising.publish(session, consultation=draft, organiser=organiser, now=utcnow())
    assert "at least one question" in refused.value.message
    assert not session.get(Consultation, draft.id).is_published
    assert audited(session, "consultation.publish", draft) == []


def test_publish_after_the_closing_time_is_refused(session: Session, organiser) -> None:
    draft = make_consultation(session, status="closed", is_published=False)
    with pytest.raises(Conflict) as refused:
        organising.publish(session, consultation=draft, organiser=organiser, now=utcnow())
    assert "closing time has passed" in refused.value.message
    assert not session.get(Consultation, draft.id).is_published


def test_publish_twice_is_refused(session: Session, organiser) -> None:
    with pytest.raises(Conflict):
        organising.publish(
            session, consultation=make_consultation(session), organiser=organiser, now=utcnow()
        )


def test_close_early_closes_an_open_consultation_now(session: Session, organiser) -> None:
    consultation = make_consultation(session)
    now = utcnow()
    organising.close_early(session, consultation=consultation, organiser=organiser, now=now)
    stored = session.get(Consultation, consultation.id)
    assert stored.closed_early_at == now
    assert stored.phase_at(now) is Phase.closed
    assert len(audited(session, "consultation.close_early", stored)) == 1


@pytest.mark.parametrize(
    "kwargs", [{"status": "upcoming"}, {"status": "closed"}, {"is_published": False}]
)
def test_only_an_open_consultation_can_be_closed_early(session: Session, organiser, kwargs) -> None:
    consultation = make_consultation(session, **kwargs)
    with pytest.raises(Conflict):
        organising.close_early(
            session, consultation=consultation, organiser=organiser, now=utcnow()
        )
    assert session.get(Consultation, consultation.id).closed_early_at is None


def test_closing_early_twice_is_refused(session: Session, organiser) -> None:
    consultation = make_consultation(session)
    organising.close_early(session, consultation=consultation, organiser=organiser, now=utcnow())
    with pytest.raises(Conflict):
        organising.close_early(
            session, consultation=consultation, organiser=organiser, now=utcnow()
        )


# create_consultation and the organisers' list ------------------------------------------------


def test_create_consultation_refuses_closing_before_opening(session: Session) -> None:
    now = utcnow()
    with pytest.raises(FormInvalid) as refused:
        organising.create_consultation(
            session,
            theme=make_theme(session),
            slug="backwards",
            title="Backwards",
            summary="",
            introduction="",
            opens_at=now,
            closes_at=now - timedelta(days=1),
            questions=[],
            now=now,
        )
    assert set(refused.value.errors) == {"closes_at"}


def test_the_organisers_list_shows_status_and_respondents(session: Session) -> None:
    draft = make_consultation(session, is_published=False)
    closed = make_consultation(session, status="closed")
    question = catalogue.get_question(session, closed, 1)
    add_response(session, closed, {question.id: "agree"})
    add_response(session, closed, {question.id: "disagree"})
    listed = overview.consultation_list(session, page=1, per_page=50, now=utcnow())
    lines = {line.consultation.id: (line.status, line.respondents) for line in listed.items}
    assert lines[draft.id] == ("draft", 0)
    assert lines[closed.id] == ("closed", 2)

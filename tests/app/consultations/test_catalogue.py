"""Reading consultations: the home page by theme and phase, drafts kept out of sight, a
consultation's questions and looking one up by slug and number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from app.consultations import catalogue, organising
from kernel.clock import utcnow
from kernel.errors import NotFound
from tests.factories import make_consultation, make_theme


def test_the_home_page_groups_open_consultations_by_theme(session: Session) -> None:
    first = organising.create_theme(session, slug="first-theme", name="First", position=1)
    second = organising.create_theme(session, slug="second-theme", name="Second", position=2)
    organising.create_theme(session, slug="empty-theme", name="Empty", position=3)
    a = make_consultation(session, theme=second)
    b = make_consultation(session, theme=first)
    c = make_consultation(session, theme=first)
    home = catalogue.home_page(session, now=utcnow())
    groups = [(g.theme.slug, {x.id for x in g.consultations}) for g in home.open_by_theme]
    assert groups == [("first-theme", {b.id, c.id}), ("second-theme", {a.id})]


def test_the_home_page_lists_upcoming_and_closed_apart_from_open(session: Session) -> None:
    theme = make_theme(session)
    upcoming = make_consultation(session, status="upcoming", theme=theme)
    closed = make_consultation(session, status="closed", theme=theme)
    early = make_consultation(session, theme=theme)
    early.closed_early_at = utcnow() - timedelta(hours=1)
    session.flush()
    home = catalogue.home_page(session, now=utcnow())
    assert [c.id for c in home.upcoming] == [upcoming.id]
    # most recently closed first: the early close was an hour ago, the other a day ago
    assert [c.id for c in home.closed] == [early.id, closed.id]
    assert home.open_by_theme == []


def test_drafts_are_not_on_the_home_page_or_a_theme_page(session: Session) -> None:
    theme = make_theme(session)
    draft = make_consultation(session, theme=theme, is_published=False)
    published = make_consultation(session, theme=theme)
    home = catalogue.home_page(session, now=utcnow())
    shown = {c.id for g in home.open_by_theme for c in g.consultations}
    assert shown == {published.id}
    assert [c.id for c in catalogue.theme_consultations(session, theme=theme)] == [published.id]
    assert draft.id not in {c.id for c in home.upcoming + home.closed}


def test_a_theme_page_lists_its_consultations_by_closing_time(session: Session) -> None:
    theme, other = make_theme(session), make_theme(session)
    later = make_consultation(session, theme=theme)
    sooner = make_consultation(session, theme=theme, status="closed")
    make_consultation(session, theme=other)
    listed = catalogue.theme_consultations(session, theme=theme)
    assert [c.id for c in listed] == [sooner.id, later.id]


def test_themes_are_listed_by_position_then_name(session: Session) -> None:
    organising.create_theme(session, slug="zeta", name="Zeta", position=0)
    organising.create_theme(session, slug="alpha", name="Alpha", position=0)
    organising.create_theme(session, slug="first", name="Mu", position=-1)
    slugs = [t.slug for t in catalogue.list_themes(session)]
    assert slugs.index("first") < slugs.index("alpha") < slugs.index("zeta")


def test_get_theme_by_slug_or_not_found(session: Session) -> None:
    theme = make_theme(session, slug="policing")
    assert catalogue.get_theme(session, "policing").id == theme.id
    with pytest.raises(NotFound):
        catalogue.get_theme(session, "no-such-theme")


def test_a_draft_is_found_only_by_those_who_may_see_drafts(session: Session) -> None:
    draft = make_consultation(session, slug="secret-draft", is_published=False)
    with pytest.raises(NotFound):
        catalogue.get_consultation(session, "secret-draft")
    assert catalogue.get_consultation(session, "secret-draft", can_see_drafts=True).id == draft.id
    with pytest.raises(NotFound):
        catalogue.get_consultation(session, "never-was", can_see_drafts=True)


def test_questions_come_in_their_order_and_are_counted(session: Session) -> None:
    consultation = make_consultation(session, questions=3)
    questions = catalogue.questions_of(session, consultation)
    assert [q.position for q in questions] == [1, 2, 3]
    assert [q.text for q in questions] == ["Question 1?", "Question 2?", "Question 3?"]
    assert catalogue.question_count(session, consultation) == 3
    assert catalogue.get_question(session, consultation, 2).id == questions[1].id
    with pytest.raises(NotFound) as refused:
        catalogue.get_question(session, consultation, 4)
    assert "no question 4" in refused.value.message


def test_locate_question_finds_the_question_and_counts_its_siblings(session: Session) -> None:
    consultation = make_consultation(session, questions=4, slug="locate-me")
    located = catalogue.locate_question(session, "locate-me", 3)
    assert located.consultation.id == consultation.id
    assert located.question.position == 3 and located.question.consultation_id == consultation.id
    assert located.question_count == 4


@pytest.mark.parametrize(("slug", "number"), [("locate-me", 9), ("locate-me", 0), ("nope", 1)])
def test_locate_question_refuses_an_unknown_consultation_or_question(
    session: Session, slug, number
) -> None:
    make_consultation(session, questions=2, slug="locate-me")
    with pytest.raises(NotFound):
        catalogue.locate_question(session, slug, number)


def test_locate_question_hides_a_drafts_questions_from_the_public(session: Session) -> None:
    make_consultation(session, slug="draft-questions", is_published=False)
    with pytest.raises(NotFound) as refused:
        catalogue.locate_question(session, "draft-questions", 1)
    assert refused.value.message == "There is no such consultation."
    located = catalogue.locate_question(session, "draft-questions", 1, can_see_drafts=True)
    assert located.question_count == 3

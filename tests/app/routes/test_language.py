"""Welsh and English: the language switch, Accept-Language, <html lang>, the fallbacks."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from app.i18n import LOCALE_DIR
from tests.factories import csrf_token, make_consultation, make_user, sign_in


def _lang(page) -> str:
    return BeautifulSoup(page.text, "html.parser").html["lang"]


def test_a_visitor_whose_browser_prefers_welsh_gets_welsh(client) -> None:
    page = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.8"})
    assert page.status_code == 200
    assert _lang(page) == "cy"
    assert page.headers["content-language"] == "cy"
    assert "Ymgyngoriadau agored" in page.text


def test_the_first_supported_language_by_quality_wins(client) -> None:
    assert _lang(client.get("/", headers={"Accept-Language": "fr, en;q=0.9, cy;q=0.8"})) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "fr, en;q=0.5, cy;q=0.8"})) == "cy"


@pytest.mark.parametrize("header", ["fr-FR,de;q=0.9", "", "cy;q=0", "*;q=abc,;;;", "x" * 3000])
def test_an_unknown_or_unreadable_language_falls_back_to_english(client, header) -> None:
    page = client.get("/", headers={"Accept-Language": header})
    assert page.status_code == 200 and _lang(page) == "en"


def test_switching_language_keeps_the_person_on_the_same_page(client) -> None:
    english = client.get("/how-to-report?from=footer")
    switch = BeautifulSoup(english.text, "html.parser").select_one("a.language-switch")
    assert switch.get_text(strip=True) == "Cymraeg" and switch["lang"] == "cy"
    answer = client.get(switch["href"], follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/how-to-report?from=footer"
    welsh = client.get(answer.headers["location"])
    assert _lang(welsh) == "cy"
    assert "Sut i roi gwybod am gamdriniaeth" in welsh.text
    back = BeautifulSoup(welsh.text, "html.parser").select_one("a.language-switch")
    assert back.get_text(strip=True) == "English" and back["lang"] == "en"
    assert (
        _lang(client.get(client.get(back["href"], follow_redirects=False).headers["location"]))
        == "en"
    )


def test_the_chosen_language_beats_the_browser_and_an_unknown_one_is_english(client) -> None:
    client.get("/language/cy")
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "cy"
    client.get("/language/klingon")
    assert _lang(client.get("/", headers={"Accept-Language": "cy"})) == "en"
    client.cookies.set("reclaim_lang", "zz")
    assert _lang(client.get("/", headers={"Accept-Language": "fr"})) == "en"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\t/evil.example"])
def test_the_switch_never_sends_anyone_to_another_site(client, target) -> None:
    answer = client.get("/language/cy", params={"next": target}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_a_signed_in_person_switches_with_a_form_and_their_emails_follow(
    client, outbox, session
) -> None:
    sign_in(client, outbox, "cymraes@example.test", pseudonym="Cymraes")
    page = BeautifulSoup(client.get("/account").text, "html.parser")
    form = page.select_one("form.language-switch__form")
    assert form is not None and form["method"] == "post"
    answer = client.post(
        form["action"], data={"csrf_token": csrf_token(client, "/account")}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    assert _lang(client.get("/account")) == "cy"
    from sqlmodel import select

    from app.accounts.models import User

    person = session.exec(select(User).where(User.pseudonym == "Cymraes")).one()
    session.refresh(person)
    assert person.language == "cy"


def test_a_sign_in_link_asked_for_in_welsh_is_written_in_welsh(client, outbox) -> None:
    client.get("/language/cy")
    token = csrf_token(client, "/auth/sign-in")
    client.post("/auth/sign-in", data={"email": "newydd@example.test", "csrf_token": token})
    mail = outbox.messages[0]
    assert "dolen fewngofnodi" in mail.subject.lower()
    assert "Agorwch y ddolen hon i barhau" in mail.body


def test_a_sign_in_link_asked_for_in_english_is_written_in_english(client, outbox) -> None:
    token = csrf_token(client, "/auth/sign-in")
    client.post("/auth/sign-in", data={"email": "new@example.test", "csrf_token": token})
    mail = outbox.messages[0]
    assert "sign-in link" in mail.subject and "Open this link to continue" in mail.body


def _english_messages() -> dict[str, str]:
    """Every English interface message with its Welsh, where the two differ."""
    with (LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    pairs = (
        (english, welsh)
        for message in catalogue
        if message.id
        for english, welsh in zip(
            message.id if isinstance(message.id, tuple) else (message.id,),
            message.string if isinstance(message.string, tuple) else (message.string,),
            strict=False,
        )
    )
    # whole messages without placeholders or markup: they appear as whole text nodes
    return {e: w for e, w in pairs if e != w and not re.search(r"[%{<]", e)}


def _visible_texts(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "head"]):
        hidden.decompose()
    texts = [" ".join(s.split()) for s in soup.find_all(string=True)]
    texts += [el["aria-label"] for el in soup.select("[aria-label]")]
    return [t for t in texts if t]


@pytest.mark.parametrize(
    "path", ["/", "/how-to-report", "/staying-safe", "/auth/sign-in", "/transparency"]
)
def test_welsh_pages_show_no_english_interface_text(client, session, path) -> None:
    make_consultation(session, status="open", questions=2)
    session.commit()
    client.get("/language/cy")
    page = client.get(path)
    assert page.status_code == 200 and _lang(page) == "cy"
    english = _english_messages()
    assert len(english) > 800
    left = [text for text in _visible_texts(page.text) if text in english]
    assert not left, f"English interface text on the Welsh {path}: {left}"
    # the same check finds English on the English page, so it can fail
    client.get("/language/en")
    assert any(text in english for text in _visible_texts(client.get(path).text))


def test_dates_and_numbers_are_written_for_the_language() -> None:
    from datetime import UTC, datetime

    from kernel import i18n
    from kernel.localtime import SiteTime

    moment = datetime(2026, 11, 1, 14, 5, tzinfo=UTC)
    uk = SiteTime.named("Europe/London")
    with i18n.using("en"):
        assert uk.datetime(moment) == "1 November 2026 at 14:05"
    with i18n.using("cy"):
        assert uk.datetime(moment) == "1 Tachwedd 2026 am 14:05"
        assert i18n.number(1030) == "1,030"
        assert i18n.n_("{n} ateb", "{n} ateb", 2) == "2 ateb"


def test_welsh_plural_forms_follow_babels_rule_for_cy() -> None:
    from app.i18n import load

    welsh = load()["cy"]
    forms = {n: welsh.ngettext("{n} answer", "{n} answers", n) for n in (0, 1, 2, 3, 6, 7)}
    assert forms[1] == "{n} ateb" and all(form for form in forms.values())
    # the form for two ("dau ddiwrnod": soft mutation) is the third of the six
    days = "Closes in {n} day, on {when}.", "Closes in {n} days, on {when}."
    assert "ddiwrnod" in welsh.ngettext(*days, 2) and "ddiwrnod" not in welsh.ngettext(*days, 7)


def test_an_unused_user_can_still_be_made(session) -> None:
    # make_user defaults the language of e-mails to English
    person = make_user(session, email="plain@example.test")
    assert person.language == "en"

"""Pages write their dates and numbers from ``kernel.locale_data``: serving them never loads
Babel's locale files, which would stay in the worker for good (some 5 MiB per language)."""

from __future__ import annotations

import babel
import babel.localedata
import pytest

from kernel.clock import utcnow
from tests.factories import make_consultation, make_post


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_question_page_with_answers_loads_no_locale_file(
    client, session, monkeypatch, language
) -> None:
    c = make_consultation(session)
    answer = make_post(session, consultation=c, text="An answer with a date beside it.")
    loaded: list[str] = []

    def record(*args, **_kwargs):
        loaded.append(repr(args))
        raise AssertionError("Babel's locale data was loaded")

    monkeypatch.setattr(babel.localedata, "load", record)
    monkeypatch.setattr(babel.Locale, "parse", record)
    headers = {"Accept-Language": language}
    for path in (
        "/",
        f"/consultations/{c.slug}",
        f"/consultations/{c.slug}/questions/1",
        f"/answers/{answer.id}",
        "/consultations",
    ):
        page = client.get(path, headers=headers)
        assert page.status_code == 200, (path, page.status_code)
    assert loaded == []
    page = client.get(f"/consultations/{c.slug}/questions/1", headers=headers)
    year = str(utcnow().year)
    assert year in page.text  # the answer's date is written

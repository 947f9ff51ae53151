"""app.web.urls: paths from route names, each parameter quoted (a whole number is digits)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from app.web.urls import Urls


def _urls() -> Urls:
    app = FastAPI()
    router = APIRouter()

    @router.get("/consultations/{slug}/questions/{number}", name="question")
    def question(slug: str, number: int) -> None: ...

    app.include_router(router)
    return Urls(app.router)


def test_whole_numbers_and_text_are_put_in_the_path_quoted() -> None:
    urls = _urls()
    assert urls("question", slug="law-reform", number=3) == "/consultations/law-reform/questions/3"
    assert urls("question", slug="a b/c?", number=-1) == "/consultations/a%20b%2Fc%3F/questions/-1"
    assert urls("question", slug="x", number="3/4") == "/consultations/x/questions/3%2F4"
    assert (
        urls("question", slug="x", number=12, _query={"page": 2, "q": ""})
        == "/consultations/x/questions/12?page=2"
    )

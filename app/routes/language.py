"""The language switch on every page: a plain link for visitors (remembered in a cookie), a
small form for people signed in (the cookie, and the language of their e-mails)."""

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from app.accounts import users
from app.accounts.signin import safe_next_path
from app.deps import OptionalUser, SessionDep
from app.web.context import LANGUAGE_COOKIE
from kernel import i18n

router = APIRouter(tags=["language"])

ONE_YEAR = 365 * 24 * 3600


def _back(request: Request, language: str, next_path: str | None) -> RedirectResponse:
    """Back to the page the person was on, answered in ``language`` from now on."""
    response = RedirectResponse(safe_next_path(next_path), status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.environment == "production",
        path="/",
    )
    return response


@router.get("/language/{language}", name="switch_language")
def switch_language(
    request: Request,
    language: str,
    next: str | None = None,  # noqa: A002 - the query parameter's name
) -> RedirectResponse:
    return _back(request, i18n.normalise(language) or i18n.DEFAULT_LANGUAGE, next)


@router.post("/language/{language}", name="choose_language")
def choose_language(
    request: Request,
    language: str,
    session: SessionDep,
    viewer: OptionalUser,
    next: str | None = None,  # noqa: A002 - the query parameter's name
) -> RedirectResponse:
    chosen = i18n.normalise(language) or i18n.DEFAULT_LANGUAGE
    if viewer is not None and viewer.id is not None:
        chosen = users.set_language(session, user_id=viewer.id, language=chosen)
    return _back(request, chosen, next)

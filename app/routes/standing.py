"""The standing pages for everyone: about and contact, site rules, terms of use, privacy
notice, accessibility statement (their text is edited in /admin/pages)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.admin import pages
from app.deps import OptionalUser, SessionDep
from app.web.templating import render

router = APIRouter(tags=["pages"])


def _page_route(slug: str) -> None:
    kind = pages.PAGES[slug]

    def standing_page(request: Request, session: SessionDep, viewer: OptionalUser) -> HTMLResponse:
        view = pages.public_page(session, slug)
        return render(request, "pages/standing.html", {"view": view})

    standing_page.__name__ = f"{kind.route}_page"
    router.add_api_route(
        kind.path, standing_page, methods=["GET"], name=kind.route, response_class=HTMLResponse
    )


for _slug in pages.PAGES:
    _page_route(_slug)

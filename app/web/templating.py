"""Rendering: one template per page; an HTMX request for one part gets just that block.

A targeted HTMX request (``HX-Request`` without ``HX-Boosted`` or ``HX-History-Restore-Request``)
whose ``HX-Target`` names a block of the page's template gets only that block; everything else
gets the whole page. Every response says ``Vary: HX-Request``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments import render_block
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from app import i18n as catalogues
from app.analysis import presentation, summary_text
from app.analysis.charts import FILLS
from app.analysis.tallies import CATEGORY_LABELS
from app.consultations.models import STANCE_LABELS
from app.web import csrf, flash
from app.web.translating import CompiledTranslations, PageEnvironment
from app.web.urls import static_url
from kernel import i18n, localtime
from kernel.localtime import SiteTime
from kernel.plurals import plural

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def _welsh_name(name: str) -> str:
    """The Welsh column beside an English one: title → title_cy, introduction_html →
    introduction_cy_html."""
    if name.endswith("_html"):
        return name[: -len("_html")] + "_cy_html"
    return name + "_cy"


def text_of(item: object, name: str) -> str:
    """An organiser's text in the reader's language: the Welsh when the reader chose Welsh and
    the organiser wrote it, else the English."""
    if i18n.current_language() == "cy":
        welsh = getattr(item, _welsh_name(name), "")
        if welsh:
            return str(welsh)
    return str(getattr(item, name, ""))


def lang_of(item: object, name: str) -> Markup:
    """`` lang="en"`` where ``text_of`` falls back to English on a Welsh page, so that a
    screen reader reads it as English; nothing otherwise."""
    if i18n.current_language() == "cy" and not getattr(item, _welsh_name(name), ""):
        return Markup(' lang="en"')
    return Markup("")


def localised(item: object, name: str) -> Markup:
    """``text_of`` as HTML to put inline: an English fallback on a Welsh page comes inside
    ``<span lang="en">``."""
    text = escape(text_of(item, name))
    marked = lang_of(item, name)
    return Markup(f"<span{marked}>{text}</span>") if marked else text  # noqa: S704 - escaped


def make_environment(
    *,
    urls: Callable[..., str] | None = None,
    site_time: SiteTime | None = None,
    language: str | None = None,
) -> Environment:
    """The template environment of one application (``app.state.templates``); ``urls`` gives
    templates their ``url_for`` (documents rendered outside a request, such as an exported
    summary, have none). Times show in ``site_time``'s zone ("1 November 2026 at 14:05"),
    by default the zone of the request or command being served."""
    env = PageEnvironment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=[CompiledTranslations],
    )
    env.policies["ext.i18n.trimmed"] = True
    if language is None:
        # One environment for every language: words read from the current language's
        # catalogue when rendered (documents rendered outside a request).
        env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
        )
    else:
        # One language: {% trans %} text is translated once, when a template is compiled
        # (app.web.translating), and the catalogue is bound for the rest.
        catalogue = i18n.catalogue(language)
        env.compile_catalogue = catalogue  # type: ignore[attr-defined]
        env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=catalogue.gettext, ngettext=catalogue.ngettext, newstyle=True
        )
    env.globals.update(
        url_for=urls or _no_urls,
        static_url=static_url,
        text_of=text_of,
        lang_of=lang_of,
        localised=localised,
    )
    times = site_time or localtime.current()
    env.filters.update(
        date=times.date, datetime=times.datetime, time=times.time, number=i18n.number, plural=plural
    )
    env.globals.update(time_label=times.label, plural=plural)
    env.globals.update(
        annex_columns=presentation.annex_columns,
        annex_chart=presentation.annex_chart,
        category_labels=CATEGORY_LABELS,
        stance_labels=STANCE_LABELS,
        chart_fills=FILLS,
        summary_words=summary_text,
    )
    # Form and chart macros are globals, so that a block rendered alone can use them too (a
    # top-level {% from … import %} runs only when the whole page is rendered).
    macros = env.get_template("_macros.html").module
    env.globals.update(
        {
            name: getattr(macros, name)
            for name in (
                "error_summary",
                "field_error",
                "described_by",
                "csrf",
                "stance_bar",
                "content_note_field",
                "post_body",
            )
        }
    )
    return env


def _no_urls(name: str, /, **_params: object) -> str:
    raise LookupError(f"no routes to link {name!r} to: this document is rendered outside the site")


def make_environments(
    *, urls: Callable[..., str] | None = None, site_time: SiteTime | None = None
) -> dict[str, Environment]:
    """One template environment per language (built once per application)."""
    catalogues.load()
    return {
        language: make_environment(urls=urls, site_time=site_time, language=language)
        for language in i18n.LANGUAGES
    }


def environment_for(request: Request) -> Environment:
    """The template environment of the language this request is answered in."""
    environments: dict[str, Environment] = request.app.state.template_languages
    return environments[i18n.current_language()]


def fragment_block(request: Request) -> str | None:
    headers = request.headers
    if (
        headers.get("hx-request") != "true"
        or headers.get("hx-boosted") == "true"
        or headers.get("hx-history-restore-request") == "true"
    ):
        return None
    return headers.get("hx-target") or None


def base_context(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    cookie = request.state.csrf_cookie
    return {
        "request": request,
        "viewer": getattr(request.state, "viewer", None),
        "csrf_token": csrf.token_for(cookie, settings.secret_key.get_secret_value()),
        "site_name": settings.site_name,
        "leave_site_url": settings.leave_site_url,
        "is_development": settings.is_development,
        "flashes": flash.take(request),
        "current_path": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
        "language": i18n.current_language(),
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    block: str | None = None,
) -> HTMLResponse:
    """Render a page, or one block of it for a targeted HTMX request.

    ``block`` names the block to send to any targeted HTMX request, for pages whose target id is
    dynamic (``#answer-12``); otherwise the block named like the target is sent, if there is one.
    """
    ctx = base_context(request)
    if context:
        ctx.update(context)
    environment = environment_for(request)
    template = environment.get_template(name)
    target = fragment_block(request)
    if target and block:
        target = block
    if target and target in template.blocks:
        block = target
        html = render_block(environment, name, block, ctx)
        if ctx["flashes"]:  # the page's message area is outside the block: update it too
            html += environment.get_template("_flashes_oob.html").render(ctx)
    else:
        html = template.render(ctx)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request"
    response.headers.setdefault("Cache-Control", "no-store")
    if ctx["flashes"] and not getattr(request.state, "flash_out", None):
        response.delete_cookie(flash.COOKIE)
    return response

"""Jinja2 environment of the web UI: autoescape always on, the UI language, formatting filters.

Every page gets `lang` (the UI language), `t(key, **kw)` (a label), `nplural(key, n)` ("3 articles"),
`hdate(iso)` (a date for people) and `hspan(obj)` (a date span). A `?lang=` choice is remembered in a
cookie so the next page keeps it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from storyline.explain.sources import display_source, outlet_label, safe_href
from storyline.serve.web import i18n
from storyline.serve.web.highlight import marked_snippet

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.autoescape = True
templates.env.filters["marked"] = marked_snippet
templates.env.filters["safe_href"] = safe_href
templates.env.filters["outlet_label"] = outlet_label
templates.env.filters["display_source"] = display_source


def _span(start: str | None, end: str | None) -> str:
    if not start and not end:
        return ""
    if start == end or not end:
        return start or ""
    return f"{start or '?'} – {end}"


templates.env.filters["span"] = lambda obj: _span(getattr(obj, "start", None), getattr(obj, "end", None))


def ui_lang(request: Request) -> str:
    """The reader's UI language for this request (see `storyline.serve.web.i18n.choose_lang`)."""
    cached = getattr(request.state, "ui_lang", None)
    if cached:
        return cached
    lang = i18n.choose_lang(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE),
                            request.headers.get("accept-language"))
    request.state.ui_lang = lang
    return lang


def helpers(lang: str) -> dict[str, Any]:
    """The template helpers bound to one UI language."""
    return {
        "lang": lang,
        "ui_langs": i18n.UI_LANGS,
        "lang_names": i18n.NAMES,
        "t": lambda key, **kw: i18n.message(lang, key, **kw),
        "nplural": lambda key, n: i18n.plural(lang, key, n),
        "hdate": lambda iso, style="medium": i18n.human_date(iso, lang, style),
        "hspan": lambda obj: i18n.human_span(getattr(obj, "start", None), getattr(obj, "end", None), lang),
        "hrange": lambda a, b: i18n.human_span(a, b, lang),
    }


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = ui_lang(request)
    context.setdefault("title", "Storyline")
    context["writes_enabled"] = bool(request.app.state.token)
    context.setdefault("signed_in", False)
    for k, v in helpers(lang).items():
        context.setdefault(k, v)
    keep = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    context["lang_links"] = {code: "?" + urlencode([*keep, ("lang", code)]) for code in i18n.UI_LANGS}
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    chosen = request.query_params.get("lang")
    if chosen in i18n.UI_LANGS and request.cookies.get(i18n.COOKIE) != chosen:
        response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, title=f"Error {status}", status=status,
                  message=message)

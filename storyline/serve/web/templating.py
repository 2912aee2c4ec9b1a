"""Jinja2 environment of the web UI: autoescape always on, a few formatting filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from storyline.explain.sources import display_source, outlet_label, safe_href
from storyline.serve.web.highlight import marked_snippet

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.autoescape = True
templates.env.filters["marked"] = marked_snippet
# public source display (issue 11): only http(s)/mailto hrefs, never an absolute local path
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


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("title", "Storyline")
    context["writes_enabled"] = bool(request.app.state.token)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, title=f"Error {status}", status=status,
                  message=message)

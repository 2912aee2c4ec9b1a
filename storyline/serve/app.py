"""FastAPI app factory: JSON API under /api, server-rendered web UI, static assets, offline API docs.

FastAPI's own /docs page loads Swagger UI from a CDN, which breaks offline use and our CSP, so /docs is
our own server-rendered page built from the OpenAPI schema (/openapi.json stays standard).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from storyline.serve.data import Data
from storyline.serve.security import MAX_BODY_BYTES, SecurityMiddleware

PACKAGE = Path(__file__).resolve().parent
TOKEN_ENV = "STORYLINE_TOKEN"


def create_app(store: Any, config: Any = None, token: str | None = None, *,
               max_body: int = MAX_BODY_BYTES, drain: Any = None) -> FastAPI:
    """The app over `store`. Writes need `token` (or $STORYLINE_TOKEN); without one they answer 403.
    `drain`: the background-queue thread (`storyline.service.background.BackgroundDrain`) uploads
    leave the background steps to; its state is in GET /api/status."""
    if config is None:
        from storyline.config import get_config

        config = get_config()
    app = FastAPI(title="Storyline", version="0.1.0", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Follow news stories across languages and time. Write endpoints need "
                              "`Authorization: Bearer <STORYLINE_TOKEN>`.")
    app.state.data = Data(store)
    app.state.store = store
    app.state.config = config
    app.state.drain = drain
    app.state.token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)

    from storyline.serve.api import build_router
    from storyline.serve.web.routes import router as web_router
    from storyline.serve.web.templating import render_error

    app.include_router(build_router())
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static")

    def wants_json(request: Request) -> bool:
        path = request.url.path
        return path.startswith("/api") or path == "/openapi.json" or "application/json" in \
            request.headers.get("accept", "")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render_error(request, exc.status_code, str(exc.detail))

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return render_error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg')}" for e in exc.errors())
        if wants_json(request):
            return JSONResponse({"detail": problems or "invalid request"}, status_code=422)
        return render_error(request, 422, problems or "invalid request")

    app.add_middleware(SecurityMiddleware, max_body=max_body)
    return app


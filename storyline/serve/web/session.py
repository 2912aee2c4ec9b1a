"""Editors sign in once per browser session: a signed cookie instead of typing the token on every card.

The cookie holds a random nonce and an HMAC of it keyed by the server's STORYLINE_TOKEN, so it needs no
server-side session table, survives a restart and dies when the token changes. It is HttpOnly (scripts
cannot read it) and SameSite=Strict (other sites cannot send it), and every form that writes also
carries a CSRF token derived from the same nonce, checked in constant time. The standard library's
`hmac` and `secrets` do all of it, so no session middleware is added.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

COOKIE = "storyline_editor"
REVIEWER_COOKIE = "storyline_reviewer"


def _sign(token: str, purpose: str, nonce: str) -> str:
    return hmac.new(token.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).hexdigest()


def new_session(token: str) -> str:
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(token, 'session', nonce)}"


def session_nonce(request: Request) -> str | None:
    """The nonce of a valid editor session cookie, else None (also when writes are off)."""
    token = request.app.state.token
    value = request.cookies.get(COOKIE) or ""
    nonce, _, mac = value.partition(".")
    if not token or not nonce or not mac:
        return None
    return nonce if hmac.compare_digest(mac, _sign(token, "session", nonce)) else None


def csrf_token(request: Request) -> str | None:
    nonce = session_nonce(request)
    return _sign(request.app.state.token, "csrf", nonce)[:40] if nonce else None


def require_session(request: Request, csrf: str | None) -> None:
    """403 when writes are off, 401 without a session, 403 when the form's CSRF token is wrong."""
    if not request.app.state.token:
        raise HTTPException(403, "write endpoints are off: start the server with STORYLINE_TOKEN set")
    expected = csrf_token(request)
    if expected is None:
        raise HTTPException(401, "sign in with the editor token first")
    if not csrf or not hmac.compare_digest(csrf.encode(), expected.encode()):
        raise HTTPException(403, "the form's CSRF token is missing or wrong: reload the page and try again")


def set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", path="/", max_age=max_age,
                        secure=request.url.scheme == "https")

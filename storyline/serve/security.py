"""Security policy of the server: headers on every response, request-size cap, bearer-token auth.

Article text is hostile input, so the browser is told to run only scripts the app itself serves
(`script-src 'self'`, no inline script or style) and to never frame or post elsewhere. Write endpoints
are off unless a token is configured; tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import HTTPException, Request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
MAX_BODY_BYTES = 20 * 1024 * 1024  # uploads of a few articles; anything bigger is a mistake or an attack


class SecurityMiddleware:
    """Pure ASGI: adds the security headers and answers 413 to bodies over `max_body` bytes (by
    Content-Length up front, or by counting a streamed/chunked body; whatever error the app makes of
    the aborted read is replaced by the 413)."""

    def __init__(self, app: Any, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _send_json(send, 413, f"request body too large (limit {self.max_body} bytes)")
            return
        seen = 0
        too_big = False
        answered = False

        async def limited_receive() -> dict:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    too_big = True
                    raise _BodyTooLarge
            return message

        async def send_with_headers(message: dict) -> None:
            nonlocal answered
            if too_big:  # the app turned the aborted read into its own error (FastAPI: 400): answer 413
                if not answered:
                    answered = True
                    await _send_json(send, 413, f"request body too large (limit {self.max_body} bytes)")
                return
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {k.lower() for k, _ in raw}
                for k, v in SECURITY_HEADERS.items():
                    if k.encode() not in present:
                        raw.append((k.encode(), v.encode()))
                message = {**message, "headers": raw}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if too_big and not answered:
                answered = True
                await _send_json(send, 413, f"request body too large (limit {self.max_body} bytes)")


class _BodyTooLarge(Exception):
    pass


async def _send_json(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def check_token(configured: str | None, given: str | None) -> None:
    """Raise 403 when writes are off, 401 when the given token is missing or wrong."""
    if not configured:
        raise HTTPException(403, "write endpoints are off: start the server with STORYLINE_TOKEN set")
    if not given or not hmac.compare_digest(given.encode(), configured.encode()):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


def require_writer(request: Request) -> None:
    """FastAPI dependency for write endpoints: `Authorization: Bearer <STORYLINE_TOKEN>`."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    check_token(request.app.state.token, value.strip() if scheme.lower() == "bearer" else None)

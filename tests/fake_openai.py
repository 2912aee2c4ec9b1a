"""A local fake OpenAI-compatible chat server for tests (never a real endpoint).

`FakeOpenAI(responder)` serves POST /v1/chat/completions on 127.0.0.1 at a free port in a thread.
`responder(request_json, n)` returns (status, body_dict_or_text, headers); n counts requests from 1.
Every request body is kept in `.requests`. `cite_first(k)` builds a well-behaved "model" that cites
the first k ids of the data block, the way a real model answers (each bullet restates its sentence,
so it passes the support check of `storyline.explain.summaries.grounding`).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any], int], tuple[int, Any, dict[str, str]]]


def chat_reply(content: str, model: str = "fake-model") -> dict[str, Any]:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}]}


def data_block(request: dict[str, Any]) -> list[dict[str, str]]:
    """The JSON array between the data markers of the user message."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    m = re.search(r"<<<SOURCE_DATA (\w+)>>>\n(.*)\n<<<END_SOURCE_DATA \1>>>", user, re.DOTALL)
    assert m, "no data block in the user message"
    return json.loads(m.group(2))


def cite_first(k: int = 3, extra: list[dict[str, Any]] | None = None) -> Responder:
    def respond(req: dict[str, Any], n: int) -> tuple[int, Any, dict[str, str]]:
        items = data_block(req)
        bullets = [{"text": it["text"], "sources": [it["id"]]} for it in items[:k]]
        return 200, chat_reply(json.dumps({"bullets": bullets + (extra or [])})), {}
    return respond


class FakeOpenAI:
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                outer.requests.append(body)
                outer.headers.append(dict(self.headers))
                if self.path != "/v1/chat/completions":
                    status, payload, extra = 404, {"error": {"message": "no such route"}}, {}
                else:
                    status, payload, extra = outer.responder(body, len(outer.requests))
                raw = payload if isinstance(payload, str) else json.dumps(payload)
                data = raw.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

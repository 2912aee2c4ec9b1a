"""A total deadline per URL fetch, real timings in timeout messages, link-local refused even with allow_private."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline.ingest import IngestSettings
from storyline.ingest.fetch import FetchError, fetch_url


class Drip(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        if self.path.startswith("/to-metadata"):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(100):  # a few bytes every 0.2 s: never idle long enough for a read timeout
                self.wfile.write(b"<p>drip</p>")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_a_dripping_server_is_cut_off_at_the_total_deadline(server):
    settings = IngestSettings(read_timeout=1.0, connect_timeout=1.0, fetch_deadline=1.5)
    began = time.monotonic()
    with pytest.raises(FetchError) as exc:
        fetch_url(server + "/drip", settings, allow_private=True)
    took = time.monotonic() - began
    assert 1.4 <= took < 3.0
    msg = str(exc.value)
    assert "gave up after 1." in msg and "at most 1.5s ([ingest] fetch_deadline)" in msg and "bytes received" in msg


def test_link_local_and_metadata_hosts_are_refused_even_with_allow_private(server):
    with pytest.raises(FetchError) as exc:
        fetch_url(server + "/to-metadata", IngestSettings(), allow_private=True)
    assert "link-local address 169.254.169.254 (redirected to http://169.254.169.254/" in str(exc.value)
    with pytest.raises(FetchError) as exc:
        fetch_url("http://metadata.google.internal/computeMetadata/v1/", IngestSettings(), allow_private=True)
    assert "cloud metadata host" in str(exc.value)
    with pytest.raises(FetchError) as exc:
        fetch_url("http://[fe80::1]/", IngestSettings(), allow_private=True)
    assert "link-local address fe80::1" in str(exc.value)


def test_llm_timeout_message_states_the_time_spent_over_all_retries():
    from fake_openai import FakeOpenAI

    from storyline.explain.summaries.base import SummarySettings
    from storyline.explain.summaries.llm import LLMError, LLMSummarizer
    from storyline.model import article_from_text

    def slow(req, n):
        time.sleep(0.6)
        return 200, {"choices": []}, {}

    art = article_from_text("The council met on Monday to discuss the budget for next year in detail.",
                            id="a-x", lang="en")
    with FakeOpenAI(slow) as srv:
        llm = LLMSummarizer(SummarySettings(backend="llm", base_url=srv.base_url, model="m", timeout=0.3,
                                            retries=1, backoff=0.01))
        with pytest.raises(LLMError) as exc:
            llm.summarize([art], target_id=art.id)
    msg = str(exc.value)
    assert "2 attempt(s) of up to 0.3s each" in msg and "s in all with retries" in msg
    spent = float(msg.split("each, ")[1].split("s in all")[0])
    assert spent >= 0.6

"""URL fetching against a local HTTP server on 127.0.0.1: 404, timeout, SSRF redirect, caps, type."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline.config import Config
from storyline.ingest import IngestSettings, ingest
from storyline.ingest.fetch import FetchError, fetch_url
from storyline.store import Store

PAGE = (b"<html><head><title>Budget day</title></head><body><article><h1>Budget day</h1><p>The government "
        b"presented its budget on Thursday, and the finance minister said spending on defence and health "
        b"will rise sharply next year.</p><p>The opposition says the plan is too tight for local councils "
        b"and promised to fight it in parliament.</p></article></body></html>")


# a feed whose entries carry only a teaser; the full text is on the linked pages (one is missing)
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Test Feed</title><link>{BASE}/</link>
<item><title>Ferry strike ends</title><link>{BASE}/story/1</link>
<pubDate>Mon, 06 Oct 2025 07:00:00 GMT</pubDate><description>Teaser only.</description></item>
<item><title>Harbour reopens</title><link>{BASE}/story/2</link><description>Teaser.</description></item>
<item><title>Removed story</title><link>{BASE}/story/9</link><description>Teaser.</description></item>
</channel></rss>"""
STORIES = {
    "1": ("<html><head><title>Ferry strike ends</title></head><body><nav>Home | News</nav><article>"
          "<h1>Ferry strike ends</h1><p>The ferry workers' union and the operators reached an agreement late on "
          "Sunday, ending a strike that had stopped crossings to the islands for nine days.</p><p>The deal "
          "raises wages by five percent and limits overtime during the summer season, the union said in a "
          "statement after the talks.</p></article><footer>Contact us</footer></body></html>"),
    "2": ("<html><head><title>Harbour reopens</title>"
          "<meta property='article:published_time' content='2025-10-07T12:15:00+00:00'></head><body><article>"
          "<h1>Harbour reopens</h1><p>The main harbour reopened to cargo ships on Tuesday after divers "
          "finished inspecting the quay that was damaged in last month's storm.</p><p>Port officials said the "
          "repairs will continue at night so that ships can be loaded during the day without delays.</p>"
          "</article></body></html>"),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        if self.path == "/article":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/missing":
            self._send(404, "text/html", b"not here")
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, "text/html", PAGE)
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        elif self.path == "/to-article":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            for _ in range(100):
                self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
        elif self.path == "/feed.xml":
            base = f"http://{self.headers['Host']}"
            self._send(200, "application/rss+xml", FEED.replace("{BASE}", base).encode("utf-8"))
        elif self.path.startswith("/story/"):
            n = self.path.rsplit("/", 1)[1]
            body = STORIES.get(n)
            if body is None:
                self._send(404, "text/html", b"gone")
            else:
                self._send(200, "text/html; charset=utf-8", body.encode("utf-8"))
        elif self.path == "/image":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n")
        else:
            self._send(404, "text/plain", b"?")

    def _send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up (timeout test): expected
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def only_test_server(base):
    port = int(base.rsplit(":", 1)[1])

    def policy(host, p, addr):
        return addr == ipaddress.ip_address("127.0.0.1") and p == port
    return policy


FAST = IngestSettings(read_timeout=0.5, connect_timeout=0.5)


def test_fetch_ok_and_redirect(server):
    page = fetch_url(server + "/to-article", FAST, address_allowed=only_test_server(server))
    assert page.status == 200 and page.format == "html" and page.url.endswith("/article")
    assert page.redirects == [server + "/article"]


def test_loopback_refused_by_default(server):
    with pytest.raises(FetchError) as exc:
        fetch_url(server + "/article", FAST)
    assert server + "/article" in str(exc.value) and "127.0.0.1" in str(exc.value)


def test_redirect_to_private_refused(server):
    with pytest.raises(FetchError) as exc:
        fetch_url(server + "/to-private", FAST, address_allowed=only_test_server(server))
    msg = str(exc.value)
    assert msg.startswith(server + "/to-private") and "169.254.169.254" in msg and "redirected" in msg


def test_404_timeout_cap_type(server):
    cases = {"/missing": "HTTP 404", "/slow": "timed out", "/image": "unsupported content type 'image/png'"}
    for path, needle in cases.items():
        with pytest.raises(FetchError) as exc:
            fetch_url(server + path, FAST, allow_private=True)
        assert needle in str(exc.value) and server + path in str(exc.value)
    with pytest.raises(FetchError) as exc:
        fetch_url(server + "/huge", IngestSettings(max_bytes=20_000), allow_private=True)
    assert "cap" in str(exc.value)


def test_non_http_scheme_refused():
    with pytest.raises(FetchError) as exc:
        fetch_url("ftp://example.org/file.txt")
    assert "scheme" in str(exc.value)


def test_ingest_urls(server, tmp_path):
    store = Store(tmp_path / "u.db")
    cfg = Config({"ingest": {"read_timeout": 0.5}})
    report = ingest(store, [server + "/article", server + "/missing", server + "/slow", "file:///etc/passwd"],
                    config=cfg, allow_private=True)
    assert len(report.new) == 1
    art = store.get_article(report.new[0])
    assert art.source == server + "/article" and art.lang == "en" and art.title == "Budget day"
    reasons = " | ".join(f.reason for f in report.failures)
    assert "/missing: HTTP 404" in reasons and "/slow: timed out" in reasons and "file:///etc/passwd" in reasons
    refused = ingest(store, [server + "/article"], config=cfg)  # without allow_private
    assert refused.failures and "non-public address" in refused.failures[0].reason


def test_feed_fetch_reads_linked_pages(server, tmp_path):
    store = Store(tmp_path / "f.db")
    policy = only_test_server(server)
    report = ingest(store, [server + "/feed.xml"], config=Config({}), fetch=True, address_allowed=policy)
    assert len(report.new) == 2, report.to_dict()
    arts = {a.title: a for a in store.iter_articles()}
    strike = arts["Ferry strike ends"]
    assert "nine days" in strike.text and "five percent" in strike.text and "Teaser" not in strike.text
    assert "Contact us" not in strike.text and strike.site_name == "Local Test Feed"
    assert strike.url == server + "/story/1" and strike.lang == "en"
    assert (strike.published, strike.published_origin) == ("2025-10-06T07:00", "feed")
    harbour = arts["Harbour reopens"]  # the page's own metadata date wins over the feed's (none here)
    assert harbour.published == "2025-10-07T12:15" and harbour.published_origin == "metadata"
    [missing] = report.failures
    assert missing.input.endswith("#" + server + "/story/9") and "HTTP 404" in missing.reason
    # without the injected policy the linked pages are refused (the feed URL itself too)
    refused = ingest(Store(tmp_path / "g.db"), [server + "/feed.xml"], config=Config({}), fetch=True)
    assert refused.failures and "non-public address" in refused.failures[0].reason


def test_feed_fetch_policy_applies_to_each_link(server, tmp_path):
    """The feed is allowed but its links go elsewhere: each entry fails with a reason, nothing stored."""
    feed_only = only_test_server(server)
    report = ingest(Store(tmp_path / "h.db"), [server + "/feed.xml"], config=Config({}), fetch=True,
                    address_allowed=lambda host, port, addr: feed_only(host, port, addr) and False)
    assert not report.new and report.failures and "non-public address" in report.failures[0].reason

"""Server-rendered pages: escaping of hostile article text, language marks, CSP, review by form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from serve_helpers import STORY_ID, SUMMARY_ID, TOKEN, build_small_store

from storyline.config import Config
from storyline.model import Article, Mention, Quote
from storyline.serve.app import create_app
from storyline.serve.web.highlight import Span, highlight_text, marked_snippet


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_small_store(tmp_path_factory.mktemp("web") / "s.db")


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, Config({}), token=TOKEN))


def test_hostile_article_renders_as_text(client):
    html = client.get("/articles/a-en-hostile").text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # the only scripts are the app's own file
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    # search results and the stories page escape it too
    assert "<script>alert" not in client.get("/search", params={"q": "council chaos"}).text


def test_search_snippet_escaped_and_marked():
    out = str(marked_snippet("<b>ferry</b> strike", [(3, 8)]))
    assert out == "&lt;b&gt;<mark>ferry</mark>&lt;/b&gt; strike"


def test_highlight_from_offsets_escapes_and_nests():
    text = 'Holt said: "<i>we wait</i>" to Berg.'
    q0 = text.index('"')
    spans = [Span(0, 4, "entity", "n-holt", "PER: Holt"), Span(q0, q0 + 17, "quote", "q-1", "quote: Holt"),
             Span(text.index("Berg"), text.index("Berg") + 4, "entity", None, "PER: Berg")]
    html = str(highlight_text(text, 0, len(text), spans, {0: "s-0"}))
    assert html.startswith('<span class="anchor" id="s-0"></span><a class="ent" href="/entities/n-holt"')
    assert "&lt;i&gt;we wait&lt;/i&gt;" in html and "<i>" not in html
    assert '<span class="quote" title="quote: Holt">' in html


def test_article_page_marks_language_and_highlights(tmp_path):
    """Mentions and quotes from the store become links and marks built from offsets."""

    class FakeStore:  # only the methods the article page needs; shows graceful degradation too
        def __init__(self) -> None:
            text = 'Karen Holt said: "We wait." <b>bold</b>'
            self.art = Article(id="a-x", source="mem", text=text, title="T <b>", lang="en")

        def get_article(self, aid):
            return self.art if aid == "a-x" else None

        def mentions(self, aid):
            return [Mention("a-x", 0, 10, "Karen Holt", "PER", entity_id="n-holt")]

        def list_quotes(self, **kw):
            return [Quote("q-1", "a-x", "We wait.", 17, 27, True, speaker="Karen Holt")] if kw.get("article_id") else []

    c = TestClient(create_app(FakeStore(), Config({}), token=None))
    html = c.get("/articles/a-x").text
    assert '<a class="ent" href="/entities/n-holt" title="PER: Karen Holt">Karen Holt</a>' in html
    assert '<span class="quote"' in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert '<h1 lang="en">T &lt;b&gt;</h1>' in html
    # pages of stages this store lacks still render
    for path in ("/", "/entities", "/review", "/search?q=wait"):
        r = c.get(path)
        assert r.status_code in (200, 400) and "content-security-policy" in r.headers, path


def test_pages_have_skip_link_lang_and_csp(client):
    for path in ("/", f"/stories/{STORY_ID}", "/articles/a-nb-fergestreik", "/search?q=ferje", "/entities",
                 "/review", "/docs"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert '<a class="skip" href="#main">' in r.text
    art = client.get("/articles/a-nb-fergestreik").text
    assert '<p lang="nb">' in art
    hits = client.get("/search", params={"q": "ferry strike"}).text
    assert 'lang="nb"' in hits and "<mark>" in hits


def test_story_page_shows_summary_and_links(client, store):
    if not hasattr(store, "upsert_story"):
        pytest.skip("stories stage not in this store")
    html = client.get(f"/stories/{STORY_ID}").text
    assert "Ferry workers walked off the job on Monday." in html
    assert 'href="/articles/a-en-ferry-strike#s-0"' in html
    assert "status-draft" in html
    assert client.get("/stories/s-nope").status_code == 404


def test_review_by_form_post_with_token(tmp_path):
    store = build_small_store(tmp_path / "r.db")
    if not hasattr(store, "review_summary"):
        pytest.skip("summaries stage not in this store")
    c = TestClient(create_app(store, Config({}), token=TOKEN))
    form = {"action": "approve", "reviewer": "Editor", "token": "wrong"}
    assert c.post(f"/review/{SUMMARY_ID}", data=form).status_code == 401
    assert store.get_summary(SUMMARY_ID).status == "draft"
    r = c.post(f"/review/{SUMMARY_ID}", data={**form, "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/review")
    assert store.get_summary(SUMMARY_ID).status == "approved"
    assert "approved" in c.get("/review?status=approved").text
    # a second approve is refused with a clear message on an HTML page
    r = c.post(f"/review/{SUMMARY_ID}", data={**form, "token": TOKEN})
    assert r.status_code == 409 and "cannot approve" in r.text


def test_timeline_axis_positions_entries_by_date():
    from storyline.model import TimelineEntry
    from storyline.serve.web.timeline_axis import PAD, WIDTH, axis

    entries = [TimelineEntry(id=f"t-{d}", story_id="s", date=d, precision="day", text=d)
               for d in ("2019-01-23", "2019-01-24", "2020-05", "2025-12-03")]
    ax = axis(entries)
    xs = [d.x for d in ax["dots"]]
    assert xs[0] == PAD and xs[-1] == WIDTH - PAD and xs == sorted(xs)
    assert ax["dots"][1].row == 1  # a day later: too close, stacked on the next row
    assert [t.label for t in ax["ticks"]][:2] == ["2019-01-23", "2020"]
    assert axis([]) is None


def test_story_page_timeline_reveals_escaped_sources():
    from storyline.model import SourceRef, Story, TimelineEntry

    class TimelineStore:
        def get_story(self, sid):
            return Story(id="s-1", title="Talks <em>", article_ids=["a-1"], languages=["nb"]) if sid == "s-1" else None

        def timeline(self, sid, lang=None):
            return [TimelineEntry(id="t-1", story_id="s-1", date="2024-03-04", precision="day",
                                  text="Streik <b>", sources=[SourceRef("a-1", "Fergene <i>står</i>.", "nb", 2)])]

        def get_article(self, aid):
            return Article(id="a-1", source="m", text="x", title="Ferger", lang="nb")

    html = TestClient(create_app(TimelineStore(), Config({}))).get("/stories/s-1").text
    assert '<details class="tl-entry" id="t-1">' in html and '<a href="#t-1" class="dot-link"' in html
    assert '<blockquote lang="nb">Fergene &lt;i&gt;står&lt;/i&gt;.</blockquote>' in html
    assert 'href="/articles/a-1#s-2">Ferger</a>' in html and "Talks &lt;em&gt;" in html

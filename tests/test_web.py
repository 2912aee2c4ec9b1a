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
        assert ' style="' not in r.text and "<style" not in r.text  # the CSP blocks inline styles
    art = client.get("/articles/a-nb-fergestreik").text
    assert '<p lang="nb">' in art
    hits = client.get("/search", params={"q": "ferry strike"}).text
    assert 'lang="nb"' in hits and "<mark>" in hits
    # grouped under the story's title and size; no ranking internals shown
    assert '<h2 class="group-title"><a href="/stories/s-ferrystrike">Ferry strike strands commuters</a> ' \
           '<span class="muted count">2 articles</span>' in hits
    assert "bm25" not in hits and "dense" not in hits


def test_story_page_shows_summary_and_links(client, store):
    if not hasattr(store, "upsert_story"):
        pytest.skip("stories stage not in this store")
    html = client.get(f"/stories/{STORY_ID}").text
    assert "Ferry workers walked off the job on Monday." in html
    # the citation names outlet, language and date and opens the sentence highlighted in its article
    assert re.search(r'<a class="src" href="/articles/a-en-ferry-strike\?s=0#s-0"[^>]*><span class="outlet">'
                     r'en-ferry-strike.txt</span> · en · 4 Mar 2024</a>', html)
    assert "status-draft" in html and "Unreviewed draft" in html
    cited = client.get("/articles/a-en-ferry-strike?s=0").text
    assert '<mark class="cited">Ferry workers walked off the job on Monday' in cited
    assert client.get("/stories/s-nope").status_code == 404


def test_review_by_form_post_with_token(tmp_path):
    store = build_small_store(tmp_path / "r.db")
    if not hasattr(store, "record_review"):
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


def test_timeline_axis_groups_dates_and_ticks_any_span():
    from storyline.model import TimelineEntry
    from storyline.serve.web.timeline_axis import PAD, WIDTH, axis, group_entries

    def entries(*dates):
        return [TimelineEntry(id=f"t-{i}", story_id="s", date=d, precision="day", text=d) for i, d in enumerate(dates)]

    groups = group_entries(entries("2019-01-23", "2019-01-24", "2019-01-24", "2020-05", "2025-12-03"), "en")
    assert [(g.key, len(g.entries)) for g in groups] == [("2019-01-23", 1), ("2019-01-24", 2), ("2020-05", 1),
                                                         ("2025-12-03", 1)]
    ax = axis(groups, "en")
    labels = [t.label for t in ax["ticks"]]
    assert labels[0] == "2019" and labels[-1] == "2026"  # the last year is labelled too (axis ends on a tick)
    assert ax["ticks"][0].x == PAD and ax["ticks"][-1].x == WIDTH - PAD
    xs = [b.x for b in ax["bars"]]
    assert xs == sorted(xs) and sum(b.count for b in ax["bars"]) == 5  # one bar per period, counted
    assert all(a.x + a.w <= b.x for a, b in zip(ax["bars"], ax["bars"][1:], strict=False))  # never overlap
    # days: day ticks written for people; decades: decade ticks; ISO weeks never shown as "2019-W27"
    days = axis(group_entries(entries("2024-03-04", "2024-03-06"), "nb"), "nb")
    assert [t.label for t in days["ticks"]][:2] == ["4. mars", "5. mars"]
    decades = axis(group_entries(entries("1961", "2024-07-01"), "en"), "en")
    assert [t.label for t in decades["ticks"]][:3] == ["1960", "1970", "1980"]
    week = group_entries(entries("2019-W27"), "en")
    assert week[0].label == "week of 1 July 2019"
    assert "W27" not in str(axis(week, "en"))
    assert axis([], "en") is None



def _entry_rows(story_id, entries, entry_ids=None):
    """Stored timeline entries as the store hands them to explain (one source each, its sentence the
    entry's text), for page tests over a store that holds nothing else."""
    import datetime as dt

    rows = []
    for eid, date, text, article_id, index in entries:
        day = dt.date.fromisoformat(date).toordinal()
        rows.append({"id": eid, "story_id": story_id, "date": date, "precision": "day", "text": text,
                     "inferred": 0, "entities": [], "day_start": day, "day_end": day, "centroid": None,
                     "sources": [{"article_id": article_id, "sentence": text, "lang": "nb",
                                  "sentence_index": index, "start": 0, "end": len(text), "vector": None}]})
    return [r for r in rows if entry_ids is None or r["id"] in entry_ids]

def test_story_page_timeline_reveals_escaped_sources():
    from storyline.model import Story

    class TimelineStore:
        def get_story(self, sid):
            return Story(id="s-1", title="Talks <em>", article_ids=["a-1"], languages=["nb"]) if sid == "s-1" else None

        def timeline_entry_rows(self, sid, *, entry_ids=None, with_vectors=True, windows=None):
            return _entry_rows(sid, [("t-1", "2024-03-04", "Streik <b>: fergene <i>står</i>.", "a-1", 2)], entry_ids)

        def get_article(self, aid):
            return Article(id="a-1", source="m", text="x", title="Ferger", lang="nb")

    html = TestClient(create_app(TimelineStore(), Config({}))).get("/stories/s-1").text
    assert '<details class="tl-entry" id="t-1">' in html
    assert '<a href="?from=2024-03-04&amp;to=2024-03-04#timeline" class="bar-link">' in html  # bar zooms in
    assert 'lang="nb">Streik &lt;b&gt;: fergene &lt;i&gt;står&lt;/i&gt;.<' in html and "<i>står</i>" not in html
    assert 'href="/articles/a-1?s=2#s-2" title="Ferger"><span class="outlet">m</span> · nb</a>' in html
    assert "Talks &lt;em&gt;" in html and "<b>" not in html and "<em>" not in html


def test_ui_language_catalogue_and_choice(client):
    from storyline.serve.web import i18n

    for key in i18n.catalogue_keys():
        for lang in i18n.UI_LANGS:
            text = i18n.message(lang, key)
            assert text.strip(), (key, lang)
            if key.startswith("n."):
                assert i18n.plural(lang, key, 1) != i18n.plural(lang, key, 2), (key, lang)
    assert i18n.choose_lang(None, None, "da-DK,da;q=0.9,en;q=0.5") == "da"
    assert i18n.choose_lang("xx", "nb", None) == "nb" and i18n.choose_lang(None, None, "nn") == "nb"
    r = client.get("/", params={"lang": "da"})
    assert '<html lang="da">' in r.text and "<h1>Historier</h1>" in r.text and "2 artikler" in r.text
    assert "storyline_lang=da" in r.headers["set-cookie"]
    assert "<h1>Historier</h1>" in client.get("/").text  # the cookie keeps the choice
    assert "<h1>Stories</h1>" in client.get("/", params={"lang": "en"}).text


def test_sources_links_and_outlet_labels():
    from storyline.explain.sources import display_source, outlet_label, safe_href

    assert safe_href("https://nrk.no/a?b=1") == "https://nrk.no/a?b=1" and safe_href("mailto:x@y.no")
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example", "http:/x",
                "https://a.no/\nx", None, ""):
        assert safe_href(bad) is None, bad
    assert outlet_label({"site_name": "NRK", "url": "https://www.nrk.no/x"}) == "NRK"
    assert outlet_label({"url": "https://www.nrk.no/x", "source": "/home/kari/x.html"}) == "nrk.no"
    assert outlet_label({"source": "/home/kari/private/feed.txt"}) == "feed.txt"
    assert display_source({"source": "/home/kari/private/feed.txt"}) == "feed.txt"


def _story_store(n_stories: int, entries: int = 0):
    """A store of only what the stories and story pages read (no pipeline), for paging tests."""
    from storyline.model import Story

    stories = [Story(id=f"s-{i:03d}", title=f"Story {i}", article_ids=[f"a-{i}-{k}" for k in range(i % 5 + 1)],
                     languages=["nb"] if i % 2 else ["en"], start=f"2024-01-{i % 28 + 1:02d}",
                     end=f"2024-02-{i % 28 + 1:02d}") for i in range(n_stories)]

    class S:
        def list_stories(self):
            return stories

        def get_story(self, sid):
            return next((s for s in stories if s.id == sid), None)

        def timeline_entry_rows(self, sid, *, entry_ids=None, with_vectors=True, windows=None):
            return _entry_rows(sid, [(f"t-{k}", f"2024-{k // 28 % 12 + 1:02d}-{k % 28 + 1:02d}", f"Entry {k}", "a-0-0", 0)
                                     for k in range(entries)], entry_ids)

        def get_article(self, aid):
            return Article(id=aid, source="https://www.vg.no/x", text="x", title=aid, lang="nb",
                           published="2024-01-02")

    return S()


def test_stories_list_filters_sorts_and_pages():
    c = TestClient(create_app(_story_store(45), Config({})))
    first = c.get("/").text
    assert first.count('class="card story-card"') == 20 and 'rel="next"' in first
    assert "1 article<" in first and "2 articles<" in first  # plurals
    assert "Page 1 of 3" in first
    assert c.get("/", params={"page": 3}).text.count('class="card story-card"') == 5
    biggest = c.get("/", params={"sort": "biggest"}).text
    assert re.search(r"<h2><a [^>]*>Story (\d+)</a>", biggest).group(1) in {"4", "9", "14", "19", "24"}
    nb = c.get("/", params={"language": "nb"}).text
    assert "22 stories" in nb and 'title="Language">en<' not in nb
    assert c.get("/", params={"since": "soon"}).status_code == 422
    assert c.get("/", params={"sort": "random"}).status_code == 422


def test_story_page_pages_and_zooms_a_long_timeline():
    c = TestClient(create_app(_story_store(1, entries=90), Config({})))
    page1 = c.get("/stories/s-000").text
    assert page1.count('class="tl-date"') == 20 and "Page 1 of 5" in page1 and "90 entries" in page1
    assert "<time datetime=\"2024-01-01\">1 January 2024</time>" in page1
    page2 = c.get("/stories/s-000", params={"tpage": 2}).text
    assert "Entry 20<" in page2 and "Entry 0<" not in page2
    zoomed = c.get("/stories/s-000", params={"from": "2024-02", "to": "2024-02"}).text
    assert zoomed.count('class="tl-date"') == 20 and "Entry 28<" in zoomed and "Entry 27<" not in zoomed
    assert "28 entries" in zoomed and "Whole timeline" in zoomed
    assert c.get("/stories/s-000", params={"from": "2024-13"}).status_code == 422
    assert c.get("/stories/s-000", params={"from": "2024-03", "to": "2024-01"}).status_code == 422


def test_sign_in_once_then_review_with_csrf(tmp_path):
    store = build_small_store(tmp_path / "r.db")
    if not hasattr(store, "record_review"):
        pytest.skip("summaries stage not in this store")
    c = TestClient(create_app(store, Config({}), token=TOKEN))
    page = c.get("/review").text
    assert 'action="/signin"' in page and 'class="review"' not in page  # no buttons before signing in
    r = c.post("/signin", data={"token": "wrong"}, follow_redirects=False)
    assert r.status_code == 303 and "error=signin" in r.headers["location"] and "storyline_editor" not in c.cookies
    r = c.post("/signin", data={"token": TOKEN, "back": "/review"}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert r.status_code == 303 and "httponly" in cookie and "samesite=strict" in cookie
    page = c.get("/review").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert 'name="token"' not in page and 'class="side-by-side"' in page
    form = {"action": "approve", "reviewer": "Kari Nordmann"}
    assert c.post(f"/review/{SUMMARY_ID}", data=form).status_code == 403  # no CSRF token
    assert c.post(f"/review/{SUMMARY_ID}", data={**form, "csrf": "x" * 40}).status_code == 403
    assert store.get_summary(SUMMARY_ID).status == "draft"
    r = c.post(f"/review/{SUMMARY_ID}", data={**form, "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and store.get_summary(SUMMARY_ID).status == "approved"
    assert 'value="Kari Nordmann"' in c.get("/review", params={"status": "approved"}).text  # name remembered
    other = TestClient(create_app(store, Config({}), token="another-token"))
    other.cookies.update(c.cookies)
    assert 'action="/signin"' in other.get("/review").text  # a session dies with its token


def test_review_buttons_hidden_when_review_is_off(store):
    html = TestClient(create_app(store, Config({}), token=None)).get("/review").text
    assert "Review is off" in html and "<button" not in html.split("<main", 1)[1]


def test_entity_page_reads_merge_evidence_and_roles():
    from storyline.model import Entity

    class EntityStore:
        ent = Entity(id="n-1", name="Nicolás Maduro", type="PER", aliases=["Maduro"], mention_count=5,
                     article_ids=["a-1", "a-2"], roles=[{"role": "president", "lang": "en"},
                                                        {"role": "presidente", "lang": "es"},
                                                        {"role": "president", "lang": "nb"}])

        def get_entity(self, q):
            return self.ent if q == "n-1" else None

        def articles_for_entity(self, eid):
            return ["a-1", "a-2"]

        def entity_evidence(self, eid):
            return [{"rule": "new", "score": None, "alias": "Nicolás Maduro", "article_id": "a-1",
                     "detail": {"mentions": ["Maduro", "Nicolás Maduro"], "within_article": ["short-form-of-full-name"]}},
                    {"rule": "same-name", "score": None, "alias": "Maduro", "article_id": "a-2",
                     "detail": {"mentions": ["Maduro"], "within_article": ["short-form-of-full-name"]}}]

    html = TestClient(create_app(EntityStore(), Config({}))).get("/entities/n-1").text
    assert "short form of the full name in the same article</strong>, 2 articles" in html
    assert "Maduro → Nicolás Maduro" in html
    assert "None" not in html and "{&#39;" not in html and "within_article" not in html
    assert '<span lang="en">president</span>' in html and '<span lang="es">presidente</span>' in html
    assert html.count(">president</span>") == 2  # once per language, with the language shown


def test_story_page_cache_follows_every_write(tmp_path):
    store = build_small_store(tmp_path / "c.db")
    if not hasattr(store, "story_version"):
        pytest.skip("stories stage not in this store")
    c = TestClient(create_app(store, Config({}), token=TOKEN))
    assert "<span>2 articles</span>" in c.get(f"/stories/{STORY_ID}").text
    assert "<span>2 articles</span>" in c.get(f"/stories/{STORY_ID}").text  # served from the cache
    store.save_assignment("a-da-vulkan", "e-ferrystrike", 1.0)  # an article joins the story
    assert "<span>3 articles</span>" in c.get(f"/stories/{STORY_ID}").text

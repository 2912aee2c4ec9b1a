"""End-to-end in headless Chromium: the seed story as a briefing, its timeline (zoom, paging) and
summary, cross-lingual search and its "no results" state, an editor signing in once and approving a
summary beside its cited sentences. Screenshots (1280 px wide) go to artifacts/ (paths printed for the
CI log); with STORYLINE_UPDATE_SCREENSHOT=1 also the story page to docs/screenshot-story.png for the README."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO

from storyline.explain.timeline_view import story_timeline
from storyline.search import index_search_vectors

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-test-token"

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists() and shutil.which("chromium") is None,
                                 reason="no Chromium at /usr/bin/chromium")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    """A private copy of the seed+examples store (this test writes a review), with a summary of the
    seed story, served by uvicorn on a free loopback port. STORYLINE_TEST_CORPUS_DB may name an
    already built corpus database to skip rebuilding it while developing."""
    import uvicorn

    from storyline.config import Config
    from storyline.serve.app import create_app
    from storyline.store import Store

    prebuilt = os.environ.get("STORYLINE_TEST_CORPUS_DB")
    source = Store(prebuilt) if prebuilt else request.getfixturevalue("corpus_store")
    path = tmp_path_factory.mktemp("browser") / "copy.db"
    dst = sqlite3.connect(path)
    source.conn.backup(dst)
    dst.close()
    store = Store(path)
    seed_ids = {Path(a.source).name[:3]: a.id for a in store.iter_articles(include_duplicates=True)
                if Path(a.source).parent.name == "seeds"}
    cfg = Config({})
    story = store.story_of_article(seed_ids["000"])
    assert story is not None, "seed 000 is in no story"
    from storyline.explain.summaries.generate import summarize_target

    summary = summarize_target(store, story.id, cfg, backend="extractive")
    from serve_helpers import add_long_story

    long_story = add_long_story(store)
    index_search_vectors(store, config=cfg)
    server = uvicorn.Server(uvicorn.Config(create_app(store, cfg, token=TOKEN), host="127.0.0.1",
                                           port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield {"url": f"http://127.0.0.1:{port}", "store": store, "story": story, "summary": summary,
           "seed_ids": seed_ids, "long_story": long_story}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        exe = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


def _shot(pg, name: str) -> Path:
    out = REPO / "artifacts" / name
    out.parent.mkdir(exist_ok=True)
    pg.screenshot(path=str(out), full_page=True)
    print(f"screenshot: {out}")
    return out


def test_story_page_timeline_and_summary(site, page):
    from storyline.serve.web.story_view import TIMELINE_PAGE
    from storyline.serve.web.timeline_axis import group_entries

    story = site["story"]
    page.goto(site["url"] + "/?lang=en")
    page.click(f'a[href="/stories/{story.id}"]')
    page.wait_for_url(f"**/stories/{story.id}")
    assert page.locator("h1").inner_text() == story.title
    bullets = page.locator(".summary-box .bullets li")
    assert bullets.count() >= 1
    texts = {b.text for b in site["summary"].bullets}
    assert any(bullets.first.inner_text().startswith(t) for t in texts)
    assert page.locator(".summary-box .badge").inner_text() == "Unreviewed draft"
    cite = bullets.first.locator("a.src").first  # outlet · language · date, opening the sentence
    assert " · " in cite.inner_text() and "?s=" in cite.get_attribute("href")
    groups = group_entries(story_timeline(site["store"], story.id), "en")
    entries = page.locator("details.tl-entry")
    assert entries.count() == sum(len(g.entries) for g in groups[:TIMELINE_PAGE])
    if groups:
        first = entries.first
        first.locator("summary").focus()
        page.keyboard.press("Enter")  # keyboard activation reveals the sources
        assert first.get_attribute("open") is not None
        link = first.locator(".sources a.src").first
        assert link.is_visible() and link.get_attribute("href").startswith("/articles/")
    _shot(page, "story.png")
    if os.environ.get("STORYLINE_UPDATE_SCREENSHOT"):  # refresh the README's picture (first screenful)
        docs = REPO / "docs" / "screenshot-story.png"
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(docs))
        print(f"screenshot: {docs}")
    cite.click()  # the citation opens its sentence, highlighted
    page.wait_for_url("**/articles/**")
    assert page.locator("mark.cited").first.is_visible()
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_timeline_zoom_and_paging(site, page):
    page.goto(site["url"] + f"/stories/{site['long_story']}")
    assert page.locator("li.tl-date").count() == 20 and "45 entries" in page.locator("#tl-h").inner_text()
    first_day = page.locator("li.tl-date h3 time").first.get_attribute("datetime")
    page.click('#timeline nav.pager a[rel="next"]')
    page.wait_for_url("**tpage=2**")
    assert page.locator("li.tl-date").count() == 20
    assert page.locator("li.tl-date h3 time").first.get_attribute("datetime") > first_day
    page.locator("a.bar-link").first.click()  # a bar of the axis zooms into its period
    page.wait_for_url("**from=**")
    zoomed = page.locator("li.tl-date").count()
    assert 0 < zoomed < 20 and page.locator("a.zoom-out").is_visible()
    page.fill('input[name="from"]', "2023-03-01")
    page.fill('input[name="to"]', "2023-03-31")
    page.click("form.zoom button")
    page.wait_for_url("**to=2023-03-31**")
    assert [t.get_attribute("datetime")[:7] for t in page.locator("li.tl-date h3 time").all()] == ["2023-03"] * 4
    _shot(page, "story-long.png")


def test_stories_list_reads_well(site, page):
    page.goto(site["url"] + "/?lang=en")
    cards = page.locator(".story-card")
    assert cards.count() >= 2
    assert " articles" in cards.first.inner_text() or " article" in cards.first.inner_text()
    page.click('nav.sort a:has-text("Biggest")')
    page.wait_for_url("**sort=biggest**")
    _shot(page, "stories.png")


def test_english_search_finds_the_danish_seed(site, page):
    danish = site["seed_ids"]["003"]
    page.goto(site["url"] + "/search")
    page.fill("#q", "Maduro wanted to flee to Cuba but Russia talked him into staying")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")
    hrefs = page.locator(".hit h3 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert f"/articles/{danish}" in hrefs[:3]
    assert page.locator(f'.hit h3 a[href="/articles/{danish}"]').get_attribute("lang") == "da"
    assert page.locator(".hit-group .group-title").count() >= 1 and page.locator(".hit mark").count() >= 1
    assert "dense" not in page.locator("main").inner_text()
    _shot(page, "search.png")


def test_nonsense_search_says_no_results(site, page):
    page.goto(site["url"] + "/search")
    page.fill("#q", "zzzxxq")
    page.press("#q", "Enter")
    page.wait_for_selector(".no-results")
    assert page.locator(".hit").count() == 0 and "zzzxxq" in page.locator(".no-results").inner_text()


def test_entity_page_reads_well(site, page):
    store = site["store"]
    ent = store.list_entities(type="PER", limit=1)[0]
    page.goto(site["url"] + f"/entities/{ent.id}")
    assert page.locator("h1").inner_text().startswith(ent.name)
    assert "{'" not in page.locator("main").inner_text()
    _shot(page, "entity.png")


def test_editor_signs_in_once_and_approves_beside_the_source(site, page):
    sid = site["summary"].id
    page.goto(site["url"] + "/review")
    assert page.locator('form.review').count() == 0  # nothing to press before signing in
    page.fill('form.signin input[name="token"]', TOKEN)
    page.click("form.signin button")
    page.wait_for_selector("form.signout")
    card = page.locator(f"article[id=\"{sid}\"]")
    pair = card.locator("tr.pair").first  # the bullet and the sentence it cites, side by side
    assert pair.locator("td.bullet").inner_text() in {b.text for b in site["summary"].bullets}
    assert pair.locator("td.cited blockquote").first.inner_text().strip()
    bullet_box, source_box = pair.locator("td.bullet").bounding_box(), pair.locator("td.cited").bounding_box()
    assert abs(bullet_box["y"] - source_box["y"]) < 5 and source_box["x"] > bullet_box["x"] + 100
    _shot(page, "review.png")
    card.locator('input[name="reviewer"]').fill("Test Editor")
    card.locator('button[value="approve"]').click()
    page.wait_for_selector(".ok[role=status]")
    assert site["store"].get_summary(sid).status == "approved"
    page.goto(site["url"] + "/review?status=approved")  # still signed in, name remembered
    assert page.locator(f'article[id="{sid}"] input[name="reviewer"]').input_value() == "Test Editor"
    page.goto(site["url"] + "/stories/" + site["story"].id)
    assert page.locator(".summary-box .badge").inner_text() == "Reviewed"
    assert "approved" in page.locator(f"article[id=\"{sid}\"] .status").inner_text().lower()

"""End-to-end in headless Chromium: the seed story, its timeline and summary, cross-lingual search,
and an editor approving a summary with the token. Screenshots go to artifacts/ (paths printed for the
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
    store.index_search_vectors(config=cfg)
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
           "seed_ids": seed_ids}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        exe = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1200, "height": 900})
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
    story = site["story"]
    page.goto(site["url"] + "/")
    page.click(f'a[href="/stories/{story.id}"]')
    page.wait_for_url(f"**/stories/{story.id}")
    assert page.locator("h1").inner_text() == story.title
    bullets = page.locator(".summary .bullets li")
    assert bullets.count() >= 1
    assert bullets.first.inner_text().split(" [")[0] in {b.text for b in site["summary"].bullets}
    entries = page.locator("details.tl-entry")
    if site["store"].timeline(story.id):
        assert entries.count() == len(site["store"].timeline(story.id))
        first = entries.first
        first.locator("summary").focus()
        page.keyboard.press("Enter")  # keyboard activation reveals the source sentences
        assert first.get_attribute("open") is not None
        link = first.locator(".sources a").first
        assert link.is_visible() and link.get_attribute("href").startswith("/articles/")
    _shot(page, "story.png")
    if os.environ.get("STORYLINE_UPDATE_SCREENSHOT"):  # refresh the README's picture (first screenful)
        docs = REPO / "docs" / "screenshot-story.png"
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(docs))
        print(f"screenshot: {docs}")
    assert not [e for e in page.errors if "Content Security Policy" in e]


def test_english_search_finds_the_danish_seed(site, page):
    danish = site["seed_ids"]["003"]
    page.goto(site["url"] + "/search")
    page.fill("#q", "Maduro wanted to flee to Cuba but Russia talked him into staying")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")
    hrefs = page.locator(".hit h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert f"/articles/{danish}" in hrefs[:3]
    assert page.locator(f'.hit h2 a[href="/articles/{danish}"]').get_attribute("lang") == "da"
    _shot(page, "search.png")


def test_editor_approves_the_summary_with_the_token(site, page):
    sid = site["summary"].id
    page.goto(site["url"] + "/review")
    card = page.locator(f"article[id=\"{sid}\"]")
    card.locator('input[name="token"]').fill(TOKEN)
    card.locator('input[name="reviewer"]').fill("Test Editor")
    card.locator('button[value="approve"]').click()
    page.wait_for_selector(".ok")
    assert "approved" in page.locator(".ok").inner_text()
    assert site["store"].get_summary(sid).status == "approved"
    page.goto(site["url"] + "/stories/" + site["story"].id)
    assert "approved" in page.locator(f"article[id=\"{sid}\"] .status").inner_text().lower()
    _shot(page, "review.png")

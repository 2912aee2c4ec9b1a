"""Public views show ONE summary of a story (reviewed, else the newest draft, labelled); drafts stay in review."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient

from storyline.config import Config
from storyline.model import Bullet, Summary
from storyline.serve.app import create_app
from storyline.service.review import review
from storyline.store import Store


@pytest.fixture
def seeds(corpus_store, tmp_path):
    """A writable copy of the seeds + examples store and its biggest story."""
    path = tmp_path / "copy.db"
    with sqlite3.connect(corpus_store.path) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    store = Store(path)
    story = max(store.list_stories(), key=lambda s: len(s.article_ids))
    return store, story


def draft(story, text: str, lang: str = "en") -> Summary:
    aid = story.article_ids[0]
    return Summary(id="", target_id=story.id, lang=lang, backend="llm", model="fake", created_at=None,
                   bullets=[Bullet(text=text, sources=[f"{aid}:0"])])


def summaries_on_page(html: str) -> int:
    return html.count('<article class="summary"')


def test_seed_story_page_shows_one_summary_and_the_review_queue_holds_the_drafts(seeds):
    store, story = seeds
    first = store.save_summary(draft(story, "First machine draft."))
    again = store.save_summary(draft(story, "Second machine draft."))
    assert again.id == first.id  # re-summarising replaces the story's own unreviewed draft
    assert [s.bullets[0].text for s in store.list_summaries(target_id=story.id)] == ["Second machine draft."]
    other = store.save_summary(draft(story, "Utkast på norsk.", lang="nb"))
    client = TestClient(create_app(store, Config({})))

    page = client.get(f"/stories/{story.id}").text
    assert summaries_on_page(page) == 1 and "status-draft" in page
    assert "has not been checked" in page or "ikke kontrollert" in page  # the draft is labelled unreviewed

    review(store, other.id, "approve", "Editor")
    store.save_summary(draft(story, "A newer draft after review."))
    page = client.get(f"/stories/{story.id}").text
    assert summaries_on_page(page) == 1
    assert "Utkast på norsk." in page and "A newer draft after review." not in page
    api = client.get(f"/api/stories/{story.id}").json()
    assert api["summary"]["id"] == other.id and api["summary"]["reviewed"] is True
    assert [s["id"] for s in api["summaries"]] == [other.id]
    queue = client.get("/review?status=draft").text
    assert "A newer draft after review." in queue


def test_export_shows_the_reviewed_summary_only(seeds):
    from storyline.explain.export import export

    store, story = seeds
    store.save_summary(draft(story, "Unreviewed draft text."))
    approved = store.save_summary(draft(story, "Godkjent tekst.", lang="nb"))
    review(store, approved.id, "approve", "Editor")
    out = export(store, story.id, "markdown", config=Config({}))
    assert "Godkjent tekst." in out and "Unreviewed draft text." not in out

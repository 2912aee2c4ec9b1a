"""Export of a story as markdown / HTML / JSON: content, source links, review label, hostile text escaped."""

from __future__ import annotations

import json

import pytest
from summary_fixtures import fixture_articles, make_story

from storyline.config import Config
from storyline.explain.export import ExportError, export, md_escape
from storyline.explain.summaries.generate import summarize_target
from storyline.model import article_from_text
from storyline.service.review import review
from storyline.store import Store

HOSTILE = ("Lokale medier melder at <script>alert('xss')</script> brua over elva i Elvestad er stengt i dag.\n\n"
           "Kommunen sier at [klikk her](javascript:alert(1)) er en god kilde for mer informasjon om saken.\n\n"
           "Ordføreren lover at en ny bru skal stå ferdig innen tre år, <img src=x onerror=alert(2)> sier hun.")


@pytest.fixture
def story_store(tmp_path):
    store = Store(tmp_path / "x.db")
    if not hasattr(store, "save_assignment"):
        pytest.skip("stories store not available")
    arts = fixture_articles()
    arts.append(article_from_text(HOSTILE, id="a-hostile", lang="nb", title="<b>Brua</b> <script>x()</script>",
                                  published="2024-03-07", published_precision="day"))
    arts[1].url = "https://example.org/bridge"
    arts[2].url = "javascript:alert(3)"
    make_story(store, arts)
    return store


def test_html_export_escapes_article_text(story_store):
    cfg = Config({})
    s = summarize_target(story_store, "s-bridge", cfg)
    review(story_store, s.id, "edit", "Kari <Redaktør>", bullets=[
        {"text": "<script>alert('bullet')</script> Brua er stengt.", "sources": ["a-hostile:0"]}])
    html = export(story_store, "s-bridge", "html", config=cfg)
    assert "<script" not in html.lower() and "&lt;script&gt;" in html
    assert "<img" not in html and 'href="javascript:' not in html
    assert 'href="https://example.org/bridge"' in html
    assert "Content-Security-Policy" in html
    assert "redigert og kontrollert av Kari &lt;Redaktør&gt;" in html


def test_markdown_export_has_summary_label_sources_and_escapes(story_store):
    cfg = Config({})
    s = summarize_target(story_store, "s-bridge", cfg)
    review(story_store, s.id, "approve", "Kari Nordmann")
    md = export(story_store, "s-bridge", "markdown", config=cfg)
    assert md.startswith("# Brua i Elvestad stenges")
    assert "Automatisk uttrekk fra kildene, kontrollert av Kari Nordmann." in md
    for b in s.bullets:
        assert md_escape(b.text) in md
    assert "## Kilder" in md and "<https://example.org/bridge>" in md
    assert "](javascript:" not in md and "\\<script\\>" in md
    assert "2024-03-05 – 2024-03-07" in md


def test_json_export_links_every_bullet_to_real_sentences(story_store):
    doc = json.loads(export(story_store, "s-bridge", "json", config=Config({})))
    assert doc["kind"] == "story" and doc["title"] == "Brua i Elvestad stenges"
    assert doc["summary"]["status"] == "draft" and doc["summary"]["saved"] is False  # made on the fly
    arts = {a.id: a for a in story_store.iter_articles()}
    refs = {s["ref"]: s["article_id"] for s in doc["sources"]}
    for b in doc["summary"]["bullets"]:
        assert b["sources"]
        for src in b["sources"]:
            assert src["sentence"] in arts[src["article_id"]].text and refs[src["ref"]] == src["article_id"]
    assert [s["url"] for s in doc["sources"]].count(None) == 2  # the javascript: URL is not kept as a link


def test_export_errors(story_store):
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export(story_store, "s-bridge", "pdf")
    with pytest.raises(Exception, match="story s-nope not found"):
        export(story_store, "s-nope", "markdown")

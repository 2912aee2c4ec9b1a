"""The service layer the CLI, API and web UI share: merged story ids answer with the survivor in all
three shells, one review use case (with its compare-and-set write), one ingest-and-analyse."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app as cli_app
from storyline.config import Config
from storyline.explain.review import ReviewError, SummaryNotFound, apply_review
from storyline.serve.app import create_app
from storyline.service import review as review_service
from storyline.service.stories import find_story, story_view
from tests.serve_helpers import STORY_ID, SUMMARY_ID, TOKEN, build_small_store

MERGED = "s-ferry-old"


@pytest.fixture
def merged_store(tmp_path):
    """The small store plus a story id that clustering merged into the ferry story."""
    store = build_small_store(tmp_path / "m.db")
    store.record_history(MERGED, "merged_into", "online merge", level="story", into=STORY_ID)
    return store


def test_find_story_follows_a_merged_id_and_says_so(merged_store):
    ref = find_story(merged_store, MERGED)
    assert ref is not None and ref.story.id == STORY_ID and ref.merged_from == MERGED
    direct = find_story(merged_store, STORY_ID)
    assert direct is not None and direct.merged_from is None
    assert find_story(merged_store, "s-never-was") is None
    view = story_view(merged_store, MERGED)
    assert view is not None and [e.id for e in view.events] == ["e-ferrystrike"]
    assert view.summary is not None and view.summary.id == SUMMARY_ID


def test_web_redirects_a_merged_story_to_the_survivor(merged_store):
    c = TestClient(create_app(merged_store, Config({})))
    r = c.get(f"/stories/{MERGED}", params={"tpage": 2}, follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == f"/stories/{STORY_ID}?tpage=2"
    page = c.get(f"/stories/{MERGED}")
    assert page.status_code == 200 and "Ferry strike strands commuters" in page.text
    assert c.get("/stories/s-never-was", follow_redirects=False).status_code == 404


def test_api_answers_a_merged_story_with_the_survivor(merged_store):
    c = TestClient(create_app(merged_store, Config({})))
    doc = c.get(f"/api/stories/{MERGED}").json()
    assert doc["id"] == STORY_ID and doc["merged_from"] == MERGED
    assert doc["events"][0]["id"] == "e-ferrystrike" and doc["summary"]["id"] == SUMMARY_ID
    assert c.get(f"/api/stories/{STORY_ID}").json()["merged_from"] is None
    tl = c.get(f"/api/stories/{MERGED}/timeline").json()
    assert tl["story_id"] == STORY_ID and tl["merged_from"] == MERGED
    assert c.get("/api/stories/s-never-was").status_code == 404


def test_cli_shows_the_survivor_of_a_merged_story(merged_store):
    runner = CliRunner()
    db = str(merged_store.path)
    res = runner.invoke(cli_app, ["--db", db, "story", MERGED, "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["id"] == STORY_ID and doc["merged_from"] == MERGED
    text = runner.invoke(cli_app, ["--db", db, "story", MERGED], catch_exceptions=False)
    assert text.exit_code == 0 and f"{MERGED} was merged into {STORY_ID}" in text.output
    events = runner.invoke(cli_app, ["--db", db, "events", "--story", MERGED, "--json"], catch_exceptions=False)
    assert events.exit_code == 0 and [e["id"] for e in json.loads(events.stdout)] == ["e-ferrystrike"]
    assert runner.invoke(cli_app, ["--db", db, "story", "s-never-was"]).exit_code == 1


def test_review_keeps_sources_of_plain_text_bullets_and_refuses_a_lost_race(tmp_path):
    store = build_small_store(tmp_path / "r.db")
    edited = review_service.review(store, SUMMARY_ID, "edit", "Ed", ["Ferry staff struck on Monday.", "  "])
    assert edited.status == "edited" and edited.bullets[0].sources == ["a-en-ferry-strike:0"]
    assert len(edited.bullets) == 1 and store.summary_history(SUMMARY_ID)[0]["action"] == "edit"
    with pytest.raises(SummaryNotFound):
        review_service.review(store, "m-nope", "approve", "Ed")
    with pytest.raises(ReviewError, match="unknown sentence"):
        review_service.review(store, SUMMARY_ID, "edit", "Ed", [{"text": "x", "sources": ["a-en-ferry-strike:999"]}])
    # a second editor who read the summary before the first one acted loses: nothing is written
    stale = store.get_summary(SUMMARY_ID)
    stale.status = "draft"
    review_service.review(store, SUMMARY_ID, "reject", "Kari")
    new, event = apply_review(stale, "approve", "Per")
    assert store.record_review(new, event, expected_status="draft") is False
    assert store.get_summary(SUMMARY_ID).status == "rejected"
    assert [h["action"] for h in store.summary_history(SUMMARY_ID)] == ["edit", "reject"]


def test_api_and_web_review_go_through_the_same_rules(tmp_path):
    store = build_small_store(tmp_path / "w.db")
    c = TestClient(create_app(store, Config({}), token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = c.post(f"/api/summaries/{SUMMARY_ID}/review", json={"action": "reject", "reviewer": "Ed"}, headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    form = {"action": "approve", "reviewer": "Ed", "token": TOKEN}
    assert c.post(f"/review/{SUMMARY_ID}", data=form, follow_redirects=False).status_code == 409


def test_export_and_search_follow_a_merged_story(merged_store):
    from storyline.service.export import export
    from storyline.service.search import search

    done = export(merged_store, MERGED, "json")
    assert done.target_id == STORY_ID and done.merged_from == MERGED
    assert json.loads(done.text)["id"] == STORY_ID
    hits = search(merged_store, "ferry strike", story=MERGED, mode="bm25")
    assert hits and {h.article_id for h in hits} <= {"a-en-ferry-strike", "a-nb-fergestreik"}


def test_ingest_and_analyse_leaves_steps_pending_without_analysis(tmp_path):
    from storyline.pipeline import pending_counts
    from storyline.service.ingest import ingest_and_analyse
    from storyline.store import Store
    from tests.serve_helpers import FIXTURES

    store = Store(tmp_path / "i.db")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    outcome = ingest_and_analyse(store, [str(FIXTURES / "en-ferry-strike.txt"), str(bad)], Config({}),
                                 analyse=False)
    assert len(outcome.report.new) == 1 and outcome.analysis == {}
    assert not outcome.ok and "empty.txt" in outcome.to_dict()["failures"][0]["input"]
    assert set(pending_counts(store, Config({})).values()) == {1}  # every configured step still to run


def test_timeline_quotes_and_event_list_follow_a_merged_story(merged_store):
    runner = CliRunner()
    db = str(merged_store.path)
    res = runner.invoke(cli_app, ["--db", db, "timeline", MERGED, "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert f"{MERGED} was merged into {STORY_ID}" in res.stderr
    # the small store holds no quotes: exit 1 for an empty filtered list, but the story was found
    res = runner.invoke(cli_app, ["--db", db, "quotes", "--story", MERGED, "--json"], catch_exceptions=False)
    assert json.loads(res.stdout)["count"] == 0 and "not found" not in res.stderr
    assert f"{MERGED} was merged into {STORY_ID}" in res.stderr
    doc = TestClient(create_app(merged_store, Config({}))).get("/api/events", params={"story_id": MERGED}).json()
    assert [e["id"] for e in doc["items"]] == ["e-ferrystrike"] and doc["merged_from"] == MERGED


def test_ingest_and_analyse_runs_a_preparer_over_the_new_articles_before_the_steps(tmp_path):
    from storyline.service.ingest import ingest_and_analyse
    from storyline.store import Store
    from tests.serve_helpers import FIXTURES

    store = Store(tmp_path / "p.db")
    seen: list[tuple[list[str], int]] = []

    def prepare(st, ids, config):
        seen.append((ids, len(st.analysis_pending("entities"))))
        return {"prepared": {"articles": len(ids)}}

    cfg = Config({"pipeline": {"steps": ["entities"]}})
    outcome = ingest_and_analyse(store, [str(FIXTURES / "nb-fergestreik.txt")], cfg, prepare=prepare)
    assert seen == [(outcome.report.new, 1)]  # ran after ingest, before the steps
    assert outcome.analysis["prepared"] == {"articles": 1} and "entities" in outcome.analysis
    assert store.analysis_pending("entities") == []

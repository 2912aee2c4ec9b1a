"""The seeds, ingested together, through ingest -> entities -> cluster: events and one story.

Seeds 000 (nb) and 002 (en) report the same happening (Maduro breaking relations with the US) and have
no publication date; 001, 003 and 004 are other events of the same Venezuela story.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import GOLD, SEEDS


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.pipeline import run_pipeline
    from storyline.store import Store

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    store = Store(db)
    cfg = Config({})
    report = ingest(store, [str(SEEDS)], config=cfg)
    steps = ["entities", "cluster"]
    reports = run_pipeline(store, report.new, cfg, steps=steps)
    ids = {Path(a.source).name[:3]: a.id for a in store.iter_articles()}
    return store, ids, reports, db


def test_seed_events_and_one_story(seed_store):
    store, ids, reports, _ = seed_store
    assert reports["cluster"]["articles"] == 5
    by_event: dict[str, set[str]] = {}
    for prefix, aid in ids.items():
        by_event.setdefault(store.event_of_article(aid).id, set()).add(prefix)
    assert sorted(map(sorted, by_event.values())) == [["000", "002"], ["001"], ["003"], ["004"]]
    gold = [json.loads(x) for x in (GOLD / "seeds-clustering.jsonl").read_text(encoding="utf-8").splitlines()]
    gold_events: dict[str, set[str]] = {}
    for row in gold:
        gold_events.setdefault(row["event"], set()).add(row["ref"][:3])
    assert sorted(map(sorted, gold_events.values())) == sorted(map(sorted, by_event.values()))
    stories = store.list_stories()
    assert len(stories) == 1
    assert sorted(stories[0].article_ids) == sorted(ids.values())
    assert set(stories[0].languages) == {"nb", "da", "en"}


def test_undated_seeds_get_their_events_inferred_date_window(seed_store):
    store, ids, _, _ = seed_store
    for prefix in ("000", "002"):
        window = store.article_date_window(ids[prefix])
        if window is not None:  # their event holds only undated articles: nothing to infer from
            assert window[2] is True
    start, end, inferred = store.article_date_window(ids["001"])
    assert start.startswith("2019-02") and inferred is False


def test_labels_name_the_story(seed_store):
    store, _, _, _ = seed_store
    story = store.list_stories()[0]
    assert any("Maduro" in e or "Venezuela" in e for e in story.top_entities), story.top_entities
    assert story.start.startswith("2019") and story.end.startswith("2025")
    for ev in store.list_events():
        assert ev.title and ev.id.startswith("e-") and ev.story_id == story.id


def test_cli_json_and_history(seed_store):
    from storyline.cli import app

    store, ids, _, db = seed_store
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(db), "stories", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc) == 1 and set(doc[0]) >= {"id", "title", "article_ids", "event_ids", "languages", "start",
                                             "end", "top_entities"}
    sid = doc[0]["id"]
    res = runner.invoke(app, ["--db", str(db), "events", "--story", sid, "--json"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 4
    res = runner.invoke(app, ["--db", str(db), "story", ids["002"], "--history", "--json"])
    assert res.exit_code == 0
    story = json.loads(res.stdout)
    assert story["id"] == sid and any(h["action"] == "created" for h in story["history"])
    res = runner.invoke(app, ["--db", str(db), "story", "s-doesnotexist"])
    assert res.exit_code == 1 and "no such story" in res.output
    res = runner.invoke(app, ["--db", str(db), "events", "--story", "s-nope"])
    assert res.exit_code == 1
    res = runner.invoke(app, ["--db", str(db), "stories"])
    assert res.exit_code == 0 and sid in res.stdout


def test_recluster_reports_nothing_moved_and_keeps_ids(seed_store):
    from storyline.cli import app

    store, ids, _, db = seed_store
    before = store.cluster_assignments()
    res = CliRunner().invoke(app, ["--db", str(db), "recluster", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["articles"] == 5 and report["moved"] == [] and report["merged"] == []
    from storyline.store import Store

    assert Store(db).cluster_assignments() == before


def test_recluster_stories_consolidates_in_place_and_keeps_the_story(seed_store):
    from storyline.cli import app

    store, ids, _, db = seed_store
    res = CliRunner().invoke(app, ["--db", str(db), "recluster", "--stories", "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["stories_before"] == report["stories"] == 1 and report["split"] == []
    from storyline.store import Store

    stories = Store(db).list_stories()
    assert len(stories) == 1 and ":" in stories[0].title  # "key entities: what it is about"
    assert not any(stories[0].title.startswith((store.get_article(a).title or "")[:30] or "\0") for a in ids.values())

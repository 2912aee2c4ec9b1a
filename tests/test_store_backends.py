"""Whole-store behaviour on both backends: `db copy` round trips, `db migrate`, the analysis pipeline
giving the same result, and concurrent writers (two ingest processes; an upload during an ingest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store import open_store
from storyline.store.copy import table_figures

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def _cli(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-c", "from storyline.cli import main; main()", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_db_copy_round_trips_the_analysed_corpus_sqlite_postgres_sqlite(corpus_store, pg_url, tmp_path):
    runner = CliRunner()
    back = tmp_path / "back.db"
    first = runner.invoke(app, ["db", "copy", "--from", str(corpus_store.path), "--to", pg_url, "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["identical"] and report["tables"]["articles"]["source"]["rows"] == corpus_store.count_articles()
    second = runner.invoke(app, ["db", "copy", "--from", pg_url, "--to", str(back), "--json"])
    assert second.exit_code == 0, second.output
    original, via_pg = table_figures(corpus_store), table_figures(open_store(back))
    assert original == via_pg and original["entity_mentions"].rows > 0 and original["quote_quotes"].rows > 0
    # the copies answer like the original: text search (FTS rebuilt) and stories
    pg = open_store(pg_url)
    assert sorted(pg.text_search(["venezuela"], 50)) == sorted(corpus_store.text_search(["venezuela"], 50))
    assert [s.article_ids for s in pg.list_stories()] == [s.article_ids for s in corpus_store.list_stories()]
    # new rows after a copy get fresh keys (sequences moved past the copied ids)
    assert pg.add_correction("rename", "a", "b") > max(c["id"] for c in corpus_store.list_corrections() or [{"id": 0}])
    # a non-empty destination is refused unless told
    again = runner.invoke(app, ["db", "copy", "--from", str(corpus_store.path), "--to", str(back)])
    assert again.exit_code == 1 and "not empty" in again.output
    replaced = runner.invoke(app, ["db", "copy", "--from", str(corpus_store.path), "--to", str(back), "--replace"])
    assert replaced.exit_code == 0 and "identical on both sides" in replaced.output


def test_db_migrate_upgrades_in_place_and_prints_versions(store_target):
    runner = CliRunner()
    missing = runner.invoke(app, ["db", "migrate", "--db", str(Path(store_target).with_name("nope.db"))]
                            if not store_target.startswith("postgresql") else ["db", "migrate", "--db",
                                                                               store_target + "_nope"])
    assert missing.exit_code in (1, 2)
    open_store(store_target).close()
    with open_store(store_target).transaction() as tx:  # pretend the store predates quotes v1
        tx.execute("DELETE FROM schema_migrations WHERE component = ?", ("quotes",))
        tx.execute("DROP TABLE quote_quotes")
    res = runner.invoke(app, ["db", "migrate", "--db", store_target, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["before"].get("quotes", 0) == 0 and out["after"]["quotes"] == 1
    assert out["applied"] == [{"component": "quotes", "version": 1}]
    again = runner.invoke(app, ["db", "migrate", "--db", store_target])
    assert again.exit_code == 0 and "Already up to date" in again.output


def _facts(store) -> dict:
    """What a reader sees: stories, events, entities and quotes (ids, members, names, speakers)."""
    return {
        "stories": sorted((s.id, s.title, tuple(s.article_ids)) for s in store.list_stories()),
        "events": sorted((e.id, e.title, tuple(e.article_ids)) for e in store.list_events()),
        "entities": sorted((e.id, e.name, e.type, e.mention_count) for e in store.list_entities()),
        "quotes": sorted((q.id, q.speaker or "", q.text) for q in store.list_quotes()),
    }


def test_the_pipeline_gives_the_same_stories_entities_and_quotes_on_both_backends(tmp_path, pg_url):
    """`storyline ingest` (with analysis) of the same articles into each backend, each in its own
    process (as `storyline demo --db …` runs), reads back the same stories, events, entities, quotes."""
    inputs = [str(p) for p in sorted(EXAMPLES.glob("*-2019-*"))[:4]]  # 4 articles, 3 languages
    targets = [str(tmp_path / "same.db"), pg_url]
    procs = [_cli("--db", target, "ingest", "--json", *inputs) for target in targets]
    for p in procs:
        _out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
    facts = []
    for target in targets:
        store = open_store(target)
        assert store.analysis_status()["unfinished"] == 0
        facts.append(_facts(store))
    assert facts[0]["entities"] and facts[0]["stories"] and facts[0]["quotes"]
    assert facts[0] == facts[1]


def _example_files() -> list[str]:
    return sorted(str(p) for p in EXAMPLES.iterdir() if p.is_file() and p.name != "README.md")


def _assert_consistent(store, expected_ids: set[str]) -> None:
    ids = store.article_ids(include_duplicates=True)
    assert len(ids) == len(set(ids)) and set(ids) == expected_ids  # nothing lost, nothing twice
    originals = set(store.article_ids())
    for art in store.iter_articles(include_duplicates=True):
        if art.duplicate_of:
            assert art.duplicate_of in originals  # a near-duplicate points at a stored original
    assert sorted(store.analysis_pending("entities")) == sorted(ids)  # every article queued once
    assert store.text_term_count("venezuela", 10_000) >= 1


def test_two_ingest_processes_at_once_lose_nothing_and_store_no_duplicate(store_target, tmp_path):
    files = _example_files()
    ref = open_store(tmp_path / "reference.db")
    from storyline.config import Config
    from storyline.ingest import ingest

    ingest(ref, files, config=Config({}))
    expected = set(ref.article_ids(include_duplicates=True))
    open_store(store_target).close()  # schema created once, so both processes only write articles
    half = len(files) // 3
    first, second = files[:2 * half], files[half:]  # overlapping thirds
    procs = [_cli("--db", store_target, "ingest", "--no-analyze", "--json", *chunk) for chunk in (first, second)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-2000:]
    reports = [json.loads(out) for out, _ in outs]
    stored_by = [set(r["new"]) | {d["id"] for d in r["duplicates"]} for r in reports]
    assert not stored_by[0] & stored_by[1]  # the overlap was stored by one process only
    _assert_consistent(open_store(store_target), expected)


def test_an_upload_through_the_api_while_the_cli_ingests(store_target):
    from fastapi.testclient import TestClient

    from storyline.config import Config
    from storyline.serve.app import create_app

    store = open_store(store_target)
    client = TestClient(create_app(store, Config({}), token="t0ken"))
    proc = _cli("--db", store_target, "ingest", "--no-analyze", "--json", *_example_files())
    uploaded = []
    deadline = time.time() + 120
    for i in range(4):
        text = (f"Dock workers in harbour number {i} stopped the cranes on Friday during the strike.\n\n"
                f"The port authority of harbour {i} said ships would wait until Monday.\n")
        r = client.post("/api/ingest/files", params={"analyze": False},
                        files={"files": (f"dock-{i}.txt", text.encode())}, headers={"Authorization": "Bearer t0ken"})
        assert r.status_code == 200, r.text
        uploaded += r.json()["new"]
        assert time.time() < deadline
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-2000:]
    cli_ids = set(json.loads(out)["new"]) | {d["id"] for d in json.loads(out)["duplicates"]}
    assert len(uploaded) == 4
    fresh = open_store(store_target)
    stored = set(fresh.article_ids(include_duplicates=True))
    assert set(uploaded) <= stored and cli_ids <= stored
    assert len(stored) == len(cli_ids) + 4
    _assert_consistent(fresh, stored)


@pytest.mark.parametrize("bad", ["postgresql://postgres@127.0.0.1:1/x"])
def test_the_cli_reports_an_unreachable_server_clearly(bad):
    res = CliRunner().invoke(app, ["--db", bad, "articles"])
    assert res.exit_code == 2 and "cannot reach the PostgreSQL server" in res.output

"""`storyline search` and `storyline eval search` on a small store."""

from __future__ import annotations

import json

import pytest
from serve_helpers import build_small_store
from typer.testing import CliRunner

from storyline.cli import app


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "s.db"
    build_small_store(path).close()
    return path


runner = CliRunner()


def test_search_json_lists_hits(db):
    r = runner.invoke(app, ["--db", str(db), "search", "volcano eruption Iceland", "--json", "--limit", "2"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["hits"][0]["article_id"] == "a-da-vulkan"
    assert set(doc["hits"][0]) >= {"article_id", "title", "lang", "published", "score", "snippet"}


def test_search_human_output_and_usage_errors(db):
    r = runner.invoke(app, ["--db", str(db), "search", "ferry strike", "--lang", "en", "--limit", "1"])
    assert r.exit_code == 0 and "Ferry workers" in r.stdout
    r = runner.invoke(app, ["--db", str(db), "search", "ferry", "--since", "soon"])
    assert r.exit_code == 2 and "since: 'soon' is not a date" in r.output


def test_eval_search_prints_mrr_and_recall(db, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(x) for x in [
        {"query": "volcano eruption Iceland", "lang": "en", "refs": ["da-vulkan.txt"]},
        {"query": "Fergestreik", "lang": "nb", "relevant": ["a-nb-fergestreik", "en-ferry-strike.txt"]},
        {"query": "not stored", "refs": ["missing.txt"]},
    ]) + "\n")
    r = runner.invoke(app, ["--db", str(db), "eval", "search", "--gold", str(gold), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["evaluated"] == 2 and doc["unresolved"] == ["missing.txt"]
    assert doc["modes"]["hybrid"]["mrr"] >= 0.75 and doc["modes"]["hybrid"]["recall"] == 1.0
    assert doc["modes"]["bm25"]["per_query"][0]["rr"] == 0.0  # no shared word across languages
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"query": "x"}\nnot json\n')
    r = runner.invoke(app, ["--db", str(db), "eval", "search", "--gold", str(bad)])
    assert r.exit_code == 2 and "bad.jsonl:1" in r.output


def test_search_nonsense_says_no_results_and_exits_1(db):
    r = runner.invoke(app, ["--db", str(db), "search", "zzzxxq"])
    assert r.exit_code == 1 and "No results" in r.stdout
    r = runner.invoke(app, ["--db", str(db), "search", "ferry strike", "--limit", "1"])
    assert "bm25" not in r.stdout and "dense" not in r.stdout  # ranking internals only in --json

"""The CLI contract: exit codes, JSON documents, and the demo from the README."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from tests.conftest import EXAMPLES, SEEDS, seed_path

runner = CliRunner()

LIST_KEYS = {"id", "source", "title", "lang", "lang_confidence", "published", "published_precision",
             "published_origin", "chars", "duplicate_of"}


def _run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_ingest_json_then_articles_and_show(tmp_path):
    db = str(tmp_path / "cli.db")
    res = _run("--db", db, "ingest", str(SEEDS), "--no-analyze", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert len(report["new"]) == 5 and report["failures"] == []

    res = _run("--db", db, "articles", "--json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)["articles"]
    assert len(rows) == 5 and all(set(r) >= LIST_KEYS for r in rows)
    by_seed = {r["source"].rsplit("/", 1)[-1][:3]: r for r in rows}
    assert by_seed["004"]["published"] == "2025-12-03T09:00"
    assert by_seed["001"]["published"] == "2019-02" and by_seed["001"]["published_precision"] == "month"
    assert by_seed["000"]["published"] is None

    res = _run("--db", db, "show", by_seed["004"]["id"], "--json")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert {"text", "paragraphs", "provided_summary"} <= set(doc)
    assert doc["provided_summary"]["bullets"] and all({"text", "lang"} <= set(p) for p in doc["paragraphs"])

    # re-ingesting the same input adds nothing
    again = json.loads(_run("--db", db, "ingest", str(SEEDS), "--no-analyze", "--json").stdout)
    assert again["new"] == [] and len(again["unchanged"]) == 5


def test_ingest_exit_codes_name_the_bad_input(tmp_path):
    db = str(tmp_path / "cli.db")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = _run("--db", db, "ingest", str(empty), str(seed_path("003")), "--no-analyze")
    assert res.exit_code == 1
    assert "empty.txt" in res.output
    assert json.loads(_run("--db", db, "articles", "--json").stdout)["count"] == 1  # the good one is kept

    res = runner.invoke(app, ["--db", db, "ingest"])
    assert res.exit_code == 2
    res = _run("--db", db, "show", "a-000000000000")
    assert res.exit_code == 1


def test_ingest_analyses_new_articles_online(tmp_path):
    db = str(tmp_path / "cli.db")
    res = _run("--db", db, "ingest", str(seed_path("000")), str(seed_path("002")), "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {"entities", "quotes", "cluster"} <= set(doc["analysis"])
    stories = json.loads(_run("--db", db, "stories", "--json").stdout)
    stories = stories["stories"] if isinstance(stories, dict) else stories
    assert len(stories) == 1 and len(stories[0]["article_ids"]) == 2


@pytest.mark.slow
def test_demo_runs_on_the_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    res = _run("demo", "--db", str(tmp_path / "demo.db"))
    assert res.exit_code == 0, res.output
    out = res.output
    for section in ("Articles", "Entities", "Quotes", "Stories and events", "Timeline", "Summary"):
        assert section in out
    assert "Nicolás Maduro" in out and " 0 failed" in out
    status = _run("status", "--json", "--db", str(tmp_path / "demo.db"))
    doc = json.loads(status.stdout)
    assert doc["unfinished"] == 0, doc  # the near-duplicate in the examples is analysed too


def test_config_prints_valid_toml_of_every_section(tmp_path, monkeypatch):
    import tomllib

    cfg = tmp_path / "storyline.toml"
    cfg.write_text("[cluster]\nevent_threshold = 0.61\n", encoding="utf-8")
    res = _run("--config", str(cfg), "config")
    assert res.exit_code == 0, res.output
    parsed = tomllib.loads(res.stdout)
    assert parsed["cluster"]["event_threshold"] == 0.61
    assert {"ingest", "embeddings", "entities", "quotes", "cluster", "timeline", "summaries"} <= set(parsed)
    cfg.write_text("[clusterr]\nx = 1\n", encoding="utf-8")
    res = runner.invoke(app, ["--config", str(cfg), "config"])
    assert res.exit_code == 2 and "clusterr" in res.output


def test_a_failing_analysis_step_keeps_the_articles_and_the_other_steps(tmp_path, monkeypatch):
    import storyline.pipeline as pipeline

    real = pipeline.load_step

    def load_step(name):
        if name == "quotes":
            def broken(store, ids, config, progress=None):
                raise RuntimeError("quote model exploded")
            return broken
        return real(name)

    monkeypatch.setattr(pipeline, "load_step", load_step)
    db = str(tmp_path / "cli.db")
    res = runner.invoke(app, ["--db", db, "ingest", str(seed_path("003")), "--json"])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert len(doc["new"]) == 1
    assert "quote model exploded" in doc["analysis"]["quotes"]["error"]
    assert "error" not in doc["analysis"]["cluster"] and "error" not in doc["analysis"]["entities"]
    stories = json.loads(_run("--db", db, "stories", "--json").stdout)
    stories = stories["stories"] if isinstance(stories, dict) else stories
    assert len(stories) == 1

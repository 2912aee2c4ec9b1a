"""CLI: summarize, review list/show/approve/edit/reject, export; exit codes and JSON output."""

from __future__ import annotations

import json

import pytest
from summary_fixtures import fixture_articles, make_story
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store import Store

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    store = Store(path)
    if not hasattr(store, "save_assignment"):
        pytest.skip("stories store not available")
    make_story(store, fixture_articles())
    store.close()
    return str(path)


def run(db: str, *args: str, input: str | None = None):
    return runner.invoke(app, ["--db", db, *args], input=input, env={"STORYLINE_REVIEWER": ""})


def test_summarize_review_and_export_flow(db, tmp_path):
    r = run(db, "summarize", "s-bridge", "--lang", "nb", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["lang"] == "nb"
    sid = doc["id"]
    assert doc["status"] == "draft" and 3 <= len(doc["bullets"]) <= 5
    assert all(src["sentence"] for b in doc["bullets"] for src in b["sources"])

    r = run(db, "review", "approve", sid)
    assert r.exit_code == 2 and "--reviewer" in r.output  # who reviews must be said
    r = run(db, "review", "approve", sid, "--reviewer", "Kari Nordmann", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["label"].endswith("kontrollert av Kari Nordmann.")
    r = run(db, "review", "approve", sid, "--reviewer", "Per")
    assert r.exit_code == 1 and "approved by Kari Nordmann" in r.output

    r = run(db, "review", "edit", sid, "--reviewer", "Per", "--set", "1=Brua er stengt.", "--drop", "2",
            "--note", "kortere", "--json")
    assert r.exit_code == 0, r.output
    edited = json.loads(r.stdout)
    assert edited["status"] == "edited" and edited["bullets"][0]["text"] == "Brua er stengt."
    assert len(edited["bullets"]) == len(doc["bullets"]) - 1
    r = run(db, "review", "show", sid, "--json")
    hist = json.loads(r.stdout)["history"]
    assert [h["action"] for h in hist] == ["approve", "edit"] and hist[1]["note"] == "kortere"
    assert hist[1]["previous_bullets"][0]["text"] == doc["bullets"][0]["text"]

    # regenerating leaves the reviewed summary alone and adds a draft beside it
    r = run(db, "summarize", "s-bridge", "--json")
    assert json.loads(r.stdout)["id"] != sid
    r = run(db, "review", "list", "--target", "s-bridge", "--json")
    assert sorted(s["status"] for s in json.loads(r.stdout)) == ["draft", "edited"]

    out = tmp_path / "story.html"
    r = run(db, "export", "s-bridge", "--format", "html", "-o", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "Brua er stengt." in html and "redigert og kontrollert av Per" in html  # the reviewed one is shown
    r = run(db, "export", "s-bridge", "--format", "markdown")
    assert r.exit_code == 0 and r.stdout.startswith("# Brua i Elvestad stenges")


def test_edit_from_json_file_and_invalid_sources(db, tmp_path):
    sid = json.loads(run(db, "summarize", "a-bridge-en", "--json").stdout)["id"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "Made up.", "sources": ["a-bridge-en:999"]}]), encoding="utf-8")
    r = run(db, "review", "edit", sid, "-r", "Per", "--bullets-json", str(bad))
    assert r.exit_code == 1 and "unknown sentence" in r.output
    r = run(db, "review", "edit", sid, "-r", "Per", "--bullets-json", "-",
            input=json.dumps({"bullets": [{"text": "The bridge is shut.", "sources": ["a-bridge-en:0"]}]}))
    assert r.exit_code == 0, r.output
    r = run(db, "review", "edit", sid, "-r", "Per", "--bullets-json", str(tmp_path / "missing.json"))
    assert r.exit_code == 2 and "cannot read" in r.output
    r = run(db, "review", "reject", sid, "-r", "Ola", "--json")
    assert json.loads(r.stdout)["label"] == "This summary was rejected by Ola."


@pytest.mark.parametrize(("args", "code", "message"), [
    (["summarize", "x-1"], 2, "not an article"),
    (["summarize", "a-nope"], 1, "article a-nope not found"),
    (["summarize", "s-bridge", "--backend", "magic"], 1, "unknown summaries backend 'magic'"),
    (["review", "show", "m-nope"], 1, "summary 'm-nope' not found"),
    (["review", "list", "--status", "pending"], 2, "choose one of"),
    (["review", "edit", "m-nope", "-r", "Per"], 2, "say what to change"),
    (["export", "s-bridge", "--format", "pdf"], 2, "choose one of markdown, html, json"),
    (["export", "s-nope"], 1, "story s-nope not found"),
])
def test_errors_and_exit_codes(db, args, code, message):
    r = run(db, *args)
    assert r.exit_code == code, r.output
    assert message in r.output


def test_llm_backend_from_environment_and_endpoint_down(db):
    from fake_openai import FakeOpenAI, cite_first

    with FakeOpenAI(cite_first(3)) as srv:
        env = {"STORYLINE_SUMMARIES_BASE_URL": srv.base_url, "STORYLINE_SUMMARIES_MODEL": "fake-7b",
               "STORYLINE_SUMMARIES_BACKOFF": "0.01"}
        r = runner.invoke(app, ["--db", db, "summarize", "s-bridge", "--backend", "llm", "--lang", "en", "--json"],
                          env=env)
        assert r.exit_code == 0, r.output
        doc = json.loads(r.stdout)
        assert doc["backend"] == "llm" and doc["model"] == "fake-7b"
        assert doc["label"] == "This summary was made with AI (fake-7b) and has not been checked."
        assert all(src["sentence"] for b in doc["bullets"] for src in b["sources"])
    r = runner.invoke(app, ["--db", db, "summarize", "s-bridge", "--backend", "llm"], env=env)
    assert r.exit_code == 1 and "is not reachable" in r.output


def test_demo_section_shows_the_story_summary_with_its_label(db):
    from rich.console import Console

    from storyline.cli.explain import demo

    console = Console(record=True, width=200)
    demo(Store(db), console)
    text = console.export_text()
    from storyline.explain.review import LABELS

    assert "Brua i Elvestad stenges" in text and "s-bridge" in text
    assert any(table["extractive_draft"] in text for table in LABELS.values())


def test_bad_summaries_config_is_a_usage_error(db):
    r = runner.invoke(app, ["--db", db, "summarize", "s-bridge"], env={"STORYLINE_SUMMARIES_MAX_BULLETS": "0"})
    assert r.exit_code == 2 and "[summaries]: max_bullets = 0" in r.output
    r = runner.invoke(app, ["--db", db, "summarize", "s-bridge", "--backend", "llm"],
                      env={"STORYLINE_SUMMARIES_MODEL": ""})
    assert r.exit_code == 1 and "needs a model" in r.output

"""CLI and eval wiring for entities: JSON output, exit codes, CoNLL / CoNLL-U reading."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from storyline.cli import app
from storyline.eval.ner import evaluate, read_conll
from tests.conftest import FIXTURES

TINY = FIXTURES / "entities"


def test_read_conll_and_conllu_map_tags():
    sents = read_conll(TINY / "tiny.conll")
    assert sents[0].spans == {(1, 3, "PER"), (4, 5, "LOC")}
    u = read_conll(TINY / "tiny.conllu")
    assert u[0].spans == {(0, 2, "PER"), (3, 4, "LOC")}  # GPE_LOC -> LOC


def test_eval_scores_tiny_gold():
    res = evaluate(TINY / "tiny.conll", "nb")
    assert res["types"]["overall"]["f1"] >= 0.8  # 5 gold spans; the recogniser should find nearly all
    assert res["types"]["PER"]["gold"] == 3


def test_cli_eval_json_and_errors(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "eval", "ner", "--conll", str(TINY / "tiny.conllu"),
                            "--json"])
    assert r.exit_code == 0, r.output
    both = json.loads(r.stdout)["backends"]
    assert [b["backend"] for b in both] == ["trained", "rules"]  # side by side
    assert all(b["types"]["LOC"]["gold"] == 1 for b in both)
    r = runner.invoke(app, ["eval", "ner", "--conll", str(TINY / "tiny.conllu"), "--backend", "rules", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["types"]["PER"]["gold"] == 1
    r = runner.invoke(app, ["eval", "ner", "--conll", str(TINY / "tiny.conllu"), "--backend", "magic"])
    assert r.exit_code == 2 and "--backend" in r.output
    bad = tmp_path / "bad.conll"
    bad.write_text("justonecolumn\n", encoding="utf-8")
    r = runner.invoke(app, ["eval", "ner", "--conll", str(bad)])
    assert r.exit_code == 2 and "bad.conll:1" in r.output


def test_cli_entities_and_corrections(tmp_path):
    from storyline.analyze.entities.step import run
    from storyline.config import Config
    from storyline.model import article_from_text
    from storyline.store import Store

    db = tmp_path / "c.db"
    store = Store(db)
    art = article_from_text("Statsminister Karin Holmqvist besøkte Frankrike. Holmqvist møtte Klaus Berger i Paris.",
                            id="a-cli1", lang="nb")
    store.add_articles([art])
    run(store, [art.id], Config({}))
    runner = CliRunner()
    r = runner.invoke(app, ["--db", str(db), "entities", "--type", "PER", "--json"])
    assert r.exit_code == 0, r.output
    names = {e["name"]: e for e in json.loads(r.stdout)}
    assert "Holmqvist" in names["Karin Holmqvist"]["aliases"]
    r = runner.invoke(app, ["--db", str(db), "entity", "Holmqvist", "--why", "--json"])
    doc = json.loads(r.stdout)
    assert doc["name"] == "Karin Holmqvist" and doc["evidence"] and doc["mentions"][0]["sentence"]
    assert runner.invoke(app, ["--db", str(db), "entity", "Nobody"]).exit_code == 1
    assert runner.invoke(app, ["--db", str(db), "entities", "--type", "XYZ"]).exit_code == 2
    r = runner.invoke(app, ["--db", str(db), "entity", "rename", "Karin Holmqvist", "K. Holmqvist", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["entity"]["name"] == "K. Holmqvist"

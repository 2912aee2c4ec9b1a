"""Kill-and-resume: SIGKILL real `storyline` processes inside each analysis step, rerun, compare.

One chain of runs over one database: a kill while storing (after the first committed batch), then
reruns each killed inside a later step (entities, quotes, the embedding and assignment phases of
cluster, statements, timeline), then an uninterrupted rerun. The final store must equal a store built
in one uninterrupted run (counts, and which articles share an event and a story), and `status` must
show nothing pending. The kill points come from the `STORYLINE_FAULT_KILL` hook (`step:n`), so
each child dies at an exact, reproducible place.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.store import Store

TOPICS = {
    "bridge": ("The old steel bridge over the Glomma river in Fredrikstad collapsed on {d} after days of heavy "
               "rain, said mayor Jon Ivar Nygård.",
               "Engineers from the Norwegian Public Roads Administration inspected the remains and said {n} "
               "trucks had crossed it that morning.",
               "Nygård told reporters: \"We will rebuild the bridge within two years.\""),
    "strike": ("Nurses at Haukeland hospital in Bergen went on strike on {d} demanding higher wages, the union "
               "Norsk Sykepleierforbund said.",
               "Union leader Lill Sverresdatter Larsen said {n} nurses had joined the strike by the evening.",
               "\"We cannot accept another year without a pay rise,\" Larsen said."),
    "election": ("Voters in Chile elected Gabriel Boric as president on {d}, official results from the electoral "
                 "service showed.",
                 "Boric won {n} percent of the vote against José Antonio Kast in the runoff.",
                 "\"Today hope has beaten fear,\" Boric told supporters in Santiago."),
}
DAYS = ("2021-12-19", "2021-12-20", "2021-12-21")


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    i = 0
    for topic, (a, b, c) in TOPICS.items():
        for j, day in enumerate(DAYS):
            i += 1
            body = "\n\n".join([f"{topic.title()} report {j + 1}", day, a.format(d=day), b.format(n=10 + 7 * j), c,
                                f"Update number {j + 1} of this report."])
            (folder / f"{i:02d}_{topic}.txt").write_text(body + "\n", encoding="utf-8")


def cli(db: Path, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, STORYLINE_DB=str(db), STORYLINE_INGEST_BATCH_SIZE="3")
    env.pop("STORYLINE_FAULT_KILL", None)
    if kill_at:
        env["STORYLINE_FAULT_KILL"] = kill_at
    return subprocess.run([sys.executable, "-c", "from storyline.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=300)


def snapshot(db: Path) -> dict:
    """What an uninterrupted run and a resumed one must agree on."""
    with sqlite3.connect(db) as c:
        counts = {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "story_stories", "story_events", "quote_quotes", "entity_entities",
                            "entity_mentions", "statement_dated", "timeline_entry", "story_assignments")}
    store = Store(db)
    try:
        by_article = {a: store.get_article(a).source.rsplit("/", 1)[-1] for a in store.article_ids()}
        events = sorted(sorted(by_article[a] for a in store.story_article_ids(s.id) if a in by_article)
                        for s in store.list_stories())
        event_sets = sorted(sorted(by_article[a] for a in e.article_ids) for e in store.list_events())
        entities = sorted(e.name for e in store.list_entities())
        quotes = sorted((q.article_id and by_article.get(q.article_id), q.text) for q in store.list_quotes())
    finally:
        store.close()
    return {"counts": counts, "stories": events, "events": event_sets, "entities": entities, "quotes": quotes}


@pytest.mark.slow
def test_kill_in_every_step_then_resume_equals_uninterrupted(tmp_path):
    src = tmp_path / "in"
    write_corpus(src)
    base = tmp_path / "base.db"
    done = cli(base, "ingest", str(src), "--json")
    assert done.returncode == 0, done.stderr
    expected = snapshot(base)
    assert expected["counts"]["story_stories"] >= 2 and expected["counts"]["quote_quotes"] > 0

    db = tmp_path / "k.db"
    chain = [
        (("ingest", str(src), "--json"), "ingest:3"),  # storing: the first batch of 3 is committed
        (("ingest", str(src), "--json"), "entities:4"),  # "9 unchanged"-style rerun still analyses
        (("ingest", str(src), "--json"), "quotes:5"),
        (("analyze", "--pending", "--json"), "embed:1"),  # cluster, while embedding
        (("analyze", "--pending", "--json"), "cluster:6"),  # cluster, while assigning
        (("ingest", str(src), "--json"), "statements:2"),
        (("analyze", "--pending", "--json"), "timeline:1"),
    ]
    for args, point in chain:
        run = cli(db, *args, kill_at=point)
        assert run.returncode == -signal.SIGKILL, (point, run.returncode, run.stderr[-2000:])
        status = json.loads(cli(db, "status", "--json").stdout)
        step = point.split(":")[0]
        if step != "ingest":
            step = "cluster" if step == "embed" else step
            assert status["steps"][step]["pending"] > 0, (point, status)
        assert status["pending"] > 0, (point, status)
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    last = cli(db, "ingest", str(src), "--json")
    assert last.returncode == 0, last.stderr
    assert json.loads(last.stdout)["unchanged"]  # nothing new to store, only work to finish
    status = json.loads(cli(db, "status", "--json").stdout)
    assert status["pending"] == 0 and status["failures"] == [] and status["analysed"] == status["articles"] == 9
    assert snapshot(db) == expected


def _small_store(tmp_path, steps):
    from storyline.config import Config
    from storyline.ingest import ingest

    src = tmp_path / "in"
    write_corpus(src)
    store = Store(tmp_path / "small.db")
    config = Config({"pipeline": {"steps": steps}})
    report = ingest(store, [str(src)], config=config)
    assert len(report.new) == 9
    return store, config


def test_ingest_records_pending_and_serve_start_resumes(tmp_path):
    from storyline.cli.serve import _resume_pending

    store, config = _small_store(tmp_path, ["entities", "quotes"])
    status = store.analysis_status()
    assert status["stored"] == 9 and status["analysed"] == 0
    from typer.testing import CliRunner

    from storyline.cli import app

    told = CliRunner().invoke(app, ["--db", str(store.path), "stories"])
    assert "9 stored article(s) still await analysis" in " ".join(told.output.split())
    assert status["steps"] == {"entities": {"pending": 9, "done": 0, "failed": 0},
                               "quotes": {"pending": 9, "done": 0, "failed": 0}}
    _resume_pending(store, config)
    status = store.analysis_status()
    assert status["analysed"] == 9 and status["steps"]["quotes"] == {"pending": 0, "done": 9, "failed": 0}
    assert store.list_quotes()


def test_a_failing_step_is_recorded_with_its_reason_and_retried_by_analyze_pending(tmp_path, monkeypatch):
    from storyline import pipeline

    store, config = _small_store(tmp_path, ["entities", "quotes"])
    real = pipeline.load_step

    def broken(name):
        if name == "entities":
            def run(store, ids, config, progress=None):
                raise RuntimeError("model file missing")
            return run
        return real(name)

    monkeypatch.setattr(pipeline, "load_step", broken)
    reports = pipeline.run_pending(store, config)
    assert reports["entities"]["error"] == "RuntimeError: model file missing"
    failures = store.analysis_failures()
    assert len(failures) == 9 and failures[0]["reason"] == "RuntimeError: model file missing"
    assert store.analysis_pending("entities") == [] and len(store.analysis_pending("entities", include_failed=True)) == 9
    monkeypatch.setattr(pipeline, "load_step", real)
    assert pipeline.run_pending(store, config) == {}  # a plain resume leaves failures for analyze --pending
    again = pipeline.run_pending(store, config, retry_failed=True)
    assert again["entities"]["pending"] == 9 and again["quotes"]["pending"] == 9  # quotes redone with entities
    assert store.analysis_failures() == [] and store.analysis_status()["analysed"] == 9

"""Crash safety: SIGKILL a real `storyline ingest` child after its first batch commits, then rerun."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

WORDS = ["regjeringen", "stortinget", "budsjett", "kommune", "skatt", "forsvar", "helse", "skole", "vei", "jernbane", "strøm", "pris", "energi", "klima", "fylke", "ordfører", "minister", "avtale", "forslag", "krav", "streik", "lønn", "arbeid", "bolig", "rente"]


def _article(rng: random.Random, n: int) -> str:
    paras = []
    for _ in range(3):
        words = [rng.choice(WORDS) for _ in range(40)]
        paras.append(f"Sak {n}: " + " ".join(words).capitalize() + ".")
    return "\n\n".join(paras)


@pytest.mark.slow
def test_kill_mid_ingest_then_rerun(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rng = random.Random(7)
    total = 400
    for i in range(total):
        (src / f"{i:04d}.txt").write_text(_article(rng, i), encoding="utf-8")
    db = tmp_path / "k.db"
    env = dict(os.environ, STORYLINE_INGEST_BATCH_SIZE="20", STORYLINE_DB=str(db))
    cmd = [sys.executable, "-c", "from storyline.cli import main; main()", "ingest", str(src), "--json", "--no-analyze"]
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.time() + 90
    while time.time() < deadline and child.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as c:
                    committed = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
            if committed >= 20:
                break
        time.sleep(0.02)
    if child.poll() is not None:
        pytest.skip("ingest finished before it could be killed")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        at_kill = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert at_kill % 20 == 0 and 20 <= at_kill < total  # whole batches only
        fts = c.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
        assert fts == at_kill
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM articles").fetchone() == (total, total)
        assert c.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'stortinget'").fetchone()[0] > 0

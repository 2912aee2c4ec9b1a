"""The serve-time drain thread: uploads leave the background steps to it; it drains them (kicked, or
on its interval), its state and the queue are visible (GET /api/status), and the drained store
equals an inline run."""

from __future__ import annotations

from fastapi.testclient import TestClient

from storyline.config import Config
from storyline.pipeline import BACKGROUND_STEPS, configured_steps, run_pending
from storyline.serve.app import create_app
from storyline.service.background import BackgroundDrain
from tests.test_background import _store, _timelines

DEFER = Config({"pipeline": {"defer_background": True}})


def test_drain_thread_drains_what_ingest_left(tmp_path):
    inline = _store(tmp_path / "inline.db", Config({}))
    run_pending(inline, Config({}))

    store = _store(tmp_path / "deferred.db", DEFER)
    run_pending(store, DEFER)  # the ingest path: background steps left pending
    drain = BackgroundDrain(store, DEFER, interval=3600)
    assert drain.pending() == {s: 3 for s in BACKGROUND_STEPS}
    drain.start()
    try:
        drain.kick()
        assert drain.wait_idle(120)
        state = drain.state()
        assert state["pending"] == {s: 0 for s in BACKGROUND_STEPS}
        assert state["drains"] == 1 and state["last_error"] is None and not state["running"]
        assert set(state["last_report"]) == set(BACKGROUND_STEPS)
        assert not any(store.analysis_pending(s) for s in configured_steps(None))
        assert _timelines(store) == _timelines(inline) != []
        drain.kick()  # nothing left: no drain counted
        assert drain.wait_idle(30) and drain.state()["drains"] == 1
    finally:
        drain.stop()


def test_upload_returns_before_the_background_steps_and_the_drain_finishes_them(tmp_path, monkeypatch):
    store = _store(tmp_path / "s.db", Config({}))
    run_pending(store, Config({}))
    drain = BackgroundDrain(store, Config({}), interval=3600)  # not started: what the upload left stays
    app = create_app(store, Config({}), token="t", drain=drain)
    client = TestClient(app)
    doc = tmp_path / "new.txt"
    doc.write_text("Ferry crews in Tromsø walked out again on 9 March 2024 over night shifts.\n\n"
                   "The union said on Saturday that the second strike would last a week.", encoding="utf-8")
    with doc.open("rb") as fh:
        r = client.post("/api/ingest/files", files=[("files", ("new.txt", fh, "text/plain"))],
                        headers={"Authorization": "Bearer t"})
    assert r.status_code == 200, r.text
    new = r.json()["new"]
    assert len(new) == 1
    status = client.get("/api/status").json()
    for step in BACKGROUND_STEPS:  # left to the drain, visible
        assert status["drain"]["pending"][step] == 1
        assert status["analysis"]["steps"][step]["pending"] == 1
    assert status["analysis"]["steps"]["cluster"]["pending"] == 0  # the online decision is made
    assert store.story_of_article(new[0]) is not None
    drain.drain_once()
    status = client.get("/api/status").json()
    assert status["drain"]["pending"] == {s: 0 for s in BACKGROUND_STEPS}
    assert status["drain"]["drains"] == 1


def test_status_without_a_drain(tmp_path):
    store = _store(tmp_path / "s.db", Config({}))
    body = TestClient(create_app(store, Config({}))).get("/api/status").json()
    assert body["drain"] is None
    assert body["analysis"]["stored"] == 3
    assert body["analysis"]["steps"]["entities"]["pending"] == 3

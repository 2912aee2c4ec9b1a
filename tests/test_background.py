"""The background queue: with `[pipeline] defer_background`, ingest-time analysis stops before the
"vectors" and "timeline" steps, `status` shows them pending, and draining them later gives exactly the
timelines (and statement vectors) of an inline run; each text is embedded once per process."""

from __future__ import annotations

import numpy as np

from storyline.analyze import vectors
from storyline.config import Config
from storyline.explain.timeline_view import story_timeline
from storyline.model import article_from_text
from storyline.pipeline import BACKGROUND_STEPS, configured_steps, run_pending
from storyline.store import Store

TEXTS = [
    ("Ferry strike in Tromsø", "2024-03-04",
     "Ferry crews in Tromsø walked out on 4 March 2024 after talks over night shifts broke down.\n\n"
     "The union said on Monday that the strike would last until the company returned to the table."),
    ("Ferry strike ends", "2024-03-07",
     "The Tromsø ferry strike ended on 6 March 2024 when the company agreed to pay for night shifts.\n\n"
     "Crews walked out on 4 March 2024, stranding commuters on both sides of the sound for three days."),
    ("Harbour fire", "2024-05-02",
     "A fire destroyed two warehouses in Bodø harbour on 1 May 2024, the fire brigade said.\n\n"
     "Nobody was hurt, and the harbour reopened on 2 May 2024 after the smoke cleared."),
]


def _store(path, config: Config) -> Store:
    store = Store(path)
    arts = [article_from_text(body, id=f"a-{i}", title=title, lang="en", published=day, published_precision="day")
            for i, (title, day, body) in enumerate(TEXTS)]
    store.add_articles(arts, pending_steps=configured_steps(config))
    return store


def _timelines(store: Store) -> list[tuple]:
    out = []
    for story in store.list_stories():
        for e in story_timeline(store, story.id):
            out.append((story.id, e.id, e.date, e.text, sorted((s.article_id, s.sentence_index) for s in e.sources)))
    return sorted(out)


def test_deferred_background_steps_drain_to_the_inline_result(tmp_path):
    inline = _store(tmp_path / "inline.db", Config({}))
    run_pending(inline, Config({}))
    assert not any(inline.analysis_pending(s) for s in configured_steps(None))

    deferred_cfg = Config({"pipeline": {"defer_background": True}})
    deferred = _store(tmp_path / "deferred.db", deferred_cfg)
    vectors.clear()
    first = run_pending(deferred, deferred_cfg)
    assert set(first) == {"entities", "quotes", "cluster", "statements"}
    for step in BACKGROUND_STEPS:  # visible in `storyline status`
        assert sorted(deferred.analysis_pending(step)) == ["a-0", "a-1", "a-2"]
        assert deferred.analysis_status()["steps"][step]["pending"] == 3
    rows = deferred.statement_rows(["a-0", "a-1", "a-2"])
    assert rows and all(r["vector"] is None for r in rows)
    misses = vectors.STATS["misses"]

    drained = run_pending(deferred, deferred_cfg, background=True)
    assert set(drained) == set(BACKGROUND_STEPS)
    assert drained["vectors"]["statements"] == len(rows)
    assert not any(deferred.analysis_pending(s) for s in configured_steps(None))
    assert _timelines(deferred) == _timelines(inline) != []
    got = {(r["article_id"], r["sentence_index"], r["expr_start"]): r["vector"]
           for r in deferred.statement_rows(["a-0", "a-1", "a-2"])}
    want = {(r["article_id"], r["sentence_index"], r["expr_start"]): r["vector"]
            for r in inline.statement_rows(["a-0", "a-1", "a-2"])}
    assert got.keys() == want.keys()
    assert all(np.allclose(got[k], want[k], atol=1e-6) for k in want)

    # a second drain (or a rerun of the step) embeds nothing: every text is in the vector cache
    before = vectors.STATS["misses"]
    assert before > misses
    deferred.mark_pending(["a-0", "a-1", "a-2"], ["vectors"])
    run_pending(deferred, deferred_cfg, background=True)
    assert vectors.STATS["misses"] == before

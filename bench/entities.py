"""Benchmark: entity recognition + resolution throughput, and the cost of adding 100 articles later.

Synthetic articles are recombined from paragraph templates written here (no seed text) with names
drawn from generated first/last name pools, places from CLDR in several languages, and occasional
genitives and misspellings, so resolution has real work to do; each article has about `--words`
words (default 500). Prints articles/s, the time to add 100 more articles to a store that already holds
N, the one-off load time (models, gazetteer, dictionaries) and peak RSS. Targets: >= 50 articles/s on one
core; adding 100 articles < 5 s at 10,000 stored.

    python bench/entities.py [--articles 10000] [--add 100] [--words 500] [--backend trained|rules] [--db PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import tempfile
import time
from pathlib import Path

from storyline.analyze.entities.step import run
from storyline.config import Config
from storyline.model import article_from_text
from storyline.store import Store

FIRST = ["Anna", "Jonas", "Maria", "Erik", "Sofia", "Lars", "Ingrid", "Pablo", "Lucía", "Henrik", "Camille",
         "Tobias", "Elena", "Mats", "Nora", "Diego", "Frida", "Oskar", "Marta", "Viktor"]
LAST = ["Lindqvist", "Haugland", "Moreno", "Dufresne", "Kowalczyk", "Berntsen", "Ibáñez", "Sørlie",
        "Falkenberg", "Ortega", "Villanueva", "Strand", "Aaberg", "Quintero", "Rasmussen", "Delacroix"]
PLACES = {"nb": ["Frankrike", "Tyskland", "USA", "Russland", "Spania", "Brasil", "Oslo", "Bergen"],
          "da": ["Frankrig", "Tyskland", "USA", "Rusland", "Spanien", "Brasilien", "København"],
          "en": ["France", "Germany", "the United States", "Russia", "Spain", "Brazil", "London"]}
TEMPLATES = {
    "nb": ["Utenriksminister {p1} møtte {p2} i {l1} tirsdag, opplyser {o1}.",
           "{s1} sier at {l1}s regjering vil svare. {s2} er uenig.",
           "Ifølge {o1} har {l2} avvist kravet fra {p2}.",
           "Det er uklart om {s1} reiser til {l2} før helgen."],
    "da": ["Udenrigsminister {p1} mødtes med {p2} i {l1} tirsdag, oplyser {o1}.",
           "{s1} siger, at {l1}s regering vil svare. {s2} er uenig.",
           "Ifølge {o1} har {l2} afvist kravet fra {p2}."],
    "en": ["Foreign Minister {p1} met {p2} in {l1} on Tuesday, {o1} reported.",
           "{s1} said the government of {l1} would respond. {s2} disagreed.",
           "According to {o1}, {l2} rejected the demand from {p2}."],
}
ORGS = ["NTB", "Reuters", "AFP", "Nordic Press Agency", "Central Bank", "Labour Party"]


def make_article(i: int, rng: random.Random, words: int = 500) -> object:
    lang = rng.choice(list(TEMPLATES))
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2)]
    if rng.random() < 0.05:  # a misspelling now and then
        f, last = people[1].split()
        people[1] = f"{f} {last[:-2] + last[-1] + last[-2]}"
    paras: list[str] = []
    while sum(len(p.split()) for p in paras) < words:
        tpl = rng.choice(TEMPLATES[lang])
        paras.append(tpl.format(p1=people[0], p2=people[1], s1=people[0].split()[-1], s2=people[1].split()[-1],
                                l1=rng.choice(PLACES[lang]).replace("the ", ""), l2=rng.choice(PLACES[lang]),
                                o1=rng.choice(ORGS)))
    return article_from_text("\n\n".join(paras), id=f"a-bench{i:06d}", lang=lang, source=f"bench:{i}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--words", type=int, default=500, help="about this many words per article")
    ap.add_argument("--backend", default="trained", help="[entities] backend: trained or rules")
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    config = Config({"entities": {"backend": args.backend}})
    rng = random.Random(7)
    db = args.db or Path(tempfile.mkdtemp()) / "bench-entities.db"
    store = Store(db)
    arts = [make_article(i, rng, args.words) for i in range(args.articles + args.add)]
    n_words = sum(len(a.text.split()) for a in arts) / len(arts)
    store.add_articles(arts)
    ids = [a.id for a in arts]
    # warm-up: the NER pipelines, the gazetteer and one simplemma dictionary per language load once per
    # process; one article of each language is analysed first and that one-off cost printed on its own
    warm = list({a.lang: a.id for a in reversed(arts[:200])}.values())
    if args.backend == "trained":
        from storyline.analyze.entities.trained import load_pipeline, model_path

        tl = time.perf_counter()
        langs = sorted({a.lang or "" for a in arts})
        for lang in langs:
            path = model_path(lang)
            if path is not None:
                load_pipeline(str(path))
        print(f"model load ({', '.join(langs)} pipelines): {time.perf_counter() - tl:.2f} s")
        from storyline.analyze.lemmas import is_known

        td = time.perf_counter()
        for lang in langs:  # the post-pass asks simplemma's dictionary on the first sentence-initial name
            with contextlib.suppress(ValueError):  # a language simplemma has no dictionary for
                is_known("test", lang)
        print(f"dictionaries ({', '.join(langs)}): {time.perf_counter() - td:.2f} s")
    tw = time.perf_counter()
    run(store, warm, config)
    print(f"backend {args.backend}; {len(arts)} articles of {n_words:.0f} words on average")
    print(f"warm-up (models + gazetteer + dictionaries of {len(warm)} languages, once per process): "
          f"{time.perf_counter() - tw:.1f} s")
    rest = [i for i in ids[:args.articles] if i not in set(warm)]
    t0, c0 = time.perf_counter(), time.process_time()
    batch = 500
    for k in range(0, len(rest), batch):
        run(store, rest[k:k + batch], config)
    t1, cpu = time.perf_counter(), time.process_time() - c0
    report = run(store, ids[args.articles:], config)
    t2 = time.perf_counter()
    n_ent = store.conn.execute("SELECT COUNT(*) FROM entity_entities").fetchone()[0]
    print(f"recognition + resolution: {len(rest)} articles in {t1 - t0:.1f} s = "
          f"{len(rest) / (t1 - t0):.1f} articles/s wall (target >= 50); {cpu:.1f} s CPU on one core = "
          f"{len(rest) / cpu:.1f} articles per CPU-second (the wall figure drops when other jobs share the cores)")
    print(f"adding {args.add} articles at {args.articles} stored: {t2 - t1:.2f} s (target < 5 s); "
          f"{report['mentions']} mentions")
    print(f"entities: {n_ent}; db: {db}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

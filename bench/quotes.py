"""Quote extraction throughput: articles/s over synthetic articles, one core, mentions given.

Articles are recombined from paragraph templates written for this benchmark (dash quotes, quote
marks, indirect speech, "according to", pronoun attributions, plain narrative) in nb, da, en, de, es,
with person mentions at the names' offsets, as the entities stage would give them. English articles
go through the trained attribution tagger (storyline/models/quotes-en) when it is installed.
Targets: >= 100 articles/s on one core with the rules alone (issue 6), >= 50 with the tagger (issue 14).

    OMP_NUM_THREADS=1 python bench/quotes.py [--articles 10000] [--seed 7] [--no-model]
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from storyline.analyze.quotes import extract_quotes
from storyline.analyze.quotes.learned import load_tagger
from storyline.analyze.quotes.settings import QuoteSettings
from storyline.analyze.sentences import split_sentences
from storyline.model import Mention, article_from_text

NAMES = ["Kari Nordmann", "Ola Berg", "Anna Larsen", "Per Hansen", "Maria Lopez", "John Smith", "Eva Schmidt",
         "Carlos Pérez", "Ingrid Dahl", "Thomas Berger", "Sofia Ruiz", "Lars Holm"]

TEMPLATES = {
    "nb": [
        "– Vi må handle raskt før vinteren kommer, og det haster, sier {A} til NRK.",
        "{A} mener at regjeringen har ventet altfor lenge med å legge fram planen.",
        "Ifølge {A} vil prosjektet koste flere milliarder kroner over ti år.",
        "– Dette er ikke en sak vi kan overlate til markedet alene, legger {pron} til.",
        "«Vi har ingen planer om å trekke oss ut av forhandlingene», skriver {A} i en e-post.",
        "Kommunen har bygget tre nye skoler siden 2015, og flere er planlagt i årene som kommer.",
        "Det sier en talsperson i departementet til avisen Aftenposten.",
        "Møtet varte i over tre timer og endte uten noen felles uttalelse fra partene.",
    ],
    "da": [
        "- Vi skal have styr på økonomien, før vi kan love noget, siger {A} til DR.",
        "{A} siger, at aftalen bliver underskrevet i næste uge.",
        "Ifølge kilden er forhandlingerne gået i stå efter weekenden.",
        "Regeringen fremlagde sit forslag tirsdag, og oppositionen var hurtigt ude med kritik.",
    ],
    "en": [
        "“We will not accept any deal that hurts our workers,” {A} said in an interview with Reuters.",
        "{A} said that the company would cut costs by ten percent next year.",
        "The measure passed by a narrow margin, according to officials familiar with the vote.",
        "“It is far too early to say,” {pron} told reporters on Tuesday.",
        "Shares fell sharply in early trading before recovering most of their losses by the close.",
    ],
    "de": [
        "„Wir werden die Grenzen offen halten“, sagte {A} am Montag.",
        "Laut {A} soll das Gesetz noch vor dem Sommer verabschiedet werden.",
        "Die Verhandlungen dauerten bis tief in die Nacht.",
    ],
    "es": [
        "«No vamos a ceder ante ninguna presión», dijo {A} a la agencia EFE.",
        "Según {A}, la economía crecerá un tres por ciento este año.",
        "El Gobierno aprobó el decreto el martes por la tarde.",
    ],
}
INTRO = {"nb": "{A} er leder i utvalget.", "da": "{A} er formand for udvalget.", "en": "{A} leads the committee.",
         "de": "{A} leitet den Ausschuss.", "es": "{A} dirige el comité."}
PRON = {"nb": {"m": "han", "f": "hun"}, "da": {"m": "han", "f": "hun"}, "en": {"m": "he", "f": "she"},
        "de": {"m": "er", "f": "sie"}, "es": {"m": "él", "f": "ella"}}
FEMALE = {"Kari Nordmann", "Anna Larsen", "Maria Lopez", "Eva Schmidt", "Ingrid Dahl", "Sofia Ruiz"}


def make_article(i: int, rng: random.Random):
    lang = rng.choice(list(TEMPLATES))
    paras = []
    for _ in range(rng.randint(8, 20)):
        name = rng.choice(NAMES)
        paras.append((INTRO[lang] if rng.random() < 0.3 else rng.choice(TEMPLATES[lang]), name))
    parts = []
    for tpl, name in paras:
        pron = PRON[lang]["f" if name in FEMALE else "m"]
        parts.append(tpl.replace("{A}", name).replace("{pron}", pron))
    text = "\n\n".join(parts)
    art = article_from_text(text, id=f"a-bench{i}", lang=lang, published="2025-01-15", published_precision="day")
    mentions = []
    for name in NAMES:
        start = art.text.find(name)
        while start != -1:
            mentions.append(Mention(art.id, start, start + len(name), name, "PER", entity_id="n-" + name[:3]))
            start = art.text.find(name, start + 1)
    mentions.sort(key=lambda m: m.start)
    return art, mentions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-model", action="store_true", help="rules only (no trained tagger)")
    args = ap.parse_args()
    settings = QuoteSettings(model=not args.no_model)
    tagger = settings.model and load_tagger() is not None
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    corpus = [make_article(i, rng) for i in range(args.articles)]
    gen = time.perf_counter() - t0
    canonical = {"n-" + n[:3]: n for n in NAMES}
    for art, mentions in corpus[:20]:  # warm caches (and load the tagger)
        extract_quotes(art, split_sentences(art), mentions, canonical, settings)
    t0 = time.perf_counter()
    n_quotes = attributed = 0
    chars = 0
    from storyline.analyze import spacy_cache

    for art, mentions in corpus:
        # the articles reuse a few templates: without this the span cache would answer most paragraphs of
        # later articles and the figure would measure the cache (repeats inside one article stay cached,
        # as in the product)
        spacy_cache.clear()
        qs = extract_quotes(art, split_sentences(art), mentions, canonical, settings)
        n_quotes += len(qs)
        attributed += sum(1 for q in qs if q.speaker or q.speaker_description)
        chars += len(art.text)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles:           {len(corpus)} (generated in {gen:.1f} s, {chars / len(corpus):.0f} chars each)")
    print(f"extraction time:    {dt:.2f} s (sentence splitting included)")
    target = 50 if tagger else 100
    print(f"tagger:             {'storyline/models/quotes-en for English' if tagger else 'none (rules only)'}")
    print(f"throughput:         {len(corpus) / dt:.0f} articles/s on one core (target >= {target})")
    print(f"quotes:             {n_quotes} ({n_quotes / len(corpus):.1f} per article, {attributed} attributed)")
    print(f"peak memory (RSS):  {rss:.0f} MiB")


if __name__ == "__main__":
    main()

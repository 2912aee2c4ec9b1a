"""Language-identification accuracy of the ingest path against one-text-per-line gold files.

A directory holds `<code>.txt` files (ISO 639-1 code, e.g. `nb.txt`), one text per line (e.g. the
Leipzig sentences in ../shared/data/langid/sentences). Each line is scored as ingest would see it: a
one-paragraph article run through `storyline.ingest.language.detect_article` with the configured
candidate set, so the figure moves with every speed/accuracy trade-off made there. Reported: accuracy
per language, macro average, the most frequent confusions and the time per text. `split` picks the
first or second half of each file, so thresholds tuned on one half can be reported on the other.

`evaluate_mixed` scores the per-paragraph path: synthetic articles of several paragraphs in one
language with one paragraph in another inserted (a quote, a wire paragraph), reporting article
accuracy, native-paragraph accuracy and foreign-paragraph accuracy.

`strip_text` gives the lower-cased, punctuation-free variant of a text (URL slugs, some feeds and
corpora look like that), to check that casing and punctuation do not carry the decision.
`evaluate_articles` ingests real article files into a throw-away store and compares each article's
language with its gold: a `{"ref", "lang"}` JSONL file, else the file name's leading language code
(`nb-2019-...txt`).
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.ingest.language import detect_article
from storyline.ingest.settings import IngestSettings


class GoldError(ValueError):
    pass


@dataclass
class LangScore:
    lang: str
    total: int = 0
    correct: int = 0
    confusions: Counter[str] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


SPLITS = ("all", "first", "second")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def strip_text(text: str) -> str:
    """`text` lower-cased, punctuation replaced by spaces, runs of spaces made one."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", text.lower())).strip()


def load_gold(directory: Path, limit: int | None = None, split: str = "all", strip: bool = False
              ) -> dict[str, list[str]]:
    """{code: texts} from `<code>.txt` files; raises GoldError naming the directory when there are none.

    `split` "first"/"second" keeps that half of each file (tune on the first, report on the second);
    `limit` applies after the split; `strip` turns each text into its `strip_text` variant."""
    if split not in SPLITS:
        raise GoldError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    if not directory.is_dir():
        raise GoldError(f"{directory}: not a directory")
    gold: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.txt")):
        code = path.stem.lower()
        if not (2 <= len(code) <= 3 and code.isalpha()):
            continue
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        if strip:
            lines = [t for t in map(strip_text, lines) if t]
        if split != "all":
            half = len(lines) // 2
            lines = lines[:half] if split == "first" else lines[half:]
        if lines:
            gold[code] = lines[:limit] if limit else lines
    if not gold:
        raise GoldError(f"{directory}: no <code>.txt files with texts (e.g. nb.txt, one text per line)")
    return gold


def evaluate(gold: dict[str, list[str]], settings: IngestSettings | None = None,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Per-language accuracy of the article language ingest assigns to each gold text."""
    settings = settings or IngestSettings()
    unknown = sorted(set(gold) - set(settings.languages))
    scores: dict[str, LangScore] = {}
    t0 = time.perf_counter()
    n = 0
    for code, texts in gold.items():
        s = scores.setdefault(code, LangScore(code))
        for text in texts:
            whole, _ = detect_article([text], settings.languages, min_confidence=settings.min_lang_confidence,
                                      min_chars=settings.min_paragraph_chars_for_lang,
                                      switch_to=settings.paragraph_switch_languages)
            s.total += 1
            n += 1
            if progress and n % 100 == 0:
                progress(100)
            if whole.lang == code:
                s.correct += 1
            else:
                s.confusions[whole.lang or "none"] += 1
    dt = time.perf_counter() - t0
    per = {c: {"n": s.total, "accuracy": round(s.accuracy, 4),
               "confused_with": dict(s.confusions.most_common(3))} for c, s in sorted(scores.items())}
    macro = sum(s.accuracy for s in scores.values()) / len(scores)
    micro = sum(s.correct for s in scores.values()) / max(1, n)
    return {"languages": per, "macro_accuracy": round(macro, 4), "micro_accuracy": round(micro, 4), "texts": n,
            "ms_per_text": round(dt * 1000 / max(1, n), 3), "not_in_candidates": unknown,
            "candidates": len(settings.languages)}


def mixed_articles(gold: dict[str, list[str]], per_lang: int = 100, paragraphs: int = 5
                   ) -> list[tuple[str, list[str], list[str]]]:
    """Synthetic articles (article lang, paragraphs, paragraph langs): `paragraphs` paragraphs of two
    consecutive gold texts each in one language, plus one paragraph in another language (cycling
    through the others) inserted second, as a quote or wire paragraph would be."""
    codes = sorted(gold)
    out: list[tuple[str, list[str], list[str]]] = []
    cursor = dict.fromkeys(codes, 0)

    def take(code: str) -> str:
        texts = gold[code]
        i = cursor[code]
        cursor[code] = (i + 2) % max(1, len(texts) - 1)
        return " ".join(texts[i:i + 2])

    for code in codes:
        others = [c for c in codes if c != code]
        for n in range(per_lang):
            paras = [take(code) for _ in range(paragraphs)]
            langs = [code] * paragraphs
            if others:
                other = others[n % len(others)]
                paras.insert(1, take(other))
                langs.insert(1, other)
            out.append((code, paras, langs))
    return out


def evaluate_mixed(gold: dict[str, list[str]], settings: IngestSettings | None = None, per_lang: int = 100,
                   progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Article and paragraph accuracy on mixed-language synthetic articles (see `mixed_articles`)."""
    settings = settings or IngestSettings()
    stats: dict[str, Counter[str]] = {}
    t0 = time.perf_counter()
    arts = mixed_articles(gold, per_lang)
    for code, paras, langs in arts:
        c = stats.setdefault(code, Counter())
        whole, per = detect_article(paras, settings.languages, min_confidence=settings.min_lang_confidence,
                                    min_chars=settings.min_paragraph_chars_for_lang,
                                    switch_to=settings.paragraph_switch_languages)
        c["article"] += 1
        c["article_ok"] += int(whole.lang == code)
        for want, got in zip(langs, per, strict=True):
            kind = "native" if want == code else "foreign"
            c[kind] += 1
            c[f"{kind}_ok"] += int(got.lang == want)
        if progress:
            progress(1)
    dt = time.perf_counter() - t0

    def ratio(c: Counter[str], k: str) -> float:
        return round(c[f"{k}_ok"] / c[k], 4) if c[k] else 0.0

    per_lang_out = {code: {"articles": c["article"], "article_accuracy": ratio(c, "article"),
                           "native_paragraph_accuracy": ratio(c, "native"),
                           "foreign_paragraph_accuracy": ratio(c, "foreign")} for code, c in sorted(stats.items())}
    total = sum(stats.values(), Counter())
    return {"languages": per_lang_out, "article_accuracy": ratio(total, "article"),
            "native_paragraph_accuracy": ratio(total, "native"),
            "foreign_paragraph_accuracy": ratio(total, "foreign"), "articles": len(arts),
            "ms_per_article": round(dt * 1000 / max(1, len(arts)), 3)}


def load_article_gold(path: Path) -> dict[str, str]:
    """{ref: lang} from a JSONL file of `{"ref": file name[#n], "lang": code}` lines."""
    if not path.is_file():
        raise GoldError(f"{path}: gold file not found")
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out[str(row["ref"])] = str(row["lang"])
        except (ValueError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}:{n}: not a {{\"ref\", \"lang\"}} line ({exc})") from exc
    return out


def _expected(ref: str, gold: dict[str, str]) -> str | None:
    if ref in gold:
        return gold[ref]
    head = ref.split("-", 1)[0].lower()
    return head if "-" in ref and len(head) == 2 and head.isalpha() else None


def evaluate_articles(inputs: list[Path], gold: dict[str, str] | None = None,
                      settings: IngestSettings | None = None) -> dict[str, Any]:
    """Article language of each ingested article against its gold (see module docstring); articles
    without a gold language are listed but not scored."""
    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.store import Store

    gold = gold or {}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "langid.db")
        report = ingest(store, [str(p) for p in inputs], config=Config({}), settings=settings)
        for art in store.iter_articles(include_duplicates=True):
            path, hash_, fragment = art.source.partition("#")
            ref = Path(path).name + hash_ + fragment
            want = _expected(ref, gold)
            switched = sorted({p.lang for p in art.paragraphs if p.lang and p.lang != art.lang})
            rows.append({"ref": ref, "expected": want, "lang": art.lang, "confidence": art.lang_confidence,
                         "other_paragraph_languages": switched})
        store.close()
    rows.sort(key=lambda r: r["ref"])
    scored = [r for r in rows if r["expected"]]
    correct = sum(1 for r in scored if r["lang"] == r["expected"])
    return {"articles": rows, "scored": len(scored), "correct": correct,
            "accuracy": round(correct / len(scored), 4) if scored else 0.0,
            "failures": [(f.input, f.reason) for f in report.failures]}

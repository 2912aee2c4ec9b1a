"""Language-identification accuracy of the ingest path against one-text-per-line gold files.

A directory holds `<code>.txt` files (ISO 639-1 code, e.g. `nb.txt`), one text per line (e.g. the
Leipzig sentences in ../shared/data/langid/sentences). Each line is scored as ingest would see it: a
one-paragraph article run through `storyline.ingest.language.detect_article` with the configured
candidate set, so the figure moves with every speed/accuracy trade-off made there. Reported: accuracy
per language, macro average, the most frequent confusions and the time per text.
"""

from __future__ import annotations

import time
from collections import Counter
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


def load_gold(directory: Path, limit: int | None = None) -> dict[str, list[str]]:
    """{code: texts} from `<code>.txt` files; raises GoldError naming the directory when there are none."""
    if not directory.is_dir():
        raise GoldError(f"{directory}: not a directory")
    gold: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.txt")):
        code = path.stem.lower()
        if not (2 <= len(code) <= 3 and code.isalpha()):
            continue
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        if lines:
            gold[code] = lines[:limit] if limit else lines
    if not gold:
        raise GoldError(f"{directory}: no <code>.txt files with texts (e.g. nb.txt, one text per line)")
    return gold


def evaluate(gold: dict[str, list[str]], settings: IngestSettings | None = None) -> dict[str, Any]:
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

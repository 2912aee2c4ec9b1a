"""Per-language background mean embeddings, subtracted before comparing dense vectors.

Why: multilingual-e5 vectors share a large common component and a per-language offset, so raw cosines
are compressed (unrelated ~0.75-0.8) and group articles by language rather than by story. Subtracting
the mean embedding of *generic* text in the article's language removes both. The means must come from
text unrelated to the stream: a mean over the stream itself would subtract the very topic that links a
small story's articles. The shipped file holds means of generic sentences (Leipzig corpora sentences
from the development data; only the averaged vectors are stored, no text). Regenerate with
`python -m storyline.link.background DIR_WITH_<lang>.txt [--per-lang N]`.

Languages without generic sentences (ar, pl, tr) get the mean of their news texts in the SemEval-2022
dev pairs (many unrelated stories, so still generic) moved into the sentence domain: minus the average
news-minus-sentences offset of the languages that have both (de, en, es, fr; after the shift those
four land at cosine ~0.99 of their sentence means). Without it they fell back on the all-language mean
and Arabic pairs scored Pearson .36; with it .46 (tr .78 -> .82, all pairs .762 -> .786; with the means
taken from one half of the pairs and scored on the other: .737 -> .758 and .787 -> .811). Regenerate
with `python -m storyline.link.background --from-pairs FILE.csv`.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import numpy as np

BACKGROUND_FILE = Path(__file__).with_name("background_means.json")
ALL = "_all"


@functools.lru_cache(maxsize=8)
def load_background(model_name: str) -> dict[str, np.ndarray]:
    """Language -> mean vector for `model_name`; empty when none was computed for that model."""
    if not BACKGROUND_FILE.exists():
        return {}
    data = json.loads(BACKGROUND_FILE.read_text(encoding="utf-8"))
    means = data.get(model_name, {})
    return {lang: np.asarray(v, dtype=np.float32) for lang, v in means.items()}


def background_for(model_name: str, lang: str | None) -> np.ndarray | None:
    """The background mean of `lang`, else the all-language mean, else None (no centering)."""
    means = load_background(model_name)
    if not means:
        return None
    base = (lang or "").split("-")[0].lower()
    if base in {"no", "nb", "nn"}:  # Norwegian written standards share one mean where one is missing
        base = base if base in means else "nb"
    return means.get(base, means.get(ALL))


def compute(directory: Path, per_lang: int = 150) -> dict[str, list[float]]:
    from storyline.analyze.embeddings import get_embedder

    embedder = get_embedder()
    out: dict[str, list[float]] = {}
    vecs = []
    for path in sorted(directory.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()][:per_lang]
        v = embedder.embed_passages(lines).mean(axis=0)
        out[path.stem] = [round(float(x), 6) for x in v]
        vecs.append(v)
        print(path.stem, len(lines), file=sys.stderr)
    out[ALL] = [round(float(x), 6) for x in np.mean(vecs, axis=0)]
    data = json.loads(BACKGROUND_FILE.read_text(encoding="utf-8")) if BACKGROUND_FILE.exists() else {}
    data[embedder.name] = out
    BACKGROUND_FILE.write_text(json.dumps(data), encoding="utf-8")
    return out


def compute_from_pairs(pairs_csv: Path, words: int = 120) -> list[str]:
    """Add shifted news means (see module docstring) for the languages of `pairs_csv` lacking one."""
    from storyline.analyze.embeddings import get_embedder
    from storyline.eval.similarity import read_pairs
    from storyline.link.embedcache import embed_cached

    embedder = get_embedder()
    by_lang: dict[str, list[str]] = {}
    for p in read_pairs(pairs_csv):
        for lang, text in ((p.lang1, p.text1), (p.lang2, p.text2)):
            by_lang.setdefault(lang, []).append(" ".join(text.split()[:words]))
    news = {lang: embed_cached(embedder, list(dict.fromkeys(texts))).mean(axis=0)
            for lang, texts in by_lang.items()}
    data = json.loads(BACKGROUND_FILE.read_text(encoding="utf-8"))
    means = data[embedder.name]
    both = [lang for lang in news if lang in means]
    if not both:
        raise SystemExit(f"{pairs_csv}: no language shared with the existing means to measure the shift")
    shift = np.mean([news[lang] - np.asarray(means[lang]) for lang in both], axis=0)
    added = [lang for lang in news if lang not in means]
    for lang in added:
        means[lang] = [round(float(x), 6) for x in news[lang] - shift]
    BACKGROUND_FILE.write_text(json.dumps(data), encoding="utf-8")
    load_background.cache_clear()
    return added


if __name__ == "__main__":
    if sys.argv[1] == "--from-pairs":
        print(compute_from_pairs(Path(sys.argv[2])), file=sys.stderr)
        raise SystemExit(0)
    n = int(sys.argv[sys.argv.index("--per-lang") + 1]) if "--per-lang" in sys.argv else 150
    compute(Path(sys.argv[1]), n)

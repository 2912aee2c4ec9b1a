"""Development tool: regenerate the per-language background means of `storyline.analyze.background`
(see its docstring for why and how they are made). Reads development data at run time; only the
averaged vectors are written, no text.

    python -m storyline.eval.background_means DIR_WITH_<lang>.txt [--per-lang N]
    python -m storyline.eval.background_means --from-pairs FILE.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from storyline.analyze.background import ALL, BACKGROUND_FILE, load_background


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
    from storyline.eval.vectorcache import embed_cached

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

"""Per-language background mean embeddings, subtracted before comparing dense vectors.

Why: multilingual-e5 vectors share a large common component and a per-language offset, so raw cosines
are compressed (unrelated ~0.75-0.8) and group articles by language rather than by story. Subtracting
the mean embedding of *generic* text in the article's language removes both. The means must come from
text unrelated to the stream: a mean over the stream itself would subtract the very topic that links a
small story's articles. The shipped file holds means of generic sentences (Leipzig corpora sentences
from the development data; only the averaged vectors are stored, no text). Regenerate with
`python -m storyline.link.background DIR_WITH_<lang>.txt [--per-lang N]`.
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


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--per-lang") + 1]) if "--per-lang" in sys.argv else 150
    compute(Path(sys.argv[1]), n)

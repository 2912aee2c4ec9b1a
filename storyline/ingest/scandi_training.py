"""Training of the Bokmål/Nynorsk/Danish/Swedish discriminator (`storyline train langid`).

Material: the sentences of the NER training corpora in ../shared/data/train/ner (NorNE nb/nn, DDT da,
Talbanken sv), read at run time; nothing of them is stored but the weights. The last `holdout` share of
each file (a contiguous block, so mostly other documents than the training part) is held out to tune
the regularisation; the model saved is then refitted on every sentence.

The corpora are whole sentences, while ingest also sees headlines, RSS one-liners and word pairs, so
each sentence also yields one random window of 1-6 words (fixed seed): the model learns what a few
words say on their own, and its probabilities on short texts come out less sure. Classes are weighted
inversely to their size (nb/nn have ~3.5x the sentences of da/sv). Needs scikit-learn (extra `train`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from storyline.ingest.scandi_classifier import Hashing, ScandiModel

#: training file per language, under ../shared/data/train/ner
CORPORA = {"nb": "nb-norne-train.conll", "nn": "nn-norne-train.conll",
           "da": "da-ddt-danplus-train.conll", "sv": "sv-talbanken-uner-train.conll"}
LABELS = ("da", "nb", "nn", "sv")
SEED = 18
WINDOW_MAX = 6


class TrainingError(RuntimeError):
    pass


def read_conll_sentences(path: Path) -> list[str]:
    """Sentences of a `token<TAB>tag` file (blank line between sentences), tokens joined by spaces."""
    if not path.is_file():
        raise TrainingError(f"{path}: training file not found")
    out: list[str] = []
    tokens: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                out.append(" ".join(tokens))
                tokens = []
            continue
        tokens.append(line.split("\t", 1)[0])
    if tokens:
        out.append(" ".join(tokens))
    return out


def load_corpora(directory: Path, holdout: float) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({lang: training sentences}, {lang: held-out sentences}) from the files in `CORPORA`."""
    train: dict[str, list[str]] = {}
    held: dict[str, list[str]] = {}
    for lang, name in CORPORA.items():
        sents = [s for s in read_conll_sentences(directory / name) if any(ch.isalpha() for ch in s)]
        cut = len(sents) - int(len(sents) * holdout)
        train[lang], held[lang] = sents[:cut], sents[cut:]
    return train, held


def with_windows(texts: dict[str, list[str]], seed: int = SEED) -> list[tuple[str, str]]:
    """(lang, text) pairs: every sentence, plus one random window of 1-`WINDOW_MAX` of its words."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for lang in sorted(texts):
        for s in texts[lang]:
            out.append((lang, s))
            ws = s.split()
            if len(ws) > 2:
                n = rng.randint(1, min(WINDOW_MAX, len(ws) - 1))
                i = rng.randint(0, len(ws) - n)
                out.append((lang, " ".join(ws[i:i + n])))
    return out


def matrix(texts: list[str], hashing: Hashing):
    """CSR matrix of the hashed features of `texts` (rows in order); scipy ships with scikit-learn."""
    from scipy.sparse import csr_matrix

    cache: dict[str, tuple[int, ...]] = {}
    indptr = [0]
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for t in texts:
        idx, val = hashing.vector(t, cache)
        indices.append(idx)
        values.append(val)
        indptr.append(indptr[-1] + len(idx))
    return csr_matrix((np.concatenate(values), np.concatenate(indices).astype(np.int32), np.asarray(indptr)),
                      shape=(len(texts), hashing.n_features), dtype=np.float32)


def fit(pairs: list[tuple[str, str]], hashing: Hashing, c: float) -> ScandiModel:
    """Multinomial logistic regression with balanced class weights."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise TrainingError("training needs scikit-learn: pip install 'storyline[train]'") from exc
    x = matrix([t for _, t in pairs], hashing)
    y = np.array([lang for lang, _ in pairs])
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=300, tol=1e-4, random_state=SEED)
    clf.fit(x, y)
    labels = tuple(str(v) for v in clf.classes_)
    return ScandiModel(labels, clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32), hashing)


def accuracy(model: ScandiModel, texts: dict[str, list[str]]) -> dict[str, float]:
    """Per-language share of `texts` the model alone labels right."""
    out = {}
    for lang, items in sorted(texts.items()):
        ok = 0
        for t in items:
            p = model.probabilities(t)
            ok += int(bool(p) and max(p, key=p.__getitem__) == lang)
        out[lang] = round(ok / max(1, len(items)), 4)
    return out


@dataclass
class TrainReport:
    c: float
    held_out: dict[str, float]
    dev: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    path: Path | None = None
    sentences: int = 0


def train(data_dir: Path, out_dir: Path, *, cs: tuple[float, ...] = (30.0,), holdout: float = 0.1,
          dev: dict[str, list[str]] | None = None, hashing: Hashing | None = None, refit: bool = True,
          log: Callable[[str], None] = print) -> TrainReport:
    """Fit for each C on the training part, keep the best on the held-out part, report it on `dev`
    (discriminator alone, no lingua), refit on everything and save into `out_dir`."""
    t0 = time.perf_counter()
    hashing = hashing or Hashing()
    train_part, held = load_corpora(data_dir, holdout)
    pairs = with_windows(train_part)
    best: tuple[float, float, ScandiModel, dict[str, float]] | None = None
    for c in cs:
        model = fit(pairs, hashing, c)
        acc = accuracy(model, held)
        macro = sum(acc.values()) / len(acc)
        log(f"C={c:g}: held-out accuracy {acc} (macro {macro:.4f})")
        if best is None or macro > best[0]:
            best = (macro, c, model, acc)
    assert best is not None
    _, c, model, held_acc = best
    if refit:
        everything = {lang: train_part[lang] + held[lang] for lang in train_part}
        model = fit(with_windows(everything), hashing, c)
    report = TrainReport(c=c, held_out=held_acc, sentences=sum(len(v) for v in train_part.values()))
    if dev:
        report.dev = accuracy(model, {k: v for k, v in dev.items() if k in LABELS})
    report.seconds = round(time.perf_counter() - t0, 1)
    report.path = model.save(out_dir, {"c": c, "held_out": held_acc, "dev": report.dev, "seed": SEED})
    return report

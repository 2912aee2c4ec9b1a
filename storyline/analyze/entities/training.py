"""Train a spaCy NER pipeline from IOB2 / CoNLL-U files and export it the way the package ships it.

`storyline train ner` calls `train()`. spaCy's own trainer (`spacy.cli.train.train`) does the work on
the small CPU config next to this module (`ner.cfg`); this module only converts the gold files into
spaCy's DocBin format (in a temporary folder, never in the repository) and exports the best
checkpoint with its string table cut down to what the pipeline needs: the hash embeddings look words up
by hash, so the list of training words spaCy would otherwise save is no part of the model.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from storyline.analyze.spacy_export import trim_strings

CONFIG = Path(__file__).with_name("ner.cfg")
SEED = 0
#: corpus types → the four the pipelines learn; countries-as-organisations (NorNE GPE_ORG) are places,
#: as in the training files and CoNLL.
TRAIN_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "GPE_LOC": "LOC", "GPE_ORG": "LOC",
               "GPE": "LOC", "PROD": "MISC", "EVT": "MISC", "DRV": "MISC"}
#: languages without a spaCy tokenizer of their own use the multilingual one
SPACY_LANGS = {"nb", "nn", "da", "en", "es", "sv", "de", "fr", "it", "nl", "pt", "fi", "pl", "xx"}


class TrainingError(ValueError):
    """Bad training input (unreadable file, no sentences, unknown language); the message says which."""


class TimeLimit(Exception):
    """Raised between updates once `max_minutes` have passed; spaCy then keeps its best checkpoint."""


def _time_limit(max_seconds: float) -> Callable:
    """A spaCy `before_update` callback that stops training after `max_seconds` of wall time."""
    start = time.perf_counter()

    def check(nlp, args: dict) -> None:
        if time.perf_counter() - start > max_seconds:
            raise TimeLimit(f"stopped after {max_seconds / 60:.0f} min at step {args.get('step')}, "
                            f"epoch {args.get('epoch')}")

    return check


def _register_time_limit() -> None:
    from spacy import registry

    if "storyline.time_limit.v1" not in registry.callbacks.get_all():
        registry.callbacks.register("storyline.time_limit.v1", func=_time_limit)


def spacy_lang(lang: str) -> str:
    return lang if lang in SPACY_LANGS else "xx"


def to_docbin(paths: Sequence[str | Path], lang: str, out: Path, *, limit: int | None = None,
              seed: int = SEED, group: int = 1) -> int:
    """Write the sentences of `paths` (CoNLL IOB2 or CoNLL-U) as one spaCy DocBin; returns the sentence
    count. `limit` keeps a seeded random sample of that many sentences per file (the multilingual mix);
    `group` consecutive sentences make one document (fewer, longer documents train faster)."""
    import spacy
    from spacy.tokens import Doc, DocBin, Span

    from storyline.eval.ner import NerFormatError, read_conll

    nlp = spacy.blank(spacy_lang(lang))
    db = DocBin(store_user_data=False)
    n = 0
    for path in paths:
        try:
            sents = read_conll(path, TRAIN_TYPES)
        except NerFormatError as exc:
            raise TrainingError(str(exc)) from exc
        if limit and len(sents) > limit:
            sents = random.Random(seed).sample(sents, limit)
        for k in range(0, len(sents), max(1, group)):
            words: list[str] = []
            ents: list[tuple[int, int, str]] = []
            for s in sents[k: k + max(1, group)]:
                ents += [(a + len(words), b + len(words), t) for a, b, t in sorted(s.spans)]
                words += s.tokens
                n += 1
            doc = Doc(nlp.vocab, words=words)
            doc.ents = [Span(doc, a, b, label=t) for a, b, t in ents]
            db.add(doc)
    db.to_disk(out)
    return n


def export(best: Path, out_dir: Path, lang: str) -> None:
    """Copy a trained pipeline to `out_dir`, keeping only the strings the pipeline itself needs."""
    import spacy

    nlp = spacy.load(best)
    nlp.meta.update({"name": f"storyline_ner_{lang}", "version": "1.0.0",
                     "description": "Storyline NER (PER ORG LOC MISC); weights only, see docs/NER.md"})
    if out_dir.exists():
        shutil.rmtree(out_dir)
    nlp.to_disk(out_dir)
    cfg = out_dir / "config.cfg"  # the temporary corpus paths mean nothing once shipped, nor the vectors'
    # source folder (the table itself is saved in vocab/)
    cfg.write_text(re.sub(r'(?m)^(train|dev|vectors) = "[^"]*"$', r"\1 = null", cfg.read_text(encoding="utf-8")),
                   encoding="utf-8")
    trim_strings(out_dir)


def vectors_shape(model_dir: str | Path) -> tuple[int, int] | None:
    """(rows, dims) of the static vectors table a saved pipeline folder holds (`storyline train
    vectors`), or None where it has none (spaCy saves an empty table with every pipeline)."""
    import numpy as np

    path = Path(model_dir) / "vocab" / "vectors"
    if not path.is_file():
        return None
    shape = np.load(path, mmap_mode="r").shape
    return (int(shape[0]), int(shape[1])) if len(shape) == 2 and shape[0] and shape[1] else None


def has_vectors(model_dir: str | Path) -> bool:
    return vectors_shape(model_dir) is not None


def config_text(init: str | Path | None, max_minutes: float | None, vectors: str | Path | None = None, *,
                width: int | None = None, embed_rows: Sequence[int] | None = None, averages: bool = False) -> str:
    """The shipped config, with the components taken from `init` (weights resumed), the static word
    vectors of `vectors` (a folder from `storyline train vectors`, or a pipeline trained with them) added
    to the embedding, and the wall-time callback when `max_minutes` is set. `width` (of the embedding and
    the CNN) and `embed_rows` (hash-table rows for NORM, PREFIX, SUFFIX, SHAPE) size a fresh pipeline;
    a resumed one keeps the sizes it has. `averages` scores and saves the running average of the weights
    over the updates instead of the last ones (thinc's parameter averaging): the dev score then drifts
    less from one checkpoint to the next, so the best one is less a lucky draw."""
    from thinc.api import Config

    cfg = Config().from_str(CONFIG.read_text(encoding="utf-8"), interpolate=False)
    cfg["training"]["optimizer"]["use_averages"] = averages
    tok2vec = cfg["components"]["tok2vec"]["model"]
    if width is not None:
        if init is not None or width < 8:
            raise TrainingError("--width sizes a fresh pipeline (at least 8); a resumed one keeps its own")
        tok2vec["encode"]["width"] = width
    if embed_rows is not None:
        rows = [int(r) for r in embed_rows]
        if init is not None or len(rows) != len(tok2vec["embed"]["attrs"]) or min(rows) < 1:
            raise TrainingError(f"--embed-rows: {len(tok2vec['embed']['attrs'])} positive sizes "
                                f"({', '.join(tok2vec['embed']['attrs'])}) for a fresh pipeline")
        tok2vec["embed"]["rows"] = rows
    if init is not None:
        src = Path(init)
        if not (src / "config.cfg").is_file() or not (src / "ner").is_dir():
            raise TrainingError(f"{src}: not a trained NER pipeline (no config.cfg and ner/ there)")
        cfg["components"] = {"tok2vec": {"source": str(src.resolve())}, "ner": {"source": str(src.resolve())}}
        if vectors is not None and not has_vectors(src):
            raise TrainingError(f"{src} was trained without word vectors: train afresh to add them")
        if vectors is None and has_vectors(src):
            vectors = src  # a pipeline trained with vectors carries them: resume with the same table
    if vectors is not None:
        if not has_vectors(vectors):
            raise TrainingError(f"{vectors}: no word vectors there (build them with `storyline train vectors`)")
        cfg["initialize"]["vectors"] = str(Path(vectors).resolve())
        if init is None:
            tok2vec["embed"]["include_static_vectors"] = True
    if max_minutes:
        _register_time_limit()
        cfg["training"]["before_update"] = {"@callbacks": "storyline.time_limit.v1",
                                            "max_seconds": round(max_minutes * 60)}
    return cfg.to_str()


def train(lang: str, train_files: Sequence[str | Path], dev_files: Sequence[str | Path], out_dir: str | Path, *,
          max_epochs: int = 12, max_steps: int = 0, max_minutes: float | None = None, eval_frequency: int = 400,
          patience: int = 3200, sample: int | None = None, group: int = 8, seed: int = SEED,
          init: str | Path | None = None, vectors: str | Path | None = None, width: int | None = None,
          embed_rows: Sequence[int] | None = None, averages: bool = False,
          log: Callable[[str], None] = print) -> dict:
    """Train the NER pipeline for `lang` and export its best checkpoint (by dev F1) to `out_dir`.
    Training stops at `max_epochs`, `max_steps`, `max_minutes` of wall time or after `patience` steps
    without a better dev score, whichever comes first. `group` sentences make one training document.
    `init` continues from the weights of an earlier pipeline of the same config (a wall-capped run
    resumed, or a newsroom adapting a shipped model to its own articles) instead of starting from scratch.
    `vectors` adds a static word-vectors table (docs/NER.md) to the embedding; it is saved with the model.
    `averages` turns on parameter averaging (see `config_text`)."""
    from spacy.cli.train import train as spacy_train

    for f in (*train_files, *dev_files):
        if not Path(f).is_file():
            raise TrainingError(f"{f}: no such file")
    if not train_files or not dev_files:
        raise TrainingError("give at least one --train and one --dev file")
    out = Path(out_dir)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="storyline-ner-") as tmp:
        work = Path(tmp)
        n_train = to_docbin(train_files, lang, work / "train.spacy", limit=sample, seed=seed, group=group)
        n_dev = to_docbin(dev_files, lang, work / "dev.spacy", limit=sample and max(200, sample // 5), seed=seed)
        log(f"{lang}: {n_train} training and {n_dev} dev sentences")
        overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                     "nlp.lang": spacy_lang(lang), "system.seed": seed, "training.max_epochs": max_epochs,
                     "training.max_steps": max_steps, "training.eval_frequency": eval_frequency,
                     "training.patience": patience}
        config = work / "ner.cfg"
        config.write_text(config_text(init, max_minutes, vectors, width=width, embed_rows=embed_rows,
                                       averages=averages), encoding="utf-8")
        stopped = None
        try:
            spacy_train(config, work / "out", overrides=overrides)
        except TimeLimit as exc:
            stopped = str(exc)
            log(stopped)
        best = work / "out" / "model-best"
        if not best.is_dir():
            raise TrainingError("training stopped before the first dev evaluation; give it more time")
        meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
        export(best, out, lang)
    wall = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    info = {"lang": lang, "train_sentences": n_train, "dev_sentences": n_dev, "max_epochs": max_epochs,
            "wall_s": round(wall, 1), "dev_f1": round(float(meta.get("performance", {}).get("ents_f", 0.0)), 4),
            "bytes": size, "seed": seed, "stopped": stopped, "patience": patience,
            "init": Path(init).name if init else None,
            "vectors": vectors_shape(out), "averages": averages}
    (out / "training.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info

"""Shipping a trained spaCy pipeline: keep only the strings the pipeline itself needs.

spaCy saves every word it saw in training in `vocab/strings.json`. Our pipelines embed words by hash
(no vectors, no lexeme table), so that list is no part of the model; keeping it would put the
training corpora's vocabulary into the package. What stays: the blank language's own strings and
the component labels.
"""

from __future__ import annotations

import json
from pathlib import Path


def trim_strings(model_dir: Path) -> int:
    """Cut `model_dir/vocab/strings.json` to the blank language's strings plus every label; returns
    how many strings were kept."""
    import spacy

    nlp = spacy.load(model_dir)
    base = set(spacy.blank(nlp.lang).vocab.strings)
    labels = {str(label) for _, pipe in nlp.pipeline for label in getattr(pipe, "labels", ())}
    strings_file = Path(model_dir) / "vocab" / "strings.json"
    keep = sorted(s for s in json.loads(strings_file.read_text(encoding="utf-8")) if s in base or s in labels)
    strings_file.write_text(json.dumps(keep, ensure_ascii=False), encoding="utf-8")
    return len(keep)

"""spaCy entity spans per text, each text run through a pipeline once per process, shareable.

The trained NER (`analyze.entities.trained`) and the quote tagger (`analyze.quotes.learned`) ask
`spans_for(nlp, texts)` instead of calling `nlp.pipe` themselves: a paragraph seen before costs a
lookup, and spans a Ray worker computed (`storyline.engine`) are primed here (`prime_spans`) so the
driver's steps skip the spaCy pass. Keys are (pipeline name/version, text hash), the same on every
machine running the same package. Hand-written because spaCy has no result cache of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

Spans = list[tuple[int, int, str]]
_SPANS: OrderedDict[tuple[str, str], Spans] = OrderedDict()  # (pipeline key, text hash) -> spans
_SPANS_MAX = 100_000
_PIPE_LOCK = threading.Lock()  # a spaCy pipeline is not safe to share between threads mid-batch


_KEYS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def pipeline_key(nlp: Any) -> str:
    """The same on every machine with the same pipeline weights (not a local path): its meta plus a
    digest of each component's weights, computed once per loaded pipeline. The meta alone is not enough:
    a retrained or custom pipeline keeps the name and version it was trained with ("en/pipeline/0.0.0"),
    and two such pipelines in one process must never share cached spans."""
    try:
        return _KEYS[nlp]
    except (KeyError, TypeError):
        pass
    meta = getattr(nlp, "meta", {}) or {}
    digest = hashlib.blake2b(digest_size=8)
    for _name, pipe in getattr(nlp, "pipeline", []):
        model = getattr(pipe, "model", None)
        if model is not None and hasattr(model, "to_bytes"):
            digest.update(model.to_bytes())
    key = f"{meta.get('lang')}/{meta.get('name')}/{meta.get('version')}/{digest.hexdigest()}"
    with contextlib.suppress(TypeError):  # not weak-referenceable: recomputed next time
        _KEYS[nlp] = key
    return key


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def spans_for(nlp: Any, texts: list[str], batch_size: int) -> list[Spans]:
    """spaCy entity spans (offsets into each text) per text, each text run through `nlp` once per process."""
    key = pipeline_key(nlp)
    keys = [(key, _text_key(t)) for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in _SPANS))
    if todo:
        text_of = dict(zip(keys, texts, strict=True))
        with _PIPE_LOCK:  # a spaCy pipeline is not safe to share between threads mid-batch
            docs = nlp.pipe((text_of[k] for k in todo), batch_size=batch_size)
            for k, doc in zip(todo, docs, strict=True):
                _SPANS[k] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        while len(_SPANS) > _SPANS_MAX:
            _SPANS.popitem(last=False)
    return [_SPANS[k] for k in keys]


def export_spans(keys: Sequence[tuple[str, str]] | None = None) -> dict[tuple[str, str], Spans]:
    """Cached spans (all, or those of `keys`), to hand from a worker to the driver (`prime_spans`)."""
    return dict(_SPANS) if keys is None else {k: _SPANS[k] for k in keys if k in _SPANS}


def prime_spans(spans: dict[tuple[str, str], Spans]) -> None:
    _SPANS.update(spans)



def clear() -> None:
    _SPANS.clear()

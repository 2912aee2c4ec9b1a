"""Second opinion on the language family of a short text: py3langid between a few candidates.

lingua's fast trigram pass over all candidate languages (`language.py`) sometimes puts a short
Scandinavian sentence in an unrelated language (Nynorsk "Laos er eit land i Søraust-Asia." read as
Estonian): on one sentence a few trigrams decide. lingua's high-accuracy models would settle it, but
they cost ~20 MB per language, and the rival can be any of the candidates. py3langid (a naive Bayes
over byte n-grams, trained on other corpora than lingua, its 4.5 MB model in the package, ~0.02 ms
a text) is asked instead, restricted to the Scandinavian languages and lingua's best rivals, so the two
models must disagree with the trigram answer together before it changes. py3langid codes Bokmål "no".
"""

from __future__ import annotations

import copy
import threading
from functools import lru_cache
from typing import Any

#: our codes -> py3langid's
_TO_PY3 = {"nb": "no"}
_FROM_PY3 = {v: k for k, v in _TO_PY3.items()}
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _base() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """Every language the model knows (the base identifier is never restricted)."""
    return frozenset(_base().nb_classes)


@lru_cache(maxsize=64)
def _identifier(py3_codes: tuple[str, ...]) -> Any:
    """An identifier restricted to `py3_codes`, all known to the model (a shallow copy: `set_languages`
    rebinds the copy's arrays and leaves the shared full model alone, so identifiers of other sets are
    unaffected)."""
    with _LOCK:
        ident = copy.copy(_base())
        ident.set_languages(list(py3_codes))
    return ident


def best(text: str, scandinavian: tuple[str, ...], rivals: tuple[str, ...]) -> str | None:
    """Our code of py3langid's best language for `text` among `scandinavian` and `rivals` (None when
    py3langid knows fewer than two of them)."""
    py3 = tuple(sorted({_TO_PY3.get(c, c) for c in (*scandinavian, *rivals)} & _known()))
    if len(py3) < 2:
        return None
    label, _ = _identifier(py3).classify(text)
    return _FROM_PY3.get(label, label)

"""The fast-loading simplemma dictionaries (analyze/lemmas.py) give simplemma's own answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import simplemma

from storyline.analyze import lemmas

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def words(prefix: str) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob(f"{prefix}-*")))
    found = sorted(set(re.findall(r"[^\W\d_]{2,}", text)))
    assert len(found) > 200  # enough real words to compare on
    return found


@pytest.mark.parametrize("lang", ["en", "de"])
def test_same_answers_as_simplemma(lang: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(lemmas, "cache_dir", lambda: tmp_path)
    lemmas._factory.cache_clear()
    lemmas._tools.cache_clear()
    try:
        sample = words(lang)
        sample += [w.lower() for w in sample] + ["houses", "ran", "Häuser", "zzzxq"]
        for w in sample:
            assert lemmas.lemmatize(w, lang) == simplemma.lemmatize(w, lang=lang), w
            assert lemmas.is_known(w, lang) == simplemma.is_known(w, lang=lang), w
        if lemmas._factory() is not None:  # marisa-trie installed: the trie was cached on disk
            assert (tmp_path / f"{lang}.dic").is_file()
    finally:
        lemmas._factory.cache_clear()
        lemmas._tools.cache_clear()


def test_unsupported_language_raises_like_simplemma() -> None:
    with pytest.raises(ValueError):
        simplemma.lemmatize("word", lang="xx")
    with pytest.raises(ValueError):
        lemmas.lemmatize("word", "xx")
    with pytest.raises(ValueError):
        lemmas.is_known("word", "xx")

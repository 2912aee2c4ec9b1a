"""simplemma lookups (lemma, dictionary membership) whose dictionaries load in milliseconds.

simplemma's default dictionary factory decodes a language's whole front-coded dictionary into a
Python dict on first use: 0.2 to 5 CPU-seconds per language (Polish 4.9 s, Turkish 2.1 s, German
1.0 s), paid again by every process that lemmatises (each `storyline ingest`, `serve` start, test
process). simplemma's own trie factory (`TrieDictionaryFactory`, marisa-trie) builds a language once,
keeps it under the user cache folder and memory-maps it in later processes (about 0.01 s). Same
dictionaries, same answers (tests/test_lemmas.py compares both on real words). Without marisa-trie
installed, simplemma's default factory is used, as before.

One lemmatiser per process for the whole system (link features and the entity rules), so a
language's dictionary is loaded once, not once per caller.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    import platformdirs
    import simplemma

    return Path(platformdirs.user_cache_dir("storyline")) / f"simplemma-tries-{simplemma.__version__}"


@functools.lru_cache(maxsize=1)
def _factory() -> Any:
    """The trie factory when marisa-trie is importable, else None (simplemma's default)."""
    try:
        import marisa_trie  # noqa: F401  (the trie factory's own dependency)
        from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory
    except ImportError:
        return None

    class AtomicTrieFactory(TrieDictionaryFactory):
        """Writes a trie under a temporary name, then renames it: a process starting meanwhile
        never reads a half-written file (simplemma writes in place)."""

        def _write_trie_to_disk(self, lang: str, trie: Any) -> None:
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            target = self._cache_dir / f"{lang}.dic"
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            try:
                trie.save(str(tmp))
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)

    return AtomicTrieFactory(cache_max_size=16, disk_cache_dir=str(cache_dir()))


@functools.lru_cache(maxsize=1)
def _tools() -> tuple[Any, Any]:
    """(lemmatiser, dictionary lookup) built as simplemma's module-level functions build theirs."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy

    factory = _factory()
    if factory is None:
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

        factory = DefaultDictionaryFactory()
    return (Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory)),
            DictionaryLookupStrategy(factory))


def lemmatize(token: str, lang: str) -> str:
    """As `simplemma.lemmatize(token, lang=lang)` (raises ValueError for an unsupported language)."""
    return _tools()[0].lemmatize(token, lang)


def is_known(token: str, lang: str) -> bool:
    """As `simplemma.is_known(token, lang=lang)`: the token is a dictionary entry of `lang`."""
    from simplemma.utils import normalize_token, validate_lang_input  # simplemma >= 2.0

    lookup = _tools()[1]
    token = normalize_token(token)
    return any(lookup.get_lemma(token, code) is not None for code in validate_lang_input(lang))

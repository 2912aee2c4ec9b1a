"""Online two-level clustering: article -> event, event -> story.

Each new article is compared only with candidate events: those of its nearest articles in the ANN
index plus those sharing a (not too common) entity or name in the inverted index. Its score against an
event is the mean of its best two similarities to the event's most recent members, decayed by the days
between them (`event_decay_days`); it joins the best event at `event_threshold` or more, otherwise it
opens a new event. A new event is matched against the candidate stories (those of its candidate
events) by the learned story decision (`storymodel`: an evolving story profile, features, logistic
regression): it joins the most probable story at the model's threshold, else opens a new story
(`story_decision = "threshold"` keeps the older hand-set rule: member similarity with a slow decay
against `story_threshold`). Every `consolidate_every` articles, `consolidate` merges stories that
grew together and splits stories that drifted apart (see there). Everything is single-pass and
order-dependent by design (a stream); `recluster` replays the store in date order.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from storyline.link.features import ArticleFeatures
from storyline.link.ids import cluster_id
from storyline.link.index import EntityIndex, VectorIndex
from storyline.link.settings import ClusterSettings
from storyline.link.similarity import ENTITIES, NAMES, DocFreq, Prepared, prepare, prepared_score
from storyline.link.storymodel import MODEL_FILE, StoryModel, StoryProfile, load_model, story_features

NAME_KEYS = 8  # most frequent names of an article used as inverted-index keys
STORIES_COMPARED = 6  # stories of the best-scoring candidate events considered for a new event
CONSOLIDATION_SAMPLE = 8  # articles of a story (its first two, its latest) probed in consolidation
SPLIT_RECHECK_GROWTH = 1.05  # a story is considered for a split again once it grew by 5% (amortised flat)


@dataclass
class EventState:
    id: str
    story_id: str
    members: list[str] = field(default_factory=list)


@dataclass
class StoryState:
    id: str
    events: list[str] = field(default_factory=list)
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=8))
    profile: StoryProfile = field(default_factory=StoryProfile)
    articles: int = 0
    split_checked_at: int = 0  # its size when a split was last considered (re-checked as it grows)


@dataclass
class Consolidation:
    """One merge or split made by `Clusterer.consolidate`, with its evidence (for the story history)."""

    action: str  # "merged" (other into kept) or "split" (other split off kept)
    kept: str
    other: str
    probability: float
    articles: int  # articles moved
    evidence: dict = field(default_factory=dict)


@dataclass
class Assignment:
    article_id: str
    event_id: str
    story_id: str
    event_score: float
    story_score: float | None
    new_event: bool
    new_story: bool
    #: stories merged away after this placement: (removed id, kept id, score)
    merges: list[tuple[str, str, float]] = field(default_factory=list)


class Clusterer:
    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.s = settings or ClusterSettings()
        self.df = DocFreq()
        self.prepared: dict[str, Prepared] = {}  # article id -> weighted profiles + slim features
        self.vindex: VectorIndex | None = None
        self.events: dict[str, EventState] = {}
        self.stories: dict[str, StoryState] = {}
        self.article_event: dict[str, str] = {}
        self.keys = EntityIndex(self.s.entity_candidates)
        self.model: StoryModel | None = (load_model(Path(self.s.story_model) if self.s.story_model else MODEL_FILE)
                                         if self.s.story_decision == "learned" else None)
        self.placed = 0  # articles placed since the last consolidation
        self.dirty: set[str] = set()  # stories touched since the last consolidation
        self.consolidations: list[Consolidation] = []  # drained by the caller (history)

    # -- candidates ---------------------------------------------------------------------------
    def _index_keys(self, f: ArticleFeatures) -> list[tuple[str, str]]:
        """(namespace, key) pairs under which an article is indexed: its entities, else its top names."""
        if f.entities:  # sorted: a frozenset's order follows the hash seed, and candidate ties keep this order
            return [(ENTITIES, e) for e in sorted(f.entities)]
        top = sorted(f.names.items(), key=lambda kv: -kv[1])[:NAME_KEYS]
        return [(NAMES, n) for n, _ in top]

    def candidate_events(self, f: ArticleFeatures) -> tuple[set[str], list[str]]:
        """(candidate event ids, nearest article ids)."""
        near: list[str] = []
        if f.vec is not None and self.vindex is not None:
            near = [a for a in self.vindex.search(f.vec, self.s.ann_candidates) if a != f.article_id]
        events = {self.article_event[a] for a in near if a in self.article_event}
        hits: dict[str, int] = {}
        for space, key in self._index_keys(f):
            if self.df.n.get(space, 0) >= 20 and self.df.share(space, key) > self.s.entity_max_share:
                continue
            for rank, e in enumerate(reversed(self.keys.events(f"{space}:{key}"))):
                hits[e] = hits.get(e, 0) + self.s.entity_candidates - rank  # shared keys, then recency
        events.update(sorted(hits, key=hits.__getitem__, reverse=True)[:self.s.entity_candidates])
        return events, near

    # -- scores -------------------------------------------------------------------------------
    def _members_score(self, p: Prepared, members: list[str], decay_days: float, top: int,
                       floor: float = 0.0) -> float:
        scores = sorted((prepared_score(p, self.prepared[m], self.s, decay_days, floor).score
                         for m in members if m in self.prepared and m != p.f.article_id), reverse=True)
        if not scores:
            return 0.0
        best = scores[:top]
        return sum(best) / len(best)

    def event_score(self, p: Prepared, event_id: str, near: list[str] = ()) -> float:
        """Mean of the best two similarities to the event's most recent members and to its members
        among the article's nearest neighbours."""
        ev = self.events[event_id]
        nearest = [a for a in near if self.article_event.get(a) == event_id][:2]
        members = list(dict.fromkeys([*nearest, *ev.members[-self.s.event_members_compared:]]))
        return self._members_score(p, members, self.s.event_decay_days, 2)

    def story_score(self, p: Prepared, story_id: str, near: list[str]) -> float:
        st = self.stories[story_id]
        members = list(dict.fromkeys([*st.recent, *(a for a in near if self._story_of(a) == story_id)]))
        return self._members_score(p, members, self.s.story_decay_days, 3, self.s.story_decay_floor)

    def _story_of(self, article_id: str) -> str | None:
        ev = self.article_event.get(article_id)
        return self.events[ev].story_id if ev else None

    # -- assignment ---------------------------------------------------------------------------
    def assign(self, f: ArticleFeatures) -> Assignment:
        """Place one new article; updates the in-memory state and returns where it went."""
        a = self._assign(f)
        self.dirty.add(a.story_id)
        self.placed += 1
        if self.model is not None and self.s.consolidate_every and self.placed >= self.s.consolidate_every:
            self.consolidate()
        return a

    def _assign(self, f: ArticleFeatures) -> Assignment:
        self.df.add_features(f)
        p = prepare(f, self.df)
        events, near = self.candidate_events(f)
        scored = sorted(((self.event_score(p, e, near), e) for e in events), reverse=True)
        if scored and scored[0][0] >= self.s.event_threshold:
            score, eid = scored[0]
            sid = self.events[eid].story_id
            self._add(p, eid, sid)
            a = Assignment(f.article_id, eid, sid, score, None, False, False)
            a.merges = self.merge_stories(eid, [e for _, e in scored], near)
            a.story_id = self.events[eid].story_id
            return a
        eid = cluster_id("event", f.article_id, self.events)
        stories = list(dict.fromkeys(self.events[e].story_id for _, e in scored[:STORIES_COMPARED]))
        if self.model is not None:
            s_scored = sorted(((self.story_probability(p, s, near), s) for s in stories), reverse=True)
            threshold = self.model.threshold
        else:
            s_scored = sorted(((self.story_score(p, s, near), s) for s in stories), reverse=True)
            threshold = self.s.story_threshold
        event_best = scored[0][0] if scored else 0.0
        if s_scored and s_scored[0][0] >= threshold:
            s_score, sid = s_scored[0]
            new_story = False
        else:
            s_score = s_scored[0][0] if s_scored else 0.0
            sid, new_story = cluster_id("story", f.article_id, self.stories), True
        self._add(p, eid, sid)
        a = Assignment(f.article_id, eid, sid, event_best, s_score, True, new_story)
        a.merges = self.merge_stories(eid, [e for _, e in scored], near)
        a.story_id = self.events[eid].story_id
        return a

    def story_probability(self, p: Prepared, story_id: str, near: list[str]) -> float:
        """P(the article belongs to the story) from the learned model."""
        x = story_features(p, self.stories[story_id].profile, self.story_score(p, story_id, near))
        return self.model.probability(x)

    # -- online story merge -------------------------------------------------------------------
    @staticmethod
    def _keys(p: Prepared) -> set[str]:
        """Entities of a placed article, else its names (numbers excluded: too easily shared)."""
        if p.entities:
            return set(p.entities)
        return {n for n in p.names if not n.startswith("#")}

    def _story_keys(self, story_id: str) -> set[str]:
        return {k for a in self.stories[story_id].recent if a in self.prepared for k in self._keys(self.prepared[a])}

    def merge_stories(self, event_id: str, candidate_events: list[str], near: list[str]
                      ) -> list[tuple[str, str, float]]:
        """Merge the event's story with candidate stories it has grown close to (see settings).

        Why online: a story opened by an early, thinly covered event is otherwise never reunited with
        the story that later coverage shows it belongs to, so long stories fragment. The older story
        keeps its id (ids stay stable for whoever cited them)."""
        merges: list[tuple[str, str, float]] = []
        if self.model is not None:  # the learned decision consolidates in periodic passes instead
            return merges
        ev = self.events[event_id]
        probes = [self.prepared[m] for m in ev.members[-self.s.story_merge_members:] if m in self.prepared]
        if not probes:
            return merges
        keys = {k for p in probes for k in self._keys(p)}
        others = list(dict.fromkeys(self.events[e].story_id for e in candidate_events if e in self.events))
        for other in others[:STORIES_COMPARED]:
            own = self.events[event_id].story_id
            if other == own or other not in self.stories:
                continue
            score = sum(self.story_score(p, other, near) for p in probes) / len(probes)
            if score < self.s.story_merge_threshold or not keys & self._story_keys(other):
                continue
            sizes = [sum(len(self.events[e].members) for e in self.stories[x].events) for x in (own, other)]
            if min(sizes) > self.s.story_merge_max_articles:
                continue
            order = list(self.stories)
            keep, drop = (own, other) if order.index(own) < order.index(other) else (other, own)
            self._merge(keep, drop)
            merges.append((drop, keep, score))
        return merges

    def _merge(self, keep: str, drop: str) -> None:
        kept, dropped = self.stories[keep], self.stories.pop(drop)
        for e in dropped.events:
            self.events[e].story_id = keep
        kept.events.extend(dropped.events)
        kept.profile.absorb(dropped.profile)
        kept.articles += dropped.articles
        def day(a: str) -> int:  # undated members sort first: least useful as "recent" evidence
            p = self.prepared.get(a)
            return p.f.day if p is not None and p.f.day is not None else -1

        both = sorted([*kept.recent, *dropped.recent], key=day)  # stable: ties keep arrival order
        kept.recent.clear()
        kept.recent.extend(both)

    def _add(self, p: Prepared, event_id: str, story_id: str, index_vector: bool = True) -> None:
        """Record a placement (also used to rebuild the state from the store)."""
        f = p.f
        if f.terms or f.names or f.display:  # keep only the weighted profiles: halves memory per article
            p.f = f = replace(f, terms={}, names={}, display={})
        self.prepared[f.article_id] = p
        ev = self.events.get(event_id)
        if ev is None:
            ev = self.events[event_id] = EventState(event_id, story_id)
            st = self.stories.get(story_id)
            if st is None:
                st = self.stories[story_id] = StoryState(story_id)
            st.events.append(event_id)
        ev.members.append(f.article_id)
        st = self.stories[ev.story_id]
        st.recent.append(f.article_id)
        st.profile.add(p)
        st.articles += 1
        self.article_event[f.article_id] = event_id
        if f.vec is not None and index_vector:
            if self.vindex is None:
                self.vindex = VectorIndex(int(f.vec.shape[0]))
            self.vindex.add(f.article_id, f.vec)
        for space, key in self._index_keys(f):
            self.keys.add(f"{space}:{key}", event_id)

    def restore(self, f: ArticleFeatures, event_id: str, story_id: str) -> None:
        self.restore_many([(f, event_id, story_id)])

    def restore_many(self, items: list[tuple[ArticleFeatures, str, str]],
                     vindex: VectorIndex | None = None) -> None:
        """Rebuild state from stored placements (in arrival order); vectors are indexed in one batch,
        unless `vindex` already holds exactly these vectors (a saved index)."""
        with_vec = []
        for f, event_id, story_id in items:
            self.df.add_features(f)
            self._add(prepare(f, self.df), event_id, story_id, index_vector=False)
            if f.vec is not None:
                with_vec.append(f)
        if self.s.consolidate_every:  # the pass counter survives processes: it is the store's count
            self.placed = len(items) % self.s.consolidate_every
            self.dirty = {self.events[e].story_id for _, e, _ in items[len(items) - self.placed:]
                          if e in self.events}
        if vindex is not None:
            self.vindex = vindex
        elif with_vec:
            if self.vindex is None:
                self.vindex = VectorIndex(int(with_vec[0].vec.shape[0]))
            self.vindex.add_many([f.article_id for f in with_vec], np.vstack([f.vec for f in with_vec]))

    # -- consolidation ------------------------------------------------------------------------
    def _group_probability(self, members: list[str], profile: StoryProfile, target_members: list[str]) -> float:
        """Mean P(same story) of a group's articles (a sample) against another group's profile: the
        decision each article would get if it arrived now, so the model sees the kind of pair it was
        fitted on (a story centroid against another is not such a pair)."""
        sample = [m for m in dict.fromkeys([*members[:2], *members[-(CONSOLIDATION_SAMPLE - 2):]])
                  if m in self.prepared]
        if not sample:
            return 0.0
        recent = target_members[-8:]
        probs = []
        for m in sample:
            q = self.prepared[m]
            member = self._members_score(q, recent, self.s.story_decay_days, 3, self.s.story_decay_floor)
            probs.append(self.model.probability(story_features(q, profile, member)))
        return sum(probs) / len(probs)

    def _sample(self, story_id: str) -> list[str]:
        """A story's first two articles and its most recent ones (constant size, whatever its length)."""
        st = self.stories[story_id]
        first = self.events[st.events[0]].members[:2] if st.events else []
        return list(dict.fromkeys([*first, *st.recent]))

    def _members(self, story_id: str) -> list[str]:
        return [a for e in self.stories[story_id].events for a in self.events[e].members]

    def consolidate(self, story_ids: set[str] | None = None) -> list[Consolidation]:
        """Split stories that drifted apart, then merge stories that grew together.

        Why: a single pass decides each event once, with the story as it was then; a story opened by a
        thin early event is never reunited with the thread later coverage shows it belongs to, and a
        story that took one wrong event keeps attracting that neighbour's events. A split cuts a story's
        events into two groups (2-means over event centroids) and separates them when the model gives
        the smaller group against the rest less than `split_threshold`; a merge joins a story to a
        candidate story (its centroid's nearest articles) at `merge_threshold` or more. The larger
        story keeps its id. Only stories touched since the last pass are examined (flat cost)."""
        if self.model is None:
            return []
        # in id order before the stable size sorts below: a set's order changes with the process's
        # string hash seed, and ties in size must not decide merges differently from run to run
        todo = sorted(sid for sid in (self.dirty if story_ids is None else story_ids) if sid in self.stories)
        self.dirty, self.placed = set(), 0
        done: list[Consolidation] = []
        for sid in sorted(todo, key=lambda x: -self.stories[x].articles if x in self.stories else 0):
            if sid in self.stories:
                done += self._maybe_split(sid)
        for sid in sorted(todo, key=lambda x: self.stories[x].articles if x in self.stories else 0):
            if sid in self.stories:
                done += self._maybe_merge(sid)
        self.consolidations += done
        return done

    def _maybe_merge(self, sid: str) -> list[Consolidation]:
        st = self.stories[sid]
        members = self._sample(sid)
        cen = st.profile.centroid(None)
        if cen is None or self.vindex is None:
            return []
        near = self.vindex.search(cen, self.s.ann_candidates)
        others = list(dict.fromkeys(o for a in near if (o := self._story_of(a)) and o != sid))[:STORIES_COMPARED]
        best: tuple[float, str] | None = None
        for other in others:
            prob = self._group_probability(members, self.stories[other].profile, self._sample(other))
            if best is None or prob > best[0]:
                best = (prob, other)
        if best is None or best[0] < self.model.merge_threshold:
            return []
        prob, other = best
        keep, drop = (other, sid) if self.stories[other].articles >= st.articles else (sid, other)
        moved = self.stories[drop].articles
        shared = sorted(set(self.stories[keep].profile.keys) & set(self.stories[drop].profile.keys),
                        key=lambda k: (-self.stories[drop].profile.keys[k], k))[:5]
        self._merge(keep, drop)
        return [Consolidation("merged", keep, drop, prob, moved, {"shared_keys": shared})]

    def _maybe_split(self, sid: str) -> list[Consolidation]:
        st = self.stories[sid]
        if len(st.events) < 2 or st.articles < 2 * self.s.split_min_articles:
            return []
        if st.split_checked_at and st.articles < SPLIT_RECHECK_GROWTH * st.split_checked_at:
            return []  # checked at a size not much smaller: the cost stays flat per article
        st.split_checked_at = st.articles
        ev_vecs = []
        for e in st.events:
            vs = [self.prepared[m].f.vec for m in self.events[e].members
                  if m in self.prepared and self.prepared[m].f.vec is not None]
            ev_vecs.append(np.mean(vs, axis=0) if vs else None)
        ix = [i for i, v in enumerate(ev_vecs) if v is not None]
        if len(ix) < 2:
            return []
        x = np.vstack([ev_vecs[i] for i in ix])
        sizes = np.array([len(self.events[st.events[i]].members) for i in ix], dtype=np.float32)
        labels = _two_means(x, sizes)
        parts = [[st.events[i] for i, lab in zip(ix, labels, strict=True) if lab == k] for k in (0, 1)]
        counts = [sum(len(self.events[e].members) for e in part) for part in parts]
        if min(counts) < self.s.split_min_articles:
            return []
        small, big = (parts[0], parts[1]) if counts[0] < counts[1] else (parts[1], parts[0])
        profiles = []
        for part in (small, big):
            prof = StoryProfile()
            for e in part:
                for m in self.events[e].members:
                    if m in self.prepared:
                        prof.add(self.prepared[m])
            profiles.append(prof)
        small_members = [m for e in small for m in self.events[e].members]
        big_members = [m for e in big for m in self.events[e].members]
        prob = self._group_probability(small_members, profiles[1], big_members)
        if prob >= self.model.split_threshold:
            return []
        new_id = cluster_id("story", small_members[0], self.stories)
        new = self.stories[new_id] = StoryState(new_id)
        st.events = [e for e in st.events if e not in set(small)]
        new.events = list(small)
        for e in small:
            self.events[e].story_id = new_id
        for state, prof, mem in ((st, profiles[1], big_members), (new, profiles[0], small_members)):
            state.profile, state.articles = prof, len(mem)
            state.recent.clear()
            state.recent.extend(mem[-state.recent.maxlen:])
        return [Consolidation("split", sid, new_id, prob, len(small_members),
                              {"events": len(small), "kept_events": len(big)})]


def _two_means(x: np.ndarray, w: np.ndarray, iters: int = 10) -> list[int]:
    """Weighted 2-means (cosine) over unit-ish vectors, seeded by the two least similar rows."""
    sims = x @ x.T
    i, j = np.unravel_index(int(np.argmin(sims)), sims.shape)
    c = np.vstack([x[i], x[j]])
    labels = np.zeros(len(x), dtype=int)
    for _ in range(iters):
        new = np.argmax(x @ c.T, axis=1)
        if (new == labels).all() and _ > 0:
            break
        labels = new
        for k in (0, 1):
            if (labels == k).any():
                c[k] = (x[labels == k] * w[labels == k, None]).sum(axis=0)
                c[k] /= np.linalg.norm(c[k]) or 1.0
    return labels.tolist()

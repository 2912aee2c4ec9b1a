"""Resolution: mentions → one canonical entity, within an article and across articles/languages.

Within an article, a surname or short form ("Maduro", "Guido") joins the full name introduced in the
same article, and full names with the same surname and a near-identical first name join ("Nicholas"
/ "Nicolas"). Across articles, each local cluster is matched through blocking keys stored in an
indexed table (so adding articles never scans the corpus): the gazetteer place id (exonyms), the
transliterated person key with the first name replaced by its variant family ("Michael Pompeo" ≡
"Mike Pompeo"), and the surname. A misspelling ("Juan Guido" ~ "Juan Guaidó") merges only when the
names are similar AND the candidate shares context with the article (co-mentioned entities, roles):
string distance alone never merges. Organisations also match across languages by head-word family and
distinctive word ("Grupo de Lima" ≡ "Lima Group" ≡ "Lima-gruppen"), and an acronym joins the one
organisation whose initials it spells ("CNE"). A surname that is also some town's alternate name joins
the person introduced in the article rather than the town. Canonical names are always forms the
texts use (a gazetteer name only where some article writes it). Every merge writes its evidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from storyline.analyze.entities.cues import org_family_key, org_parts
from storyline.analyze.entities.gazetteer import ORGANISATION_TERRITORIES, get_gazetteer, place_type
from storyline.analyze.entities.normalize import canonical_given_name, fold, has_diacritics, person_key
from storyline.analyze.entities.settings import EntitySettings
from storyline.model import Mention


@dataclass
class Cluster:
    mentions: list[Mention]
    type: str
    name: str  # best full form in the article
    place_id: str | None = None
    rules: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return fold(self.name).split()

    def keys(self) -> list[str]:
        """Blocking keys stored for the entity this cluster ends up in."""
        if self.place_id:
            return [f"place:{self.place_id}", f"name:{fold(self.name)}"]
        words = self.words
        keys = [f"name:{fold(self.name)}"]
        if self.type == "PER" and len(words) >= 2:
            keys += [f"per:{person_key(self.name)}", f"sur:{words[-1]}", f"blk:{words[-1][:2]}"]
            if len(words) >= 3:  # "Edmundo González Urrutia" is what a later "Edmundo González" may be
                keys.append(f"perpre:{person_key(' '.join(words[:2]))}")
        elif self.type == "ORG" and len(words) >= 2:
            keys.append(f"org:{fold(self.name)}")
        if self.type == "ORG" and (fam := org_family_key(fold(self.name))):
            keys.append(f"orgfam:{fam}")
        if self.type == "ORG" and (acr := _initials(words)) and len(acr) >= 3:
            keys.append(f"acr:{acr}")  # "Consejo Nacional Electoral" is what a later "CNE" may stand for
        elif words:
            keys.append(f"blk:{words[-1][:2]}")
        return keys


def entity_id_for(type_: str, key: str) -> str:
    return "n-" + hashlib.sha1(f"{type_}|{key}".encode()).hexdigest()[:10]


def cluster_article(mentions: list[Mention]) -> list[Cluster]:
    """Group one article's mentions: places by gazetteer id, short forms onto full names."""
    gz = get_gazetteer()
    clusters: list[Cluster] = []
    by_place: dict[str, Cluster] = {}
    by_key: dict[str, Cluster] = {}
    ordered = sorted(mentions, key=lambda m: (-len((m.normalized or m.text).split()), m.start))
    for m in ordered:
        name = m.normalized or m.text
        place = None
        if m.type == "LOC" or len(name.split()) > 1 or name.replace(".", "").isupper():
            p, ambiguous = gz.lookup(name)
            if p is not None and (not ambiguous or m.type == "LOC"):
                place = p
        if place is not None and place.kind != "territory" and len(name.split()) == 1:
            # "Machado" after "María Corina Machado" in the same article is her, not a town so named
            person = _full_name_for([c for c in clusters if c.type == "PER"], fold(name), m.start)
            if person is not None:
                m.type = "PER"
                person.mentions.append(m)
                continue
        if place is not None and (m.type in ("LOC", place_type(place.id)) or place.kind == "territory"):
            c = by_place.get(place.id)
            if c is None:
                c = by_place[place.id] = Cluster([], place_type(place.id), place.name, place_id=place.id)
                clusters.append(c)
            c.mentions.append(m)
            m.type = c.type
            continue
        words = fold(name).split()
        if not words:
            continue
        key = person_key(name) if m.type == "PER" else " ".join(words)
        c = by_key.get(key)
        if c is None and len(words) >= 2 and m.type == "PER":
            c = _same_person(clusters, words)
            if c is not None:
                c.rules.append("first-name-variant")
        if c is None and len(words) == 1:
            c = _full_name_for(clusters, words[0], m.start)
            if c is None and _is_acronym(name):
                c = next((k for k in clusters if k.type == "ORG" and _initials(k.words) == words[0]), None)
                if c is not None:
                    c.rules.append("acronym-of-full-name")
            if c is not None:
                m.type = c.type
        if c is None:
            c = Cluster([], m.type, name)
            clusters.append(c)
        by_key.setdefault(key, c)
        c.mentions.append(m)
    for c in clusters:
        if not c.place_id:
            c.name = best_name([(mm.normalized or mm.text, 1, 1) for mm in c.mentions])
    return clusters


def _same_person(clusters: list[Cluster], words: list[str]) -> Cluster | None:
    for c in clusters:
        cw = c.words
        if c.type == "PER" and len(words) == 2 and len(cw) >= 3 and cw[:2] == words:
            return c  # "Edmundo González" after "Edmundo González Urrutia" (a second surname dropped)
        if c.type == "PER" and len(cw) >= 2 and cw[-1] == words[-1] and len(cw) == len(words):
            a, b = canonical_given_name(cw[0]), canonical_given_name(words[0])
            if a == b or fuzz.ratio(a, b) >= 80:
                return c
    return None


def _org_compatible(a: str, b: str) -> bool:
    """Two organisation names with one head family differ only in cognates ("nacional"/"national") and
    nationality words ("Norwegian", "Norske"): "Security Council" never joins "National Security
    Council"."""
    pa, pb = org_parts(a), org_parts(b)
    if not pa or not pb or pa[0] != pb[0]:
        return False
    only_a = [w for w in pa[1] if w not in pb[1]]
    only_b = [w for w in pb[1] if w not in pa[1]]
    for w in list(only_a):
        twin = next((v for v in only_b if fuzz.ratio(w, v) >= 75), None)
        if twin is not None:
            only_a.remove(w)
            only_b.remove(twin)
    prefixes = _territory_prefixes()
    return all(w[:3] in prefixes for w in only_a + only_b)


@lru_cache(maxsize=1)
def _territory_prefixes() -> frozenset[str]:
    """First three letters of every country name in every supported language ("nor" from Norge, Norway,
    Norwegen): a word sharing them is taken for a nationality adjective."""
    gz = get_gazetteer()
    return frozenset(k[:3] for k, pid in gz.names.items() if len(pid) == 4 and pid[2:].isalpha()
                     and pid not in ORGANISATION_TERRITORIES and len(k) >= 4 and " " not in k)


_INITIALS_SKIP = {"of", "the", "and", "de", "del", "la", "el", "los", "las", "y", "et", "und", "og", "for", "i",
                  "der", "die", "das", "des", "du", "von"}


def _is_acronym(name: str) -> bool:
    compact = name.replace(".", "")
    return compact.isupper() and compact.isalpha() and 2 <= len(compact) <= 6


def _initials(words: list[str]) -> str | None:
    """"consejo nacional electoral" -> "cne"; None for a one-word name."""
    kept = [w for w in words if w not in _INITIALS_SKIP]
    return "".join(w[0] for w in kept) if len(kept) >= 2 else None


def _full_name_for(clusters: list[Cluster], word: str, pos: int) -> Cluster | None:
    """The full-name cluster a lone word refers to: by surname (or another non-first part), else by a
    unique first name; the nearest one introduced before `pos` wins."""
    cands = [c for c in clusters if not c.place_id and len(c.words) >= 2 and word in c.words[1:]]
    if not cands:
        cands = [c for c in clusters if not c.place_id and c.type == "PER" and len(c.words) >= 2
                 and c.words[0] == word]
        if len(cands) != 1:
            return None
    before = [c for c in cands if min(m.start for m in c.mentions) < pos]
    pool = before or cands
    return max(pool, key=lambda c: (max((m.start for m in c.mentions if m.start < pos), default=-1),
                                    len(c.mentions)))


def best_name(forms: list[tuple[str, int, int]]) -> str:
    """Best-attested full form: most words, then most articles, then diacritics, then most mentions."""
    def score(f: tuple[str, int, int]):
        name, arts, n = f
        return (min(len(name.split()), 3), arts, has_diacritics(name), n, name)

    merged: dict[str, list[int]] = {}
    for name, arts, n in forms:
        cur = merged.setdefault(name, [0, 0])
        cur[0] += arts
        cur[1] += n
    return max(((k, v[0], v[1]) for k, v in merged.items()), key=score)[0]


class Resolver:
    """Resolves the clusters of new articles against the stored entities (through blocking keys)."""

    def __init__(self, store, settings: EntitySettings | None = None) -> None:
        self.store = store
        self.settings = settings or EntitySettings()
        self.touched: set[str] = set()
        # per-run caches of the blocking-key table and entity rows: resolution asks for the same keys
        # over and over (every "Maduro" in a batch), so each is read from SQLite once; merges clear them
        self._keys: dict[str, list[str]] = {}
        self._rows: dict[str, object] = {}
        self._evidence: list[tuple] = []

    def _by_key(self, key: str) -> list[str]:
        hits = self._keys.get(key)
        if hits is None:
            hits = self._keys[key] = self.store.entities_by_key(key)
        return hits

    def _row(self, eid: str):
        if eid not in self._rows:
            self._rows[eid] = self.store.entity_row(eid)
        return self._rows[eid]

    def _add_keys(self, eid: str, keys: list[str]) -> None:
        new = []
        for k in keys:
            hits = self._by_key(k)
            if eid not in hits:
                hits.append(eid)
                new.append(k)
        if new:
            self.store.add_entity_keys(eid, new)

    def _flush_evidence(self) -> None:
        if self._evidence:
            self.store.add_evidence_many(self._evidence)
            self._evidence = []

    def resolve_article(self, article_id: str, mentions: list[Mention]) -> list[Mention]:
        clusters = cluster_article(mentions)
        resolved: dict[int, str] = {}
        # pass 1: exact keys (place ids, person keys, names); pass 2: surnames; pass 3: similar + context
        for c in clusters:
            eid, rule = self._exact(c)
            if eid:
                resolved[id(c)] = eid
                self._attach(c, eid, rule, 1.0, article_id)
        for c in clusters:
            if id(c) in resolved:
                continue
            eid = self._surname(c)
            if eid:
                resolved[id(c)] = eid
                self._attach(c, eid, "surname", 1.0, article_id)
        for c in clusters:
            if id(c) in resolved:
                continue
            context = {e for k, e in resolved.items() if k != id(c)}
            hit = self._similar(c, context)
            if hit:
                eid, sim, ctx, shared = hit
                resolved[id(c)] = eid
                self._attach(c, eid, "similar-name+context", round(sim * ctx, 3), article_id,
                             {"name_similarity": round(sim, 3), "context_overlap": round(ctx, 3),
                              "shared_context": shared})
                continue
            eid = self._new_entity(c)
            resolved[id(c)] = eid
            self._attach(c, eid, "new", None, article_id)
        # a full name arriving later absorbs earlier surname-only entities of the same surname
        for c in clusters:
            if c.type == "PER" and len(c.words) >= 2 and not c.place_id:
                self._absorb_surname_only(resolved[id(c)], c.words[-1], article_id)
        out = []
        for c in clusters:
            for m in c.mentions:
                m.entity_id = self._current(resolved[id(c)])
                out.append(m)
        self._flush_evidence()
        return sorted(out, key=lambda m: m.start)

    # -- matching -------------------------------------------------------------------------------
    def _current(self, eid: str) -> str:
        while self._row(eid) is None:
            moved = self.store.entity_moved_to(eid)
            if moved is None:
                return eid
            eid = moved
        return eid

    def _exact(self, c: Cluster) -> tuple[str | None, str]:
        if c.place_id:
            hits = self._by_key(f"place:{c.place_id}")
            return (hits[0], "exonym") if hits else (None, "")
        words = c.words
        if c.type == "PER" and len(words) >= 2:
            hits = self._by_key(f"per:{person_key(c.name)}")
            if hits:
                return hits[0], "same-name" if not c.rules else c.rules[0]
        if c.type == "PER" and len(words) == 2:
            hits = [h for h in self._by_key(f"perpre:{person_key(c.name)}") if (r := self._row(h)) is not None
                    and r["type"] == "PER"]
            if len(hits) == 1 and not self._by_key(f"per:{person_key(c.name)}"):
                return hits[0], "first-names-of-longer-name"
        if c.type == "ORG" and len(words) >= 2:
            hits = self._by_key(f"org:{fold(c.name)}")
            if hits:
                return hits[0], "same-name"
        hits = self._by_key(f"name:{fold(c.name)}")
        if len(hits) >= 1:
            return hits[0], "same-name"
        if c.type == "ORG" and (fam := org_family_key(fold(c.name))):
            hits = [h for h in self._by_key(f"orgfam:{fam}") if (r := self._row(h)) is not None
                    and r["type"] != "LOC" and any(_org_compatible(fold(c.name), fold(f))
                                                   for f, _, _ in self.store.entity_name_forms(h))]
            if len(hits) == 1:  # "Grupo de Lima" ~ "Lima Group": same head family, same distinctive word
                return hits[0], "organisation-head-translation"
        if c.type == "ORG" and len(words) == 1 and _is_acronym(c.name) and len(words[0]) >= 3:
            hits = [h for h in self._by_key(f"acr:{words[0]}") if (r := self._row(h)) is not None
                    and r["type"] == "ORG"]
            if len(hits) == 1:  # one stored organisation has these initials
                return hits[0], "acronym"
        return None, ""

    def _surname(self, c: Cluster) -> str | None:
        words = c.words
        if len(words) != 1 or c.place_id:
            return None
        hits = self._by_key(f"sur:{words[0]}")
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:  # the most mentioned full name with this surname, if it dominates
            counts = sorted(((self._count(h), h) for h in hits), reverse=True)
            if counts[0][0] >= 3 * max(counts[1][0], 1):
                return counts[0][1]
        return None

    def _count(self, eid: str) -> int:
        return self.store.entity_mention_count(eid)

    def _similar(self, c: Cluster, context: set[str]) -> tuple[str, float, float, list[str]] | None:
        if c.place_id or not c.words or len(c.words[-1]) < 4 or not context:
            return None
        my_key = person_key(c.name) if c.type == "PER" else fold(c.name)
        best = None
        for eid in set(self._by_key(f"blk:{c.words[-1][:2]}")):
            row = self._row(eid)
            if row is None or row["type"] != c.type:
                continue
            sim = max((fuzz.ratio(my_key, person_key(f) if c.type == "PER" else fold(f)) / 100
                       for f, _, _ in self.store.entity_name_forms(eid) if len(f.split()) == len(c.name.split())),
                      default=0.0)
            if sim < self.settings.fuzzy_name_threshold:
                continue
            ectx = self.store.entity_context(eid, self.settings.context_articles)
            shared = sorted(context & set(ectx))
            roles = {(m.role or "").lower() for m in c.mentions if m.role}
            role_bonus = 0.2 if roles & self.store.entity_roles(eid) else 0.0
            ctx = min(1.0, len(shared) / max(1, min(len(context), len(ectx))) + role_bonus)
            if ctx < self.settings.fuzzy_context_threshold:
                continue
            if best is None or sim * ctx > best[1] * best[2]:
                names = [self._row(e)["name"] for e in shared if self._row(e)]
                best = (eid, sim, ctx, names)
        return best

    def _absorb_surname_only(self, eid: str, surname: str, article_id: str) -> None:
        eid = self._current(eid)
        for other in list(self._by_key(f"name:{surname}")):
            if other == eid:
                continue
            row = self._row(other)
            if row is None or len(fold(row["name"]).split()) != 1 or row["type"] == "LOC":
                continue
            fulls = self._by_key(f"sur:{surname}")
            if len(set(fulls)) != 1:
                continue
            self._flush_evidence()
            self.store.add_evidence(eid, "surname", 1.0, row["name"], article_id,
                                    {"merged_entity": other, "full_name": self._row(eid)["name"]})
            self.merge(eid, other)

    def merge(self, keep: str, drop: str) -> None:
        self._flush_evidence()
        self._keys.clear()
        self._rows.clear()
        self.store.merge_entities(keep, drop)
        self.store.record_entity_move(drop, keep)
        self.touched.add(keep)
        self.touched.discard(drop)

    # -- writing --------------------------------------------------------------------------------
    def _new_entity(self, c: Cluster) -> str:
        key = f"place:{c.place_id}" if c.place_id else (
            f"per:{person_key(c.name)}" if c.type == "PER" else f"name:{fold(c.name)}")
        eid = entity_id_for(c.type, key)
        n = 1
        while self._row(eid) is not None:  # a split-off entity may hold this id
            n += 1
            eid = entity_id_for(c.type, f"{key}#{n}")
        self.store.create_entity(eid, c.name, c.type, key)
        self._rows.pop(eid, None)
        return eid

    def _attach(self, c: Cluster, eid: str, rule: str, score: float | None, article_id: str,
                detail: dict | None = None) -> None:
        eid = self._current(eid)
        self._add_keys(eid, c.keys())
        self.touched.add(eid)
        forms = sorted({m.text for m in c.mentions})
        info = {"mentions": forms[:10], **(detail or {})}
        if c.rules and rule == "new":
            info["within_article"] = sorted(set(c.rules))
        if len({fold(m.normalized or m.text) for m in c.mentions}) > 1 and rule in ("new", "same-name"):
            info["within_article"] = sorted(set(c.rules) | {"short-form-of-full-name"})
        self._evidence.append((eid, rule, score, c.name, article_id, info))

    def finish(self) -> None:
        """Recompute canonical names and types of the entities touched by this batch."""
        self._flush_evidence()
        self._rows.clear()
        gz = get_gazetteer()
        for eid in list(self.touched):
            row = self.store.entity_row(eid)
            if row is None:
                continue
            forms = self.store.entity_name_forms(eid)
            if row["key"].startswith("place:"):
                # the gazetteer's English name only where the texts use it ("Russia" for Russland/Rusland),
                # never a form no article contains ("Camacupa" for a mention "Machado")
                place = gz.places.get(row["key"][6:])
                attested = {fold(f) for f, _, _ in forms}
                if not row["name_locked"]:
                    if place and fold(place.name) in attested:
                        self.store.set_entity_name(eid, place.name)
                    elif forms:
                        self.store.set_entity_name(eid, best_name(forms))
                continue
            if forms and not row["name_locked"]:
                self.store.set_entity_name(eid, best_name(forms))
            types = self.store.entity_mention_types(eid)
            if types and types[0][0] != row["type"]:
                self.store.set_entity_type(eid, types[0][0])
        self.touched.clear()

"""The entity page as readers see it: merge evidence as sentences grouped by rule, roles per language,
the entity's own dated timeline across stories, and the names it is most often mentioned with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storyline.serve.data import Data
from storyline.serve.web.i18n import human_date

# why two mentions were judged one entity, in words (the resolver's rule names; unknown rules are
# shown with their dashes as spaces)
RULES = {
    "new": "first seen in this article",
    "same-name": "the same name",
    "short-form-of-full-name": "short form of the full name in the same article",
    "first-name-variant": "a variant of the first name in the same article",
    "acronym-of-full-name": "the acronym of the full name in the same article",
    "first-names-of-longer-name": "the first names of a longer name already known",
    "surname": "the surname of a person already named",
    "exonym": "the same place written in another language",
    "organisation-head-translation": "the organisation's name translated",
    "user-merge": "merged by an editor",
    "user-split": "split off by an editor",
}
MAX_EVIDENCE_ROWS = 20_000
STORY_LIMIT = 12
TIMELINE_ARTICLES = 300
TIMELINE_ROWS = 30


@dataclass
class RuleGroup:
    rule: str
    description: str
    articles: int = 0
    forms: dict[str, int] = field(default_factory=dict)  # surface form -> articles

    @property
    def top_forms(self) -> list[tuple[str, int]]:
        return sorted(self.forms.items(), key=lambda kv: (-kv[1], kv[0]))[:8]


def evidence_groups(evidence: list[dict[str, Any]], name: str) -> list[RuleGroup]:
    """One group per rule (including the within-article rules recorded in `detail`), with the forms
    it joined to `name` and in how many articles, most used rule first."""
    groups: dict[str, RuleGroup] = {}
    seen: dict[str, set[str]] = {}
    for ev in evidence[:MAX_EVIDENCE_ROWS]:
        detail = ev.get("detail") if isinstance(ev.get("detail"), dict) else {}
        rules = [str(ev.get("rule") or "?")] + [str(r) for r in detail.get("within_article") or []]
        forms = [str(f) for f in detail.get("mentions") or []] or ([str(ev["alias"])] if ev.get("alias") else [])
        article = str(ev.get("article_id") or "")
        for rule in dict.fromkeys(rules):
            g = groups.get(rule)
            if g is None:
                g = groups[rule] = RuleGroup(rule=rule, description=RULES.get(rule, rule.replace("-", " ")))
                seen[rule] = set()
            if article and article not in seen[rule]:
                seen[rule].add(article)
                g.articles += 1
            for f in forms:
                if f != name:
                    g.forms[f] = g.forms.get(f, 0) + 1
    order = sorted(groups.values(), key=lambda g: (g.rule == "new", -g.articles, g.rule))
    return order


def roles_by_language(roles: list[dict[str, str]]) -> list[tuple[str, list[str]]]:
    """[(lang, [role, ...])], each role once per language."""
    out: dict[str, list[str]] = {}
    for r in roles or []:
        lang = r.get("lang") or "?"
        role = (r.get("role") or "").strip()
        if role and role not in out.setdefault(lang, []):
            out[lang].append(role)
    return sorted(out.items(), key=lambda kv: (kv[0] == "?", kv[0]))


@dataclass
class Dated:
    date: str
    label: str
    sentence: str
    lang: str | None
    article_id: str
    index: int | None
    story: Any | None


def entity_timeline(data: Data, entity: Any, article_ids: list[str], ui: str) -> list[Dated]:
    """Dated statements naming the entity, newest first, across all its stories."""
    names = {entity.name.casefold(), *(a.casefold() for a in entity.aliases or [])}
    rows = data.statement_rows(article_ids[-TIMELINE_ARTICLES:])
    picked: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        ents = {str(e).casefold() for e in r.get("entities") or []}
        if ents & names or entity.name.casefold() in (r.get("sentence") or "").casefold():
            picked.setdefault((r["date"], r["sentence"]), r)
    out = []
    for (day, _s), r in sorted(picked.items(), key=lambda kv: kv[0][0], reverse=True)[:TIMELINE_ROWS]:
        out.append(Dated(date=day, label=human_date(day, ui), sentence=r["sentence"], lang=r.get("lang"),
                         article_id=r["article_id"], index=r.get("sentence_index"), story=None))
    return out


def stories_of(data: Data, article_ids: list[str]) -> list[tuple[Any, int]]:
    """(story, articles naming the entity) for the stories it appears in, biggest first."""
    ids = set(article_ids)
    out = [(s, len(ids & set(s.article_ids))) for s in data.stories()]
    return sorted([x for x in out if x[1]], key=lambda x: (-x[1], x[0].id))[:STORY_LIMIT]

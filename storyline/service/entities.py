"""One entity as the shells show it: the entity, why its names were merged (evidence), the articles
naming it and its quotes. An entity is found by id or by name (`store.get_entity`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.model import Entity, Quote

if TYPE_CHECKING:
    from storyline.store import Store


@dataclass
class EntityView:
    entity: Entity
    evidence: list[dict[str, Any]] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)  # with the sentence each stands in


def mentions_in_context(store: Store, entity_id: str, limit: int) -> list[dict[str, Any]]:
    """The entity's mentions (at most `limit`), each with the sentence it stands in."""
    from storyline.analyze.sentences import split_sentences

    out: list[dict[str, Any]] = []
    sentences: dict[str, list[Any]] = {}
    for m in store.mentions_of_entity(entity_id, limit=limit):
        if m.article_id not in sentences:
            art = store.get_article(m.article_id)
            sentences[m.article_id] = split_sentences(art) if art is not None else []
        sentence = next((s.text for s in sentences[m.article_id] if s.start <= m.start < s.end), None)
        out.append({**dataclasses.asdict(m), "sentence": sentence})
    return out


def entity_view(store: Store, id_or_name: str, *, mentions: int = 0) -> EntityView | None:
    """The entity with its evidence, articles and quotes; with `mentions`, that many mentions in context."""
    ent = store.get_entity(id_or_name)
    if ent is None:
        return None
    evidence = store.entity_evidence(ent.id) if hasattr(store, "entity_evidence") else []
    articles = store.articles_for_entity(ent.id) if hasattr(store, "articles_for_entity") else []
    quotes = store.list_quotes(speaker=ent.name) if hasattr(store, "list_quotes") else []
    return EntityView(entity=ent, evidence=list(evidence or []), article_ids=list(articles or ent.article_ids),
                      quotes=list(quotes or []),
                      mentions=mentions_in_context(store, ent.id, mentions) if mentions else [])

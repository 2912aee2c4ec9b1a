"""Pipeline step: recognise mentions in new articles, resolve them, re-apply user corrections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from storyline.analyze.entities.settings import EntitySettings
from storyline.backends import BackendError, load_backend

TRANSACTION_ARTICLES = 200


def get_recognizer(settings: EntitySettings):
    cls = load_backend("entities", settings.backend)
    return cls(settings)


def run(store, article_ids: Sequence[str], config, progress: Callable[[str, int, int], None] | None = None
        ) -> dict[str, Any]:
    from storyline.analyze.entities import corrections
    from storyline.analyze.entities.offline import CorpusEvidence
    from storyline.analyze.entities.resolve import Resolver
    from storyline.analyze.limits import capped, max_chars

    settings = config.section("entities", EntitySettings) if config is not None else EntitySettings()
    try:
        recognizer = get_recognizer(settings)
    except (BackendError, ImportError) as exc:
        raise BackendError(f"[entities] backend {settings.backend!r}: {exc}") from exc
    ids = list(dict.fromkeys(article_ids))
    cap = max_chars(config)
    articles = [capped(a, cap) for a in store.iter_articles(ids)] if ids else []
    evidence = CorpusEvidence()
    evidence.known = store.known_name_words()
    evidence.stored_person_parts = store.known_person_parts()
    evidence.person_parts.update(evidence.stored_person_parts)
    evidence.org_cues.update(store.known_organisation_names())
    # the trained backend reads only the case counts, unless some article goes to the rules recogniser
    needs = getattr(recognizer, "needs_rule_evidence", None)
    evidence.add_articles(articles, case_only=needs is not None and not needs(articles))
    resolver = Resolver(store, settings)
    n_mentions = 0
    reanalysed = store.analysed_article_ids(ids)
    # one transaction per chunk of articles: far fewer commits, and a failure loses at most one chunk
    for lo in range(0, len(articles), TRANSACTION_ARTICLES):
        with store.transaction():
            chunk = articles[lo: lo + TRANSACTION_ARTICLES]
            found = recognizer.recognize(chunk, evidence)  # one call per chunk: the trained backend batches
            for i, art in enumerate(chunk, start=lo):
                mentions = found[art.id]
                if art.id in reanalysed:
                    store.replace_mentions(art.id, [])
                resolved = resolver.resolve_article(art.id, mentions)
                store.replace_mentions(art.id, resolved)
                n_mentions += len(resolved)
                if progress:
                    progress("entities", i + 1, len(articles))
    with store.transaction():
        resolver.finish()
        if reanalysed:
            store.delete_orphan_entities()
    applied = corrections.reapply(store) if store.list_corrections() else 0
    return {"articles": len(articles), "mentions": n_mentions, "reanalysed": len(reanalysed),
            "corrections_applied": applied}

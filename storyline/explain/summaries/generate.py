"""Summarise a target (article `a-…`, event `e-…` or story `s-…`) from the store and keep it as a draft.

This is the one entry point the CLI and the web API share: resolve the target to its articles (date
order), gather entity mentions when the entities stage ran, run the configured backend, pass its
bullets through `check_bullets` (nothing uncited or invented survives) and save the draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.backends import BackendError, load_backend
from storyline.config import Config, get_config
from storyline.explain.review import make_label
from storyline.explain.summaries.base import SummaryError, SummarySettings, check_bullets, sentence_index
from storyline.model import Article, Mention, Summary

KINDS = {"a-": "article", "e-": "event", "s-": "story"}


class UnknownTarget(SummaryError):
    """The id names no article, event or story in this store."""


@dataclass
class Target:
    kind: str  # article | event | story
    id: str
    title: str | None
    articles: list[Article] = field(default_factory=list)
    start: str | None = None
    end: str | None = None


def target_kind(target_id: str) -> str:
    kind = KINDS.get(target_id[:2])
    if kind is None:
        raise SummaryError(f"{target_id!r} is not an article (a-…), event (e-…) or story (s-…) id")
    return kind


def resolve_target(store, target_id: str) -> Target:
    """The target's articles in date order; UnknownTarget when it does not exist."""
    kind = target_kind(target_id)
    if kind == "article":
        art = store.get_article(target_id)
        if art is None:
            raise UnknownTarget(f"article {target_id} not found")
        return Target(kind, target_id, art.title, [art], art.published, art.published)
    getter = getattr(store, "get_event" if kind == "event" else "get_story", None)
    if getter is None:
        raise SummaryError(f"this store has no {kind}s yet: ingest articles and run the pipeline first")
    obj = getter(target_id)
    if obj is None:
        raise UnknownTarget(f"{kind} {target_id} not found")
    ids = list(obj.article_ids)
    if not ids and kind == "story" and hasattr(store, "story_article_ids"):
        ids = store.story_article_ids(target_id)
    arts = list(store.iter_articles(ids=ids)) if ids else []
    if not arts:
        raise UnknownTarget(f"{kind} {target_id} has no stored articles")
    return Target(kind, target_id, obj.title, _in_date_order(store, arts), obj.start, obj.end)


def _in_date_order(store, articles: list[Article]) -> list[Article]:
    """Date order where undated articles take their event's inferred window instead of going last."""
    window = getattr(store, "article_date_window", None)

    def key(pair: tuple[int, Article]) -> tuple[str, int]:
        n, art = pair
        date = art.published
        if not date and window is not None:
            w = window(art.id)
            date = w[0] if w else None
        return (date or "9999", n)

    return [a for _, a in sorted(enumerate(articles), key=key)]


def gather_mentions(store, articles: list[Article]) -> dict[str, list[Mention]] | None:
    """Entity mentions per article when the entities stage is available, else None."""
    if not hasattr(store, "mentions"):
        return None
    out: dict[str, list[Mention]] = {}
    for art in articles:
        try:
            out[art.id] = list(store.mentions(art.id))
        except Exception:  # noqa: BLE001 - a missing/older entities table must not block summaries
            return None
    return out


def summary_settings(config: Config | None = None) -> SummarySettings:
    return (config or get_config()).section("summaries", SummarySettings)


def get_summarizer(config: Config | None = None, backend: str | None = None,
                   settings: SummarySettings | None = None):
    """Build the configured (or named) summarizer backend."""
    cfg = config or get_config()
    s = settings or summary_settings(cfg)
    name = backend or s.backend
    try:
        cls = load_backend("summaries", name)
    except BackendError as exc:
        raise SummaryError(str(exc)) from exc
    return cls(s, config=cfg)


def summarize_articles(summarizer, articles: list[Article], *, target_id: str, lang: str | None = None,
                       mentions: dict[str, list[Mention]] | None = None, max_bullets: int = 5) -> Summary:
    """Run a backend and keep only bullets whose sources are real sentences of these articles."""
    summary = summarizer.summarize(articles, target_id=target_id, lang=lang, mentions=mentions)
    summary.bullets = check_bullets(summary.bullets, sentence_index(articles), limit=max_bullets)
    if not summary.bullets:
        if summary.rejected:
            reasons = "; ".join(f"{r['text'][:60]!r}: {r['reason']}" for r in summary.rejected[:5])
            raise SummaryError(f"{target_id}: all {len(summary.rejected)} bullet(s) the model wrote were rejected "
                               f"as unsupported by their cited sentences ({reasons})")
        raise SummaryError(f"{target_id}: no bullet with real source sentences could be made "
                           "(the text may be too short or only headings)")
    summary.label = make_label(summary)
    return summary


def summarize_target(store, target_id: str, config: Config | None = None, *, backend: str | None = None,
                     lang: str | None = None, save: bool = True) -> Summary:
    """Summarise a stored article, event or story; saved as a new draft (reviewed ones stay untouched)."""
    cfg = config or get_config()
    settings = summary_settings(cfg)
    target = resolve_target(store, target_id)
    summarizer = get_summarizer(cfg, backend, settings)
    if hasattr(summarizer, "store") and summarizer.store is None:
        summarizer.store = store  # lets the extractive backend keep sentence vectors between runs
    summary = summarize_articles(summarizer, target.articles, target_id=target_id, lang=lang,
                                 mentions=gather_mentions(store, target.articles),
                                 max_bullets=settings.max_bullets)
    return store.save_summary(summary) if save else summary

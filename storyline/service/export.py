"""Export of a story, event or article (`storyline export`, the API): merged story ids followed, the
document built and rendered by `storyline.explain.export`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.explain.export import (
    FORMATS,
    ExportError,
    build_document,
    render_html,
    render_json,
    render_markdown,
)
from storyline.service.stories import surviving_id

if TYPE_CHECKING:
    from storyline.store import Store

RENDERERS = {"markdown": render_markdown, "html": render_html, "json": render_json}


@dataclass
class Exported:
    text: str
    target_id: str  # what was exported: the survivor when a merged-away story id was asked for
    merged_from: str | None = None


def live_target(store: Store, target_id: str) -> tuple[str, str | None]:
    """(the id to export, the merged-away id asked for or None)."""
    if target_id.startswith("s-") and hasattr(store, "get_story") and store.get_story(target_id) is None:
        live = surviving_id(store, target_id)
        if live is not None:
            return live, target_id
    return target_id, None


def export(store: Store, target_id: str, fmt: str = "markdown", *, lang: str | None = None,
           config: Any = None) -> Exported:
    """The target as a document in `fmt` (markdown | html | json). Raises ExportError / SummaryError."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    live, merged_from = live_target(store, target_id)
    doc = build_document(store, live, lang=lang, config=config)
    return Exported(text=RENDERERS[fmt](doc), target_id=live, merged_from=merged_from)

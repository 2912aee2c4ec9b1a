"""How an article's source is shown: moved to `storyline.ingest.outlets` (the clustering reads the
outlet too, and link must not import explain); re-exported here for the views that import it."""

from storyline.ingest.outlets import display_source, outlet_label, safe_href

__all__ = ["display_source", "outlet_label", "safe_href"]

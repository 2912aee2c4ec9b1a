"""When an article happened, as every view shows it: its own date, else the window inferred for it.

Undated articles (a text file with no date line, a feed entry without one) get a date window from
the story: the span of their event's dated articles, or the years the timeline stage aligned with
the story's dated statements (`Store.article_date_window`). Views must say which it is, so a reader
never takes an inferred date for the publisher's own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from storyline.analyze.dates import precision_of


@dataclass
class Dating:
    date: str | None  # the publication date, or the start of the inferred window
    end: str | None  # the end of the window (equal to `date` for a single date)
    precision: str | None
    origin: str | None  # metadata | prefix | dateline | feed | ... for own dates; "inferred" otherwise
    inferred: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def label(self) -> str:
        """The date as the CLI prints it: "2019-01 (inferred)", "2019-01-24 (day, from metadata)"."""
        if not self.date:
            return "unknown"
        span = self.date if not self.end or self.end == self.date else f"{self.date} – {self.end}"
        if self.inferred:
            return f"{span} (inferred from its story)"
        return span + (f" ({self.precision}, from {self.origin})" if self.precision or self.origin else "")


def dating(article: Any, window: tuple[str, str, bool] | None) -> Dating:
    """The article's own publication date, else the inferred `window` (start, end, inferred)."""
    published = getattr(article, "published", None)
    if published:
        return Dating(published, published, getattr(article, "published_precision", None),
                      getattr(article, "published_origin", None), False)
    if window and window[0]:
        start, end, _ = window
        return Dating(start, end or start, precision_of(start) or ("minute" if "T" in start else None),
                      "inferred", True)
    return Dating(None, None, None, None, False)


"""What a reader hands over before cleaning: raw lines plus whatever metadata the format carried."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawDoc:
    source: str
    lines: list[str]  # paragraph candidates, in order (not yet cleaned)
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    author: str | None = None
    site_name: str | None = None
    published: tuple[str, str, str] | None = None  # (iso, precision, origin) from metadata/feed
    lang: str | None = None  # declared by the source (kept only if it is a plausible code)
    title_from_text: bool = False  # plain text: the first line may be the headline
    extra: dict[str, str] = field(default_factory=dict)

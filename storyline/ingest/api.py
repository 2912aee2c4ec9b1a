"""`ingest(store, inputs, ...)`: read every input, build Articles, store them in committed batches.

Each batch is one transaction, so a killed process leaves a consistent database holding whole
batches only; rerunning finds those ids already stored ("unchanged") and completes the rest.
A stored id whose source now yields different text (same URL, edited article) is replaced in place
and reported "updated". Every new or updated article is recorded as pending for each configured
analysis step in the same transaction (`storyline.store.analysis`). Near-duplicates are looked up among stored originals (LSH band index) and
among the batch not yet committed, and linked by Jaccard or containment (a wire copy with an added
intro still holds >= 90% of the shorter text's shingles), then stored with `duplicate_of` set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.config import Config
from storyline.ingest import identity
from storyline.ingest.build import build_article
from storyline.ingest.errors import Failure, IngestError
from storyline.ingest.fetch import AddressPolicy
from storyline.ingest.rawdoc import RawDoc
from storyline.ingest.readers import read_input
from storyline.ingest.settings import IngestSettings
from storyline.ingest.sources import Input, Skipped, expand
from storyline.model import Article
from storyline.pipeline import configured_steps, fault_point

ProgressFn = Callable[[int, int, str], None]  # (inputs done, inputs total, current input)


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (source, id, duplicate_of)
    unchanged: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # ids whose stored text was replaced
    failures: list[Failure] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why) not taken from directories

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "duplicates": [{"source": s, "id": i, "duplicate_of": d} for s, i, d in self.duplicates],
            "unchanged": self.unchanged,
            "updated": self.updated,
            "failures": [{"input": f.input, "reason": f.reason} for f in self.failures],
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
        }


def settings_from(config: Config | None) -> IngestSettings:
    return config.section("ingest", IngestSettings) if config is not None else IngestSettings()


class _Batcher:
    """Collects built articles and commits them `batch_size` at a time."""

    def __init__(self, store: Any, settings: IngestSettings, report: IngestReport,
                 steps: Sequence[str] = ()) -> None:
        self.store, self.settings, self.report, self.steps = store, settings, report, list(steps)
        self.stored = 0
        self.pending: list[Article] = []
        self.pending_ids: set[str] = set()
        self.sigs: dict[str, bytes] = {}
        self.sizes: dict[str, int] = {}
        self.bands: dict[str, list[str]] = {}
        self.pending_bands: dict[str, list[tuple[str, bytes, int | None]]] = {}

    def _find_duplicate(self, art_id: str, sig: Any, size: int, keys: list[str]) -> str | None:
        """The stored or pending original this signature is a near-duplicate of (best match), if any."""
        candidates = self.store.minhash_candidates(keys)
        for k in keys:
            candidates.extend(self.pending_bands.get(k, ()))
        # an updated article is not a copy of its own old version
        candidates = [c for c in candidates if c[0] != art_id]
        best, _ = identity.best_match(sig, size, candidates, jaccard_min=self.settings.near_duplicate_threshold,
                                      containment_min=self.settings.near_duplicate_containment,
                                      min_ratio=self.settings.near_duplicate_min_ratio)
        return best

    def add(self, art: Article) -> None:
        if art.id in self.pending_ids:
            self.report.unchanged.append(art.id)
            return
        stored = self.store.content_hashes([art.id])
        if art.id in stored and stored[art.id] == art.content_hash:
            self.report.unchanged.append(art.id)
            return
        found = identity.signature(art.text)
        if found is not None:
            sig, size = found
            keys = identity.band_keys(sig)
            art.duplicate_of = self._find_duplicate(art.id, sig, size, keys)
            blob = sig.tobytes()
            self.sigs[art.id], self.sizes[art.id], self.bands[art.id] = blob, size, keys
            if not art.duplicate_of:
                for k in keys:
                    self.pending_bands.setdefault(k, []).append((art.id, blob, size))
        self.pending.append(art)
        self.pending_ids.add(art.id)
        if len(self.pending) >= self.settings.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        results = self.store.add_articles(self.pending, minhashes=self.sigs, bands=self.bands, shingles=self.sizes,
                                          pending_steps=self.steps)
        self.stored += len(results)
        fault_point("ingest", self.stored)
        by_id = {a.id: a for a in self.pending}
        for r in results:
            if r.status == "new":
                self.report.new.append(r.id)
            elif r.status == "duplicate":
                self.report.duplicates.append((by_id[r.id].source, r.id, r.duplicate_of or ""))
            elif r.status == "updated":
                self.report.updated.append(r.id)
            else:
                self.report.unchanged.append(r.id)
        self.pending, self.pending_ids, self.sigs, self.sizes, self.bands, self.pending_bands = \
            [], set(), {}, {}, {}, {}


def ingest(store: Any, inputs: list[str], *, config: Config | None = None, allow_private: bool = False,
           fetch: bool = False, progress: ProgressFn | None = None,
           settings: IngestSettings | None = None, address_allowed: AddressPolicy | None = None) -> IngestReport:
    """Ingest paths, directories, globs, URLs or "-" (stdin) into `store`; never raises for bad input.

    `address_allowed` replaces the default public-address policy for every fetch (URL inputs and
    `fetch`ed feed links); `allow_private=True` still turns the address check off altogether.
    """
    settings = settings or settings_from(config)
    report = IngestReport()
    items: list[Input] = []
    for it in expand(list(inputs)):
        if isinstance(it, Skipped):
            report.skipped.append((it.ref, it.reason))
        elif isinstance(it, IngestError):
            report.failures.append(Failure(it.input, str(it)))
        else:
            items.append(it)
    batcher = _Batcher(store, settings, report, configured_steps(config))
    total = len(items)
    try:
        for done, item in enumerate(items):
            if progress:
                progress(done, total, item.ref)
            try:
                for doc in read_input(item, settings, fetch=fetch, allow_private=allow_private,
                                      address_allowed=address_allowed):
                    if isinstance(doc, IngestError):
                        report.failures.append(Failure(doc.input, str(doc)))
                        continue
                    _add_doc(doc, settings, batcher, report, item)
            except IngestError as exc:
                report.failures.append(Failure(exc.input, str(exc)))
        batcher.flush()
    finally:
        if progress:
            progress(total, total, "")
    return report


def display_for(item: Input, source: str) -> str | None:
    """The public form of a file article's source: relative to the ingested folder (or the file
    name), keeping a `#line`/`#entry` suffix; None for URLs and stdin (shown as they are)."""
    if item.kind != "file":
        return None
    suffix = source[len(item.ref):] if source.startswith(item.ref) else ""
    return item.display + suffix


def _add_doc(doc: RawDoc, settings: IngestSettings, batcher: _Batcher, report: IngestReport,
             item: Input | None = None) -> None:
    try:
        art = build_article(doc, settings)
    except IngestError as exc:
        report.failures.append(Failure(exc.input, str(exc)))
        return
    if item is not None:
        art.source_display = display_for(item, art.source)
    batcher.add(art)

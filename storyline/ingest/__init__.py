"""Ingest: read any article source into clean Articles in the store (issue 2).

Public API: `ingest(store, inputs, *, config, allow_private=False, fetch=False, progress=None)`
returning an `IngestReport`; `fetch_url` (storyline.ingest.fetch) for the server's URL submissions.
"""

from __future__ import annotations

from storyline.ingest.api import IngestReport, ingest, settings_from
from storyline.ingest.errors import Failure, IngestError
from storyline.ingest.settings import IngestSettings

__all__ = ["ingest", "IngestReport", "Failure", "IngestError", "IngestSettings", "settings_from"]

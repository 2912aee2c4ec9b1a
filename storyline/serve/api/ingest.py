"""Write endpoints that add articles: file upload and URL lists (bearer token).

URL ingestion goes through `storyline.ingest.ingest` with `allow_private=False`, so the foundation's
refusal of loopback/private addresses (SSRF) applies to every URL a client sends.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from storyline.serve.api.common import DataDep
from storyline.serve.security import require_writer

router = APIRouter(tags=["ingest"], dependencies=[Depends(require_writer)])
MAX_FILES = 50
MAX_URLS = 50


class UrlList(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=MAX_URLS)


def _run_ingest(store: Any, config: Any, inputs: list[str], analyze: bool, drain: Any = None) -> dict[str, Any]:
    """Ingest and analyse; with a drain thread (`serve`), the background steps are left to it and
    the answer comes once the online decisions (entities, quotes, stories, dated statements) are in."""
    try:
        from storyline.service.ingest import ingest_and_analyse
    except ImportError as exc:
        raise HTTPException(501, "ingest is not available in this installation") from exc
    try:  # the new and updated articles, and whatever an interrupted run left pending, are analysed
        outcome = ingest_and_analyse(store, inputs, config, allow_private=False, analyse=analyze,
                                     background=False if drain is not None else None)
    except ImportError as exc:  # a reader of this installation is missing (e.g. URL fetching)
        raise HTTPException(501, f"ingest cannot read these inputs here: {exc}") from exc
    finally:
        if drain is not None and analyze:
            drain.kick()
    report = outcome.report
    return {
        "new": list(report.new),
        "duplicates": list(getattr(report, "duplicates", []) or []),
        "unchanged": list(getattr(report, "unchanged", []) or []),
        "failures": [{"input": str(f.input), "reason": str(f.reason)} for f in report.failures],
    }


@router.post("/ingest/files")
async def ingest_files(request: Request, data: DataDep,
                       files: Annotated[list[UploadFile], File(description="article files (text, HTML, feeds)")],
                       analyze: bool = True) -> dict[str, Any]:
    if len(files) > MAX_FILES:
        raise HTTPException(413, f"too many files ({len(files)}; at most {MAX_FILES})")
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as tmp:
        paths = []
        for i, f in enumerate(files):
            name = Path(f.filename or f"upload-{i}").name or f"upload-{i}"
            folder = Path(tmp) / f"{i:03d}"  # one folder per file: the article shows the original name
            folder.mkdir()
            target = folder / name
            target.write_bytes(await f.read())
            paths.append(str(target))
        return await run_in_threadpool(_run_ingest, data.store, request.app.state.config, paths, analyze,
                                       getattr(request.app.state, "drain", None))


@router.post("/ingest/urls")
async def ingest_urls(request: Request, body: UrlList, data: DataDep, analyze: bool = True) -> dict[str, Any]:
    bad = [u for u in body.urls if not u.lower().startswith(("http://", "https://"))]
    if bad:
        raise HTTPException(422, f"not an http(s) URL: {bad[0]!r}")
    return await run_in_threadpool(_run_ingest, data.store, request.app.state.config, body.urls, analyze,
                                   getattr(request.app.state, "drain", None))

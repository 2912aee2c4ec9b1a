"""Expand what the user typed (paths, directories, globs, URLs, `-`) into inputs to read.

Directories are walked recursively in name order, keeping files with a known article extension
and skipping hidden files/directories; a glob that matches nothing and a path that does not exist
are failures that name the argument, not silent no-ops.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.ingest.errors import IngestError

FORMATS = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Input:
    kind: str  # "file" | "url" | "stdin"
    ref: str  # absolute path, URL, or "-"


def is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def format_for_path(path: str) -> str | None:
    return FORMATS.get(os.path.splitext(path)[1].lower())


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and format_for_path(name):
                yield Path(root) / name


def expand(args: list[str]) -> Iterator[Input | IngestError]:
    """Inputs in the order given; an argument that names nothing yields an IngestError."""
    for arg in args:
        if arg == "-":
            yield Input("stdin", "-")
            continue
        if is_url(arg):
            yield Input("url", arg)
            continue
        if "://" in arg.split("/", 3)[0] + "/" or arg.lower().startswith(("file:", "ftp:", "data:", "javascript:")):
            yield IngestError(arg, "unsupported URL scheme (only http and https are fetched)")
            continue
        path = Path(arg).expanduser()
        if path.is_dir():
            found = False
            for p in _walk(path):
                found = True
                yield Input("file", str(p.resolve()))
            if not found:
                yield IngestError(arg, "directory holds no .txt/.html/.json/.jsonl/.xml/.rss files")
            continue
        if path.exists():
            if not path.is_file():
                yield IngestError(arg, "not a regular file")
            else:
                yield Input("file", str(path.resolve()))
            continue
        if _GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(os.path.expanduser(arg), recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            for m in matches:
                if os.path.isdir(m):
                    files.extend(str(p) for p in _walk(Path(m)))
            if not files:
                yield IngestError(arg, "no files match this pattern")
            for m in files:
                yield Input("file", str(Path(m).resolve()))
            continue
        yield IngestError(arg, "no such file or directory")

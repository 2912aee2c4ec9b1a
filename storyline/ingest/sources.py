"""Expand what the user typed (paths, directories, globs, URLs, `-`) into inputs to read.

Directories are walked recursively in name order, keeping only files with a known article
extension; everything else met on the walk (hidden files and directories, README/LICENSE-style
project files, notes, code, images, unknown extensions) is reported as `Skipped` so the summary can
say what was left out. A file named explicitly is always read, its format sniffed when the extension
says nothing. A glob that matches nothing and a path that does not exist are failures that name the
argument, not silent no-ops.
"""

from __future__ import annotations

import errno
import glob
import os
import re
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
#: project files that carry an article extension but are not articles (README.txt, LICENSE.txt)
_PROJECT_FILE = re.compile(r"^(readme|license|licence|copying|changelog|changes|authors|contributing|notice|"
                           r"todo|install|history)([._-].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Input:
    kind: str  # "file" | "url" | "stdin"
    ref: str  # absolute path, URL, or "-"
    root: str | None = None  # the folder the user named, for files found by walking it

    @property
    def display(self) -> str:
        """How this input is shown publicly: relative to the ingested folder, else the file name."""
        if self.kind != "file":
            return "standard input" if self.kind == "stdin" else self.ref
        if self.root:
            try:
                return Path(self.ref).relative_to(self.root).as_posix()
            except ValueError:
                pass
        return Path(self.ref).name


def is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def format_for_path(path: str) -> str | None:
    return FORMATS.get(os.path.splitext(path)[1].lower())


@dataclass(frozen=True)
class Skipped:
    """A path met while walking a directory and deliberately not read."""

    ref: str
    reason: str


def skip_reason(name: str) -> str | None:
    """Why a file found in a directory is not an article (None: read it)."""
    if name.startswith("."):
        return "hidden file"
    if _PROJECT_FILE.match(name):
        return "project file (README/LICENSE-style), not an article"
    if not format_for_path(name):
        ext = os.path.splitext(name)[1].lower()
        return f"not an article file type ({ext or 'no extension'}); name it explicitly to read it"
    return None


def _link_problem(path: Path, top: Path) -> str | None:
    """Why a symlink met while walking `top` is not followed (None: it stays inside `top`)."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports loops this way
        return "symlink loop, not followed"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop, not followed"
        return f"broken symlink (target {os.readlink(path)!r} does not exist)"
    if not target.is_relative_to(top):
        return f"symlink to {target}, outside the ingested folder; not followed"
    return None


def _walk(directory: Path) -> Iterator[Path | Skipped]:
    """Files under `directory`; symlinks are followed only when they stay inside it (a link to a
    system file must not become an article), directory links are never followed (no loops)."""
    top = directory.resolve()
    for root, dirs, files in os.walk(directory):
        for d in sorted(d for d in dirs if d.startswith(".")):
            yield Skipped(str((Path(root) / d).resolve()), "hidden directory")
        for d in sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).is_symlink()):
            path = Path(root) / d
            yield Skipped(str(path), _link_problem(path, top) or "symlink to a directory; not followed")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(root) / d).is_symlink())
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink():
                problem = _link_problem(path, top)
                if problem:
                    yield Skipped(str(path), problem)
                    continue
            why = skip_reason(name)
            yield Skipped(str(path.resolve()), why) if why else path


def expand(args: list[str]) -> Iterator[Input | IngestError | Skipped]:
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
            root = str(path.resolve())
            for p in _walk(path):
                if isinstance(p, Skipped):
                    yield p
                    continue
                found = True
                yield Input("file", str(p.resolve()), root=str(Path(root)))
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
            files: list[tuple[str, str | None]] = [(m, None) for m in matches if os.path.isfile(m)]
            for m in matches:
                if os.path.isdir(m):
                    for p in _walk(Path(m)):
                        if isinstance(p, Skipped):
                            yield p
                        else:
                            files.append((str(p), str(Path(m).resolve())))
            if not files:
                yield IngestError(arg, "no files match this pattern")
            for m, root in files:
                yield Input("file", str(Path(m).resolve()), root=root)
            continue
        yield IngestError(arg, "no such file or directory")

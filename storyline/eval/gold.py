"""Reading our JSON Lines gold files: one object per line, errors naming `path:line`.

Every eval command reads gold the same way (blank lines and `#` comments skipped, unreadable files
and bad lines reported with their place), so the reading lives here once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


class GoldError(ValueError):
    """A gold file that cannot be read, or a line that is not a JSON object."""


def iter_jsonl(path: str | Path, error: type[ValueError] = GoldError) -> Iterator[tuple[str, dict]]:
    """Yield (`path:line`, object) for every non-blank, non-comment line; raise `error` on bad input."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise error(f"{p}: gold file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{p}: cannot read gold file ({exc})") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{p}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{where}: not JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise error(f"{where}: expected a JSON object")
        yield where, obj

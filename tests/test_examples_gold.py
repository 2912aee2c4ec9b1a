"""The example corpus and our gold files stay consistent: refs exist, quotes occur, encodings decode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, GOLD


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ref_exists(ref: str) -> bool:
    name, _, frag = ref.partition("#")
    path = EXAMPLES / name
    if not path.exists():
        return False
    if not frag:
        return True
    raw = path.read_bytes().decode("utf-8")
    if path.suffix == ".jsonl":
        return frag.isdigit() and 1 <= int(frag) <= len(raw.splitlines())
    return frag in raw


def _raw_text(ref: str) -> str:
    name, _, frag = ref.partition("#")
    path = EXAMPLES / name
    if path.suffix == ".jsonl":
        line = path.read_text(encoding="utf-8").splitlines()[int(frag) - 1]
        return " ".join(str(v) for v in json.loads(line).values())
    data = path.read_bytes()
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path} does not decode")


@pytest.mark.parametrize("name", ["quotes", "clustering", "search", "entities"])
def test_every_gold_ref_names_an_example(name):
    refs = []
    for row in _lines(GOLD / f"examples-{name}.jsonl"):
        refs += [row["ref"]] if "ref" in row else row.get("relevant", []) + row.get("refs", [])
    assert refs
    missing = [r for r in refs if not _ref_exists(r)]
    assert not missing, missing


def test_every_gold_quote_occurs_in_its_article():
    rows = _lines(GOLD / "examples-quotes.jsonl")
    assert len(rows) >= 20
    for row in rows:
        assert row["quote"] in _raw_text(row["ref"]), row


def test_examples_cover_languages_and_formats():
    suffixes = {p.suffix for p in EXAMPLES.iterdir()}
    assert {".txt", ".html", ".jsonl", ".rss"} <= suffixes
    langs = {p.name.split("-")[0] for p in EXAMPLES.iterdir()}
    assert {"nb", "da", "en", "de", "es"} <= langs
    legacy = []
    for p in EXAMPLES.glob("*.txt"):
        try:
            p.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(p.name)
    assert len(legacy) >= 2, "keep the cp1252 and latin-1 examples"

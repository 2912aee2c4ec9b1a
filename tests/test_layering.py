"""The import layering stays: no stage imports a later stage, runtime code never imports development
code, and no two modules import each other (directly or round a loop). Imports are read from the
source (AST), function-level ones included, so lazy imports cannot hide a loop.

The layers (docs/ARCHITECTURE.md): foundation (model, config, registry, backends, pipeline) →
ingest → analyze → link → explain → store (persistence; called, not imported, by the stages) →
search (ranking over the store's text index and vectors) → service → serve → cli; eval and the stages' training modules are development code on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "storyline"

RANK = {"": 0, "model": 0, "config": 0, "registry": 0, "backends": 0, "pipeline": 0,
        "ingest": 1, "analyze": 2, "link": 3, "explain": 4,
        "store": 5, "search": 5.5, "service": 6, "engine": 6, "serve": 7, "cli": 8, "eval": 9, "models": 0}
STAGES = {"ingest", "analyze", "link", "explain"}

#: imports the store split (issue 10, part 1) is taking out of `storyline.store`: rules and text
#: that belong to the stages. Listed so nothing new is added; remove an entry when its import goes.
PENDING_STORE_SPLIT = {
    ("storyline.store.entities", "storyline.analyze.entities.normalize"),
    ("storyline.store.quotes", "storyline.analyze.quotes.names"),
    ("storyline.store.search", "storyline.analyze.embeddings"),
    ("storyline.store.summaries", "storyline.explain.review"),
    ("storyline.store.summaries", "storyline.explain.summaries.base"),
    ("storyline.store.timeline", "storyline.analyze.dates"),
    ("storyline.store.timeline", "storyline.explain.timeline"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """The storyline modules `name` imports anywhere in its body (`from pkg import submodule` counts
    as importing the submodule)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out: set[str] = set()
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "storyline")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            if base.split(".")[0] != "storyline":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in MODULES else base)
    out.discard(name)
    return {m for m in out if m in MODULES}


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _development(module: str) -> bool:
    """Training and evaluation code: it may run the whole system, nothing at run time imports it."""
    last = module.rsplit(".", 1)[-1]
    return _layer(module) == "eval" or last.startswith("train")


def test_every_package_has_a_layer():
    unknown = sorted({_layer(m) for m in MODULES} - set(RANK))
    assert not unknown, f"new top-level package(s) {unknown}: give them a layer here and in docs/ARCHITECTURE.md"


def test_no_stage_imports_a_later_stage_and_runtime_never_imports_development_code():
    bad = []
    for src, targets in GRAPH.items():
        for dst in targets:
            a, b = _layer(src), _layer(dst)
            if a == b and not (_development(dst) and not _development(src)):
                continue
            if (src, dst) in PENDING_STORE_SPLIT:
                continue
            if _development(src):
                ok = not {a, b} & {"serve"} or a == b  # training may run stages, the store and the pipeline
            elif _development(dst):
                ok = a == "cli"  # `storyline eval …` / `storyline train …` are the way in
            elif b == "store":
                ok = RANK[a] > RANK["store"]  # stages get the store passed in; they do not import it
            elif a == "store":
                ok = RANK[b] == 0
            else:
                ok = RANK[b] <= RANK[a] and not (a in STAGES and b in STAGES and RANK[a] == RANK[b])
            if not ok:
                bad.append(f"{src} -> {dst}")
    assert not bad, "imports against the layering:\n" + "\n".join(sorted(bad))


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_between_modules():
    cycles = _cycles()
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_scan_sees_lazy_imports():
    # statements reads the year inference inside a function; the scan must still see it
    assert "storyline.analyze.year_inference" in GRAPH["storyline.analyze.statements"]
    assert "storyline.registry" in GRAPH["storyline.pipeline"]

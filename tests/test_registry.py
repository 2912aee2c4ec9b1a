"""The one registry (`storyline.registry`) is consistent, and the old lists are views of it."""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect

from storyline import registry


def _exists(target: str) -> bool:
    """Whether the module of an import path is installed here, without importing heavy backends."""
    return importlib.util.find_spec(target.partition(":")[0]) is not None


def test_every_requirement_is_assigned_by_ingest_or_an_earlier_step():
    available = set(registry.INGEST_ASSIGNS)
    for step in registry.STEPS:
        missing = set(step.requires) - available
        assert not missing, f"step {step.name} requires {sorted(missing)} before anything assigns it"
        assert step.assigns, f"step {step.name} assigns nothing"
        available |= set(step.assigns)
    names = [s.name for s in registry.STEPS]
    assert len(names) == len(set(names))


def test_steps_name_real_runs_sections_and_store_areas():
    sections = {s.name for s in registry.SECTIONS}
    for step in registry.STEPS:
        run = registry.load(step.target)
        params = list(inspect.signature(run).parameters)
        assert params[:3] == ["store", "article_ids", "config"] and "progress" in params, step.name
        assert set(step.sections) <= sections, step.name
        assert set(step.stores) <= set(registry.STORE_AREAS), step.name


def test_store_areas_are_parts_of_the_store():
    """Each area's interface (a mixin today, a typing.Protocol once the store split lands) is offered
    in full by the store steps receive."""
    from storyline.store import Store

    for area, target in registry.STORE_AREAS.items():
        interface = registry.load(target)
        methods = [n for n, v in vars(interface).items() if callable(v) and not n.startswith("_")]
        assert methods, f"store area {area} offers no methods"
        assert all(callable(getattr(Store, n, None)) for n in methods), area


def test_sections_backends_and_cli_modules_exist():
    for s in registry.SECTIONS:
        assert dataclasses.is_dataclass(registry.load(s.settings)), s.name
    sections = {s.name for s in registry.SECTIONS}
    for kind, names in registry.BACKENDS.items():
        assert kind in sections, f"backend kind {kind} has no config section"
        assert all(_exists(t) for t in names.values()), kind
    for m in registry.CLI:
        assert callable(getattr(importlib.import_module(m.module), "register", None)), m.module
        if m.demo:
            assert callable(getattr(importlib.import_module(m.module), "demo", None)), m.module
    for event, handlers in registry.LISTENERS.items():
        assert all(callable(registry.load(h)) for h in handlers), event


def test_the_old_lists_are_views_of_the_registry():
    from storyline import backends, cli, config, pipeline
    from storyline.cli import demo

    assert {s.name: s.target for s in registry.STEPS} == pipeline.STEPS
    assert {s.name: s.settings for s in registry.SECTIONS} == config.SECTIONS
    assert backends.REGISTRIES is registry.BACKENDS
    assert [m.module for m in registry.CLI] == cli.COMMAND_MODULES
    assert [t for t, _ in demo.SECTIONS] == [m.demo for m in registry.CLI if m.demo]
    assert pipeline.PipelineSettings().steps == [s.name for s in registry.STEPS]


def test_unknown_names_fail_clearly():
    import pytest

    from storyline.backends import BackendError, load_backend
    from storyline.pipeline import load_step

    with pytest.raises(ValueError, match="unknown pipeline step 'nope'"):
        load_step("nope")
    with pytest.raises(BackendError, match="unknown embeddings backend"):
        load_backend("embeddings", "nope")
    assert load_backend("summaries", "extractive").__name__ == "ExtractiveSummarizer"
    assert load_step("timeline").__module__ == "storyline.explain.timeline_step"


def test_each_step_module_uses_only_the_store_areas_it_declares():
    """`store.<method>` calls in a step's module belong to the areas its `stores` names (private
    attributes aside: they are the store split's to remove)."""
    import ast

    from storyline.store.base import BaseStore

    areas = {a: {n for n, v in vars(registry.load(t)).items() if callable(v) and not n.startswith("_")}
             for a, t in registry.STORE_AREAS.items()}
    everything = set().union(*areas.values())
    base = {n for n in dir(BaseStore) if not n.startswith("_")}
    for step in registry.STEPS:
        module = importlib.import_module(step.target.partition(":")[0])
        tree = ast.parse(inspect.getsource(module))
        used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                and n.value.id == "store" and not n.attr.startswith("_")}
        allowed = set().union(*(areas[a] for a in step.stores)) | base
        assert used <= allowed, f"step {step.name} uses {sorted(used - allowed)} outside its declared store areas"
        assert used & everything, f"step {step.name}: no store call seen; is the scan looking at the right module?"

"""Read the policy YAML files strictly: a bad value names its file, line and field.

Django-free. YAML is parsed twice from the same text: once into plain data for pydantic and once
into a node tree that keeps line numbers, so a validation error at ``sources.2.url`` can say
"line 87". Every file is read and checked before anything is written (the loader's rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from locus.errors import DataFileError
from locus.policy.schema import (
    Benchmark,
    CostAssumption,
    LearningPath,
    LearningResource,
    PolicyCase,
)

M = TypeVar("M", bound=BaseModel)


def _parse(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read the file ({exc.strerror})", path=str(path)) from None
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataFileError(f"not valid YAML: {exc.problem or exc.context}", path=str(path),
                            line=mark.line + 1 if mark else None) from None


def _node_at(node: yaml.Node | None, loc: Sequence[Any]) -> yaml.Node | None:
    """The deepest node along ``loc`` (a pydantic error location)."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node


def _validate(model: type[M], data: Any, *, path: Path, root: yaml.Node | None,
              prefix: Sequence[Any] = ()) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [*prefix, *first["loc"]]
        node = _node_at(root, loc)
        line = node.start_mark.line + 1 if node is not None else None
        field = ".".join(str(part) for part in loc) or None
        message = first["msg"].removeprefix("Value error, ")
        raise DataFileError(message, path=str(path), line=line, field=field) from None


def _list_in(path: Path, data: Any, key: str) -> list:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise DataFileError(f"expected a top-level '{key}:' list", path=str(path), line=1,
                            field=key)
    return data[key]


def case_read(path: Path) -> PolicyCase:
    """One case file; its slug must equal the file name."""
    data, root = _parse(path)
    case = _validate(PolicyCase, data, path=path, root=root)
    if case.slug != path.stem:
        node = _node_at(root, ["slug"])
        raise DataFileError(f"slug {case.slug!r} must equal the file name {path.stem!r}",
                            path=str(path), line=node.start_mark.line + 1 if node else None,
                            field="slug")
    return case


def cases_read(directory: Path) -> list[PolicyCase]:
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise DataFileError("no case files (*.yaml) found", path=str(directory))
    return [case_read(p) for p in paths]


def resources_read(path: Path) -> list[LearningResource]:
    data, root = _parse(path)
    items = _list_in(path, data, "resources")
    return [_validate(LearningResource, item, path=path, root=root, prefix=("resources", i))
            for i, item in enumerate(items)]


def learning_paths_read(path: Path, *, resource_slugs: set[str]) -> list[LearningPath]:
    data, root = _parse(path)
    items = _list_in(path, data, "paths")
    paths = [_validate(LearningPath, item, path=path, root=root, prefix=("paths", i))
             for i, item in enumerate(items)]
    for i, lp in enumerate(paths):
        for j, step in enumerate(lp.steps):
            if step.resource not in resource_slugs:
                node = _node_at(root, ["paths", i, "steps", j, "resource"])
                raise DataFileError(f"no published resource has the slug {step.resource!r}",
                                    path=str(path), line=node.start_mark.line + 1 if node else None,
                                    field=f"paths.{i}.steps.{j}.resource")
    return paths


def cost_assumptions_read(path: Path) -> tuple[dict[str, CostAssumption], list[Benchmark], dict]:
    """The cost model: assumptions by key, benchmarks, and the file's notes (about, formulas)."""
    data, root = _parse(path)
    items = _list_in(path, data, "assumptions")
    assumptions = [_validate(CostAssumption, item, path=path, root=root,
                             prefix=("assumptions", i)) for i, item in enumerate(items)]
    benchmarks = [_validate(Benchmark, item, path=path, root=root, prefix=("benchmarks", i))
                  for i, item in enumerate(data.get("benchmarks") or [])]
    for i, a in enumerate(assumptions):
        if a.basis != "assumption" and not any(s.section for s in a.sources):
            raise DataFileError(
                f"{a.key}: a figure taken or derived from a source must say where in the source "
                "it is (give a source's 'section': page, section or paragraph), or be marked "
                "'basis: assumption'", path=str(path),
                line=field_line_in(root, ("assumptions", i, "sources")), field="sources")
    notes = {k: data.get(k) for k in ("about", "currency", "formulas", "scope_notes", "brief")}
    return {a.key: a for a in assumptions}, benchmarks, notes


def field_line(path: Path, loc: Sequence[Any]) -> int | None:
    """The line of the value at ``loc`` in a YAML file (for errors found after validation)."""
    _, root = _parse(path)
    return field_line_in(root, loc)


def field_line_in(root: yaml.Node | None, loc: Sequence[Any]) -> int | None:
    node = _node_at(root, loc)
    return node.start_mark.line + 1 if node is not None else None

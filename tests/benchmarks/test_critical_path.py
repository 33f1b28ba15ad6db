"""The critical path (longest chain of waits the engine must respect, in steps) does not
grow with the number of services when the spec's dependency depth does not.

What it is today, per target, for a spec whose longest `depends_on` chain has D services:
- docker: D + 1 (the provider, then a volume or image, then one container per level; a
  container waits for every container of its dependencies);
- vm: 3 (provider, base volume, root volume over it, domain; VMs never wait for each other,
  their peers' addresses are planned values);
- hybrid: 8 with a sandboxed service, else 7 (provider, base and root volumes, a node's
  domain, the readiness gate, the cluster's Kubernetes provider, the RuntimeClasses, the
  namespace, a workload);
- kubernetes: 2 (provider, namespace, every other object).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.graph import critical_path
from benchmarks.specgen import generate_spec, write_workdir
from components.offline.recorder import RecordedResource
from components.offline.runner import run_preview

SIZES = (6, 18, 54)


def _steps(tmp_path: Path, target: str, n: int, depth: int) -> int:
    spec = generate_spec(n, depth=depth)
    workdir = write_workdir(tmp_path / f"{target}-{n}", spec, target)
    return critical_path(run_preview(workdir.directory, workdir.stack).resources).steps


def _expected(target: str, depth: int, n: int) -> int:
    sandboxed = any(
        s.get("isolation") == "sandbox" for s in generate_spec(n, depth=depth)["services"].values()
    )
    return {"docker": depth + 1, "vm": 3, "hybrid": 8 if sandboxed else 7, "kubernetes": 2}[target]


@pytest.mark.parametrize("target", ["docker", "vm", "hybrid", "kubernetes"])
def test_critical_path_does_not_grow_with_the_number_of_services(tmp_path: Path, target: str) -> None:
    depth = 4
    found = {n: _steps(tmp_path, target, n, depth) for n in SIZES}
    assert found == {n: _expected(target, depth, n) for n in SIZES}


@pytest.mark.parametrize("depth", [2, 6])
def test_docker_critical_path_follows_the_dependency_depth(tmp_path: Path, depth: int) -> None:
    assert _steps(tmp_path, "docker", 30, depth) == depth + 1


def _resource(
    urn: str, custom: bool = True, parent: str = "", deps: tuple[str, ...] = (), provider: str = ""
) -> RecordedResource:
    return RecordedResource(
        urn=urn, id="", type=f"test:index:{urn}", name=urn, parent=parent, custom=custom,
        depends_on=list(deps), protect=False, retain_on_delete=False, delete_before_replace=False,
        provider=provider, replace_with=[], inputs={},
    )  # fmt: skip


def test_edges_are_dependencies_and_providers_and_a_component_stands_for_its_children() -> None:
    graph = [
        _resource("prov"),
        _resource("comp", custom=False),
        _resource("a", parent="comp", provider="prov::prov-id"),  # 1 step after the provider
        _resource("b", parent="comp", deps=("a",)),  # 2
        _resource("c", deps=("comp",)),  # waits for a and b: 3
        _resource("d", parent="c"),  # a custom parent is no wait: 0
    ]
    path = critical_path(graph)
    assert (path.steps, path.chain) == (
        3,
        ("test:index:prov", "test:index:a", "test:index:b", "test:index:c"),
    )


def test_a_graph_without_waits_has_no_steps() -> None:
    assert critical_path([_resource("a"), _resource("b")]).steps == 0

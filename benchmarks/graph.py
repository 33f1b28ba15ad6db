"""The critical path of a recorded resource graph: the longest chain of operations the
engine must run one after another, however parallel it is allowed to be.

Nodes are the custom resources (providers included): each is one provider operation.
Components are not nodes: they do no work of their own.

An edge `a -> b` means the engine cannot start `b` before `a` is done:
- every URN in `b`'s recorded `depends_on`: the SDK sends there both the explicit
  `depends_on` option and every resource whose outputs flow into `b`'s inputs, so it is
  exactly the set the engine waits for. A component in that list stands for all the
  custom resources under it (the engine waits for its children);
- `b`'s explicit provider: the engine configures a provider before the first operation
  that uses it (default providers are not recorded and cost nothing here).
Not edges: `parent` (the engine needs only the parent's URN, known at registration),
`replace_with` and delete-before-replace (they order replacements, not a first create).

The length is counted in edges (steps): a chain of k resources is k - 1 steps, so one
resource alone is 0 and "provider, then resource" is 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from graphlib import TopologicalSorter

from components.offline.recorder import RecordedResource


@dataclass(frozen=True)
class CriticalPath:
    """The longest chain: its length in steps, and the resource types along it."""

    steps: int
    chain: tuple[str, ...]


def _provider_urn(reference: str) -> str:
    return reference.rsplit("::", 1)[0]  # a provider reference is `<urn>::<id>`


def dependency_edges(resources: Sequence[RecordedResource]) -> dict[str, set[str]]:
    """Custom resource URN -> the custom resource URNs it must wait for."""
    custom = {r.urn for r in resources if r.custom}
    children: dict[str, list[str]] = {}
    for r in resources:
        children.setdefault(r.parent, []).append(r.urn)

    def expand(urn: str) -> set[str]:
        if urn in custom:
            return {urn}
        found: set[str] = set()
        for child in children.get(urn, []):
            found |= expand(child)
        return found

    edges: dict[str, set[str]] = {}
    for r in resources:
        if not r.custom:
            continue
        waits = {u for dep in r.depends_on for u in expand(dep)}
        if r.provider and _provider_urn(r.provider) in custom:
            waits.add(_provider_urn(r.provider))
        edges[r.urn] = waits - {r.urn}
    return edges


def critical_path(resources: Sequence[RecordedResource]) -> CriticalPath:
    """The longest chain of waits in the graph (0 steps for a graph without edges)."""
    edges = dependency_edges(resources)
    if not edges:
        return CriticalPath(0, ())
    depth: dict[str, int] = {}
    previous: dict[str, str | None] = {}
    for urn in TopologicalSorter(edges).static_order():
        waits = edges.get(urn, set())
        longest = max(waits, key=lambda u: (depth[u], u), default=None)
        depth[urn] = 0 if longest is None else depth[longest] + 1
        previous[urn] = longest
    end = max(depth, key=lambda u: (depth[u], u))
    type_of = {r.urn: r.type for r in resources}
    chain: list[str] = []
    node: str | None = end
    while node is not None:
        chain.append(type_of[node])
        node = previous[node]
    return CriticalPath(depth[end], tuple(reversed(chain)))

"""Each service gets at least the isolation its spec asks for, on the target it is placed on:
the target's declared capabilities, then the facts that decide it there (the RuntimeClass
a Kubernetes workload names, the k3s nodes that can run it)."""

from __future__ import annotations

from collections.abc import Mapping

from components import vocabulary
from components.targets import TARGETS
from components.targets.capabilities import STRENGTH, capabilities_of

from ...framework import Findings, Params, Resource, control
from ...read import domain_labels, get, labels, of, placed_on, pod_spec, text, unknown
from ...resource_types import K8S_RUNTIME_CLASS, K8S_WORKLOADS, LIBVIRT_DOMAIN

NEVER_SANDBOXED = "runc"


@control(
    id="stack-isolation-vs-target",
    target="stack",
    severity="critical",
    benchmark="hybrid-platform isolation",
    description="No service runs on a target weaker than its isolation.",
    remediation="Move the service to a target that gives its isolation (vm: target vm, or hybrid with cluster.vm_agents), or name a sandboxed RuntimeClass.",
    isolation=True,
    sandboxHandlers=["runsc", "gvisor"],
    vmHandlers=["kata", "kata-qemu", "kata-clh", "kata-fc"],
    sandboxClasses=["gvisor", "runsc"],
    vmClasses=["kata", "kata-qemu", "kata-clh", "kata-fc"],
)
def isolation_vs_target(resources: list[Resource], params: Params) -> Findings:
    handlers = {
        name: text(r.props.get("handler"))
        for r in of(resources, K8S_RUNTIME_CLASS)
        if isinstance(name := text(get(r.props, "metadata", "name")), str)
    }
    served = _served_by_cluster_nodes(resources)
    for workload in resources:
        target, found = placed_on(workload), labels(workload)
        level = found.get(vocabulary.ISOLATION, "")
        if target is None or target not in TARGETS or level not in STRENGTH:
            continue
        if not capabilities_of(target).provides(level):
            yield workload.urn, _weaker(level, target)
        elif workload.type in K8S_WORKLOADS and level != "container":
            problem = _runtime_class(workload, level, handlers, params)
            if problem:
                yield workload.urn, problem
        built_cluster = found.get(vocabulary.TARGET, "hybrid") == "hybrid"
        if workload.type in K8S_WORKLOADS and built_cluster and served is not None and level not in served:
            setting = "cluster.vm_agents" if level == "vm" else "cluster.agents"
            yield (
                workload.urn,
                f"isolation {level}: no node of the k3s cluster serves {level} workloads, so the pods stay Pending; set {setting} to 1 or more",
            )


def _weaker(level: str, target: str) -> str:
    gives = ", ".join(capabilities_of(target).isolation) or "none"
    where = ", ".join(t for t in TARGETS if capabilities_of(t).provides(level))
    return f"isolation {level} is more than target {target} gives ({gives}); place the service on {where}"


def _runtime_class(
    workload: Resource, level: str, handlers: Mapping[str, str | None], params: Params
) -> str | None:
    spec = pod_spec(workload)
    if unknown(spec, "runtimeClassName"):
        return None
    name = text(spec.get("runtimeClassName"))
    kind = "VM-based" if level == "vm" else "sandboxed"
    if not name:
        return f"isolation {level} needs a {kind} RuntimeClass; without runtimeClassName the pods run on the shared kernel"
    if name in handlers:
        handler = handlers[name]
        accepted = _accepted(params, "vmHandlers", "sandboxHandlers", level)
        if handler is not None and (handler == NEVER_SANDBOXED or handler not in accepted):
            return f"isolation {level}: RuntimeClass {name} runs handler {handler}, which is not {kind} ({', '.join(accepted)})"
        return None
    accepted = _accepted(params, "vmClasses", "sandboxClasses", level)
    if name == NEVER_SANDBOXED or name not in accepted:
        return f"isolation {level}: RuntimeClass {name} is not a known {kind} class ({', '.join(accepted)}); set kubernetes.runtime_classes.{level}"
    return None


def _accepted(params: Params, vm_key: str, sandbox_key: str, level: str) -> list[str]:
    """What counts for `level`: a VM runtime for vm; a sandbox or a VM runtime for sandbox."""
    names = list(params[vm_key]) if level == "vm" else [*params[sandbox_key], *params[vm_key]]
    return [n for n in names if n != NEVER_SANDBOXED]


def _served_by_cluster_nodes(resources: list[Resource]) -> set[str] | None:
    """The levels the k3s nodes built in this stack serve; None when no node states them."""
    stated = [
        vocabulary.split(found[vocabulary.NODE_ISOLATION])
        for found in map(domain_labels, of(resources, LIBVIRT_DOMAIN))
        if vocabulary.K3S_ROLE in found and vocabulary.NODE_ISOLATION in found
    ]
    return {level for levels in stated for level in levels} if stated else None

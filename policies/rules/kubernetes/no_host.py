"""Nothing of the node's: host processes, namespaces, paths and ports (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, containers, get, pod_spec
from . import WORKLOADS, security_contexts


@control(
    id="k8s-no-host-process",
    target="kubernetes",
    severity="critical",
    benchmark="PSS baseline: HostProcess",
    description="No Windows HostProcess pods.",
    remediation="Remove windowsOptions.hostProcess.",
    isolation=True,
    types=WORKLOADS,
)
def no_host_process(r: Resource, _: Params) -> Messages:
    for where, ctx in security_contexts(r):
        if get(ctx, "windowsOptions", "hostProcess") is True:
            yield f"{where} is a Windows host process"


@control(
    id="k8s-no-host-namespaces",
    target="kubernetes",
    severity="critical",
    benchmark="PSS baseline: Host Namespaces",
    description="Pods do not share the node's network, PID or IPC namespace.",
    remediation="Remove hostNetwork, hostPID and hostIPC.",
    isolation=True,
    types=WORKLOADS,
)
def no_host_namespaces(r: Resource, _: Params) -> Messages:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod_spec(r).get(key) is True:
            yield f"shares the node's namespace ({key}: true)"


@control(
    id="k8s-no-host-path",
    target="kubernetes",
    severity="critical",
    benchmark="PSS baseline: HostPath Volumes",
    description="No hostPath volumes.",
    remediation="Use PersistentVolumeClaims or emptyDir.",
    isolation=True,
    types=WORKLOADS,
)
def no_host_path(r: Resource, _: Params) -> Messages:
    for volume in as_list(pod_spec(r).get("volumes")):
        if get(volume, "hostPath") is not None:
            yield f"mounts the node path {get(volume, 'hostPath', 'path')}"


@control(
    id="k8s-no-host-ports",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: Host Ports",
    description="No container binds a node port directly.",
    remediation="Expose ports through a Service.",
    isolation=True,
    types=WORKLOADS,
)
def no_host_ports(r: Resource, _: Params) -> Messages:
    for c in containers(r):
        for port in as_list(c.get("ports")):
            if get(port, "hostPort"):
                yield f"container {c.get('name')} binds node port {get(port, 'hostPort')}"

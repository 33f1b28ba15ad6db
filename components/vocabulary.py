"""The words targets and the policy pack share: label keys, node labels, taints, annotations.

No dependencies, so the policy pack imports it too: a label is written here once and
read back by the same constant, never by a string formatted in one place and parsed in
another. Docker resources carry labels as labels, Kubernetes objects as
`metadata.labels` (annotations for lists), libvirt domains in their description as
`key=value` words (libvirt has no labels).
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "hybrid-platform.io"

# Every resource of an app.
APP = f"{PREFIX}/app"
MANAGED_BY = f"{PREFIX}/managed-by"
MANAGER = "hybrid-platform"
# Resources of one service.
SERVICE = f"{PREFIX}/service"
ISOLATION = f"{PREFIX}/isolation"  # the isolation the spec asks for: container | sandbox | vm
TARGET = f"{PREFIX}/target"  # the target a copy of the service runs on (two copies while it moves)
REPLICA = f"{PREFIX}/replica"
# Docker networks and volumes.
NETWORK_ROLE = f"{PREFIX}/network-role"  # "edge", or "from-<client>" for a depends_on pair
VOLUME = f"{PREFIX}/volume"
SIZE = f"{PREFIX}/size"
# Cluster nodes (libvirt domains of the hybrid target).
K3S_ROLE = f"{PREFIX}/k3s-role"  # server | agent
NODE_ISOLATION = f"{PREFIX}/node-isolation"  # the levels a node serves, comma-separated

# What the spec declares about a workload, so a policy can judge the resource against it.
# Lists are comma-separated: `8080/tcp,53/udp`, `DB_PASSWORD,API_TOKEN`.
PUBLIC_PORTS = f"{PREFIX}/public-ports"
LISTEN_PORTS = f"{PREFIX}/ports"
SECRET_ENV = f"{PREFIX}/secret-env"  # env vars whose values come from secrets
# Facts of a workload that runs inside a VM, carried by its domain: a policy cannot read the
# container engine's arguments there, so the VM target states them.
WORKLOAD_IMAGE = f"{PREFIX}/image"
WORKLOAD_USER = f"{PREFIX}/user"  # UID[:GID], or absent when the image's user runs
WORKLOAD_READ_ONLY_ROOT = f"{PREFIX}/read-only-root"  # true | false
WORKLOAD_HEALTH = f"{PREFIX}/health"  # http | tcp | exec | none
WORKLOAD_ENV = f"{PREFIX}/env"  # names of plain (non-secret) env vars
WORKLOAD_CAP_ADD = f"{PREFIX}/cap-add"  # capabilities added after dropping ALL
# Placement across targets: the ports a server publishes for clients on other targets, the
# target pairs (`docker->vm`) whose enforcement is looser than inside one target that a
# workload takes part in, and the pairs the stack accepts (`none` when it accepts none).
PEER_PORTS = f"{PREFIX}/peer-ports"
CROSS_TARGET_GAPS = f"{PREFIX}/cross-target-gaps"
ACCEPTED_GAPS = f"{PREFIX}/accepted-gaps"


def resource_labels(app: str, service: str | None = None, isolation: str | None = None) -> dict[str, str]:
    """The labels of a resource of `app` (and of `service` at `isolation`, when it has one)."""
    result = {APP: app, MANAGED_BY: MANAGER}
    if service is not None:
        result[SERVICE] = service
    if isolation is not None:
        result[ISOLATION] = isolation
    return result


def join(values: list[str] | tuple[str, ...]) -> str:
    """A list label's value."""
    return ",".join(values)


def split(value: object) -> list[str]:
    """A list label's values ([] when absent or not text)."""
    return [v for v in value.split(",") if v] if isinstance(value, str) else []


def description(labels: dict[str, str]) -> str:
    """libvirt has no labels: a domain's description carries them as `key=value` words."""
    return " ".join(f"{k}={v}" for k, v in labels.items())


def description_labels(text: object) -> dict[str, str]:
    """The labels in a domain description ({} when there is none)."""
    if not isinstance(text, str):
        return {}
    return dict(word.split("=", 1) for word in text.split() if "=" in word)


@dataclass(frozen=True)
class NodeLabel:
    """A label on cluster nodes that workloads select."""

    key: str
    value: str = "true"

    def k3s(self) -> str:
        """As k3s's `node-label` takes it."""
        return f"{self.key}={self.value}"


@dataclass(frozen=True)
class Taint:
    """A taint on cluster nodes, and the toleration that admits a workload onto them."""

    key: str
    value: str
    effect: str

    def k3s(self) -> str:
        """As k3s's `node-taint` takes it."""
        return f"{self.key}={self.value}:{self.effect}"

    def toleration(self) -> dict[str, str]:
        """The pod toleration for this taint."""
        return {"key": self.key, "operator": "Equal", "value": self.value, "effect": self.effect}


def isolation_node_label(level: str) -> NodeLabel:
    """The node label of nodes that run workloads at isolation `level`."""
    return NodeLabel(f"{PREFIX}/isolation-{level}")


VM_TAINT = Taint(f"{PREFIX}/isolation", "vm", "NoSchedule")  # nodes kept for vm workloads
SERVER_TAINT = Taint("CriticalAddonsOnly", "true", "NoExecute")  # k3s servers when agents exist

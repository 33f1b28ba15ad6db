"""`K3sCluster`: k3s servers and agents as libvirt VMs on the stack's libvirt fabric."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pulumi
import pulumi_random as random

from ... import naming, vocabulary
from ...appspec.units import mib_ceil
from ...cloudinit import ClusterCa, K3sNode, k3s_user_data, meta_data
from ..libvirt.domain import mac_address
from ..libvirt.fabric import LibvirtFabric, MachineGroup
from ..libvirt.machine import MachineSpec, build_machine, instance_id
from .kubeconfig import render_kubeconfig
from .pki import build_pki
from .readiness import ReadinessGate
from .settings import ClusterSettings

API_PORT = 6443


@dataclass(frozen=True)
class NodeGroup:
    """Nodes of one kind: their k3s role, how many, the isolation levels they serve, taints."""

    name: str
    role: str  # server | agent
    count: int
    levels: tuple[str, ...]
    taints: tuple[vocabulary.Taint, ...]
    count_key: str  # the setting that sets the count


def node_groups(cluster: ClusterSettings) -> list[NodeGroup]:
    """The cluster's node groups (those with nodes). Servers run workloads only when there
    are no agents."""
    serve_all = cluster.agents + cluster.vm_agents == 0
    groups = [
        NodeGroup(
            "server",
            "server",
            cluster.servers,
            ("container", "sandbox") if serve_all else (),
            () if serve_all else (vocabulary.SERVER_TAINT,),
            "cluster.servers",
        ),
        NodeGroup("agent", "agent", cluster.agents, ("container", "sandbox"), (), "cluster.agents"),
        NodeGroup(
            "vm-agent", "agent", cluster.vm_agents, ("vm",), (vocabulary.VM_TAINT,), "cluster.vm_agents"
        ),
    ]
    return [g for g in groups if g.count]


def machine_groups(cluster: ClusterSettings) -> list[MachineGroup]:
    """The cluster's nodes as machine groups on the stack's libvirt fabric."""
    return [
        MachineGroup(naming.node_group_key(g.name), g.count, partial(naming.node_dns, g.name), g.count_key)
        for g in node_groups(cluster)
    ]


class K3sCluster(pulumi.ComponentResource):
    """The cluster. `kubeconfig` (a secret) reaches it as admin; `ready` exists once the API
    answers and every node is Ready: workloads depend on it."""

    kubeconfig: pulumi.Output[str]
    ready: ReadinessGate

    def __init__(
        self,
        name: str,
        app: str,
        cluster: ClusterSettings,
        fabric: LibvirtFabric,
        opts: pulumi.ResourceOptions,
    ) -> None:
        super().__init__("hybrid:k3s:K3sCluster", name, None, opts)
        lv = fabric.settings
        groups = node_groups(cluster)
        child = pulumi.ResourceOptions(parent=self)
        token = pulumi.Output.secret(
            random.RandomPassword(naming.child(name, "token"), length=48, special=False, opts=child).result
        )
        pki = build_pki(name, self)
        servers = fabric.addresses[naming.node_group_key("server")]
        server_url = f"https://{servers[0]}:{API_PORT}"
        domains = []
        for group in groups:
            key = naming.node_group_key(group.name)
            for index in range(group.count):
                first = group.name == "server" and index == 0
                node = K3sNode(
                    hostname=naming.node_hostname(group.name, index),
                    role=group.role,
                    address=fabric.placement(key, index).address,
                    version=cluster.k3s_version,
                    install_source=cluster.install_source,
                    join_url=None if first else server_url,
                    cluster_init=first and cluster.servers > 1,
                    tls_sans=(*servers, "server"),
                    labels=(
                        vocabulary.NodeLabel(vocabulary.APP, app).k3s(),
                        *(vocabulary.isolation_node_label(level).k3s() for level in group.levels),
                    ),
                    taints=tuple(t.k3s() for t in group.taints),
                    ssh_authorized_keys=tuple(lv.ssh_authorized_keys),
                )
                user_data = self._user_data(node, token, pki if first else None)
                node_name = naming.node_name(name, group.name, index)
                node_component = pulumi.ComponentResource(
                    "hybrid:k3s:Node", node_name, None, pulumi.ResourceOptions(parent=self)
                )
                machine = MachineSpec(
                    name=node_name,
                    group=key,
                    index=index,
                    labels={
                        **vocabulary.resource_labels(app),
                        vocabulary.K3S_ROLE: group.role,
                        vocabulary.NODE_ISOLATION: vocabulary.join(group.levels),
                    },
                    mac=mac_address(fabric.placement(key, index).address),
                    vcpu=cluster.vcpus,
                    memory_mib=mib_ceil(cluster.memory),
                    root_size=cluster.disk,
                )
                meta = instance_id(node.hostname, user_data).apply(partial(meta_data, hostname=node.hostname))
                domains.append(build_machine(node_component, fabric, machine, user_data, meta))
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(pki.server_ca_cert, pki.admin_cert, pki.admin_key).apply(
                lambda v: render_kubeconfig(app, server_url, v[0], v[1], v[2])
            )
        )
        self.ready = ReadinessGate(
            naming.child(name, "ready"),
            server=server_url,
            nodes=sum(g.count for g in groups),
            ca_pem=pki.server_ca_cert,
            client_cert_pem=pki.admin_cert,
            client_key_pem=pki.admin_key,
            timeout_seconds=cluster.ready_timeout // 1000,
            opts=pulumi.ResourceOptions(parent=self, depends_on=domains),
        )
        self.register_outputs({"kubeconfig": self.kubeconfig, "server": server_url})

    @staticmethod
    def _user_data(node: K3sNode, token: pulumi.Output[str], pki: Any) -> pulumi.Output[str]:
        if pki is None:
            return pulumi.Output.secret(token.apply(lambda t: k3s_user_data(node, t, None)))
        parts = pulumi.Output.all(
            token, pki.server_ca_cert, pki.server_ca_key, pki.client_ca_cert, pki.client_ca_key
        )
        return pulumi.Output.secret(parts.apply(lambda v: k3s_user_data(node, v[0], ClusterCa(*v[1:]))))

"""`K3sCluster`: k3s servers and agents as libvirt VMs, built with the VM target's blocks."""

from __future__ import annotations

from functools import partial
from typing import Any

import pulumi
import pulumi_random as random

from ...addressing import plan_addresses
from ...cloudinit import ClusterCa, K3sNode, k3s_user_data, meta_data
from ...labels import labels
from ...settings import StackSettings
from ..vm.component import instance_id
from ..vm.domain import mac_address
from ..vm.hosts import MachineSpec, build_hosts, build_machine, dns_entries
from .kubeconfig import render_kubeconfig
from .pki import build_pki
from .readiness import ReadinessGate

API_PORT = 6443
ISOLATION_LABEL = "hybrid-platform.io/isolation-{level}=true"
VM_TAINT = "hybrid-platform.io/isolation=vm:NoSchedule"
SERVER_TAINT = "CriticalAddonsOnly=true:NoExecute"


def _node_label(level: str) -> str:
    return ISOLATION_LABEL.format(level=level)


def node_roles(servers: int, agents: int, vm_agents: int) -> dict[str, dict[str, Any]]:
    """Per node group: the k3s role, the isolation levels its nodes serve, its taints.
    Servers run workloads only when there are no agents."""
    serve_all = agents + vm_agents == 0
    return {
        "server": {
            "role": "server",
            "count": servers,
            "levels": ("container", "sandbox") if serve_all else (),
            "taints": () if serve_all else (SERVER_TAINT,),
        },
        "agent": {"role": "agent", "count": agents, "levels": ("container", "sandbox"), "taints": ()},
        "vm-agent": {"role": "agent", "count": vm_agents, "levels": ("vm",), "taints": (VM_TAINT,)},
    }


class K3sCluster(pulumi.ComponentResource):
    """The cluster. `kubeconfig` (a secret) reaches it as admin; `ready` exists once the API
    answers and every node is Ready: workloads depend on it."""

    kubeconfig: pulumi.Output[str]
    ready: ReadinessGate

    def __init__(self, name: str, app: str, settings: StackSettings, opts: pulumi.ResourceOptions) -> None:
        super().__init__("hybrid:k3s:K3sCluster", name, None, opts)
        cluster, lv = settings.cluster, settings.libvirt
        roles = node_roles(cluster.servers, cluster.agents, cluster.vm_agents)
        placements = plan_addresses(
            {group: r["count"] for group, r in roles.items() if r["count"]},
            lv.network.cidr,
            len(lv.host_uris),
        )
        hosts = build_hosts(self, name, name, lv, dns_entries(placements))
        child = pulumi.ResourceOptions(parent=self)
        token = pulumi.Output.secret(
            random.RandomPassword(f"{name}-token", length=48, special=False, opts=child).result
        )
        pki = build_pki(name, self)
        servers = sorted(p.address for (g, _), p in placements.items() if g == "server")
        server_url = f"https://{servers[0]}:{API_PORT}"
        domains = []
        for (group, index), placement in sorted(placements.items()):
            role = roles[group]
            first = group == "server" and index == 0
            node = K3sNode(
                hostname=f"{group}-{index}",
                role=role["role"],
                address=placement.address,
                version=cluster.k3s_version,
                install_source=cluster.install_source,
                join_url=None if first else server_url,
                cluster_init=first and cluster.servers > 1,
                tls_sans=(*servers, "server"),
                labels=(f"hybrid-platform.io/app={app}", *map(_node_label, role["levels"])),
                taints=role["taints"],
                ssh_authorized_keys=tuple(lv.ssh_authorized_keys),
            )  # fmt: skip
            user_data = self._user_data(node, token, pki if first else None)
            host = hosts[placement.subnet.host]
            node_component = pulumi.ComponentResource(
                "hybrid:k3s:Node", f"{name}-{group}-{index}", None,
                pulumi.ResourceOptions(parent=self, provider=host.provider),
            )  # fmt: skip
            machine = MachineSpec(
                name=f"{name}-{group}-{index}",
                labels={**labels(app), "hybrid-platform.io/k3s-role": role["role"]},
                mac=mac_address(name, group, index),
                vcpu=cluster.vcpus,
                memory_mib=-(-cluster.memory // 2**20),
                address=placement.address,
                root_size=cluster.disk,
            )
            meta = instance_id(node.hostname, user_data).apply(partial(meta_data, hostname=node.hostname))
            domains.append(build_machine(node_component, machine, host, user_data, meta, [name], [], lv))
        self.kubeconfig = pulumi.Output.secret(
            pulumi.Output.all(pki.server_ca_cert, pki.admin_cert, pki.admin_key).apply(
                lambda v: render_kubeconfig(app, server_url, v[0], v[1], v[2])
            )
        )
        self.ready = ReadinessGate(
            f"{name}-ready",
            server=server_url,
            nodes=len(placements),
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

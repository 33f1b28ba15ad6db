"""What the `hybrid` target (a k3s cluster on libvirt VMs) can express (see `Capabilities`)."""

from __future__ import annotations

from ..capabilities import Capabilities

CAPABILITIES = Capabilities(
    target="hybrid",
    isolation={
        "container": "pods under Pod Security Standards restricted on the agents",
        "sandbox": "the gVisor RuntimeClass on the agents",
        "vm": "the Kata RuntimeClass on dedicated, tainted vm agents (cluster.vm_agents >= 1)",
    },
    enforces_direction=True,
    host_ports="the port of a LoadBalancer Service (k3s binds it on every node), or a nodePort",
    volume_sizes=True,
    probes={
        "http": "the kubelet's httpGet probe",
        "tcp": "the kubelet's tcpSocket probe",
        "exec": "the kubelet's exec probe",
    },
    reached_from_outside="a LoadBalancer or NodePort Service on the node VMs' addresses",
    gaps={
        "isolation.runtime": (
            "gVisor and Kata must be on the agents' base image for k3s's containerd to offer them"
        ),
    },
)

"""What the `kubernetes` target (an existing cluster) can express (see `Capabilities`)."""

from __future__ import annotations

from ..capabilities import Capabilities

CAPABILITIES = Capabilities(
    target="kubernetes",
    isolation={
        "container": "pods under Pod Security Standards restricted",
        "sandbox": "the RuntimeClass kubernetes.runtime_classes.sandbox (gVisor)",
        "vm": "the RuntimeClass kubernetes.runtime_classes.vm (Kata: a VM per pod)",
    },
    enforces_direction=True,
    host_ports="the port of a LoadBalancer Service, or the nodePort of a NodePort Service",
    volume_sizes=True,
    probes={
        "http": "the kubelet's httpGet probe",
        "tcp": "the kubelet's tcpSocket probe",
        "exec": "the kubelet's exec probe",
    },
    reached_from_outside="a LoadBalancer or NodePort Service on the nodes' addresses",
    gaps={
        "isolation.runtime": (
            "sandbox and vm need the cluster to offer the RuntimeClasses named in kubernetes.runtime_classes"
        ),
    },
)

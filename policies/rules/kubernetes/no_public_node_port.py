"""A NodePort Service opens its port on every node."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get
from ...resource_types import K8S_SERVICE


@control(
    id="k8s-no-public-node-port",
    target="kubernetes",
    severity="medium",
    benchmark="Kubernetes hardening: exposure",
    description="No Service of type NodePort: it opens the port on every node's addresses.",
    remediation="Set kubernetes.public_service_type: LoadBalancer; if NodePort is deliberate, firewall the nodes and disable this control for the stack.",
    isolation=False,
    types=(K8S_SERVICE,),
)
def no_public_node_port(r: Resource, _: Params) -> Messages:
    if get(r.props, "spec", "type") != "NodePort":
        return
    ports = [
        f"node port {get(p, 'nodePort')}"
        if get(p, "nodePort")
        else f"a node port (30000-32767) for port {get(p, 'port')}"
        for p in as_list(get(r.props, "spec", "ports"))
    ]
    yield f"type NodePort opens {', '.join(ports) or 'its ports'} on every node's addresses"

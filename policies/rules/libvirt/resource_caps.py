"""vCPU and memory caps per VM."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...judge import whole_number
from . import DOMAIN


@control(
    id="libvirt-resource-caps",
    target="libvirt",
    severity="medium",
    benchmark="libvirt security: resource limits",
    description="Every VM has vCPU and memory caps within the maximum.",
    remediation="Lower resources in the spec or raise maxVcpus/maxMemoryMib deliberately.",
    isolation=True,
    types=DOMAIN,
    maxVcpus=16,
    maxMemoryMib=65536,
)
def resource_caps(r: Resource, params: Params) -> Messages:
    vcpu, memory = whole_number(r.props.get("vcpu")), whole_number(r.props.get("memory"))
    if "vcpu" not in r.props:
        yield "has no vCPU count"
    elif vcpu is not None and vcpu > params["maxVcpus"]:
        yield f"has {vcpu} vCPUs, above the maximum {params['maxVcpus']}"
    if "memory" not in r.props:
        yield "has no memory size"
    elif memory is not None and memory > params["maxMemoryMib"]:
        yield f"has {memory} MiB, above the maximum {params['maxMemoryMib']} MiB"

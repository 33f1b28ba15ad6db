"""Only namespaced, safe sysctls (PSS baseline)."""

from __future__ import annotations

from ...framework import Messages, Params, Resource, control
from ...read import as_list, get, pod_spec
from . import WORKLOADS

SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"}  # fmt: skip


@control(
    id="k8s-safe-sysctls",
    target="kubernetes",
    severity="high",
    benchmark="PSS baseline: Sysctls",
    description="Only namespaced, safe sysctls.",
    remediation="Remove unsafe sysctls.",
    isolation=True,
    types=WORKLOADS,
)
def safe_sysctls(r: Resource, _: Params) -> Messages:
    for sysctl in as_list(get(pod_spec(r), "securityContext", "sysctls")):
        if get(sysctl, "name") not in SAFE_SYSCTLS:
            yield f"sets the unsafe sysctl {get(sysctl, 'name')}"

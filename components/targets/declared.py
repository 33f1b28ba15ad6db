"""What the spec declares about a workload, as labels, so a policy can judge the resource
against the spec on any target (see `components.vocabulary`)."""

from __future__ import annotations

from .. import vocabulary as v
from ..resolve import ResolvedService
from ..wiring.plan import Wiring
from .hardening import added_capabilities


def declared_labels(service: ResolvedService) -> dict[str, str]:
    """Ports, public ports and env vars set from secrets (each only when there are any)."""
    spec, found = service.spec, {}
    if spec.ports:
        found[v.LISTEN_PORTS] = v.join([f"{p.port}/{p.protocol}" for p in spec.ports])
    if spec.public_ports:
        found[v.PUBLIC_PORTS] = v.join([f"{p.port}/{p.protocol}" for p in spec.public_ports])
    if spec.secret_env:
        found[v.SECRET_ENV] = v.join(sorted(spec.secret_env))
    return found


def workload_facts(service: ResolvedService) -> dict[str, str]:
    """The facts of a workload that runs where a policy cannot read its engine's arguments
    (inside a VM): image, user, root filesystem, health check, plain env names, capabilities."""
    spec = service.spec
    facts = {
        v.WORKLOAD_IMAGE: service.image,
        v.WORKLOAD_READ_ONLY_ROOT: "true" if spec.read_only_root else "false",
        v.WORKLOAD_HEALTH: service.health.probe.kind if service.health else "none",
    }
    if spec.user is not None:
        facts[v.WORKLOAD_USER] = spec.user
    if spec.env:
        facts[v.WORKLOAD_ENV] = v.join(sorted(spec.env))
    if caps := added_capabilities(p.port for p in spec.ports):
        facts[v.WORKLOAD_CAP_ADD] = v.join(caps)
    return {**facts, **declared_labels(service)}


def gap_labels(wiring: Wiring, service: str) -> dict[str, str]:
    """The cross-target pairs with a declared gap this service takes part in, and those the
    stack accepts, for the policy pack (none when it takes part in none)."""
    gaps = wiring.gaps.get(service, ())
    if not gaps:
        return {}
    return {v.CROSS_TARGET_GAPS: v.join(gaps), v.ACCEPTED_GAPS: v.join(wiring.accepted) or "none"}

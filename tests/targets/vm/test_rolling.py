"""Replicated VM services are replaced one replica at a time: with the guest agent every
replica has a readiness gate, and replica n+1's domain is created (and replaced) only
after replica n's gate, which waits for the new VM to be healthy."""

from __future__ import annotations

from pathlib import Path

from components.targets.libvirt.readiness import _ReadinessProvider
from components.targets.vm.podman import readiness_check
from tests.factory import make_app, preview
from tests.targets.vm.conftest import DOMAIN, SECRETS, of_type

GATE = "pulumi-python:dynamic:Resource"


def test_each_replica_waits_for_the_one_before(tmp_path: Path) -> None:
    spec = make_app(web={"replicas": 3})
    result = preview(tmp_path, spec, {**SECRETS, "libvirt": {"guest_agent": True}}, target="vm")
    domains = {d.name: d for d in of_type(result, DOMAIN)}
    gates = {g.name: g for g in of_type(result, GATE) if g.name.startswith("shop-web-")}
    assert sorted(gates) == ["shop-web-0-ready", "shop-web-1-ready", "shop-web-2-ready"]
    for n in range(3):
        gate, domain = gates[f"shop-web-{n}-ready"], domains[f"shop-web-{n}"]
        assert domain.urn in gate.depends_on  # the gate checks this replica's VM
        assert domain.delete_before_replace
        if n:
            assert gates[f"shop-web-{n - 1}-ready"].urn in domain.depends_on
        assert gate.inputs["check"] == readiness_check("web", has_health=True)


def test_without_the_agent_there_is_no_gate_and_the_preview_says_so(tmp_path: Path) -> None:
    result = preview(tmp_path, make_app(web={"replicas": 2}), SECRETS, target="vm")
    assert not [g for g in of_type(result, GATE) if g.name.endswith("-ready")]
    assert any("replaced together" in w and "guest_agent" in w for w in result.warnings)


def test_a_gate_updates_and_never_replaces() -> None:
    """The engine cascades delete-before-replace only to dependents that are replaced: a gate
    that asks for an update stays, so the chain holds while each domain is replaced."""
    olds = {"uri": "qemu:///system", "domain": "web-0-a", "generation": "1", "check": "true"}
    diff = _ReadinessProvider().diff("id", olds, {**olds, "domain": "web-0-b", "generation": "2"})
    assert diff.changes and diff.replaces == []
    assert not _ReadinessProvider().diff("id", olds, dict(olds)).changes

"""Every control: the compliant stack passes; one field changed fails with exactly that control."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policies.catalogue import BY_ID, CONTROLS
from policies.engine import evaluate
from policies.framework import Resource
from tests.policies.fixtures import CONTAINER_LABELS, compliant, docker_labels, vm_facts

CONFIG = {"stack-protected-data": {"protectData": True}}
Mutation = Callable[[dict[str, Resource]], None]


def props(key: str) -> Callable[[Callable[[dict[str, Any]], Any]], Mutation]:
    """A mutation of one fixture's props."""
    return lambda change: lambda resources: change(resources[key].props)  # type: ignore[arg-type]


def container(change: Callable[[dict[str, Any]], Any]) -> Mutation:
    return props("container")(change)


def pod(change: Callable[[dict[str, Any]], Any]) -> Mutation:
    return props("deployment")(lambda p: change(p["spec"]["template"]["spec"]))


def first(change: Callable[[dict[str, Any]], Any]) -> Mutation:
    return pod(lambda s: change(s["containers"][0]))


def facts(**changes: str | None) -> Mutation:
    """The service VM's description with some workload facts changed."""
    return props("domain")(lambda p: p.update(description=vm_facts(**changes)))


def protect_off(resources: dict[str, Resource]) -> None:
    volume = resources["volume"]
    resources["volume"] = Resource(volume.type, volume.name, volume.urn, volume.props, False)


CASES: dict[str, Mutation] = {
    "docker-no-privileged": container(lambda p: p.update(privileged=True)),
    "docker-no-host-network": container(lambda p: p.update(networkMode="host")),
    "docker-no-host-pid": container(lambda p: p.update(pidMode="host")),
    "docker-no-host-ipc": container(lambda p: p.update(ipcMode="host")),
    "docker-no-host-userns": container(lambda p: p.update(usernsMode="host")),
    "docker-no-shared-namespaces": container(lambda p: p.update(ipcMode="container:other")),
    "docker-no-added-capabilities": container(lambda p: p["capabilities"].update(adds=["NET_ADMIN"])),
    "docker-drop-all-capabilities": container(lambda p: p["capabilities"].update(drops=["NET_RAW"])),
    "docker-no-new-privileges": container(lambda p: p.update(securityOpts=["label=disable"])),
    "docker-no-unconfined-profiles": container(lambda p: p["securityOpts"].append("seccomp:unconfined")),
    "docker-read-only-root": container(lambda p: p.update(readOnly=False)),
    "docker-non-root-user": container(lambda p: p.update(user="0:0")),
    "docker-memory-limit": container(lambda p: p.pop("memory")),
    "docker-cpu-limit": container(lambda p: p.pop("cpus")),
    "docker-no-sensitive-host-mounts": container(
        lambda p: p.update(volumes=[{"hostPath": "/etc", "containerPath": "/x"}])
    ),
    "docker-no-docker-socket": container(lambda p: p.update(volumes=[{"hostPath": "/var/run/docker.sock"}])),
    "docker-no-host-devices": container(lambda p: p.update(devices=[{"hostPath": "/dev/kvm"}])),
    "docker-no-bind-all-ports": container(lambda p: p["ports"][0].update(ip="0.0.0.0")),
    "docker-no-default-bridge": container(lambda p: p.pop("networksAdvanced")),
    "docker-healthcheck": container(lambda p: p.pop("healthcheck")),
    "docker-restart-policy": container(lambda p: p.update(restart="always")),
    "docker-image-pinned": props("image")(lambda p: p.update(name="example/web:latest")),
    "docker-no-sysctls": container(lambda p: p.update(sysctls={"net.ipv4.ip_forward": "1"})),
    "docker-sandbox-runtime": props("client")(lambda p: p.pop("runtime")),
    "docker-network-internal": props("network")(lambda p: p.update(internal=False)),
    "docker-no-plaintext-api": props("docker-provider")(lambda p: p.update(host="tcp://docker-host:2375")),
    "libvirt-console-localhost": props("domain")(lambda p: p["graphics"].update(listenAddress="0.0.0.0")),
    "libvirt-no-host-interfaces": props("domain")(
        lambda p: p["networkInterfaces"].append({"macvtap": "eth0"})
    ),
    "libvirt-no-raw-block-devices": props("domain")(lambda p: p["disks"].append({"blockDevice": "/dev/sdb"})),
    "libvirt-no-writable-shares": props("domain")(
        lambda p: p.update(filesystems=[{"source": "/srv", "target": "srv", "readonly": False}])
    ),
    "libvirt-network-mode": props("libvirt-network")(lambda p: p.update(mode="open")),
    "libvirt-resource-caps": props("domain")(lambda p: p.update(vcpu=64)),
    "libvirt-no-seclabel-override": props("domain")(
        lambda p: p["xml"].update(xslt=p["xml"]["xslt"] + "<xsl:template match='seclabel'/>")
    ),
    "libvirt-no-host-cpu": props("domain")(lambda p: p.update(cpu={"mode": "host-passthrough"})),
    "libvirt-no-plaintext-tcp": props("libvirt-provider")(lambda p: p.update(uri="qemu+tcp://kvm/system")),
    "libvirt-no-unverified-host": props("libvirt-provider")(
        lambda p: p.update(uri="qemu+tls://kvm.example/system?no_verify=1")
    ),
    "libvirt-console-password": props("domain")(lambda p: p.pop("xml")),
    "libvirt-no-routed-network": props("libvirt-network")(lambda p: p.update(mode="route")),
    "vm-workload-non-root-user": facts(workload_user="0"),
    "vm-workload-image-pinned": facts(workload_image="docker.io/library/postgres:latest"),
    "vm-workload-healthcheck": facts(workload_health="none"),
    "vm-workload-read-only-root": facts(workload_read_only_root="false"),
    "vm-workload-no-added-capabilities": facts(workload_cap_add="NET_BIND_SERVICE"),
    "k8s-no-host-process": pod(lambda s: s["securityContext"].update(windowsOptions={"hostProcess": True})),
    "k8s-no-host-namespaces": pod(lambda s: s.update(hostPID=True)),
    "k8s-no-privileged": first(lambda c: c["securityContext"].update(privileged=True)),
    "k8s-baseline-capabilities": first(
        lambda c: c["securityContext"]["capabilities"].update(add=["SYS_ADMIN"])
    ),
    "k8s-no-host-path": pod(lambda s: s["volumes"].append({"name": "h", "hostPath": {"path": "/var/log"}})),
    "k8s-no-host-ports": first(lambda c: c["ports"][0].update(hostPort=80)),
    "k8s-apparmor-confined": first(
        lambda c: c["securityContext"].update(appArmorProfile={"type": "Unconfined"})
    ),
    "k8s-selinux-default": first(lambda c: c["securityContext"].update(seLinuxOptions={"type": "spc_t"})),
    "k8s-default-proc-mount": first(lambda c: c["securityContext"].update(procMount="Unmasked")),
    "k8s-seccomp-not-unconfined": first(
        lambda c: c["securityContext"].update(seccompProfile={"type": "Unconfined"})
    ),
    "k8s-safe-sysctls": pod(
        lambda s: s["securityContext"].update(sysctls=[{"name": "kernel.msgmax", "value": "1"}])
    ),
    "k8s-restricted-volume-types": pod(
        lambda s: s["volumes"].append({"name": "n", "nfs": {"server": "x", "path": "/"}})
    ),
    "k8s-no-privilege-escalation": first(lambda c: c["securityContext"].pop("allowPrivilegeEscalation")),
    "k8s-run-as-non-root": first(lambda c: c["securityContext"].update(runAsNonRoot=False)),
    "k8s-no-root-uid": pod(lambda s: s["securityContext"].update(runAsUser=0)),
    "k8s-seccomp-required": pod(lambda s: s["securityContext"].pop("seccompProfile")),
    "k8s-drop-all-capabilities": first(lambda c: c["securityContext"]["capabilities"].update(add=["CHOWN"])),
    "k8s-resources": first(lambda c: c["resources"].pop("limits")),
    "k8s-read-only-root": first(lambda c: c["securityContext"].update(readOnlyRootFilesystem=False)),
    "k8s-image-pinned": first(lambda c: c.update(image="example/web")),
    "k8s-non-root-user": pod(lambda s: s["securityContext"].pop("runAsUser")),
    "k8s-probes": first(lambda c: [c.pop("readinessProbe"), c.pop("livenessProbe")]),
    "k8s-no-public-node-port": props("public-service")(lambda p: p["spec"].update(type="NodePort")),
    "stack-default-deny": lambda r: r.pop("deny"),
    "stack-isolation-vs-target": container(
        lambda p: p.update(labels=docker_labels(**{**CONTAINER_LABELS, "isolation": "vm"}), runtime="runsc")
    ),
    "stack-no-shared-networks": props("client")(
        lambda p: p.update(labels=docker_labels(app="other", service="api", isolation="sandbox"))
    ),
    "stack-protected-data": protect_off,
    "stack-public-ports-match-spec": container(
        lambda p: p["ports"].append({"internal": 9090, "ip": "127.0.0.1"})
    ),
    "stack-cross-target-gaps": container(
        lambda p: p["labels"].append({"label": "hybrid-platform.io/cross-target-gaps", "value": "docker->vm"})
    ),
    "stack-no-plaintext-secrets": first(lambda c: c["env"].append({"name": "API_TOKEN", "value": "abc"})),
}


def violated(resources: dict[str, Resource], config: dict[str, Any] = CONFIG) -> set[str]:
    return {v.policy for v in evaluate(list(resources.values()), config)}


def test_the_compliant_stack_passes_every_control() -> None:
    assert violated(compliant()) == set()


def test_every_control_has_a_case() -> None:
    assert set(CASES) == set(BY_ID)


@pytest.mark.parametrize("control", sorted(CASES))
def test_one_change_fails_exactly_that_control(control: str) -> None:
    resources = compliant()
    CASES[control](resources)
    assert violated(resources) == {control}


def test_disabled_controls_report_nothing() -> None:
    resources = compliant()
    CASES["docker-no-privileged"](resources)
    assert violated(resources, {**CONFIG, "docker-no-privileged": "disabled"}) == set()


def test_levels_and_parameters_come_from_the_environment() -> None:
    resources = compliant()
    strict = {**CONFIG, "docker-image-pinned": {"enforcementLevel": "mandatory", "requireDigest": True}}
    found = evaluate(list(resources.values()), strict)
    assert {(f.policy, f.level, f.urn) for f in found} == {
        ("docker-image-pinned", "mandatory", resources[key].urn) for key in ("container", "client", "image")
    }
    for key, prop in (("container", "image"), ("client", "image"), ("image", "name")):
        resources[key].props[prop] = "docker.io/example/web@sha256:" + "a" * 64
    assert violated(resources, strict) == set()
    assert BY_ID["docker-image-pinned"].default_level == "advisory"
    isolation = [c for c in CONTROLS if c.isolation]
    assert isolation and all(c.default_level == "mandatory" for c in isolation)

"""libvirt controls: what a domain, a network or the provider may expose of the host."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..framework import Resource, as_list, control_factory, get, unknown

DOMAIN = ("libvirt:index/domain:Domain",)
NETWORK = ("libvirt:index/network:Network",)
PROVIDER = ("pulumi:providers:libvirt",)
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _console(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    graphics = r.props.get("graphics")
    if isinstance(graphics, Mapping) and graphics.get("listenType") == "address":
        address = graphics.get("listenAddress")
        if not unknown(graphics, "listenAddress") and (address or "127.0.0.1") not in LOOPBACK:
            yield f"graphics console listens on {address}"
    for console in as_list(r.props.get("consoles")):
        if get(console, "type") == "tcp" and (get(console, "sourceHost") or "127.0.0.1") not in LOOPBACK:
            yield f"serial console listens on {get(console, 'sourceHost')}"


def _host_interfaces(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    for nic in as_list(r.props.get("networkInterfaces")):
        for kind in ("macvtap", "vepa", "passthrough"):
            if get(nic, kind):
                yield f"attaches a {kind} interface on the host device {get(nic, kind)}"
        bridge = get(nic, "bridge")
        if bridge and bridge not in params["allowedBridges"]:
            yield f"attaches to the host bridge {bridge}, which is not allowed"


def _block_devices(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for disk in as_list(r.props.get("disks")):
        if get(disk, "blockDevice"):
            yield f"uses the raw host block device {get(disk, 'blockDevice')}"


def _shares(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for share in as_list(r.props.get("filesystems")):
        if get(share, "readonly") is False:
            yield f"shares the host directory {get(share, 'source')} writable"
        if get(share, "accessmode") == "passthrough":
            yield f"shares {get(share, 'source')} with passthrough access (host uid/gid)"


def _network_mode(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    mode = r.props.get("mode")
    if unknown(r.props, "mode"):
        return
    mode = mode or "nat"
    if mode == "bridge":
        if r.props.get("bridge") not in params["allowedBridges"]:
            yield f"bridges onto {r.props.get('bridge')}, which is not an allowed bridge"
    elif mode not in ("none", "nat", "route"):
        yield f"network mode {mode} is not none, nat or route"


def _caps(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    vcpu, memory = r.props.get("vcpu"), r.props.get("memory")
    if "vcpu" not in r.props:
        yield "has no vCPU count"
    elif isinstance(vcpu, int) and vcpu > params["maxVcpus"]:
        yield f"has {vcpu} vCPUs, above the maximum {params['maxVcpus']}"
    if "memory" not in r.props:
        yield "has no memory size"
    elif isinstance(memory, int) and memory > params["maxMemoryMib"]:
        yield f"has {memory} MiB, above the maximum {params['maxMemoryMib']} MiB"


def _seclabel(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    xslt = get(r.props, "xml", "xslt")
    if isinstance(xslt, str) and "seclabel" in xslt:
        yield "an XSLT rewrites the domain's security label (sVirt/AppArmor confinement)"


def _host_cpu(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    if get(r.props, "cpu", "mode") in ("host-passthrough", "host-model"):
        yield f"exposes the host CPU ({get(r.props, 'cpu', 'mode')}); migration and side channels widen"


def _plaintext_uri(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    uri = r.props.get("uri")
    if isinstance(uri, str) and "+tcp://" in uri:
        yield f"connects to libvirt over plaintext TCP ({uri.split('://')[0]})"


_control = control_factory("libvirt", DOMAIN)

CONTROLS = [
    _control(
        "libvirt-console-localhost",
        "high",
        "Graphics and serial consoles listen on localhost only.",
        "Leave libvirt.vnc off or bound to 127.0.0.1; reach consoles through SSH tunnels.",
        "libvirt security: consoles",
        _console,
    ),
    _control(
        "libvirt-no-host-interfaces",
        "high",
        "No macvtap, VEPA or passthrough NIC; bridges only onto allowed ones.",
        "Use the app's libvirt network; list deliberate bridges in allowedBridges.",
        "libvirt security: network isolation",
        _host_interfaces,
        allowedBridges=[],
    ),
    _control(
        "libvirt-no-raw-block-devices",
        "critical",
        "No raw host block device is given to a VM.",
        "Use volumes from a storage pool.",
        "libvirt security: storage",
        _block_devices,
    ),
    _control(
        "libvirt-no-writable-shares",
        "high",
        "No writable or passthrough 9p host share.",
        "Remove filesystems, or make them readonly with mapped access.",
        "libvirt security: 9p",
        _shares,
    ),
    _control(
        "libvirt-network-mode",
        "high",
        "Networks are none, nat or route; bridges only onto allowed ones.",
        "Set libvirt.network.mode to nat, none or route.",
        "libvirt security: network isolation",
        _network_mode,
        types=NETWORK,
        allowedBridges=[],
    ),
    _control(
        "libvirt-resource-caps",
        "medium",
        "Every VM has vCPU and memory caps within the maximum.",
        "Lower resources in the spec or raise maxVcpus/maxMemoryMib deliberately.",
        "libvirt security: resource limits",
        _caps,
        maxVcpus=16,
        maxMemoryMib=65536,
    ),
    _control(
        "libvirt-no-seclabel-override",
        "critical",
        "No XSLT disables or rewrites the domain's security label.",
        "Remove the xml.xslt that touches <seclabel>.",
        "libvirt security: sVirt",
        _seclabel,
    ),
    _control(
        "libvirt-no-host-cpu",
        "medium",
        "VMs do not get the host CPU model passed through.",
        "Leave cpu.mode unset (a named model).",
        "libvirt security: CPU model",
        _host_cpu,
        isolation=False,
    ),
    _control(
        "libvirt-no-plaintext-tcp",
        "critical",
        "The provider does not talk to libvirt over plaintext TCP.",
        "Use qemu+ssh:// or qemu+tls:// URIs.",
        "libvirt security: remote access",
        _plaintext_uri,
        types=PROVIDER,
    ),
]

"""Recorded libvirt resources as the XML terraform-provider-libvirt (under pulumi-libvirt)
sends to libvirtd, for `virt-xml-validate` and `virsh`.

Network: name, `<forward mode>` (none for mode none), `<domain name localOnly>`,
`<dns enable>` with one `<host>` per address listing its hostnames, `<ip>` with the
first address of the CIDR (the host) and the prefix; no `<dhcp>` when DHCP is off.
Domain: type, name, description, memory in MiB, vcpu, hvm on x86_64 `pc`, pae/acpi/apic,
one virtio disk per volume (a file in the pool: volume ids are paths), the cloud-init
ISO as the IDE cdrom `hdd` with serial `cloudinit`, network interfaces with their MAC,
the consoles and graphics, and the devices the provider adds to every domain: the QEMU
guest agent's virtio channel `org.qemu.guest_agent.0` (whatever `qemu_agent` says) and a
virtio RNG fed from /dev/urandom."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

POOL_DIR = "/var/lib/libvirt/images"


def network_xml(inputs: dict[str, Any], name: str) -> str:
    """The `<network>` the provider defines for recorded Network inputs."""
    root = ET.Element("network")
    ET.SubElement(root, "name").text = name
    mode = inputs.get("mode", "nat")
    if mode != "none":
        ET.SubElement(root, "forward", mode=mode)
    if inputs.get("domain"):
        dns_domain = ET.SubElement(root, "domain", name=inputs["domain"])
        if (inputs.get("dns") or {}).get("localOnly"):
            dns_domain.set("localOnly", "yes")
    dns = inputs.get("dns") or {}
    dns_element = ET.SubElement(root, "dns", enable="yes" if dns.get("enabled", True) else "no")
    by_ip: dict[str, list[str]] = {}
    for host in dns.get("hosts", []):
        by_ip.setdefault(host["ip"], []).append(host["hostname"])
    for address, hostnames in by_ip.items():
        host_element = ET.SubElement(dns_element, "host", ip=address)
        for hostname in hostnames:
            ET.SubElement(host_element, "hostname").text = hostname
    for cidr in inputs.get("addresses", []):
        network = ipaddress.ip_network(cidr)
        ip = ET.SubElement(
            root, "ip", address=str(network.network_address + 1), prefix=str(network.prefixlen)
        )
        if (inputs.get("dhcp") or {}).get("enabled", True):
            ET.SubElement(ip, "dhcp").append(
                ET.Element(
                    "range", start=str(network.network_address + 2), end=str(network.broadcast_address - 1)
                )
            )
    return ET.tostring(root, encoding="unicode")


def _graphics(devices: ET.Element, graphics: dict[str, Any] | None) -> None:
    if not graphics:
        return
    element = ET.SubElement(devices, "graphics", type=graphics.get("type", "spice"))
    element.set("autoport", "yes" if graphics.get("autoport", True) else "no")
    if graphics.get("listenType") == "address":
        ET.SubElement(element, "listen", type="address", address=graphics.get("listenAddress", "127.0.0.1"))
    else:
        ET.SubElement(element, "listen", type="none")


def domain_xml(
    inputs: dict[str, Any],
    name: str,
    network: str,
    cloudinit_iso: str,
    disk_paths: Sequence[str] | None = None,
    serial_log: str | None = None,
) -> str:
    """The `<domain>` the provider defines for recorded Domain inputs. `disk_paths` are the
    live volumes' paths, in the order of `disks` (default: the recorded ids in the pool);
    `serial_log` (a test's addition, not the provider's) keeps the console in a file."""
    root = ET.Element("domain", type=inputs.get("type", "kvm"))
    ET.SubElement(root, "name").text = name
    if inputs.get("description"):
        ET.SubElement(root, "description").text = inputs["description"]
    ET.SubElement(root, "memory", unit="MiB").text = str(inputs.get("memory", 512))
    ET.SubElement(root, "vcpu", placement="static").text = str(inputs.get("vcpu", 1))
    os_element = ET.SubElement(root, "os")
    ET.SubElement(os_element, "type", arch="x86_64", machine="pc").text = "hvm"
    ET.SubElement(os_element, "boot", dev="hd")
    features = ET.SubElement(root, "features")
    ET.SubElement(features, "pae")
    ET.SubElement(features, "acpi")
    ET.SubElement(features, "apic")
    devices = ET.SubElement(root, "devices")
    disks = inputs.get("disks", [])
    paths = disk_paths or [f"{POOL_DIR}/{disk['volumeId']}" for disk in disks]
    for index, path in enumerate(paths):
        element = ET.SubElement(devices, "disk", type="file", device="disk")
        ET.SubElement(element, "driver", name="qemu", type="qcow2")
        ET.SubElement(element, "source", file=path)
        ET.SubElement(element, "target", dev=f"vd{'abcdefghijklmnopqrstuvwxyz'[index]}", bus="virtio")
    cdrom = ET.SubElement(devices, "disk", type="file", device="cdrom")
    ET.SubElement(cdrom, "driver", name="qemu", type="raw")
    ET.SubElement(cdrom, "source", file=cloudinit_iso)
    ET.SubElement(cdrom, "target", dev="hdd", bus="ide")
    ET.SubElement(cdrom, "readonly")
    ET.SubElement(cdrom, "serial").text = "cloudinit"
    for nic in inputs.get("networkInterfaces", []):
        element = ET.SubElement(devices, "interface", type="network")
        if nic.get("mac"):
            ET.SubElement(element, "mac", address=nic["mac"])
        ET.SubElement(element, "source", network=network)
        ET.SubElement(element, "model", type="virtio")
    for console in inputs.get("consoles", []):
        element = ET.SubElement(devices, "console", type=console.get("type", "pty"))
        ET.SubElement(
            element, "target", type=console.get("targetType", "serial"), port=console.get("targetPort", "0")
        )
        if serial_log and console.get("targetType", "serial") == "serial":
            ET.SubElement(element, "log", file=serial_log, append="off")
    channel = ET.SubElement(devices, "channel", type="unix")
    ET.SubElement(channel, "target", type="virtio", name="org.qemu.guest_agent.0")
    rng = ET.SubElement(devices, "rng", model="virtio")
    ET.SubElement(rng, "backend", model="random").text = "/dev/urandom"
    _graphics(devices, inputs.get("graphics"))
    return ET.tostring(root, encoding="unicode")

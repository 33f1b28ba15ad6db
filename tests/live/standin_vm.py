"""A stand-in for one VM replica on a real libvirt network, for live tests that need a VM's
network presence but not its boot (a VM boots in 3-4 minutes here under TCG).

The network is the recorded fabric network as the provider sends it
(`libvirt_xml.network_xml`), started transient with `virsh net-create`; the "VM" is a
network namespace behind a veth pair whose host end joins the network's bridge, and whose
far end has the replica's recorded MAC and address (from its cloud-init network-config)
with the recorded gateway as default route. An HTTP server (Python's `http.server`, run by
PID) serves a directory of the test's own on the service's port there."""

from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from components.offline.recorder import RecordedResource, reveal
from tests.live.libvirt_xml import network_xml

URI = "qemu:///system"


def _run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if check and run.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {run.stderr.strip()}")
    return run


def virsh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return _run("virsh", "-c", URI, *args, check=check)


@dataclass(frozen=True)
class Interface:
    """A replica's network as its cloud-init network-config records it."""

    mac: str
    address: str  # the replica's address
    prefix: int
    gateway: str  # its default route

    @classmethod
    def of(cls, cloudinit: RecordedResource) -> Interface:
        config: dict[str, Any] = yaml.safe_load(reveal(cloudinit.inputs)["networkConfig"])
        (nic,) = config["ethernets"].values()
        interface = ipaddress.ip_interface(nic["addresses"][0])
        (route,) = [r for r in nic.get("routes", []) if r["to"] in ("0.0.0.0/0", "default")]
        return cls(nic["match"]["macaddress"], str(interface.ip), interface.network.prefixlen, route["via"])


@dataclass
class StandInVm:
    """One replica's stand-in: `start()`, then `close()` (idempotent), `leftovers()` names
    whatever of it still exists."""

    tag: str  # unique per run: names the libvirt network, the namespace and the veth pair
    network: RecordedResource  # the recorded libvirt Network
    interface: Interface
    port: int
    www: Path  # what the server serves
    log: Path  # the server's request log
    bridge: str = ""
    server: subprocess.Popen[bytes] | None = None

    @property
    def network_name(self) -> str:
        return f"hp-standin-{self.tag}"

    @property
    def namespace(self) -> str:
        return f"hp-standin-{self.tag}"

    @property
    def host_end(self) -> str:
        return f"hpsh{self.tag}"[:15]

    @property
    def far_end(self) -> str:
        return f"hpsf{self.tag}"[:15]

    def start(self) -> StandInVm:
        """Network, namespace, veth, address, route, then the server (until it answers)."""
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as xml:
            xml.write(network_xml(self.network.inputs, self.network_name))
            xml.flush()
            virsh("net-create", xml.name)
        found = re.search(r"<bridge name='([^']+)'", virsh("net-dumpxml", self.network_name).stdout)
        if found is None:
            raise RuntimeError(f"libvirt network {self.network_name} has no bridge")
        self.bridge = found.group(1)
        ns, far, nic = self.namespace, self.far_end, self.interface
        _run("ip", "netns", "add", ns)
        _run("ip", "link", "add", self.host_end, "type", "veth", "peer", "name", far)
        _run("ip", "link", "set", self.host_end, "master", self.bridge, "up")
        _run("ip", "link", "set", far, "netns", ns)
        _run("ip", "-n", ns, "link", "set", far, "address", nic.mac)
        _run("ip", "-n", ns, "addr", "add", f"{nic.address}/{nic.prefix}", "dev", far)
        _run("ip", "-n", ns, "link", "set", far, "up")
        _run("ip", "-n", ns, "link", "set", "lo", "up")
        _run("ip", "-n", ns, "route", "add", "default", "via", nic.gateway)
        with self.log.open("wb") as log:
            self.server = subprocess.Popen(
                ["ip", "netns", "exec", ns, sys.executable, "-m", "http.server", str(self.port),
                 "--bind", nic.address, "--directory", str(self.www)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        probe = ["ip", "netns", "exec", ns, sys.executable, "-c", _PROBE, nic.address, str(self.port)]
        if _run(*probe, check=False).returncode != 0:
            raise RuntimeError(f"the stand-in's server does not answer: {self.log.read_text()[-500:]}")
        return self

    def peers(self) -> list[str]:
        """The address each request the server logged came from, in order."""
        return [line.split()[0] for line in self.log.read_text().splitlines() if '"GET ' in line]

    def close(self) -> None:
        """Stop the server (by its PID) and remove the veth pair, namespace and network."""
        if self.server is not None:
            self.server.kill()
            self.server.wait()
            self.server = None
        _run("ip", "link", "del", self.host_end, check=False)
        _run("ip", "netns", "del", self.namespace, check=False)
        virsh("net-destroy", self.network_name, check=False)

    def leftovers(self) -> list[str]:
        """What of the stand-in still exists."""
        found = []
        if virsh("net-info", self.network_name, check=False).returncode == 0:
            found.append(f"libvirt network {self.network_name}")
        if _run("ip", "link", "show", self.host_end, check=False).returncode == 0:
            found.append(f"veth {self.host_end}")
        if self.namespace in _run("ip", "netns", "list").stdout.split():
            found.append(f"namespace {self.namespace}")
        if self.server is not None and self.server.poll() is None:
            found.append(f"server pid {self.server.pid}")
        return found


_PROBE = """
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
"""


def unused_cidr(prefix: str = "10.254", start: int = 0) -> str:
    """A /24 under `prefix` that no route on this machine overlaps (other runs' libvirt and
    Docker networks included), trying from `start`."""
    routes = []
    for line in _run("ip", "-4", "route", "show", "table", "all").stdout.splitlines():
        word = line.split()[0] if line.split() else ""
        if word[:1].isdigit():
            routes.append(ipaddress.ip_network(word, strict=False))
    for step in range(254):
        candidate = ipaddress.ip_network(f"{prefix}.{(start + step) % 254 + 1}.0/24")
        if not any(candidate.overlaps(route) for route in routes):
            return str(candidate)
    raise RuntimeError(f"no free /24 under {prefix}")

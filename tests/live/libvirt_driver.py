"""Apply a preview's recorded libvirt resources to libvirtd the way pulumi-libvirt
(terraform-provider-libvirt 0.7) would, update them as `pulumi up` would after a change,
and remove them.

| resource (inputs)                       | what the provider does, here with `virsh`                          |
|-----------------------------------------|--------------------------------------------------------------------|
| Network                                 | `<network>` from tests/live/libvirt_xml.py, defined, started,      |
|                                         | autostart                                                          |
| Volume `source` (the base image)        | a volume of the image's virtual size and `format`, the file        |
|                                         | uploaded into it                                                   |
| Volume `baseVolumeId`, `size`           | a qcow2 volume backed by the base volume; capacity `size` (bytes)  |
|                                         | or the base's                                                      |
| Volume `size`, `format`                 | an empty volume of `size` bytes                                    |
| CloudInitDisk `userData`, `metaData`,   | files `user-data`, `meta-data`, `network-config` made into an ISO  |
| `networkConfig`                         | by `mkisofs -volid cidata -joliet -rock`, uploaded as a raw volume |
| Domain                                  | `<domain>` from libvirt_xml.py, defined, autostart, started; with  |
|                                         | `qemuAgent` the create waits until the guest agent answers         |

Names: the recorded (auto-)names plus the run's tag and a generation number, as
auto-naming gives a replacement a name of its own. An update creates what is new,
updates a network in place when only its DNS host entries changed (the provider does:
`virsh net-update` of `dns-host` records, live and in the config), replaces a resource
whose other inputs changed, that `replace_with` names a replaced resource, or whose
inputs refer to a replaced resource's id (the provider forces a new domain then), and
deletes what the new graph no longer has. Creates, updates and replacements come first,
deletes last (the old copies of replacements, then what is gone), except with
`delete_before_replace`, where the old one is deleted first."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from components.offline.recorder import RecordedResource, reveal
from components.offline.runner import PreviewResult
from tests.live import guest_agent
from tests.live.libvirt_xml import domain_xml, network_xml

URI = "qemu:///system"
NETWORK = "libvirt:index/network:Network"
VOLUME = "libvirt:index/volume:Volume"
CLOUDINIT = "libvirt:index/cloudInitDisk:CloudInitDisk"
DOMAIN = "libvirt:index/domain:Domain"
ORDER = (NETWORK, VOLUME, CLOUDINIT, DOMAIN)
SERIAL_LOGS = Path("/var/log/libvirt/qemu")


def virsh(*args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(["virsh", "-c", URI, *args], capture_output=True, text=True, timeout=timeout)
    if check and run.returncode != 0:
        raise RuntimeError(f"virsh {' '.join(args)}: {run.stderr.strip()}")
    return run


@dataclass
class Machine:
    """A started domain: the recorded Domain, its live name, address and console log."""

    recorded: RecordedResource
    name: str
    address: str
    serial_log: Path

    @property
    def labels(self) -> dict[str, str]:
        return dict(word.split("=", 1) for word in self.recorded.inputs.get("description", "").split())


class LibvirtDriver:
    """Creates, updates and removes one stack's libvirt resources in one storage pool."""

    def __init__(self, pool: str, tag: str, base_image: Path) -> None:
        self.pool = pool
        self.tag = tag
        self.base_image = base_image
        self.generation = 0
        self.applied: dict[str, RecordedResource] = {}  # urn -> what is live for it
        self.live: dict[str, str] = {}  # urn -> live name (network, volume or domain)
        self.by_id: dict[str, str] = {}  # recorded id -> urn
        self.machines: dict[str, Machine] = {}  # domain urn -> machine

    # -- apply and update -------------------------------------------------------------

    def apply(self, result: PreviewResult) -> list[Machine]:
        """Create every libvirt resource of `result`; the domains are started, not waited for."""
        return self._create([r for r in result.resources if r.type in ORDER], result)

    def update(self, result: PreviewResult) -> tuple[set[str], list[Machine]]:
        """Bring the live resources to `result` as `pulumi up` would. Returns the URNs
        replaced and the machines started anew (new or replaced)."""
        new = {r.urn: r for r in result.resources if r.type in ORDER}
        replaced = self.replacements(new)
        added = [r for u, r in new.items() if u not in self.applied]
        gone = [r for u, r in self.applied.items() if u not in new]
        first = {u for u in replaced if self.applied[u].delete_before_replace}
        self._delete([self.applied[u] for u in first])
        old = {u: (self.applied[u], self.live[u]) for u in replaced - first}  # names before the update
        started = self._create([new[u] for u in replaced] + added, result)
        for urn in self.dns_updates(new) - replaced:
            self._update_dns(self.applied[urn], new[urn])
            self.applied[urn] = new[urn]
        self._remove(old.values())
        self._delete(gone)
        for resource in gone:
            del self.applied[resource.urn]
        return replaced, started

    def dns_updates(self, new: dict[str, RecordedResource]) -> set[str]:
        """The networks whose DNS host entries are all that changed: updated in place."""
        found = set()
        for urn, resource in new.items():
            old = self.applied.get(urn)
            if resource.type != NETWORK or old is None:
                continue
            before, after = reveal(old.inputs), reveal(resource.inputs)
            dns_before, dns_after = dict(before.pop("dns", None) or {}), dict(after.pop("dns", None) or {})
            hosts_changed = dns_before.pop("hosts", []) != dns_after.pop("hosts", [])
            if hosts_changed and dns_before == dns_after and before == after:
                found.add(urn)
        return found

    def _update_dns(self, old: RecordedResource, new: RecordedResource) -> None:
        """`virsh net-update` of each address whose host names changed (a record per address)."""
        name = self.live[new.urn]
        before, after = _dns_hosts(old), _dns_hosts(new)
        for address in sorted(before.keys() | after.keys()):
            if before.get(address) == after.get(address):
                continue
            for command, names in (("delete", before.get(address)), ("add-last", after.get(address))):
                if names:
                    record = f"<host ip='{address}'>" + "".join(f"<hostname>{n}</hostname>" for n in names)
                    virsh("net-update", name, command, "dns-host", record + "</host>", "--live", "--config")

    def replacements(self, new: dict[str, RecordedResource]) -> set[str]:
        """The URNs an update to `new` replaces (see the module docstring)."""
        in_place = self.dns_updates(new)
        replaced = {
            u
            for u, r in new.items()
            if u in self.applied and u not in in_place and reveal(r.inputs) != reveal(self.applied[u].inputs)
        }
        changed = True
        while changed:
            changed = False
            for urn, resource in new.items():
                if urn in replaced or urn not in self.applied:
                    continue
                refs = _strings(resource.inputs)
                if set(resource.replace_with) & replaced or any(
                    self.applied[u].id in refs for u in replaced if u in self.applied
                ):
                    replaced.add(urn)
                    changed = True
        return replaced

    def _create(self, resources: list[RecordedResource], result: PreviewResult) -> list[Machine]:
        self.generation += 1
        domains = []
        for resource in sorted(resources, key=_creation_order):
            self.by_id[resource.id] = resource.urn
            name = f"{resource.name}-{self.tag}-{self.generation}"
            if resource.type == NETWORK:
                self._network(resource, name)
            elif resource.type == VOLUME:
                self._volume(resource, name)
            elif resource.type == CLOUDINIT:
                self._cloudinit(resource, name)
            else:
                domains.append((resource, name))
                continue
            self.live[resource.urn] = name
            self.applied[resource.urn] = resource
        # Domains depend on nothing but disks and networks: Pulumi creates them in parallel.
        with ThreadPoolExecutor(max_workers=max(1, len(domains))) as pool:
            started = list(pool.map(lambda d: self._domain(d[0], d[1], result), domains))
        for resource, name in domains:
            self.live[resource.urn] = name
            self.applied[resource.urn] = resource
        return started

    def _network(self, resource: RecordedResource, name: str) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as xml:
            xml.write(network_xml(resource.inputs, name))
            xml.flush()
            virsh("net-define", xml.name)
        virsh("net-start", name)
        virsh("net-autostart", name)

    def _volume(self, resource: RecordedResource, name: str) -> None:
        inputs = resource.inputs
        fmt = inputs.get("format", "qcow2")
        if inputs.get("source"):
            source = inputs["source"]
            info = json.loads(subprocess.run(["qemu-img", "info", "--output", "json", source],
                                             capture_output=True, text=True, check=True).stdout)  # fmt: skip
            virsh("vol-create-as", self.pool, name, str(info["virtual-size"]), "--format", fmt)
            virsh("vol-upload", "--pool", self.pool, name, source, timeout=1200)
        elif inputs.get("baseVolumeId"):
            base = self.volume_path(self.by_id[inputs["baseVolumeId"]])
            capacity = inputs.get("size") or self._capacity(base)
            virsh("vol-create-as", self.pool, name, str(capacity), "--format", fmt,
                  "--backing-vol", base, "--backing-vol-format", "qcow2")  # fmt: skip
        else:
            virsh("vol-create-as", self.pool, name, str(inputs["size"]), "--format", fmt)

    def _capacity(self, path: str) -> int:
        info = virsh("vol-dumpxml", path).stdout
        return int(info.split("<capacity unit='bytes'>")[1].split("<")[0])

    def _cloudinit(self, resource: RecordedResource, name: str) -> None:
        inputs = reveal(resource.inputs)
        with tempfile.TemporaryDirectory() as folder:
            files = {"user-data": "userData", "meta-data": "metaData", "network-config": "networkConfig"}
            for file, key in files.items():
                (Path(folder) / file).write_text(inputs.get(key) or "")
            iso = Path(folder) / "cidata.iso"
            subprocess.run(
                ["mkisofs", "-quiet", "-output", str(iso), "-volid", "cidata", "-joliet", "-rock",
                 *(str(Path(folder) / f) for f in files)],
                check=True, capture_output=True,
            )  # fmt: skip
            virsh("vol-create-as", self.pool, name, str(iso.stat().st_size), "--format", "raw")
            virsh("vol-upload", "--pool", self.pool, name, str(iso))

    def _domain(self, resource: RecordedResource, name: str, result: PreviewResult) -> Machine:
        inputs = resource.inputs
        network = self.live[self.by_id[inputs["networkInterfaces"][0]["networkId"]]]
        disks = [self.volume_path(self.by_id[d["volumeId"]]) for d in inputs.get("disks", [])]
        iso = self.volume_path(self.by_id[inputs["cloudinit"]])
        log = SERIAL_LOGS / f"{name}-serial.log"
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as xml:
            xml.write(domain_xml(inputs, name, network, iso, disks, str(log)))
            xml.flush()
            virsh("define", xml.name)
        if inputs.get("autostart"):
            virsh("autostart", name)
        virsh("start", name)
        cloudinit = next(r for r in result.resources if r.id == inputs["cloudinit"])
        config = yaml.safe_load(cloudinit.inputs["networkConfig"])
        address = config["ethernets"]["primary"]["addresses"][0].split("/")[0]
        machine = Machine(resource, name, address, log)
        self.machines[resource.urn] = machine
        return machine

    def volume_path(self, urn: str) -> str:
        return virsh("vol-path", "--pool", self.pool, self.live[urn]).stdout.strip()

    # -- waiting ---------------------------------------------------------------------

    @staticmethod
    def wait_for_agents(machines: Iterable[Machine], timeout: float) -> dict[str, float]:
        """What the provider's create does with `qemuAgent`: wait until each agent answers
        (in parallel, as Pulumi creates independent domains). Seconds per domain name."""
        machines = [m for m in machines if m.recorded.inputs.get("qemuAgent")]
        with ThreadPoolExecutor(max_workers=max(1, len(machines))) as pool:
            waits = pool.map(lambda m: guest_agent.wait_until_up(m.name, timeout), machines)
            return {m.name: seconds for m, seconds in zip(machines, waits, strict=True)}

    # -- removal ---------------------------------------------------------------------

    def _delete(self, resources: Iterable[RecordedResource]) -> None:
        """Remove what is live for each of `resources` (by URN), dependents first."""
        live = [(r, self.live.pop(r.urn)) for r in resources if r.urn in self.live]
        self._remove(live)

    def _remove(self, resources: Iterable[tuple[RecordedResource, str]]) -> None:
        """Remove each (resource, live name), dependents first."""
        for resource, name in sorted(resources, key=lambda pair: _creation_order(pair[0]), reverse=True):
            if resource.type == DOMAIN:
                virsh("destroy", name, check=False)
                virsh("undefine", name, check=False)
                if (machine := self.machines.get(resource.urn)) is not None and machine.name == name:
                    del self.machines[resource.urn]
                for log in (f"{name}-serial.log", f"{name}.log"):  # the console's, and libvirt's own
                    (SERIAL_LOGS / log).unlink(missing_ok=True)
            elif resource.type == NETWORK:
                virsh("net-destroy", name, check=False)
                virsh("net-undefine", name, check=False)
            else:
                virsh("vol-delete", "--pool", self.pool, name, check=False)

    def destroy(self) -> None:
        """Remove everything this driver created (what is still there)."""
        self._delete([self.applied[u] for u in list(self.live)])


def _creation_order(resource: RecordedResource) -> int:
    """Networks, base volumes, data volumes, cloud-init disks, root volumes, domains."""
    if resource.type == VOLUME:
        inputs = resource.inputs
        return 1 if inputs.get("source") else 4 if inputs.get("baseVolumeId") else 2
    return {NETWORK: 0, CLOUDINIT: 3, DOMAIN: 5}[resource.type]


def _dns_hosts(network: RecordedResource) -> dict[str, list[str]]:
    """A network's DNS host names by address, in the order the recorded entries give them."""
    found: dict[str, list[str]] = {}
    for host in (network.inputs.get("dns") or {}).get("hosts", []):
        found.setdefault(host["ip"], []).append(host["hostname"])
    return found


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


def _yaml(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def wait_for(predicate: Any, timeout: float, interval: float = 5) -> Any:
    """`predicate()` until it returns something truthy; None after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)

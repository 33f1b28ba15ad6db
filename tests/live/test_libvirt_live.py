"""The VM target against a real libvirtd: the recorded network defined, started and read back;
the recorded domains validated against libvirt's schema and defined (then removed)."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from components.offline.runner import PreviewResult, run_with_config
from components.offline.stackfile import StackConfig
from tests.engines import unavailable
from tests.live.libvirt_xml import domain_xml, network_xml

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]
URI = "qemu:///system"


def virsh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["virsh", "-c", URI, *args], capture_output=True, text=True, timeout=300, check=check
    )


@pytest.fixture(scope="module")
def libvirtd() -> None:
    if shutil.which("virsh") is None or shutil.which("virt-xml-validate") is None:
        unavailable("libvirt-clients is not installed (.ci/run installs it)")
    if subprocess.run(["virsh", "-c", URI, "version"], capture_output=True, timeout=60).returncode != 0:
        unavailable("libvirtd does not answer on qemu:///system; start it (.ci/run does)")
    virsh("domcapabilities", "--virttype", "qemu")  # the first probe of QEMU is slow; do it once, up front


@pytest.fixture(scope="module")
def staging(libvirtd) -> PreviewResult:  # type: ignore[no-untyped-def]
    """The staging stack (the example app as VMs) on a network no one else uses, domain type qemu."""
    octet = secrets.randbelow(200) + 20
    config = StackConfig(
        {
            "hybrid-platform:target": "vm",
            "hybrid-platform:spec": "app.yaml",
            "hybrid-platform:protect_data": "true",
            "hybrid-platform:libvirt": json.dumps(
                {"domain_type": "qemu", "network": {"cidr": f"10.252.{octet}.0/24", "mode": "nat"}}
            ),
            "hybrid-platform:secrets": json.dumps({"db-password": "live-libvirt-secret"}),
        },
        {"hybrid-platform:secrets"},
    )
    return run_with_config(ROOT / "stacks", "staging", config)


def _of(result: PreviewResult, kind: str) -> list:  # type: ignore[type-arg]
    return [r for r in result.resources if r.type == kind]


@pytest.fixture(scope="module")
def live_network(staging: PreviewResult) -> Iterator[tuple[str, dict]]:  # type: ignore[type-arg]
    (network,) = _of(staging, "libvirt:index/network:Network")
    name = f"hp-live-{secrets.token_hex(3)}"
    path = Path(f"/tmp/{name}.xml")
    path.write_text(network_xml(network.inputs, name))
    virsh("net-define", str(path))
    try:
        virsh("net-start", name)
        yield name, network.inputs
    finally:
        virsh("net-destroy", name, check=False)
        virsh("net-undefine", name, check=False)
        path.unlink(missing_ok=True)


def test_network_xml_is_valid(staging: PreviewResult, tmp_path: Path) -> None:
    (network,) = _of(staging, "libvirt:index/network:Network")
    path = tmp_path / "network.xml"
    path.write_text(network_xml(network.inputs, "hp-validate"))
    run = subprocess.run(["virt-xml-validate", str(path), "network"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_network_starts_and_reads_back_dns_and_static_addressing(live_network) -> None:  # type: ignore[no-untyped-def]
    name, inputs = live_network
    assert "Active:         yes" in virsh("net-info", name).stdout
    root = ET.fromstring(virsh("net-dumpxml", name).stdout)
    read_back = {(h.attrib["ip"], n.text) for h in root.iter("host") for n in h.iter("hostname")}
    assert read_back == {(h["ip"], h["hostname"]) for h in inputs["dns"]["hosts"]}
    ip = root.find("ip")
    assert ip is not None and ip.find("dhcp") is None  # static addresses only
    cidr = inputs["addresses"][0]
    assert f"{ip.attrib['address']}/{ip.attrib['prefix']}" == cidr.replace(".0/", ".1/")
    assert root.find("forward").attrib["mode"] == "nat"  # type: ignore[union-attr]
    hosts_file = Path(f"/var/lib/libvirt/dnsmasq/{name}.addnhosts")
    served = {(words[0], name) for words in map(str.split, hosts_file.read_text().splitlines()) if words
              for name in words[1:]}  # fmt: skip
    assert served == read_back  # what dnsmasq answers for the network


def test_every_domain_validates_and_defines(staging: PreviewResult, live_network, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    network, _ = live_network
    domains = _of(staging, "libvirt:index/domain:Domain")
    assert len(domains) == 7
    for domain in domains:
        name = f"hp-live-{secrets.token_hex(3)}"
        path = tmp_path / f"{name}.xml"
        path.write_text(domain_xml(domain.inputs, name, network, f"/var/lib/libvirt/images/{name}.iso"))
        run = subprocess.run(["virt-xml-validate", str(path), "domain"], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        virsh("define", str(path))
        try:
            defined = ET.fromstring(virsh("dumpxml", name).stdout)
            assert defined.attrib["type"] == "qemu"
            assert defined.findtext("memory") == str(domain.inputs["memory"] * 1024)  # KiB
            assert defined.findtext("vcpu") == str(domain.inputs["vcpu"])
            mac = defined.find("devices/interface/mac")
            assert mac is not None and mac.attrib["address"] == domain.inputs["networkInterfaces"][0]["mac"]
            assert defined.find("devices/console/target").attrib["type"] == "serial"  # type: ignore[union-attr]
            assert defined.find("devices/graphics/listen").attrib["type"] == "none"  # type: ignore[union-attr]
        finally:
            virsh("undefine", name, check=False)


def test_the_validator_rejects_a_broken_domain(tmp_path: Path, libvirtd) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.xml"
    path.write_text("<domain type='qemu'><name>x</name><memory unit='MiB'>lots</memory></domain>")
    run = subprocess.run(["virt-xml-validate", str(path), "domain"], capture_output=True, text=True)
    assert run.returncode != 0 and "fails to validate" in run.stdout + run.stderr

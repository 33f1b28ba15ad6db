"""A machine's libvirt domain and a host's network, pure: the arguments pulumi-libvirt
takes, in its units (memory in MiB, whole vCPUs), without the mock runtime."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import pytest

from components.addressing import Subnet
from components.targets.libvirt.domain import (
    build_domain_args,
    build_network_args,
    data_device,
    mac_address,
    memory_mib,
    vcpus,
)
from components.targets.libvirt.settings import LibvirtSettings
from tests.translators import plain

SUBNET = Subnet(0, ipaddress.IPv4Network("10.77.0.0/24"))


@pytest.mark.parametrize(
    ("millicpus", "count"), [(1, 1), (250, 1), (1000, 1), (1001, 2), (1500, 2), (2000, 2), (4000, 4)]
)
def test_vcpus_are_whole_cpus_rounded_up(millicpus: int, count: int) -> None:
    assert vcpus(millicpus) == count


@pytest.mark.parametrize(
    ("memory", "overhead", "mib"),
    [
        (512 * 2**20, None, 512 + 256),  # the default guest overhead is 256 MiB
        (300 * 10**6, None, 287 + 256),  # 300M is 286.1 MiB, rounded up
        (2**30, "64Mi", 1024 + 64),
        (6 * 2**20, "1Gi", 6 + 1024),
    ],
)
def test_memory_is_the_limit_plus_the_guest_overhead_in_mib(
    memory: int, overhead: str | None, mib: int
) -> None:
    settings = LibvirtSettings.model_validate({"guest_memory_overhead": overhead} if overhead else {})
    assert memory_mib(memory, settings) == mib


def test_a_mac_address_is_stable_local_and_unicast() -> None:
    mac = mac_address("10.77.3.17")
    assert mac == mac_address("10.77.3.17") == "52:54:00:4d:03:11"
    assert re.fullmatch(r"52:54:00(:[0-9a-f]{2}){3}", mac)
    first = int(mac.split(":")[0], 16)
    assert first & 0b10 and not first & 0b01  # locally administered, unicast


@pytest.mark.parametrize(("index", "device"), [(0, "/dev/vdb"), (1, "/dev/vdc"), (24, "/dev/vdz")])
def test_data_disks_follow_the_root_disk(index: int, device: str) -> None:
    assert data_device(index) == device


def test_a_hosts_network_has_static_addressing_and_dns_for_every_name() -> None:
    hosts = [("db", "10.77.0.16"), ("db-0.db", "10.77.0.16"), ("api", "10.77.0.32"), ("api", "10.77.0.33")]
    assert plain(build_network_args("shop", SUBNET, "none", hosts)) == {
        "mode": "none",
        "addresses": ["10.77.0.0/24"],
        "domain": "shop",
        "autostart": True,
        "dhcp": {"enabled": False},
        "dns": {
            "enabled": True,
            "local_only": True,  # names of the app's domain are never forwarded upstream
            "hosts": [
                {"hostname": "db", "ip": "10.77.0.16"},
                {"hostname": "db-0.db", "ip": "10.77.0.16"},
                {"hostname": "api", "ip": "10.77.0.32"},
                {"hostname": "api", "ip": "10.77.0.33"},
            ],
        },
    }


def domain(settings: LibvirtSettings) -> dict[str, Any]:
    labels = {"hybrid-platform.io/app": "shop", "hybrid-platform.io/service": "db"}
    args = build_domain_args(
        labels, "52:54:00:0a:0b:0c", 2, 768, "net-id", "ci-id", ["root-id", "data-id"], settings
    )
    result: dict[str, Any] = plain(args)
    return result


def test_a_domain_with_its_disks_one_nic_a_serial_console_and_its_labels() -> None:
    assert domain(LibvirtSettings()) == {
        "type": "kvm",
        "vcpu": 2,
        "memory": 768,
        "description": "hybrid-platform.io/app=shop hybrid-platform.io/service=db",
        "autostart": True,
        "cloudinit": "ci-id",
        "disks": [{"volume_id": "root-id"}, {"volume_id": "data-id"}],
        "network_interfaces": [{"network_id": "net-id", "mac": "52:54:00:0a:0b:0c"}],
        "consoles": [{"type": "pty", "target_port": "0", "target_type": "serial"}],
        "graphics": {"type": "vnc", "listen_type": "none"},  # no display listens anywhere
    }


def test_domain_type_and_vnc_on_the_loopback_come_from_the_settings() -> None:
    found = domain(LibvirtSettings(domain_type="qemu", vnc=True))
    assert found["type"] == "qemu"
    assert found["graphics"] == {
        "type": "vnc",
        "listen_type": "address",
        "listen_address": "127.0.0.1",
        "autoport": True,
    }


def test_data_disks_past_vdz_are_named_as_the_kernel_names_them() -> None:
    assert [data_device(i) for i in (0, 24, 25, 26, 51, 52)] == [
        "/dev/vdb", "/dev/vdz", "/dev/vdaa", "/dev/vdab", "/dev/vdba", "/dev/vdbb"
    ]  # fmt: skip


def test_macs_never_collide_on_one_network() -> None:
    addresses = [str(ipaddress.IPv4Address("10.77.0.0") + i) for i in range(65536)]
    assert len({mac_address(a) for a in addresses}) == 65536

"""Static machine addresses: deterministic, stable under growth, inside the CIDR, and every
limit a clear error naming the setting to change."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from components.addressing import BLOCK, AddressingError, plan_addresses, split
from components.appspec import SpecError
from components.targets.libvirt.settings import LibvirtNetworkSettings
from tests.factory import preview

DEFAULT_CIDR = LibvirtNetworkSettings().cidr


def addresses(
    groups: dict[str, int], cidr: str = "10.77.0.0/24", hosts: int = 1
) -> dict[tuple[str, int], str]:
    return {k: p.address for k, p in plan_addresses(groups, cidr, hosts).placements.items()}


def test_deterministic_unique_and_inside() -> None:
    first = addresses({"web": 3, "api": 2, "db": 1})
    assert first == addresses({"web": 3, "api": 2, "db": 1})
    assert len(set(first.values())) == 6
    assert all(ipaddress.IPv4Address(a) in ipaddress.IPv4Network("10.77.0.0/24") for a in first.values())
    assert "10.77.0.1" not in first.values()  # the host's gateway


def test_growth_moves_no_existing_replica() -> None:
    before = addresses({"web": 2, "api": 2, "db": 1})
    after = addresses({"web": 4, "api": 2, "db": 1, "cache": 1})
    assert all(after[k] == v for k, v in before.items())


def test_the_default_network_holds_250_services_of_8_replicas_on_one_host() -> None:
    plan = plan_addresses({f"service-{i}": 8 for i in range(250)}, DEFAULT_CIDR, 1)
    assert len(set(p.address for p in plan.placements.values())) == 2000


def test_adding_50_services_one_at_a_time_to_200_moves_no_address() -> None:
    groups = {f"svc-{i}": 1 + i % 8 for i in range(200)}
    before = addresses(groups, DEFAULT_CIDR)
    for i in range(200, 250):
        groups[f"svc-{i}"] = 2
        after = addresses(groups, DEFAULT_CIDR)
        assert {k: after[k] for k in before} == before, f"adding svc-{i} moved a machine"
        before = after


def test_a_collision_falls_back_and_a_pin_freezes_it() -> None:
    cidr = "10.77.0.0/26"  # two blocks: a collision is certain with three groups
    with pytest.raises(AddressingError) as caught:
        plan_addresses({"a": 1, "b": 1, "c": 1}, cidr, 1)
    assert caught.value.key == "libvirt.network.cidr"
    plan = plan_addresses({"a": 1, "b": 1, "c": 1}, "10.77.0.0/25", 1)  # six blocks
    pinned = {g: plan.block_start(g) for g in ("a", "b", "c")}
    # whatever comes first now, the pins keep every address
    again = plan_addresses({"c": 1, "b": 1, "a": 1}, "10.77.0.0/25", 1, pins=pinned)
    assert {g: again.block_start(g) for g in ("a", "b", "c")} == pinned
    assert again.fallbacks == {}


def test_a_pin_must_start_a_block_inside_the_network() -> None:
    with pytest.raises(
        AddressingError, match=r"not the start of a block of 16 addresses in 10\.77\.0\.0/24"
    ) as caught:
        plan_addresses({"web": 1}, "10.77.0.0/24", 1, pins={"web": "10.77.0.17"})
    assert caught.value.key == "libvirt.addresses.web"
    with pytest.raises(AddressingError, match="also pinned for api"):
        plan_addresses(
            {"web": 1, "api": 1}, "10.77.0.0/24", 1, pins={"web": "10.77.0.32", "api": "10.77.0.32"}
        )


def test_hosts_get_their_own_subnet_round_robin() -> None:
    plan = plan_addresses({"web": 3}, "10.77.0.0/23", 2).placements
    assert [plan[("web", i)].subnet.host for i in range(3)] == [0, 1, 0]
    assert [str(s.network) for s in split("10.77.0.0/23", 2)] == ["10.77.0.0/24", "10.77.1.0/24"]


def test_more_machines_than_a_block_take_more_blocks_and_growth_moves_none() -> None:
    before = addresses({"web": BLOCK + 1, "api": 2})
    assert len(set(before.values())) == BLOCK + 3
    after = addresses({"web": 3 * BLOCK, "api": 2, "db": 1})
    assert all(after[k] == v for k, v in before.items())


def test_limits_name_the_setting_to_change() -> None:
    with pytest.raises(
        AddressingError, match="holds 224 machines in 14 blocks per host and the stack needs 15 blocks"
    ) as caught:
        addresses({f"s{i}": 1 for i in range(15)})
    assert caught.value.key == "libvirt.network.cidr"
    with pytest.raises(AddressingError) as caught:
        addresses({"web": 15 * BLOCK})
    assert caught.value.key == "services.web.replicas"


@pytest.mark.parametrize(
    ("spec_services", "config", "expected"),
    [
        (
            {f"s{i}": {"image": "a/b:1"} for i in range(15)},
            {"libvirt": {"network": {"cidr": "10.9.0.0/24"}}},
            "Pulumi.test.yaml: hybrid-platform:libvirt.network.cidr: 10.9.0.0/24 holds 224 machines in 14 blocks per host and the stack needs 15 blocks; use a larger network, e.g. 10.77.0.0/16",
        ),
    ],
)
def test_the_program_reports_limits_as_input_errors(
    tmp_path: Path, spec_services: dict[str, object], config: dict[str, object], expected: str
) -> None:
    with pytest.raises(SpecError) as caught:
        preview(tmp_path, {"app": "big", "services": spec_services}, config, target="vm")
    assert caught.value.lines() == [expected]


def test_the_most_agents_the_settings_allow_fit_the_default_network(tmp_path: Path) -> None:
    result = preview(
        tmp_path,
        {"app": "big", "services": {"web": {"image": "a/b:1"}}},
        {"cluster": {"agents": 50}},
        target="hybrid",
    )
    nodes = [r for r in result.resources if r.type == "libvirt:index/domain:Domain"]
    assert len(nodes) == 51

"""Static replica addresses: deterministic, stable under growth, inside the CIDR."""

from __future__ import annotations

import ipaddress

import pytest

from components.addressing import AddressingError, plan_addresses, split


def addresses(replicas: dict[str, int], hosts: int = 1) -> dict[tuple[str, int], str]:
    return {k: p.address for k, p in plan_addresses(replicas, "10.77.0.0/24", hosts).items()}


def test_deterministic_unique_and_inside() -> None:
    first = addresses({"web": 3, "api": 2, "db": 1})
    assert first == addresses({"db": 1, "api": 2, "web": 3})
    assert len(set(first.values())) == 6
    assert all(ipaddress.IPv4Address(a) in ipaddress.IPv4Network("10.77.0.0/24") for a in first.values())
    assert "10.77.0.1" not in first.values()  # the host's gateway


def test_growth_moves_no_existing_replica() -> None:
    before = addresses({"web": 2, "api": 2, "db": 1})
    after = addresses({"web": 4, "api": 2, "db": 1, "cache": 1})
    assert all(after[k] == v for k, v in before.items())


def test_hosts_get_their_own_subnet_round_robin() -> None:
    plan = plan_addresses({"web": 3}, "10.77.0.0/23", 2)
    assert [plan[("web", i)].subnet.host for i in range(3)] == [0, 1, 0]
    assert [str(s.network) for s in split("10.77.0.0/23", 2)] == ["10.77.0.0/24", "10.77.1.0/24"]


def test_limits_are_clear_errors() -> None:
    with pytest.raises(AddressingError, match="more than 16 per host"):
        addresses({"web": 17})
    with pytest.raises(AddressingError, match="room for 14 services per host; use a larger network cidr"):
        addresses({f"s{i}": 1 for i in range(15)})

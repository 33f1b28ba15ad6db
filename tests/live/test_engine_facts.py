"""The live tests' readings of engine facts hold for what every supported dockerd reports."""

from __future__ import annotations

from tests.live.engine_facts import bridge_gateway, health_status, network_option


def test_the_gateway_comes_from_ipam_when_the_engine_reports_one() -> None:
    attrs = {"Name": "bridge", "IPAM": {"Config": [{"Subnet": "172.17.0.0/16", "Gateway": "172.17.0.1"}]}}
    assert bridge_gateway(attrs) == "172.17.0.1"


def test_without_a_gateway_key_the_subnet_gives_the_bridge_address() -> None:
    # Debian's dockerd 20.10 reports the default bridge this way.
    attrs = {"Name": "not-a-local-bridge", "IPAM": {"Config": [{"Subnet": "172.29.0.0/16"}]}}
    assert bridge_gateway(attrs) == "172.29.0.1"


def test_optional_keys_read_as_missing() -> None:
    assert health_status({"State": {"Running": True}}) is None
    assert health_status({"State": {"Health": {"Status": "healthy"}}}) == "healthy"
    assert network_option({"Options": None}, "x") is None

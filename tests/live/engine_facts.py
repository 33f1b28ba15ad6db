"""Facts the live tests read from the Docker engine, without assuming optional API keys.

The Engine API leaves many fields optional: Debian's dockerd 20.10 reports the default
bridge's IPAM config with a `Subnet` and no `Gateway`, `State.Health` exists only for
containers with a health check, and a network's `Options` may be absent."""

from __future__ import annotations

import ipaddress
import json
import subprocess
from typing import Any

DEFAULT_BRIDGE_INTERFACE = "docker0"
BRIDGE_NAME_OPTION = "com.docker.network.bridge.name"


def health_status(attrs: dict[str, Any]) -> str | None:
    """A container's health status, or None when it has no health check."""
    return ((attrs.get("State") or {}).get("Health") or {}).get("Status")


def network_option(attrs: dict[str, Any], key: str) -> str | None:
    """One driver option of a network, or None when the network has no such option."""
    return (attrs.get("Options") or {}).get(key)


def _interface_address(interface: str) -> str | None:
    run = subprocess.run(
        ["ip", "-j", "-4", "addr", "show", "dev", interface], capture_output=True, text=True, check=False
    )
    if run.returncode != 0 or not run.stdout.strip():
        return None
    for link in json.loads(run.stdout):
        for address in link.get("addr_info", []):
            if address.get("family") == "inet":
                return str(address["local"])
    return None


def bridge_gateway(network_attrs: dict[str, Any]) -> str:
    """The host's address on a bridge network: the IPAM gateway when the engine reports one,
    else the address of the bridge interface, else the first address of the subnet (which is
    what dockerd assigns to the bridge when no gateway is configured)."""
    configs = ((network_attrs.get("IPAM") or {}).get("Config")) or []
    for config in configs:
        if config.get("Gateway"):
            return str(config["Gateway"]).split("/")[0]
    interface = network_option(network_attrs, BRIDGE_NAME_OPTION)
    if interface is None and network_attrs.get("Name") == "bridge":
        interface = DEFAULT_BRIDGE_INTERFACE
    if interface is not None and (address := _interface_address(interface)) is not None:
        return address
    for config in configs:
        if config.get("Subnet") and ":" not in config["Subnet"]:
            return str(next(ipaddress.IPv4Network(config["Subnet"], strict=False).hosts()))
    raise LookupError(f"network {network_attrs.get('Name')} reports no IPv4 gateway, interface or subnet")

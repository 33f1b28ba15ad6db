"""The document formats: `#cloud-config` user-data, network-config v2, meta-data."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's emitter where PyYAML has it: the pure-Python one was most of a VM's evaluation.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Writes multi-line strings (files, units, rulesets) as readable literal blocks."""


def _text(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    node: yaml.ScalarNode = dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)
    return node


_Dumper.add_representer(str, _text)


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=1000, default_flow_style=False)


def cloud_config(document: dict[str, Any]) -> str:
    """A `#cloud-config` user-data document."""
    return "#cloud-config\n" + _dump(document)


def network_config(mac: str, address: str, prefix: int, gateway: str, search: list[str]) -> str:
    """Network-config v2: one NIC (matched by MAC) with a static address; the host is the
    gateway and the DNS server."""
    return _dump(
        {
            "version": 2,
            "ethernets": {
                "primary": {
                    "match": {"macaddress": mac},
                    "set-name": "eth0",
                    "dhcp4": False,
                    "addresses": [f"{address}/{prefix}"],
                    "routes": [{"to": "0.0.0.0/0", "via": gateway}],
                    "nameservers": {"addresses": [gateway], "search": search},
                }
            },
        }
    )


def meta_data(instance_id: str, hostname: str) -> str:
    """NoCloud meta-data: a new `instance-id` makes cloud-init run its per-instance steps again."""
    return _dump({"instance-id": instance_id, "local-hostname": hostname})

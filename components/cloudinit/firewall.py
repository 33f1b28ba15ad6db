"""The guest firewall as data, and its nftables rendering.

Inbound: loopback and established traffic, then exactly the listed rules; the
rest is dropped. Outbound: with `egress` everything; without it, loopback,
established, DNS to the host, and exactly the listed rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Allow `protocol` traffic to `ports`, from (inbound) or to (outbound) `peers`;
    `peers=None` means any address."""

    protocol: str
    ports: tuple[int, ...]
    peers: tuple[str, ...] | None


@dataclass(frozen=True)
class Firewall:
    """What one guest accepts and may send."""

    inbound: tuple[Rule, ...]
    outbound: tuple[Rule, ...]
    egress: bool
    dns_server: str


def _set(values: tuple[object, ...]) -> str:
    return "{ " + ", ".join(str(v) for v in values) + " }"


def _rule(rule: Rule, direction: str) -> str | None:
    if not rule.ports or (rule.peers is not None and not rule.peers):
        return None  # nothing to allow: an empty peer set allows no one
    peer = "" if rule.peers is None else f"ip {direction} {_set(rule.peers)} "
    return f"{peer}{rule.protocol} dport {_set(rule.ports)} accept"


def render_nftables(firewall: Firewall, outbound: bool = True) -> str:
    """The ruleset (`/etc/nftables.conf`). With `outbound=False`, output is not restricted
    yet: the bootstrap ruleset that lets first boot pull images before egress is cut."""
    inbound = [line for r in firewall.inbound if (line := _rule(r, "saddr"))]
    lines = [
        "#!/usr/sbin/nft -f",
        "flush ruleset",
        "table inet hybrid {",
        "  chain input {",
        "    type filter hook input priority 0; policy drop;",
        '    iif "lo" accept',
        "    ct state established,related accept",
        "    ct state invalid drop",
        *(f"    {line}" for line in inbound),
        "  }",
        "  chain forward {",
        "    type filter hook forward priority 0; policy drop;",
        "  }",
    ]
    if outbound and not firewall.egress:
        allowed = [line for r in firewall.outbound if (line := _rule(r, "daddr"))]
        lines += [
            "  chain output {",
            "    type filter hook output priority 0; policy drop;",
            '    oif "lo" accept',
            "    ct state established,related accept",
            f"    ip daddr {firewall.dns_server} udp dport 53 accept",
            f"    ip daddr {firewall.dns_server} tcp dport 53 accept",
            *(f"    {line}" for line in allowed),
            "  }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"

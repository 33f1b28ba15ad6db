"""The guest firewall, pure: `plan_firewall` (who may talk to a service VM) and
`render_nftables` (the ruleset the VM loads), without the mock runtime."""

from __future__ import annotations

from typing import Any

import pytest

from components.cloudinit import Firewall, Rule, render_nftables
from components.targets.vm.firewall import plan_firewall
from tests.translators import resolve_app

GATEWAY = "10.77.0.1"
SERVICES: dict[str, dict[str, Any]] = {
    "db": {"ports": [{"name": "pg", "port": 5432}]},
    "cache": {"ports": [{"name": "redis", "port": 6379}]},
    "api": {"ports": [{"name": "http", "port": 8080}], "depends_on": ["db", "cache"], "egress": True},
    "worker": {"depends_on": ["db"]},
    "web": {
        "ports": [{"name": "http", "port": 8080, "public": True}, {"name": "admin", "port": 9000}],
        "depends_on": ["api"],
    },
}
ADDRESSES = {
    "db": ("10.77.0.16",),
    "cache": ("10.77.0.32",),
    "api": ("10.77.0.49", "10.77.0.48"),
    "worker": ("10.77.0.64",),
    "web": ("10.77.0.80", "10.77.0.81"),
}
APP = resolve_app(SERVICES, target="vm")


def firewall(service: str, ssh: bool = False, addresses: dict[str, tuple[str, ...]] = ADDRESSES) -> Firewall:
    return plan_firewall(APP, service, addresses, GATEWAY, ssh)


def test_a_server_admits_exactly_its_clients_replicas_on_its_ports() -> None:
    db = firewall("db")
    # api's two replicas and worker; never web or cache, which do not depend on db
    assert db.inbound == (Rule("tcp", (5432,), ("10.77.0.48", "10.77.0.49", "10.77.0.64")),)
    assert db.outbound == ()
    assert db.egress is False
    assert db.dns_server == GATEWAY


def test_public_ports_are_open_to_anyone_and_every_port_to_the_clients() -> None:
    app = resolve_app({**SERVICES, "probe": {"depends_on": ["web"]}}, target="vm")
    web = plan_firewall(app, "web", {**ADDRESSES, "probe": ("10.77.0.96",)}, GATEWAY, ssh=False)
    assert web.inbound == (
        Rule("tcp", (8080, 9000), ("10.77.0.96",)),
        Rule("tcp", (8080,), None),
    )


def test_a_service_without_clients_admits_no_one_on_its_private_ports() -> None:
    web = firewall("web")
    assert web.inbound == (Rule("tcp", (8080, 9000), ()), Rule("tcp", (8080,), None))
    assert "9000" not in render_nftables(web)


def test_ports_are_grouped_by_protocol_and_sorted() -> None:
    ports = [
        {"name": "web", "port": 80, "public": True},
        {"name": "dns", "port": 53, "protocol": "udp", "public": True},
        {"name": "dnstcp", "port": 53},
        {"name": "metrics", "port": 9100},
    ]
    app = resolve_app({"dns": {"ports": ports}, "client": {"depends_on": ["dns"]}}, target="vm")
    planned = plan_firewall(app, "dns", {"client": ("10.77.0.40",)}, GATEWAY, ssh=False)
    assert planned.inbound == (
        Rule("tcp", (53, 80, 9100), ("10.77.0.40",)),
        Rule("udp", (53,), ("10.77.0.40",)),
        Rule("tcp", (80,), None),
        Rule("udp", (53,), None),
    )


@pytest.mark.parametrize(("ssh", "expected"), [(True, (Rule("tcp", (22,), (GATEWAY,)),)), (False, ())])
def test_ssh_is_admitted_from_the_host_only_and_only_when_keys_are_set(
    ssh: bool, expected: tuple[Rule, ...]
) -> None:
    rules = firewall("worker", ssh=ssh).inbound
    assert rules == expected  # worker listens on nothing: SSH is its only inbound rule


def test_outbound_reaches_each_dependency_on_its_ports() -> None:
    api = firewall("api")
    assert api.outbound == (
        Rule("tcp", (5432,), ("10.77.0.16",)),
        Rule("tcp", (6379,), ("10.77.0.32",)),
    )
    assert api.egress is True
    web = firewall("web")
    assert web.outbound == (Rule("tcp", (8080,), ("10.77.0.49", "10.77.0.48")),)
    assert web.egress is False


def test_a_dependency_without_ports_or_addresses_gives_no_usable_peer() -> None:
    app = resolve_app({"sink": {}, "db": SERVICES["db"], "app": {"depends_on": ["sink", "db"]}}, target="vm")
    # sink listens on nothing; db runs on another target, so no address of it is known here
    planned = plan_firewall(app, "app", {"sink": ("10.77.0.20",)}, GATEWAY, ssh=False)
    assert planned.outbound == (Rule("tcp", (5432,), ()),)
    assert "5432" not in render_nftables(planned)


RULESET = """\
#!/usr/sbin/nft -f
flush ruleset
table inet hybrid {
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept
    ct state established,related accept
    ct state invalid drop
    ip saddr { 10.77.0.49, 10.77.0.48 } tcp dport { 8080, 9000 } accept
    tcp dport { 8080 } accept
    ip saddr { 10.77.0.1 } tcp dport { 22 } accept
  }
  chain forward {
    type filter hook forward priority 0; policy drop;
  }
  chain output {
    type filter hook output priority 0; policy drop;
    oif "lo" accept
    ct state established,related accept
    ip daddr 10.77.0.1 udp dport 53 accept
    ip daddr 10.77.0.1 tcp dport 53 accept
    ip daddr { 10.77.0.16 } tcp dport { 5432 } accept
  }
}
"""
WEB = Firewall(
    inbound=(
        Rule("tcp", (8080, 9000), ("10.77.0.49", "10.77.0.48")),
        Rule("tcp", (8080,), None),
        Rule("tcp", (22,), (GATEWAY,)),
    ),
    outbound=(Rule("tcp", (5432,), ("10.77.0.16",)),),
    egress=False,
    dns_server=GATEWAY,
)


def test_the_ruleset_drops_everything_but_the_listed_rules_and_dns_to_the_host() -> None:
    assert render_nftables(WEB) == RULESET


def test_the_bootstrap_ruleset_leaves_output_open() -> None:
    bootstrap = render_nftables(WEB, outbound=False)
    assert "chain output" not in bootstrap
    assert bootstrap == RULESET.split("  chain output {", maxsplit=1)[0] + "}\n"  # inbound exactly as after


def test_with_egress_output_is_not_restricted() -> None:
    rendered = render_nftables(Firewall(WEB.inbound, WEB.outbound, egress=True, dns_server=GATEWAY))
    assert "chain output" not in rendered
    assert "10.77.0.16" not in rendered


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        (Rule("udp", (53,), None), "    udp dport { 53 } accept"),
        (Rule("tcp", (1, 2), ("10.0.0.1",)), "    ip saddr { 10.0.0.1 } tcp dport { 1, 2 } accept"),
        (Rule("tcp", (80,), ()), None),  # an empty peer set allows no one
        (Rule("tcp", (), None), None),  # no ports, nothing to allow
    ],
)
def test_each_inbound_rule_renders_to_one_line_or_none(rule: Rule, line: str | None) -> None:
    empty = render_nftables(Firewall((), (), egress=False, dns_server=GATEWAY))
    rendered = render_nftables(Firewall((rule,), (), egress=False, dns_server=GATEWAY))
    added = [row for row in rendered.splitlines() if row not in empty.splitlines()]
    assert added == ([line] if line else [])


def test_empty_outbound_peers_allow_only_dns() -> None:
    rendered = render_nftables(Firewall((), (Rule("tcp", (5432,), ()),), egress=False, dns_server="10.1.0.1"))
    output = rendered.split("chain output {", 1)[1]
    assert [row.strip() for row in output.splitlines() if "accept" in row] == [
        'oif "lo" accept',
        "ct state established,related accept",
        "ip daddr 10.1.0.1 udp dport 53 accept",
        "ip daddr 10.1.0.1 tcp dport 53 accept",
    ]

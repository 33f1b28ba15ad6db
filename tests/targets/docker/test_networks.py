"""`plan_networks`, pure: one internal network per `depends_on` pair, an edge network for
services with egress or public ports, nothing for services placed on another target."""

from __future__ import annotations

import pytest

from components.targets.docker.networks import NO_MASQUERADE, NetworkPlan, plan_networks
from tests.translators import resolve_app

PUBLIC = {"ports": [{"name": "http", "port": 8080, "public": True}]}
PORT = {"ports": [{"name": "http", "port": 8080}]}


def summary(plans: list[NetworkPlan]) -> set[tuple[str, str, tuple[str, ...], bool]]:
    return {(p.owner, p.role, p.members, p.internal) for p in plans}


def test_each_depends_on_pair_gets_its_own_internal_network() -> None:
    app = resolve_app({"db": PORT, "api": {"depends_on": ["db"]}, "worker": {"depends_on": ["db"]}})
    plans = plan_networks(app, list(app.services))
    # two clients of one server never share a network: each pair has its own
    assert summary(plans) == {
        ("db", "from-api", ("db", "api"), True),
        ("db", "from-worker", ("db", "worker"), True),
    }
    assert {p.client for p in plans} == {"api", "worker"}
    assert [p.options for p in plans] == [{}, {}]


@pytest.mark.parametrize(
    ("fields", "options"),
    [
        ({"egress": True}, {}),
        (PUBLIC, NO_MASQUERADE),  # answers on its port, cannot reach beyond the host
        (PUBLIC | {"egress": True}, {}),
    ],
)
def test_egress_or_public_ports_give_a_service_its_own_edge_network(
    fields: dict[str, object], options: dict[str, str]
) -> None:
    app = resolve_app({"web": fields})
    (edge,) = plan_networks(app, ["web"])
    assert (edge.owner, edge.role, edge.members, edge.internal, edge.client) == (
        "web",
        "edge",
        ("web",),
        False,
        None,
    )
    assert edge.options == options


def test_no_masquerade_switches_off_the_bridge_masquerading() -> None:
    assert NO_MASQUERADE == {"com.docker.network.bridge.enable_ip_masquerade": "false"}


@pytest.mark.parametrize(
    "fields",
    [{}, PORT, {"ports": [{"name": "http", "port": 8080}], "egress": False}],
)
def test_a_service_without_pairs_egress_or_public_ports_gets_no_network(fields: dict[str, object]) -> None:
    app = resolve_app({"batch": fields})
    assert plan_networks(app, ["batch"]) == []


def test_a_service_with_clients_egress_and_public_ports_gets_every_kind() -> None:
    app = resolve_app({"web": PUBLIC | {"egress": True}, "client": {"depends_on": ["web"]}})
    assert summary(plan_networks(app, list(app.services))) == {
        ("web", "from-client", ("web", "client"), True),
        ("web", "edge", ("web",), False),
    }


def test_pairs_with_a_service_placed_elsewhere_are_left_to_that_target() -> None:
    app = resolve_app(
        {"db": PORT, "api": {"depends_on": ["db"]}, "worker": {"depends_on": ["db"]}},
        placement={"worker": "vm"},
    )
    here = app.placed_on("docker")
    assert here == ["db", "api"]
    assert summary(plan_networks(app, here)) == {("db", "from-api", ("db", "api"), True)}


def test_a_server_placed_elsewhere_plans_nothing_for_its_docker_client() -> None:
    app = resolve_app({"db": PORT, "api": {"depends_on": ["db"]}}, placement={"db": "vm"})
    assert plan_networks(app, app.placed_on("docker")) == []


def test_logical_names_are_unambiguous_for_names_built_to_collide() -> None:
    app = resolve_app(
        {
            "x": PORT | {"egress": True},
            "x-edge": PORT | {"egress": True},
            "a": {"depends_on": ["x", "x-edge"]},
            "a-from": {"depends_on": ["x"]},
        }
    )
    names = [p.logical_name("shop") for p in plan_networks(app, list(app.services))]
    assert sorted(names) == [
        "shop.x-edge.edge",
        "shop.x-edge.from.a",
        "shop.x.edge",
        "shop.x.from.a",
        "shop.x.from.a-from",
    ]
    assert len(set(names)) == len(names)


def test_networks_follow_the_order_of_the_services_given() -> None:
    app = resolve_app({"db": PORT, "cache": PORT, "api": {"depends_on": ["db", "cache"], "egress": True}})
    plans = plan_networks(app, ["api", "cache", "db"])
    assert [(p.owner, p.role) for p in plans] == [("api", "edge"), ("cache", "from-api"), ("db", "from-api")]

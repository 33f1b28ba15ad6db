"""Public ports on Kubernetes: a NodePort takes the spec's host_port only inside the
cluster's node-port range (else a stack error naming both keys), and the endpoints say
where the port answers when the addresses are known, `null` when only the cluster knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.appspec import SpecError
from tests.factory import preview

SPEC = {
    "app": "shop",
    "services": {"web": {"image": "example/web:1", "ports": [{"name": "http", "port": 8080, "public": True, "host_port": 5000}]}},
}  # fmt: skip


def public_service(result):  # type: ignore[no-untyped-def]
    (service,) = [
        r
        for r in result.resources
        if r.type == "kubernetes:core/v1:Service" and r.inputs["metadata"]["name"] == "web-public"
    ]
    return service.inputs["spec"]  # fmt: skip


def test_a_host_port_outside_the_node_port_range_is_a_stack_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        preview(tmp_path, SPEC, {"kubernetes": {"public_service_type": "NodePort"}}, target="kubernetes")
    assert caught.value.lines() == [
        "Pulumi.test.yaml: hybrid-platform:kubernetes.public_service_type: services.web.ports[0].host_port 5000 "
        "is outside kubernetes.node_port_range 30000-32767; pick a host_port in it, change the range to the "
        "cluster's, or use public_service_type LoadBalancer"
    ]


def test_a_node_port_inside_the_range_is_the_host_port_on_every_node(tmp_path: Path) -> None:
    config = {"kubernetes": {"public_service_type": "NodePort", "node_port_range": "5000-6000"}}
    result = preview(tmp_path, SPEC, config, target="hybrid")
    assert public_service(result)["ports"][0]["nodePort"] == 5000
    (port,) = result.outputs["endpoints"]["web"]["ports"]
    assert port["public"] and all(p.endswith(":5000") for p in port["public"])
    assert len(port["public"]) == 2  # the two agents of the default cluster


def test_a_load_balancer_address_is_known_only_to_an_existing_cluster(tmp_path: Path) -> None:
    result = preview(tmp_path, SPEC, target="kubernetes")
    assert public_service(result)["type"] == "LoadBalancer"
    (port,) = result.outputs["endpoints"]["web"]["ports"]
    assert port["public"] is None

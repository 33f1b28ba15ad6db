"""The text and JSON views of a preview, on results built by hand: the endpoints table, outputs
as JSON, the same text on a terminal and elsewhere, and what is shown of secrets."""

from __future__ import annotations

import io
import json
import random
from typing import Any

from components.offline.document import as_json, dumps
from components.offline.masking import SecretView
from components.offline.recorder import RecordedResource, Secret, tree_order
from components.offline.render import PlainText, Terminal, endpoint_rows, print_tree
from components.offline.runner import PreviewResult

# The `endpoints` contract (design.md): {service: {target, ports: [{name, port, protocol, address, public}]}}
ENDPOINTS: dict[str, Any] = {
    "web": {
        "target": "docker",
        "ports": [
            {
                "name": "http",
                "port": 8080,
                "protocol": "tcp",
                "address": "web:8080",
                "public": ["127.0.0.1:5000"],
            }
        ],
    },
    "db": {
        "target": "vm",
        "ports": [
            {"name": "pg", "port": 5432, "protocol": "tcp", "address": "db:5432", "public": []},
            {"name": "metrics", "port": 9187, "protocol": "tcp", "address": "db:9187", "public": None},
        ],
    },
    "api": {
        "target": "vm",
        "ports": [
            {
                "name": "http",
                "port": 80,
                "protocol": "tcp",
                "address": None,
                "public": ["10.77.0.20:80", "10.77.0.21:80"],
            }
        ],
    },
    "worker": {"target": "kubernetes", "ports": []},
}


def text_of(result: PreviewResult) -> str:
    stream = io.StringIO()
    print_tree(result, PlainText(stream))
    return stream.getvalue()


def result_with(outputs: dict[str, Any], **kwargs: Any) -> PreviewResult:
    return PreviewResult("test", [], outputs, **kwargs)


def test_endpoints_are_a_table_one_row_per_port_services_sorted() -> None:
    text = text_of(result_with({"endpoints": ENDPOINTS}))
    table = text[text.index("  endpoints:") :].splitlines()[1:]
    assert table == [
        "    service  target      port     port/protocol  address               public",
        "    api      vm          http     80/tcp         (known after deploy)  10.77.0.20:80, 10.77.0.21:80",
        "    db       vm          pg       5432/tcp       db:5432               -",
        "    db       vm          metrics  9187/tcp       db:9187               (known after deploy)",
        "    web      docker      http     8080/tcp       web:8080              127.0.0.1:5000",
        "    worker   kubernetes  -        -              -                     -",
    ]


def test_endpoints_under_json_keep_the_contract_shape() -> None:
    document = json.loads(dumps(as_json(result_with({"endpoints": ENDPOINTS}))))
    assert document["outputs"]["endpoints"] == ENDPOINTS


def test_other_outputs_are_json_never_python_repr() -> None:
    outputs = {"target": "docker", "ids": {"a": None, "b": True}, "kubeconfig": Secret("apiVersion: v1")}
    text = text_of(result_with(outputs))
    assert '  target: "docker"' in text
    assert '  ids: {"a": null, "b": true}' in text
    assert '  kubeconfig: "[secret]"' in text
    assert "None" not in text and "True" not in text and "'" not in text


def test_endpoints_not_in_the_contract_shape_are_printed_as_json() -> None:
    legacy = {"web": [{"port": "http", "address": "web:8080", "public": None}]}
    assert endpoint_rows(legacy) is None
    text_public = {
        "web": {"target": "docker", "ports": [{**ENDPOINTS["web"]["ports"][0], "public": "127.0.0.1:5000"}]}
    }
    assert endpoint_rows(text_public) is None  # public is a list of host:port, or null
    assert '  endpoints: {"web": [{"address": "web:8080", "port": "http", "public": null}]}' in text_of(
        result_with({"endpoints": legacy})
    )


def resource(urn: str, parent: str = "", protect: bool = False) -> RecordedResource:
    kind, name = urn.split("::")[-2:]
    return RecordedResource(urn, "", kind, name, parent, True, [], protect, False, False, "", [], {})


GRAPH = [
    resource("urn::hybrid:app:App::shop"),
    resource("urn::docker:Container::shop-web-0", "urn::hybrid:app:App::shop"),
    resource("urn::docker:Container::shop-db-0", "urn::hybrid:app:App::shop", protect=True),
    resource("urn::docker:Network::shop.db.from.web", "urn::hybrid:app:App::shop"),
    resource("urn::hybrid:vm:VmReplica::shop-db-vm", "urn::hybrid:app:App::shop"),
    resource("urn::libvirt:Domain::shop-db-vm", "urn::hybrid:vm:VmReplica::shop-db-vm"),
]


def test_tree_order_is_parents_first_siblings_by_type_and_name_whatever_the_registration_order() -> None:
    expected = [
        "shop",
        "shop-db-0",
        "shop-web-0",
        "shop.db.from.web",
        "shop-db-vm",
        "shop-db-vm",
    ]
    for seed in range(5):
        shuffled = random.Random(seed).sample(GRAPH, len(GRAPH))
        assert [r.name for r in tree_order(shuffled)] == expected


def test_the_tree_names_the_stack_file_and_draws_each_resource_under_its_parent() -> None:
    result = PreviewResult("dev", tree_order(GRAPH), {}, stack_file="stacks/Pulumi.dev.yaml")
    assert text_of(result).splitlines()[:7] == [
        "stack dev  (stacks/Pulumi.dev.yaml)",
        "└── hybrid:app:App  shop",
        "    ├── docker:Container  shop-db-0  (protected)",
        "    ├── docker:Container  shop-web-0",
        "    ├── docker:Network  shop.db.from.web",
        "    └── hybrid:vm:VmReplica  shop-db-vm",
        "        └── libvirt:Domain  shop-db-vm",
    ]
    assert "no stack file" in text_of(PreviewResult("preview", [], {})).splitlines()[0]


def test_a_terminal_gets_the_same_text_as_any_other_output() -> None:
    result = PreviewResult(
        "dev", tree_order(GRAPH), {"endpoints": ENDPOINTS, "target": "vm"}, warnings=["w [bold]x[/bold]"]
    )
    stream = io.StringIO()
    print_tree(result, Terminal(stream))  # rich, writing no colour codes to a non-terminal stream
    assert stream.getvalue() == text_of(result)


PLACEHOLDER = "offline-secret:db-password"


def test_a_placeholder_is_shown_by_name_inside_a_secret_document() -> None:
    view = SecretView(set())
    user_data = Secret(f"#cloud-config\nwrite_files:\n- content: DB_PASSWORD={PLACEHOLDER}\n")
    assert view(user_data) == "#cloud-config\nwrite_files:\n- content: DB_PASSWORD=[secret:db-password]\n"
    assert view({"stringData": Secret({"db-password": PLACEHOLDER, "other": "x"})}) == {
        "stringData": {"db-password": "[secret:db-password]", "other": "[secret]"}
    }
    assert view(["A=offline-secret:a-1,B=offline-secret:b"]) == ["A=[secret:a-1],B=[secret:b]"]


def test_any_other_secret_is_masked_whole() -> None:
    view = SecretView({"mock-random-abc"})
    assert view(Secret("apiVersion: v1\nclusters: []")) == "[secret]"  # a kubeconfig
    assert view(Secret({"token": "t", "n": 3})) == "[secret]"
    # a document holding a placeholder and another secret value shows neither
    assert view(Secret(f"K3S_TOKEN=mock-random-abc\nDB={PLACEHOLDER}")) == "[secret]"


def test_a_secret_value_never_shows_even_where_the_program_left_it_plain() -> None:
    view = SecretView({"hunter2-real", ""})
    assert view({"env": ["PASSWORD=hunter2-real", "MODE=prod"]}) == {
        "env": ["PASSWORD=[secret]", "MODE=prod"]
    }
    assert view(Secret(f"A=hunter2-real B={PLACEHOLDER}")) == "[secret]"

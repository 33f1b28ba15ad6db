"""The Docker target under the mock runtime: assertions on the recorded graph."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from components.offline import runner
from components.offline.recorder import Secret
from components.offline.render import as_json
from components.offline.stackfile import StackConfig
from tests.factory import make_app, preview
from tests.graph import (
    CONTAINER,
    NETWORK,
    VOLUME,
    containers_of,
    label_map,
    network_names_of,
    networks_by_name,
    of_type,
)

SECRET_VALUE = "s3cr3t-value-9f1c"


@pytest.fixture
def result(tmp_path: Path):  # type: ignore[no-untyped-def]
    spec = make_app(
        web={
            "replicas": 2,
            "resources": {"cpus": 0.5, "memory": "256Mi"},
            "command": ["serve", "--port", "8080"],
            "env": {"MODE": "prod", "WORKERS": 4},
            "health": {
                "http": {"path": "/healthz", "port": 8080},
                "interval": "15s",
                "timeout": "2s",
                "retries": 4,
                "start_period": "1m30s",
            },
        },
        worker={"isolation": "sandbox", "read_only_root": False, "replicas": 3},
    )
    config = {"secrets": {"db-password": {"secure": "v1:abc"}}, "protect_data": True}
    return preview(tmp_path, spec, config)


def test_each_spec_field_lands_on_its_argument_with_the_right_unit(result) -> None:  # type: ignore[no-untyped-def]
    web = containers_of(result, "web")
    assert len(web) == 2
    inputs = web[0].inputs
    assert inputs["memory"] == 256  # MiB: the provider multiplies by 1024*1024
    assert inputs["memorySwap"] == 256  # no swap beyond the limit
    assert inputs["cpus"] == "0.5"
    assert inputs["command"] == ["serve", "--port", "8080"]
    assert "MODE=prod" in inputs["envs"] and "WORKERS=4" in inputs["envs"]
    assert inputs["user"] == "1000:1000"
    assert inputs["readOnly"] is True
    assert inputs["tmpfs"] == {"/tmp": "rw,nosuid,nodev"}
    assert inputs["capabilities"] == {"drops": ["ALL"]}
    assert inputs["securityOpts"] == ["no-new-privileges:true"]
    assert inputs["restart"] == "unless-stopped"
    assert "runtime" not in inputs
    health = inputs["healthcheck"]
    assert health["interval"] == "15s"
    assert health["timeout"] == "2s"
    assert health["startPeriod"] == "90s"
    assert health["retries"] == 4
    assert health["tests"][0] == "CMD-SHELL" and "http://127.0.0.1:8080/healthz" in health["tests"][1]
    assert inputs["wait"] is True
    assert inputs["ports"] == [{"internal": 8080, "external": 5000, "ip": "127.0.0.1", "protocol": "tcp"}]
    assert "ports" not in web[1].inputs  # one host port can be bound by one replica only
    assert label_map(web[0]) == {
        "hybrid-platform.io/app": "shop",
        "hybrid-platform.io/managed-by": "hybrid-platform",
        "hybrid-platform.io/service": "web",
        "hybrid-platform.io/isolation": "container",
        "hybrid-platform.io/target": "docker",
        "hybrid-platform.io/replica": "0",
        "hybrid-platform.io/ports": "8080/tcp",  # what the spec declares, for the policy pack
        "hybrid-platform.io/public-ports": "8080/tcp",
    }


def test_defaults_are_safe_and_sandbox_uses_runsc(result) -> None:  # type: ignore[no-untyped-def]
    worker = containers_of(result, "worker")
    assert len(worker) == 3
    assert all(c.inputs["runtime"] == "runsc" for c in worker)
    assert all(c.inputs["readOnly"] is False for c in worker)
    db = containers_of(result, "db")[0].inputs
    assert db["memory"] == 512 and db["cpus"] == "1"  # default resources
    assert db["readOnly"] is True
    assert db["healthcheck"]["tests"] == ["CMD", "pg_isready"]
    cache = containers_of(result, "cache")[0].inputs
    assert (
        cache["healthcheck"]["tests"][0] == "CMD-SHELL"
        and "nc -z 127.0.0.1 6379" in cache["healthcheck"]["tests"][1]
    )


def test_services_share_a_network_iff_one_depends_on_the_other(result) -> None:  # type: ignore[no-untyped-def]
    spec = make_app()
    deps = {name: set(svc.get("depends_on", [])) for name, svc in spec["services"].items()}
    joined = {s: set().union(*(network_names_of(c) for c in containers_of(result, s))) for s in deps}
    for a, b in itertools.combinations(sorted(deps), 2):
        shares = bool(joined[a] & joined[b])
        related = b in deps[a] or a in deps[b]
        assert shares == related, f"{a} and {b}: share a network={shares}, depend={related}"


def test_server_is_reachable_by_name_on_its_own_network(result) -> None:  # type: ignore[no-untyped-def]
    networks = networks_by_name(result)
    for container in containers_of(result, "db"):
        own = [n for n in container.inputs["networksAdvanced"] if n.get("aliases") == ["db"]]
        assert len(own) == 2  # one network per client
        clients = set()
        for attachment in own:
            members = {
                label_map(c)["hybrid-platform.io/service"]
                for c in of_type(result, CONTAINER)
                if attachment["name"] in network_names_of(c)
            }
            assert len(members) == 2 and "db" in members
            clients |= members - {"db"}
            assert label_map(networks[attachment["name"]])["hybrid-platform.io/service"] == "db"
        assert clients == {"api", "worker"}


def test_networks_are_internal_unless_they_are_a_service_edge(result) -> None:  # type: ignore[no-untyped-def]
    networks = of_type(result, NETWORK)
    edges = {
        label_map(n)["hybrid-platform.io/service"]: n
        for n in networks
        if label_map(n)["hybrid-platform.io/network-role"] == "edge"
    }
    assert set(edges) == {"web", "api"}  # public web, egress api
    for network in networks:
        role = label_map(network)["hybrid-platform.io/network-role"]
        assert network.inputs["internal"] is (role != "edge")
    for network in networks:  # every resource carries app, service and isolation labels
        assert {
            "hybrid-platform.io/app",
            "hybrid-platform.io/service",
            "hybrid-platform.io/isolation",
        } <= set(label_map(network))
    # public but no egress: answers on its port, no masquerading out
    assert edges["web"].inputs["options"] == {"com.docker.network.bridge.enable_ip_masquerade": "false"}
    assert "options" not in edges["api"].inputs
    # a client without egress only joins its servers' internal networks
    for container in containers_of(result, "worker"):
        assert network_names_of(container)
        assert all(networks_by_name(result)[n].inputs["internal"] for n in network_names_of(container))


def test_isolated_service_has_network_mode_none(tmp_path: Path) -> None:
    spec = make_app(batch={"image": "example/batch:1.0"})
    result = preview(tmp_path, spec, {"secrets": {"db-password": {"secure": "v1:x"}}})
    (batch,) = containers_of(result, "batch")
    assert batch.inputs["networkMode"] == "none"
    assert "networksAdvanced" not in batch.inputs


def test_secrets_are_recorded_as_secrets_and_never_in_plaintext(tmp_path: Path) -> None:
    spec = make_app(api={"env": {"MODE": "prod"}})
    result = preview(tmp_path, spec, {"secrets": {"db-password": {"secure": "v1:abc"}}})
    for name, plain in (("api", ["MODE=prod"]), ("db", [])):
        envs = containers_of(result, name)[0].inputs["envs"]
        secrets = [e for e in envs if isinstance(e, Secret)]
        assert len(secrets) == 1
        assert [e for e in envs if e not in secrets] == plain
    document = json.dumps(as_json(result))
    assert "offline-placeholder" not in document
    assert "=[secret:db-password]" in document  # each secret value masked, naming the secret


def test_secret_value_from_config_stays_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.yaml").write_text(json.dumps(make_app()))
    config = StackConfig(
        {
            "hybrid-platform:target": "docker",
            "hybrid-platform:secrets": json.dumps({"db-password": SECRET_VALUE}),
        },
        {"hybrid-platform:secrets"},
    )
    monkeypatch.setattr(runner, "stack_config", lambda *args: config)
    result = runner.run_preview(tmp_path, "test")
    (api,) = containers_of(result, "api")
    (secret,) = [e for e in api.inputs["envs"] if isinstance(e, Secret)]
    assert secret.value == f"DB_PASSWORD={SECRET_VALUE}"
    assert SECRET_VALUE not in json.dumps(as_json(result))
    assert not result.warnings


def test_protect_data_protects_and_retains_volumes_only(result) -> None:  # type: ignore[no-untyped-def]
    volumes = of_type(result, VOLUME)
    assert len(volumes) == 1
    assert volumes[0].protect and volumes[0].retain_on_delete
    assert label_map(volumes[0])["hybrid-platform.io/size"] == "2Gi"
    containers = of_type(result, CONTAINER)
    assert containers and not any(c.protect for c in containers)
    (db,) = containers_of(result, "db")
    assert db.inputs["volumes"] == [
        {"volumeName": volumes[0].outputs["name"], "containerPath": "/var/lib/postgresql/data"}
    ]
    assert volumes[0].urn in db.depends_on


def test_without_protect_data_volumes_are_unprotected(tmp_path: Path) -> None:
    result = preview(tmp_path, make_app(), {"secrets": {"db-password": {"secure": "v1:x"}}})
    (volume,) = of_type(result, VOLUME)
    assert not volume.protect and not volume.retain_on_delete


def test_one_volume_per_replica(tmp_path: Path) -> None:
    spec = make_app(db={"replicas": 3})
    result = preview(tmp_path, spec, {"secrets": {"db-password": {"secure": "v1:x"}}})
    volumes = {v.outputs["name"] for v in of_type(result, VOLUME)}
    mounted = [c.inputs["volumes"][0]["volumeName"] for c in containers_of(result, "db")]
    assert len(volumes) == 3 and sorted(mounted) == sorted(volumes)


def test_no_fixed_names_and_replacement_order(result) -> None:  # type: ignore[no-untyped-def]
    for kind in (CONTAINER, NETWORK, VOLUME):
        resources = of_type(result, kind)
        assert resources and all("name" not in r.inputs for r in resources), kind
    order = {
        label_map(c)["hybrid-platform.io/service"] + label_map(c)["hybrid-platform.io/replica"]: c
        for c in of_type(result, CONTAINER)
    }
    assert order["db0"].delete_before_replace  # one writer per volume
    assert order["web0"].delete_before_replace  # one binder per host port
    assert not order["web1"].delete_before_replace  # everything else: create, then delete
    assert not order["api0"].delete_before_replace


def test_containers_start_after_what_they_depend_on(result) -> None:  # type: ignore[no-untyped-def]
    (api,) = containers_of(result, "api")
    dependencies = [c.urn for dep in ("db", "cache") for c in containers_of(result, dep)]
    assert len(dependencies) == 2 and set(dependencies) <= set(api.depends_on)


def test_endpoints_output(result) -> None:  # type: ignore[no-untyped-def]
    endpoints = result.outputs["endpoints"]
    assert endpoints["web"] == {
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
    }
    assert endpoints["db"] == {
        "target": "docker",
        "ports": [{"name": "pg", "port": 5432, "protocol": "tcp", "address": "db:5432", "public": []}],
    }
    assert endpoints["worker"] == {"target": "docker", "ports": []}


def test_bind_address_and_docker_host_from_settings(tmp_path: Path) -> None:
    config = {
        "docker": {
            "bind_address": "10.1.2.3",
            "host": "ssh://deploy@docker-1",
            "sandbox_runtime": "kata",
        },
        "secrets": {"db-password": {"secure": "v1:x"}},
    }
    result = preview(tmp_path, make_app(worker={"isolation": "sandbox"}), config)
    (web,) = containers_of(result, "web")
    assert web.inputs["ports"][0]["ip"] == "10.1.2.3"
    (provider,) = of_type(result, "pulumi:providers:docker")
    assert provider.inputs["host"] == "ssh://deploy@docker-1"
    containers = of_type(result, CONTAINER)
    assert containers and all(c.provider.startswith(provider.urn) for c in containers)
    assert containers_of(result, "worker")[0].inputs["runtime"] == "kata"


def test_vm_isolation_on_docker_warns_and_uses_the_sandbox(tmp_path: Path) -> None:
    result = preview(
        tmp_path,
        make_app(worker={"isolation": "vm"}),
        {"secrets": {"db-password": {"secure": "v1:x"}}},
    )
    assert containers_of(result, "worker")[0].inputs["runtime"] == "runsc"
    assert any("isolation vm" in w for w in result.warnings)


def test_replicas_zero_creates_no_container(tmp_path: Path) -> None:
    result = preview(
        tmp_path, make_app(worker={"replicas": 0}), {"secrets": {"db-password": {"secure": "v1:x"}}}
    )
    assert containers_of(result, "worker") == []

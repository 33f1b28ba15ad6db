"""The example app on a real Docker daemon: the graph the program records, applied as
pulumi-docker would apply it (tests/live/docker_driver.py), then checked from inside."""

from __future__ import annotations

import json
import socket
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.offline.render import as_json
from components.offline.runner import PreviewResult, run_with_config
from components.offline.stackfile import StackConfig
from tests.live.docker_driver import IMAGE, DockerDriver, LiveApp
from tests.live.engine_facts import bridge_gateway, health_status, network_option
from tests.live.images import BASE_TAG, build_image

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]
APP = "hp-live"
LABEL = "hybrid-platform.io/app"
SECRET = f"live-secret-{uuid.uuid4().hex[:12]}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def deployed(
    docker_client, tmp_path_factory
) -> Iterator[tuple[LiveApp, PreviewResult, DockerDriver, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    spec = yaml.safe_load((ROOT / "stacks" / "app.yaml").read_text())
    spec["app"] = APP  # the example app under a name no real stack uses
    spec["services"]["web"]["ports"][0]["host_port"] = _free_port()
    folder = tmp_path_factory.mktemp("live")
    (folder / "app.yaml").write_text(yaml.safe_dump(spec))
    config = StackConfig(
        {
            "hybrid-platform:target": "docker",
            "hybrid-platform:spec": "app.yaml",
            # gVisor is not packaged for Debian: the sandbox service runs under runc here.
            "hybrid-platform:docker": json.dumps({"bind_address": "127.0.0.1", "sandbox_runtime": "runc"}),
            "hybrid-platform:secrets": json.dumps({"db-password": SECRET}),
        },
        {"hybrid-platform:secrets"},
    )
    result = run_with_config(folder, "live", config)
    build_image(docker_client, {r.inputs["name"] for r in result.resources if r.type == IMAGE})
    driver = DockerDriver(docker_client, uuid.uuid4().hex[:6])
    driver.destroy(APP)  # whatever an interrupted earlier run left
    try:
        live = driver.apply(result)
        yield live, result, driver, spec
    finally:
        driver.destroy(APP)


def _service(live: LiveApp, name: str) -> list[Any]:
    return [c for c in live.containers.values() if c.labels.get("hybrid-platform.io/service") == name]


def _connect(container: Any, host: str, port: int) -> int:
    return int(container.exec_run(["hp-connect", host, str(port)]).exit_code)


def test_every_container_reaches_healthy(deployed) -> None:  # type: ignore[no-untyped-def]
    live, _, _, spec = deployed
    expected = sum(s.get("replicas", 1) for s in spec["services"].values())
    assert len(live.containers) == expected == 7
    for container in live.containers.values():
        container.reload()
        assert health_status(container.attrs) == "healthy", container.name


def test_hardening_holds_on_the_engine(deployed) -> None:  # type: ignore[no-untyped-def]
    live, _, _, spec = deployed
    for container in live.containers.values():
        container.reload()
        host = container.attrs["HostConfig"]
        service = spec["services"][container.labels["hybrid-platform.io/service"]]
        assert host["ReadonlyRootfs"] is True
        assert host["CapDrop"] == ["ALL"]
        assert host["SecurityOpt"] == ["no-new-privileges:true"]
        assert container.attrs["Config"]["User"] == service["user"]
        assert host["Memory"] == int(service["resources"]["memory"].rstrip("Mi")) * 2**20
        assert host["NanoCpus"] == int(float(service["resources"]["cpus"]) * 1e9)
        assert container.exec_run(["touch", "/rootfs-is-writable"]).exit_code != 0
        assert container.exec_run(["touch", "/tmp/scratch"]).exit_code == 0


def test_clients_reach_servers_by_name_and_nobody_else_does(deployed) -> None:  # type: ignore[no-untyped-def]
    live, _, _, spec = deployed
    services = spec["services"]
    for client, client_spec in services.items():
        for server, server_spec in services.items():
            if client == server or not server_spec.get("ports"):
                continue
            port = server_spec["ports"][0]["port"]
            caller = _service(live, client)[0]
            if server in client_spec.get("depends_on", []):
                assert _connect(caller, server, port) == 0, f"{client} -> {server}"
                continue
            assert _connect(caller, server, port) == 2, f"{client} resolves {server}"
            if client in server_spec.get("depends_on", []):
                continue  # the reverse of a pair: Docker cannot block it (capabilities: traffic.direction)
            for target in _service(live, server):
                target.reload()
                for network in (target.attrs["NetworkSettings"].get("Networks") or {}).values():
                    assert _connect(caller, network["IPAddress"], port) != 0, (
                        f"{client} -> {server} by address"
                    )


def test_services_without_egress_cannot_reach_beyond_the_host(deployed, outside_host) -> None:  # type: ignore[no-untyped-def]
    live, _, driver, spec = deployed
    address, port, log = outside_host
    probe = live.client.containers.run(
        BASE_TAG, [address, str(port)], entrypoint=["/bin/hp-connect"], detach=True, labels={LABEL: APP}
    )
    assert probe.wait(timeout=30)["StatusCode"] == 0  # a container on Docker's default bridge gets there
    probe.remove(force=True)
    assert len(log.read_text().split()) == 1
    for name, service in spec["services"].items():
        if service.get("egress"):
            continue
        for container in _service(live, name):
            assert _connect(container, address, port) != 0, f"{name} reached {address}:{port}"
    assert len(log.read_text().split()) == 1  # nothing else arrived
    for name, service in spec["services"].items():
        if not service.get("egress") and any(p.get("public") for p in service.get("ports", [])):
            # its edge network publishes the port but does not masquerade outbound traffic
            edge = next(n for n in driver.client.networks.list(filters={"label": f"hybrid-platform.io/service={name}"})
                        if n.attrs["Labels"].get("hybrid-platform.io/network-role") == "edge")  # fmt: skip
            assert network_option(edge.attrs, "com.docker.network.bridge.enable_ip_masquerade") == "false"


def test_public_port_answers_on_the_bind_address_only(deployed) -> None:  # type: ignore[no-untyped-def]
    live, _, _, spec = deployed
    port = spec["services"]["web"]["ports"][0]["host_port"]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        assert response.status == 200
    (web0,) = [c for c in _service(live, "web") if c.labels["hybrid-platform.io/replica"] == "0"]
    bindings = web0.attrs["HostConfig"]["PortBindings"]
    assert bindings == {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    gateway = bridge_gateway(live.client.networks.get("bridge").attrs)
    with socket.socket() as other, pytest.raises(OSError):
        other.settimeout(2)
        other.connect((gateway, port))  # this machine's docker0 address: not the bind address


def test_data_survives_replacing_the_container(deployed) -> None:  # type: ignore[no-untyped-def]
    live, result, driver, _ = deployed
    (db,) = _service(live, "db")
    name = next(k for k, c in live.containers.items() if c.id == db.id)
    path = "/var/lib/postgresql/data/marker"
    assert db.exec_run(["sh", "-c", f"echo persisted > {path}"]).exit_code == 0
    images = {r.outputs["imageId"]: r.inputs["name"] for r in result.resources if r.type == IMAGE}
    replaced = driver.replace(live, name, images)
    assert replaced.id != db.id
    assert replaced.exec_run(["cat", path]).output.decode().strip() == "persisted"


def test_secret_is_in_the_environment_and_nowhere_else(deployed) -> None:  # type: ignore[no-untyped-def]
    live, result, _, _ = deployed
    for container in _service(live, "db") + _service(live, "api"):
        container.reload()
        env = container.attrs["Config"]["Env"]
        assert any(e.endswith(f"={SECRET}") for e in env)
        assert SECRET not in json.dumps(container.attrs["Config"]["Labels"])
    assert SECRET not in json.dumps(as_json(result))


def test_teardown_leaves_nothing_with_the_app_label(deployed) -> None:  # type: ignore[no-untyped-def]
    _, _, driver, _ = deployed
    driver.destroy(APP)
    selector = {"label": f"hybrid-platform.io/app={APP}"}
    assert driver.client.containers.list(all=True, filters=selector) == []
    assert driver.client.networks.list(filters=selector) == []
    assert driver.client.volumes.list(filters=selector) == []

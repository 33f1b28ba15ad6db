"""The VM target booted for real: a small app's recorded `vm` resources applied to libvirtd as
pulumi-libvirt would (tests/live/libvirt_driver.py), on the base image tests/live/vm_image
builds, under QEMU (domain type qemu), and looked at from inside through the guest agent.

The app: `server` (HTTP health check, a data volume), `client` (depends on server, a secret
in its environment) and `other` (neither a client nor a server; `egress`). One k3s server
node of the `hybrid` target boots beside them from its own cloud-init, with an air-gap
install source that holds no k3s binary: everything up to the install must land, and the
install step is its only cloud-init error."""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from components import naming
from components.addressing import plan_addresses
from components.appspec import load_spec
from components.cloudinit import Firewall
from components.cloudinit.k3s import TLS_DIR
from components.offline.recorder import reveal
from components.offline.runner import PreviewResult, run_with_config
from components.offline.stackfile import StackConfig
from components.resolve import resolve
from components.targets.vm.firewall import plan_firewall
from tests.live import guest_agent
from tests.live.libvirt_driver import CLOUDINIT, DOMAIN, VOLUME, LibvirtDriver, Machine, virsh

pytestmark = pytest.mark.live

APP = "hp-boot"
IMAGE, NEW_IMAGE = "docker.io/hybrid-platform/live:1.0", "docker.io/hybrid-platform/live:1.1"
SECRET = f"boot-secret-{secrets.token_hex(8)}"
NOBODY = "65534:65534"
# Health timings for emulated (TCG) guests: starting an exec session in a container takes
# seconds there, which KVM guests do in milliseconds.
PATIENT = {"interval": "10s", "timeout": "30s", "retries": 3, "start_period": "30s"}
SPEC: dict[str, Any] = {
    "app": APP,
    "services": {
        "server": {
            "image": IMAGE,
            "ports": [{"name": "http", "port": 8080}],
            "health": {"http": {"path": "/healthz", "port": 8080}, **PATIENT},
            "volumes": [{"name": "data", "path": "/data", "size": "64Mi"}],
            "resources": {"cpus": 0.5, "memory": "128Mi"},
            "user": NOBODY,
            "tmpfs": ["/tmp"],
        },
        "client": {
            "image": IMAGE,
            "depends_on": ["server"],
            "env": {"HP_PORT": "9100"},
            "secret_env": {"API_TOKEN": "api-token"},
            "health": {"exec": {"command": ["/app/healthcheck"]}, **PATIENT},
            "resources": {"cpus": 0.5, "memory": "128Mi"},
            "user": NOBODY,
        },
        "other": {
            "image": IMAGE,
            "egress": True,
            "env": {"HP_PORT": "9000"},
            "ports": [{"name": "admin", "port": 9000}],
            "health": {"tcp": {"port": 9000}, **PATIENT},
            "resources": {"cpus": 0.5, "memory": "128Mi"},
            "user": NOBODY,
        },
    },
}
AIRGAP = "/opt"  # a directory on the base image that holds no k3s binary
# Bounds for four VMs booting at once under TCG on two cores (each takes 3-4 min alone).
AGENT_TIMEOUT = 1200  # from the start until every guest agent answers
CLOUD_INIT_TIMEOUT = 1500  # then until cloud-init has finished
STATUS_TIMEOUT = 300  # one `cloud-init status` run
HEALTH_TIMEOUT = 240


@dataclass
class Boot:
    """What the fixture brought up, and how long it took."""

    services: PreviewResult
    cluster: PreviewResult
    drivers: dict[str, LibvirtDriver]
    machines: dict[str, Machine]  # by service name, and "k3s" for the cluster node
    cloud_init: dict[str, dict[str, Any]]  # status json by the same keys
    folder: Path
    settings: dict[str, Any]
    cluster_settings: dict[str, Any]
    timings: dict[str, float]


def _config(target: str, libvirt: dict[str, Any], extra: dict[str, Any]) -> StackConfig:
    values = {
        "hybrid-platform:target": target,
        "hybrid-platform:spec": "app.yaml",
        "hybrid-platform:libvirt": json.dumps(libvirt),
        "hybrid-platform:secrets": json.dumps({"api-token": SECRET}),
        **{f"hybrid-platform:{k}": json.dumps(v) for k, v in extra.items()},
    }
    return StackConfig(values, {"hybrid-platform:secrets"})


def diagnostics(machine: Machine) -> str:
    """The end of the serial console and, when the agent answers, of cloud-init's logs."""
    parts = []
    if machine.serial_log.exists():
        console = machine.serial_log.read_text(errors="replace").splitlines()[-40:]
        parts.append("serial console (last 40 lines):\n" + "\n".join(console))
    try:
        for path in ("/var/log/cloud-init-output.log", "/var/log/cloud-init.log"):
            lines = guest_agent.read_file(machine.name, path).splitlines()
            if path.endswith("cloud-init.log"):
                lines = [
                    line for line in lines if "WARNING" in line or "ERROR" in line or "Traceback" in line
                ]
            parts.append(f"{path} (last 40 lines):\n" + "\n".join(lines[-40:]))
    except (guest_agent.AgentError, subprocess.TimeoutExpired) as error:
        parts.append(f"guest agent: {error}")
    return f"--- {machine.name} ({machine.address})\n" + "\n".join(parts)


def cloud_init_status(machine: Machine, timeout: float) -> dict[str, Any]:
    """`cloud-init status --format json` once cloud-init has finished (it writes result.json
    last: polled as a file read, since every `cloud-init` start costs the guest a minute
    of emulated CPU); raises with the console and cloud-init's logs after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            guest_agent.read_file(machine.name, "/run/cloud-init/result.json")
            break
        except (guest_agent.AgentError, subprocess.TimeoutExpired):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"cloud-init on {machine.name} not finished after {timeout:.0f} s\n{diagnostics(machine)}"
                ) from None
        time.sleep(10)
    run = guest_agent.run(machine.name, ["cloud-init", "status", "--format", "json"], timeout=STATUS_TIMEOUT)
    return dict(json.loads(run.stdout))


def boot_all(machines: dict[str, Machine]) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """Wait for every machine's agent, then its cloud-init, in parallel; statuses and seconds."""
    started = time.monotonic()

    def one(machine: Machine) -> tuple[dict[str, Any], float]:
        try:
            guest_agent.wait_until_up(machine.name, AGENT_TIMEOUT)
        except guest_agent.AgentError as error:
            raise AssertionError(f"{error}\n{diagnostics(machine)}") from None
        status = cloud_init_status(machine, CLOUD_INIT_TIMEOUT)
        return status, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=len(machines)) as pool:
        results = dict(zip(machines, pool.map(one, machines.values()), strict=True))
    return {k: v[0] for k, v in results.items()}, {k: v[1] for k, v in results.items()}


@pytest.fixture(scope="module")
def booted(
    vm_base_image: Path, libvirt_for_vms: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Boot]:
    tag = secrets.token_hex(3)
    pool, pool_dir = f"hp-boot-{tag}", Path(f"/var/lib/libvirt/images/hp-boot-{tag}")
    folder = tmp_path_factory.mktemp("vm-boot")
    (folder / "app.yaml").write_text(yaml.safe_dump(SPEC))
    octet = secrets.randbelow(100) + 20
    common = {"pool": pool, "base_image": str(vm_base_image), "domain_type": "qemu", "guest_agent": True,
              "guest_memory_overhead": "384Mi"}  # fmt: skip
    settings = {**common, "network": {"cidr": f"10.253.{octet}.0/24", "mode": "nat"}}
    cluster_settings = {**common, "network": {"cidr": f"10.253.{octet + 120}.0/24", "mode": "nat"}}
    services = run_with_config(folder, "boot", _config("vm", settings, {}))
    cluster = run_with_config(folder, "boot-k3s", _config("hybrid", cluster_settings, {"cluster": {
        "servers": 1, "agents": 0, "vcpus": 1, "memory": "1Gi", "disk": "8Gi", "install_source": AIRGAP}}))  # fmt: skip
    drivers = {
        "services": LibvirtDriver(pool, tag, vm_base_image),
        "cluster": LibvirtDriver(pool, f"{tag}k", vm_base_image),  # its own stack: own network names
    }
    virsh("pool-define-as", pool, "dir", "--target", str(pool_dir))
    try:
        virsh("pool-build", pool)
        virsh("pool-start", pool)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=2) as both:  # two stacks, created side by side
            vms = both.submit(drivers["services"].apply, services)
            nodes = both.submit(drivers["cluster"].apply, cluster)
            machines = {m.labels["hybrid-platform.io/service"]: m for m in vms.result()}
            (machines["k3s"],) = nodes.result()
        created = time.monotonic() - started
        statuses, seconds = boot_all(machines)
        timings = {"create": created, **{f"boot {k}": v for k, v in seconds.items()}}
        yield Boot(
            services, cluster, drivers, machines, statuses, folder, settings, cluster_settings, timings
        )
    finally:
        for driver in drivers.values():
            driver.destroy()
        virsh("pool-destroy", pool, check=False)
        virsh("pool-delete", pool, check=False)
        virsh("pool-undefine", pool, check=False)
        print(f"\nvm boot timings: {json.dumps(locals().get('timings', {}), default=round)}")


def service_machines(boot: Boot) -> dict[str, Machine]:
    return {k: v for k, v in boot.machines.items() if k != "k3s"}


def sh(machine: Machine, line: str, timeout: float = 120) -> guest_agent.Exec:
    return guest_agent.shell(machine.name, line, timeout)


def test_cloud_init_is_done_on_every_service_vm(booted: Boot) -> None:
    for service, machine in service_machines(booted).items():
        status = booted.cloud_init[service]
        assert status.get("status") == "done" and not status.get("errors"), (
            f"{service}: {status}\n{diagnostics(machine)}"
        )


def _health(machine: Machine, service: str) -> str:
    run = sh(machine, f"podman inspect --format '{{{{.State.Health.Status}}}}' hybrid-{service}")
    return run.stdout.strip() or run.stderr.strip()


def test_every_service_unit_is_active_and_its_container_healthy(booted: Boot) -> None:
    for service, machine in service_machines(booted).items():
        active = sh(machine, f"systemctl is-active hybrid-{service}.service").stdout.strip()
        assert active == "active", f"{service}: unit {active}\n{diagnostics(machine)}"
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while (health := _health(machine, service)) != "healthy" and time.monotonic() < deadline:
            time.sleep(5)
        log = sh(machine, f"podman inspect --format '{{{{json .State.Health.Log}}}}' hybrid-{service}").stdout
        assert health == "healthy", f"{service}: container {health}; checks: {log}\n{diagnostics(machine)}"
        image = sh(machine, f"podman inspect --format '{{{{.ImageName}}}}' hybrid-{service}").stdout.strip()
        assert image == IMAGE


# -- the firewall, by meaning -----------------------------------------------------------

Triple = tuple[str, str, str]  # (peer address or "any", protocol, port)


def _values(right: Any) -> list[str]:
    if isinstance(right, dict) and "set" in right:
        return [str(v) for v in right["set"]]
    if isinstance(right, dict) and "prefix" in right:
        return [f"{right['prefix']['addr']}/{right['prefix']['len']}"]
    return [str(v) for v in right] if isinstance(right, list) else [str(right)]


def live_rules(ruleset: dict[str, Any], chain: str) -> tuple[str | None, set[Triple]]:
    """A chain's policy and the (peer, protocol, port) triples its accept rules allow.
    Loopback and connection-state rules carry no triple; an accept rule that matches
    nothing else allows everything: ("any", "any", "any")."""
    items = ruleset["nftables"]
    policy = next(
        (i["chain"].get("policy") for i in items if "chain" in i and i["chain"]["name"] == chain), None
    )
    field = "saddr" if chain == "input" else "daddr"
    allowed: set[Triple] = set()
    for item in items:
        rule = item.get("rule")
        if not rule or rule["chain"] != chain or not any("accept" in e for e in rule["expr"]):
            continue
        peers, protocol, ports, other = ["any"], "any", ["any"], False
        for expr in rule["expr"]:
            match = expr.get("match")
            if not match:
                continue
            payload = match["left"].get("payload", {})
            if payload.get("field") == field:
                peers = _values(match["right"])
            elif payload.get("field") == "dport":
                protocol, ports = payload["protocol"], _values(match["right"])
            else:
                other = True  # iif/oif lo, ct state
        if not other:
            allowed |= {(peer, protocol, port) for peer in peers for port in ports}
    return policy, allowed


def planned(firewall: Firewall, chain: str) -> set[Triple]:
    """The same triples from the product's firewall plan."""
    rules = firewall.inbound if chain == "input" else firewall.outbound
    allowed = {(peer, rule.protocol, str(port)) for rule in rules
               for peer in (rule.peers if rule.peers is not None else ("any",)) for port in rule.ports}  # fmt: skip
    if chain == "output":
        allowed |= {(firewall.dns_server, protocol, "53") for protocol in ("udp", "tcp")}
    return allowed


def test_each_guest_runs_the_firewall_planned_for_it(booted: Boot) -> None:
    spec = load_spec(booted.folder / "app.yaml")
    app = resolve(spec, protect_data=False, target="vm")
    placements = plan_addresses(
        {s: 1 for s in spec.services}, booted.settings["network"]["cidr"], 1
    ).placements
    addresses = {service: (placements[(service, 0)].address,) for service in spec.services}
    for service, machine in service_machines(booted).items():
        placement = placements[(service, 0)]
        assert machine.address == placement.address
        plan = plan_firewall(app, service, addresses, placement.subnet.gateway, ssh=False)
        run = sh(machine, "nft -j list ruleset")
        assert run.code == 0, run.stderr
        ruleset = json.loads(run.stdout)
        policy, allowed = live_rules(ruleset, "input")
        assert policy == "drop" and allowed == planned(plan, "input"), f"{service} input: {allowed}"
        policy, allowed = live_rules(ruleset, "output")
        if plan.egress:
            assert policy is None, f"{service} has egress but its output is filtered"
        else:
            assert policy == "drop" and allowed == planned(plan, "output"), f"{service} output: {allowed}"
        assert live_rules(ruleset, "forward") == ("drop", set())


# -- traffic ----------------------------------------------------------------------------

HTTP = "printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' | timeout 8 nc -w 3 {host} {port}"


def _http_from(machine: Machine, service: str, host: str, port: int) -> str:
    """What a GET from inside `service`'s container to host:port answers (empty: nothing)."""
    line = HTTP.format(host=host, port=port)
    return sh(machine, f'podman exec hybrid-{service} sh -c "{line}"', timeout=60).stdout


def test_client_reaches_server_by_name_and_nobody_else_does(booted: Boot) -> None:
    machines = booted.machines
    server = machines["server"]
    answer = _http_from(machines["client"], "client", "server", 8080)
    assert " 200 " in (answer.splitlines() or [""])[0], f"client -> server:8080 answered {answer!r}"
    resolved = sh(machines["other"], "getent hosts server").stdout.split()
    assert resolved[:1] == [server.address]  # other finds the server by name...
    assert _http_from(machines["other"], "other", "server", 8080) == ""  # ...but is not let in
    with socket.socket() as probe:  # nor is the host
        probe.settimeout(3)
        assert probe.connect_ex((server.address, 8080)) != 0
    assert " 200 " in _http_from(machines["server"], "server", "127.0.0.1", 8080)  # it does serve


def test_vms_without_egress_reach_nothing_beyond_the_app(booted: Boot, outside_host) -> None:  # type: ignore[no-untyped-def]
    address, port, log = outside_host
    bridge = ipaddress.ip_network(booted.settings["network"]["cidr"])
    assert ipaddress.ip_address(address) not in bridge
    attempt = f"timeout 8 bash -c '</dev/tcp/{address}/{port}'"
    results = {s: sh(m, attempt, timeout=60).code for s, m in service_machines(booted).items()}
    assert results["other"] == 0, f"the egress VM cannot reach {address}:{port}: no route to test with"
    assert results["client"] != 0 and results["server"] != 0, results
    accepted = [line for line in log.read_text().splitlines() if line]
    assert len(accepted) == 1, accepted  # other's connection only


# -- secrets ----------------------------------------------------------------------------

READABLE_BY_OTHERS = r"""
import os, stat, sys
secret = sys.argv[1].encode()
def open_to_others(path):
    mode = os.lstat(path).st_mode
    if not mode & stat.S_IROTH:
        return False
    parent = os.path.dirname(path)
    while parent not in ("", "/"):
        if not os.stat(parent).st_mode & stat.S_IXOTH:
            return False
        parent = os.path.dirname(parent)
    return True
for top in ("/etc", "/var", "/run", "/srv", "/root", "/home", "/tmp", "/opt"):
    for folder, dirs, files in os.walk(top):
        for name in files:
            path = os.path.join(folder, name)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode) or os.path.getsize(path) > 8 << 20:
                    continue
                if secret in open(path, "rb").read() and open_to_others(path):
                    print(path)
            except OSError:
                pass
"""


def test_secret_is_in_the_environment_and_in_no_file_others_can_read(booted: Boot) -> None:
    client = booted.machines["client"]
    env = sh(client, "podman exec hybrid-client env").stdout.splitlines()
    assert f"API_TOKEN={SECRET}" in env
    mode = sh(client, "stat -c '%a %U' /etc/hybrid/client.env").stdout.split()
    assert mode == ["600", "root"]
    run = guest_agent.run(client.name, ["python3", "-c", READABLE_BY_OTHERS, SECRET], timeout=600)
    assert run.code == 0, run.stderr
    assert run.stdout.split() == [], f"the secret is readable by others in: {run.stdout}"


# -- the hybrid target's k3s node, up to the install ------------------------------------


def test_k3s_node_gets_everything_up_to_the_install(booted: Boot) -> None:
    node = booted.machines["k3s"]
    status = booted.cloud_init["k3s"]
    assert status.get("status") == "error", status  # the air-gap directory holds no k3s
    errors = status.get("errors", [])
    assert errors and all("scripts-user" in e or "runcmd" in e for e in errors), errors
    output = guest_agent.read_file(node.name, "/var/log/cloud-init-output.log")
    assert f"{AIRGAP}/k3s" in output, output[-2000:]  # the install step is what failed
    disk = next(r for r in booted.cluster.resources if r.type == CLOUDINIT)
    user_data = yaml.safe_load(reveal(disk.inputs["userData"]))
    expected = {f["path"]: f["content"] for f in user_data["write_files"]}
    config = yaml.safe_load(expected["/etc/rancher/k3s/config.yaml"])
    assert config["token"] and config["node-ip"] == node.address
    assert {
        f"{TLS_DIR}/{n}" for n in ("server-ca.crt", "server-ca.key", "client-ca.crt", "client-ca.key")
    } <= set(expected)
    for path, content in expected.items():
        assert guest_agent.read_file(node.name, path) == content, path
        assert sh(node, f"stat -c '%a %U' {path}").stdout.split() == ["600", "root"], path
    addresses = sh(node, "ip -4 -o addr show dev eth0").stdout
    assert f"inet {node.address}/" in addresses
    gateway = ipaddress.ip_network(booted.cluster_settings["network"]["cidr"]).network_address + 1
    assert f"default via {gateway} " in sh(node, "ip -4 route show default").stdout
    assert sh(node, "hostname").stdout.strip() == "server-0"


# -- data across a replacement ----------------------------------------------------------


def test_data_volume_is_formatted_once_and_survives_an_image_change(booted: Boot) -> None:
    server = booted.machines["server"]
    mount = sh(server, "findmnt -n -o SOURCE,FSTYPE /srv/hybrid/volumes/data").stdout.split()
    assert mount == ["/dev/vdb", "ext4"]
    uuid = sh(server, "blkid -s UUID -o value /dev/vdb").stdout.strip()
    marker = f"written-before-replacement-{secrets.token_hex(4)}"
    wrote = sh(server, f"podman exec hybrid-server sh -c 'echo {marker} > /data/marker'")
    assert wrote.code == 0, wrote.stderr
    # What a database's commit does (fsync). The provider replaces a domain by destroying it,
    # a power cut: writes still in the guest's page cache are lost, as the README says.
    assert sh(server, "sync").code == 0

    spec = {
        **SPEC,
        "services": {**SPEC["services"], "server": {**SPEC["services"]["server"], "image": NEW_IMAGE}},
    }
    (booted.folder / "app.yaml").write_text(yaml.safe_dump(spec))
    changed = run_with_config(booted.folder, "boot", _config("vm", booted.settings, {}))
    driver = booted.drivers["services"]
    by_urn = {r.urn: r for r in changed.resources}
    expected = driver.replacements(by_urn)
    replaced_types = sorted(by_urn[u].type for u in expected)
    assert replaced_types == sorted([CLOUDINIT, VOLUME, DOMAIN])  # the server's cloud-init, root, domain
    data_name = naming.volume_name(APP, "server", "data", 0)
    data_volume = next(r for r in changed.resources if r.type == VOLUME and r.name == data_name)
    data_path = driver.volume_path(data_volume.urn)

    started = time.monotonic()
    replaced, (machine,) = driver.update(changed)
    assert replaced == expected
    statuses, _ = boot_all({"server": machine})
    booted.timings["replacement"] = time.monotonic() - started
    assert statuses["server"].get("status") == "done", f"{statuses}\n{diagnostics(machine)}"
    assert machine.name != server.name and virsh("dominfo", server.name, check=False).returncode != 0
    assert driver.volume_path(data_volume.urn) == data_path  # the same volume, attached again
    assert sh(machine, "blkid -s UUID -o value /dev/vdb").stdout.strip() == uuid  # not formatted again
    assert sh(machine, "cat /srv/hybrid/volumes/data/marker").stdout.strip() == marker  # on the disk
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while (health := _health(machine, "server")) != "healthy" and time.monotonic() < deadline:
        time.sleep(5)
    assert health == "healthy", f"{health}\n{diagnostics(machine)}"
    read = sh(machine, "podman exec hybrid-server cat /data/marker")
    assert read.stdout.strip() == marker, read.stderr  # and in the new container
    image = sh(machine, "podman inspect --format '{{.ImageName}}' hybrid-server").stdout.strip()
    assert image == NEW_IMAGE
    booted.machines["server"] = machine


def test_teardown_leaves_nothing_behind(booted: Boot) -> None:
    names = [name for d in booted.drivers.values() for name in d.live.values()]
    assert names
    for driver in booted.drivers.values():
        driver.destroy()
    tag = next(iter(booted.drivers.values())).tag
    assert [n for n in virsh("list", "--all", "--name").stdout.split() if tag in n] == []
    assert [n for n in virsh("net-list", "--all", "--name").stdout.split() if tag in n] == []
    pool = next(iter(booted.drivers.values())).pool
    volumes = virsh("vol-list", pool).stdout.splitlines()[2:]
    assert [v for v in volumes if v.strip()] == []

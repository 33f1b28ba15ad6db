"""Random apps and stack configs for the whole program: mostly valid, with values at the
edges of what validation allows (longest names, largest and smallest units, odd text in
env values, commands and paths, many replicas and dependencies), sometimes one value
replaced by anything at all. Drawn from one `random.Random` per example (see documents.py)."""

from __future__ import annotations

import copy
import random
from typing import Any

from tests.fuzz.documents import value

TARGETS = ["docker", "vm", "hybrid", "kubernetes"]
ODD_VALUES = [
    "", " ", "a b", "x\ny", "tab\there", "quote'\"", "$HOME", "%s%%", "\\", "ünïcödé", "\U0001f600",
    "\u202e", "a=b", "#not a comment", "--flag", "-", "{{ template }}", "0", "true", "null", "'", "\r",
]  # fmt: skip


def _name(rnd: random.Random, taken: set[str], longest: int = 40) -> str:
    while True:
        kind = rnd.randrange(4)
        if kind == 0:
            name = rnd.choice(["web", "api", "db", "cache", "worker", "a", "x-edge", "web-0", "db-public"])
        elif kind == 1:
            name = "s" + "".join(
                rnd.choice("abcdefghij0123456789-") for _ in range(rnd.randint(0, longest - 2))
            )
            name = name.rstrip("-") or "s"
        elif kind == 2:
            name = ("n" * longest)[: rnd.randint(1, longest)]
        else:
            name = f"svc{rnd.randint(0, 99)}"
        if name not in taken:
            taken.add(name)
            return name


def _port_name(rnd: random.Random, taken: set[str]) -> str:
    while True:
        name = rnd.choice(
            ["http", "https", "grpc", "metrics", "p" + str(rnd.randint(0, 999)), "a-b-c", "x" * 15]
        )
        if name not in taken:
            taken.add(name)
            return name


def _image(rnd: random.Random) -> str:
    return rnd.choice(
        [
            "redis:7",
            "example/app:1.2.0",
            "registry.example.com:5000/team/app:v1",
            "localhost/app",
            "app@sha256:" + "a" * 64,
            "ghcr.io/org/app:1.0@sha256:" + "b" * 64,
            "a" * 100 + ":" + "t" * 128,
        ]
    )


def _ports(rnd: random.Random, used_host_ports: set[int]) -> list[dict[str, Any]]:
    ports, names, numbers = [], set[str](), set[tuple[int, str]]()
    for _ in range(rnd.choice([0, 1, 1, 2, 3, 8])):
        number = rnd.choice([1, 22, 53, 80, 443, 5432, 8080, 65535, rnd.randint(1, 65535)])
        protocol = rnd.choice(["tcp", "udp"])
        if (number, protocol) in numbers:
            continue
        numbers.add((number, protocol))
        port: dict[str, Any] = {"name": _port_name(rnd, names), "port": number, "protocol": protocol}
        if rnd.random() < 0.3:
            port["public"] = True
            host_port = rnd.choice([80, 443, 5000, 65535, rnd.randint(1, 65535)])
            if host_port not in used_host_ports and rnd.random() < 0.7:
                used_host_ports.add(host_port)
                port["host_port"] = host_port
        ports.append(port)
    return ports


def _health(rnd: random.Random, tcp_ports: list[int]) -> dict[str, Any] | None:
    timing = {
        "interval": rnd.choice(["1ms", "10s", "1m30s", "24h", 0.5]),
        "timeout": rnd.choice(["1ms", "3s", "24h"]),
        "retries": rnd.choice([1, 3, 100]),
        "start_period": rnd.choice(["0s", "30s", "24h"]),
    }
    probe = rnd.randrange(4)
    if probe == 0 and tcp_ports:
        path = rnd.choice(["/", "/healthz", "/a?b=c&d=e", "/%20x", "/'\"$`;|", "/" + "p" * 2000])
        return {"http": {"port": rnd.choice(tcp_ports), "path": path}, **timing}
    if probe == 1 and tcp_ports:
        return {"tcp": {"port": rnd.choice(tcp_ports)}, **timing}
    if probe == 2:
        command = [rnd.choice(["pg_isready", "/bin/true", "sh"]), *rnd.sample(ODD_VALUES, rnd.randint(0, 3))]
        return {"exec": command if rnd.random() < 0.5 else {"command": command}, **timing}
    return None


def _mounts(rnd: random.Random) -> dict[str, Any]:
    paths = set[str]()
    volumes = []
    for i in range(rnd.choice([0, 0, 1, 2])):
        path = rnd.choice(["/data", "/var/lib/data", "/srv/a b", "/ünï", "/d/" + "x" * 200, f"/v{i}"])
        if path not in paths:
            paths.add(path)
            volumes.append(
                {"name": f"vol{i}", "path": path, "size": rnd.choice(["1Mi", "1Gi", "1Pi", 1048577])}
            )
    tmpfs = [
        p for p in rnd.sample(["/tmp", "/run", "/var/cache/x y", "/t/ü"], rnd.randint(0, 3)) if p not in paths
    ]
    return {"volumes": volumes, "tmpfs": tmpfs}


def _service(rnd: random.Random, names: list[str], me: str, used_host_ports: set[int]) -> dict[str, Any]:
    service: dict[str, Any] = {"image": _image(rnd), "ports": _ports(rnd, used_host_ports)}
    if rnd.random() < 0.5:
        values = [*ODD_VALUES, 8080, 0.5, True]
        service["env"] = {f"V{i}_{rnd.randint(0, 9)}": rnd.choice(values) for i in range(rnd.randint(1, 5))}
    if rnd.random() < 0.3:
        secrets = ["db-password", "token", "a", "x" * 63]
        service["secret_env"] = {f"S{i}": rnd.choice(secrets) for i in range(rnd.randint(1, 3))}
    if rnd.random() < 0.3:
        service["command"] = [rnd.choice(ODD_VALUES) or "run" for _ in range(rnd.randint(1, 4))]
    service["replicas"] = rnd.choice([0, 1, 1, 2, 3])
    service["resources"] = {
        "cpus": rnd.choice([0.001, "1m", 0.5, 1, 3.3, "1500m", 64, 1024]),
        "memory": rnd.choice(["6Mi", "100M", "256Mi", "1.5Gi", "64Gi", "1Pi", 6 * 2**20 + 1]),
    }
    health = _health(rnd, [p["port"] for p in service["ports"] if p["protocol"] == "tcp"])
    if health:
        service["health"] = health
    service.update(_mounts(rnd))
    earlier = names[: names.index(me)]
    if earlier:
        service["depends_on"] = rnd.sample(earlier, rnd.randint(0, min(4, len(earlier))))
    service["egress"] = rnd.random() < 0.3
    service["isolation"] = rnd.choice(["container", "container", "sandbox", "vm"])
    if rnd.random() < 0.7:
        service["user"] = rnd.choice(["1000:1000", "0", 65534, "4294967294:4294967294", "1"])
    service["read_only_root"] = rnd.random() < 0.8
    return service


def app(rnd: random.Random) -> dict[str, Any]:
    """A valid app (the services listed in dependency order, so there is no cycle)."""
    taken: set[str] = set()
    names = [_name(rnd, taken) for _ in range(rnd.choice([1, 1, 2, 3, 5, 8]))]
    used_host_ports: set[int] = set()
    services = {name: _service(rnd, names, name, used_host_ports) for name in names}
    return {"app": _name(rnd, set()), "services": services}


def config(rnd: random.Random, target: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Stack config (keys without the project prefix) for `target`, secrets set or not."""
    result: dict[str, Any] = {"protect_data": rnd.random() < 0.5}
    secrets = {s for svc in spec["services"].values() for s in svc.get("secret_env", {}).values()}
    if secrets and rnd.random() < 0.7:
        result["secrets"] = {name: {"secure": "v1:abc"} for name in secrets}
    if target == "docker" and rnd.random() < 0.7:
        result["docker"] = {
            "bind_address": rnd.choice(["127.0.0.1", "0.0.0.0", "::1", "::", "192.168.1.10", "fe80::1"]),
            "sandbox_runtime": rnd.choice(["runsc", "kata-runtime", "io.containerd.runsc.v1"]),
        }
    if target in ("vm", "hybrid") and rnd.random() < 0.8:
        libvirt: dict[str, Any] = {
            "network": {
                "cidr": rnd.choice(
                    ["10.77.0.0/16", "10.77.0.0/24", "10.0.0.0/8", "192.168.100.0/26", "172.16.0.0/12"]
                ),
                "mode": rnd.choice(["nat", "none", "route"]),
            },
            "domain_type": rnd.choice(["kvm", "qemu"]),
            "vnc": rnd.random() < 0.3,
            "guest_memory_overhead": rnd.choice(["64Mi", "256Mi", "1Pi"]),
        }
        if rnd.random() < 0.4:
            libvirt["hosts"] = [f"qemu+ssh://h{i}/system" for i in range(rnd.randint(1, 3))]
        if rnd.random() < 0.2:
            libvirt["addresses"] = {
                name: rnd.choice(["10.77.3.16", "10.77.0.0", "10.0.0.1"]) for name in spec["services"]
            }
        if rnd.random() < 0.4:
            libvirt["ssh_authorized_keys"] = ["ssh-ed25519 AAAAC3Nza op@desk", "ssh-rsa AAAAB3 x y z"]
        result["libvirt"] = libvirt
    if target == "hybrid" and rnd.random() < 0.7:
        result["cluster"] = {
            "servers": rnd.choice([1, 3]),
            "agents": rnd.choice([0, 1, 2]),
            "vm_agents": rnd.choice([0, 1]),
            "vcpus": rnd.choice([1, 64]),
            "memory": rnd.choice(["1Gi", "4Gi", "1Pi"]),
            "disk": rnd.choice(["8Gi", "1Pi"]),
            "ready_timeout": rnd.choice(["1m", "2h"]),
            "install_source": rnd.choice(["https://get.k3s.io", "/opt/k3s"]),
        }
    if rnd.random() < 0.3:  # some services on another target, wired across
        names = list(spec["services"])
        moved = rnd.sample(names, rnd.randint(1, len(names)))
        result["placement"] = {name: rnd.choice(TARGETS) for name in moved}
        if rnd.random() < 0.5:
            result["accepted_gaps"] = [f"{a}->{b}" for a in TARGETS for b in TARGETS if a != b]
        if rnd.random() < 0.5:
            result["docker"] = {**result.get("docker", {}), "host_address": "192.168.122.1"}
        if rnd.random() < 0.5:
            result["kubernetes"] = {
                "node_cidrs": rnd.choice([["192.168.10.0/24"], ["10.0.0.5/32", "10.0.0.6/32"]])
            }
    if target in ("kubernetes", "hybrid") and rnd.random() < 0.7:
        kube: dict[str, Any] = {
            "namespace": rnd.choice(["voting", "a", "n" * 63]),
            "runtime_classes": {"sandbox": rnd.choice(["gvisor", "a.b-c"]), "vm": "kata"},
            "public_service_type": rnd.choice(["LoadBalancer", "NodePort"]),
        }
        if target == "kubernetes" and rnd.random() < 0.5:
            kube["kubeconfig"] = {"secure": "v1:abc"}
        result["kubernetes"] = {**result.get("kubernetes", {}), **kube}
    return result


def mutated(rnd: random.Random, document: dict[str, Any]) -> dict[str, Any]:
    """`document` with, sometimes, one value anywhere replaced by anything."""
    if rnd.random() < 0.75:
        return document
    doc = copy.deepcopy(document)
    node: Any = doc
    while isinstance(node, dict | list) and node:
        key = rnd.choice(list(node)) if isinstance(node, dict) else rnd.randrange(len(node))
        if rnd.random() < 0.3 or not isinstance(node[key], dict | list):
            node[key] = value(rnd)
            break
        node = node[key]
    return doc

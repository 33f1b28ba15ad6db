"""Deterministic app specs of N services, shaped like real apps, and the stack files around them.

Every service gets a role; the roles are apportioned by share (largest remainder, so even
N = 10 has data services and a public front) and shuffled with the seed:

| role   | share | ports                 | health     | replicas | volumes | secret | egress | sandbox |
|--------|-------|-----------------------|------------|----------|---------|--------|--------|---------|
| web    | 5%    | 8080, public          | http       | 2-3      | -       | -      | -      | -       |
| api    | 45%   | 8080                  | http       | 1-3      | -       | 40%    | 20%    | 10%     |
| worker | 20%   | -                     | exec 50%   | 1-2      | -       | 50%    | 30%    | 30%     |
| db     | 12%   | 5432                  | exec       | 1 (2 20%)| 10Gi    | yes    | -      | -       |
| cache  | 12%   | 6379                  | tcp        | 1        | 1Gi 20% | -      | -      | -       |
| queue  | 6%    | 5672, 15672           | tcp        | 1        | 2Gi     | yes    | -      | -       |

Every other web service binds a host port. All services set resources, a few env vars (one
per dependency: `<DEP>_HOST`), a numeric user; 80% mount tmpfs `/tmp`; 30% of apis and
workers set a command. Images: one per web/api/worker, a shared one per data role.

Dependencies form a DAG. Data services depend on nothing; workers on 1-2 data services
(and an api half the time); webs on 1-2 apis; apis on 1-3 of data services and earlier
apis. In the realistic variant (`depth=None`) an api picks among all earlier apis, so the
depth grows slowly with N, as in real systems. With `depth=D` every service sits on one of
D levels (data 0, workers 1, apis 1..D-2, webs D-1) and depends on one service of the level
below plus up to two of lower levels: the longest `depends_on` chain has exactly D
services, whatever N (from N = 2D on, when every level can have a service).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

APP = "bench"
STACK = "bench"
ROLE_ORDER = ("db", "cache", "queue", "worker", "api", "web")
SHARES = {"web": 0.05, "api": 0.45, "worker": 0.20, "db": 0.12, "cache": 0.12, "queue": 0.06}
DATA_ROLES = ("db", "cache", "queue")
SHARED_IMAGES = {"db": "postgres:16.4-alpine", "cache": "redis:7.4.1-alpine", "queue": "rabbitmq:3.13-alpine"}
USERS = {"db": "70:70", "cache": "999:999", "queue": "100:101"}
CPUS = (0.25, 0.5, 1, 2)
MEMORY = ("128Mi", "256Mi", "512Mi", "1Gi")
# A network large enough for 1000 services of 16 addresses each (vm and hybrid targets).
LIBVIRT_CIDR = "10.64.0.0/16"


def roles(n: int, rng: random.Random) -> list[str]:
    """`n` roles in the shares above (largest remainder), shuffled; one service is an api;
    from 3 services on, at least one is a db and one a web."""
    if n == 1:
        return ["api"]
    exact = {role: share * n for role, share in SHARES.items()}
    counts = {role: int(value) for role, value in exact.items()}
    by_remainder = sorted(SHARES, key=lambda r: (counts[r] - exact[r], list(SHARES).index(r)))
    for role in by_remainder[: n - sum(counts.values())]:
        counts[role] += 1
    for role in ("db", "web"):  # a data service and a public front, however small the app
        if counts[role] == 0 and n >= 3:
            counts[role], counts["api"] = 1, counts["api"] - 1
    result = [role for role, count in counts.items() for _ in range(count)]
    rng.shuffle(result)
    return result


def _levels(role_of: dict[str, str], depth: int) -> dict[str, int]:
    api_levels = max(1, depth - 2)
    level, apis = {}, 0
    for name, role in role_of.items():
        if role in DATA_ROLES:
            level[name] = 0
        elif role == "worker":
            level[name] = 1
        elif role == "web":
            level[name] = depth - 1
        else:  # round robin, so every api level has services once there are depth - 2 apis
            level[name] = 1 + apis % api_levels
            apis += 1
    return level


def _fixed_depth_deps(name: str, level: dict[str, int], rng: random.Random) -> list[str]:
    own = level[name]
    below = [s for s, lv in level.items() if lv == own - 1]
    if own == 0 or not below:
        return []
    first = rng.choice(below)
    lower = [s for s, lv in level.items() if lv < own and s != first]
    return [first, *rng.sample(lower, k=min(rng.randint(0, 2), len(lower)))]


def _realistic_deps(name: str, role: str, earlier: dict[str, list[str]], rng: random.Random) -> list[str]:
    data = earlier["db"] + earlier["cache"] + earlier["queue"]
    apis = earlier["api"]
    if role in DATA_ROLES:
        return []
    if role == "web":
        pool = apis or data
        return rng.sample(pool, k=min(rng.randint(1, 2), len(pool)))
    picks: list[str] = []
    if role == "worker":
        picks += rng.sample(data, k=min(rng.randint(1, 2), len(data)))
        if apis and rng.random() < 0.5:
            picks.append(rng.choice(apis))
    else:
        wanted = rng.randint(1, 3)
        if apis and rng.random() < 0.5:
            picks.append(rng.choice(apis))
        picks += rng.sample(data, k=min(wanted - len(picks), len(data)))
    return picks


def _service(name: str, role: str, index: int, deps: list[str], rng: random.Random) -> dict[str, Any]:
    svc: dict[str, Any] = {
        "image": SHARED_IMAGES.get(role, f"registry.example.com/bench/{name}:1.{index % 10}.0"),
        "env": {"LOG_LEVEL": "info", "SERVICE_NAME": name}
        | {f"{d.upper().replace('-', '_')}_HOST": d for d in deps},
        "resources": {"cpus": rng.choice(CPUS), "memory": rng.choice(MEMORY)},
        "user": USERS.get(role, "10001:10001"),
    }
    if role in ("web", "api"):
        port: dict[str, Any] = {"name": "http", "port": 8080}
        if role == "web":
            port["public"] = True
            if index % 2 == 0:
                port["host_port"] = 20000 + index
        svc["ports"] = [port]
        svc["health"] = {"http": {"path": "/healthz", "port": 8080}, "interval": "10s", "timeout": "3s"}
    elif role == "db":
        svc["ports"] = [{"name": "postgres", "port": 5432}]
        svc["health"] = {"exec": {"command": ["pg_isready", "-U", "app"]}, "interval": "10s", "retries": 5}
        svc["volumes"] = [{"name": "data", "path": "/var/lib/postgresql/data", "size": "10Gi"}]
    elif role == "cache":
        svc["ports"] = [{"name": "redis", "port": 6379}]
        svc["health"] = {"tcp": {"port": 6379}, "interval": "5s"}
        if rng.random() < 0.2:
            svc["volumes"] = [{"name": "data", "path": "/data", "size": "1Gi"}]
    elif role == "queue":
        svc["ports"] = [{"name": "amqp", "port": 5672}, {"name": "management", "port": 15672}]
        svc["health"] = {"tcp": {"port": 5672}, "interval": "10s", "start_period": "20s"}
        svc["volumes"] = [{"name": "data", "path": "/var/lib/rabbitmq", "size": "2Gi"}]
    elif rng.random() < 0.5:  # worker
        svc["health"] = {"exec": {"command": ["/app/healthcheck"]}, "interval": "30s"}
    replicas = {
        "web": rng.randint(2, 3),
        "api": rng.choices((1, 2, 3), weights=(50, 35, 15))[0],
        "worker": rng.randint(1, 2),
        "db": 2 if rng.random() < 0.2 else 1,
    }.get(role, 1)
    if replicas != 1:
        svc["replicas"] = replicas
    secret_share = {"api": 0.4, "worker": 0.5, "db": 1.0, "queue": 1.0}.get(role, 0.0)
    if rng.random() < secret_share:
        svc["secret_env"] = {"APP_SECRET": f"secret-{rng.randrange(max(3, index // 20 + 1)):03d}"}
    if rng.random() < {"api": 0.2, "worker": 0.3}.get(role, 0.0):
        svc["egress"] = True
    if rng.random() < {"api": 0.1, "worker": 0.3}.get(role, 0.0):
        svc["isolation"] = "sandbox"
    if role in ("api", "worker") and rng.random() < 0.3:
        svc["command"] = ["serve", "--workers", "2"]
    tmpfs = ["/tmp"] if rng.random() < 0.8 else []
    if role == "db":
        tmpfs.append("/var/run/postgresql")
    if tmpfs:
        svc["tmpfs"] = tmpfs
    if deps:
        svc["depends_on"] = deps
    return svc


def generate_spec(n: int, seed: int = 16, depth: int | None = None) -> dict[str, Any]:
    """The spec (as YAML data) of an app with `n` services; `depth` fixes the number of
    services on the longest `depends_on` chain (at least 2), independent of `n`."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if depth is not None and depth < 2:
        raise ValueError("depth must be at least 2")
    rng = random.Random(f"{seed}/{n}/{depth}")
    assigned = roles(n, rng)
    # Data services first, then workers, apis, webs: dependencies come before their clients.
    order = sorted(range(n), key=lambda i: (ROLE_ORDER.index(assigned[i]), i))
    role_of = {f"{assigned[i]}-{i:04d}": assigned[i] for i in order}
    level = _levels(role_of, depth) if depth is not None else {}
    if depth is not None:
        role_of = dict(sorted(role_of.items(), key=lambda item: level[item[0]]))
    earlier: dict[str, list[str]] = {role: [] for role in SHARES}
    services = {}
    for index, (name, role) in enumerate(role_of.items()):
        if depth is not None:
            deps = _fixed_depth_deps(name, level, rng)
        else:
            deps = _realistic_deps(name, role, earlier, rng)
        services[name] = _service(name, role, index, deps, rng)
        earlier[role].append(name)
    return {"app": APP, "services": services}


def secrets_of(spec: dict[str, Any]) -> list[str]:
    """The secret names the spec uses."""
    return sorted({s for svc in spec["services"].values() for s in svc.get("secret_env", {}).values()})


@dataclass(frozen=True)
class Workdir:
    """A stacks directory holding `app.yaml` and `Pulumi.<stack>.yaml` for one target."""

    directory: Path
    spec: Path
    stack: str
    target: str


def write_workdir(directory: Path, spec: dict[str, Any], target: str, stack: str = STACK) -> Workdir:
    """Write the spec and a stack file for `target` (every secret set, as the CLI stores
    one; a network large enough for 1000 services) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    spec_path = directory / "app.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    config: dict[str, Any] = {
        "hybrid-platform:target": target,
        "hybrid-platform:spec": spec_path.name,
        "hybrid-platform:secrets": {name: {"secure": "v1:bench"} for name in secrets_of(spec)},
    }
    if target in ("vm", "hybrid"):
        config["hybrid-platform:libvirt"] = {"network": {"cidr": LIBVIRT_CIDR}, "domain_type": "qemu"}
    (directory / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return Workdir(directory, spec_path, stack, target)


def depth_of(spec: dict[str, Any]) -> int:
    """The number of services on the longest `depends_on` chain."""
    services = spec["services"]
    memo: dict[str, int] = {}
    for name in services:  # generated specs list dependencies first
        memo[name] = 1 + max((memo[d] for d in services[name].get("depends_on", [])), default=0)
    return max(memo.values())

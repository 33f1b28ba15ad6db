"""The other Compose service fields: what maps to the spec, and the warning for what does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.importers.helpers import WEB, imported, one, problems, service

DB = {**WEB, "image": "postgres:16", "expose": [5432]}


@pytest.mark.parametrize(
    ("depends_on", "warnings"),
    [
        (["db"], []),
        ({"db": {"condition": "service_started"}}, []),
        ({"db": {"condition": "service_healthy"}}, []),
        (
            {"db": {"condition": "service_completed_successfully"}},
            [
                "services.web.depends_on.db.condition: service_completed_successfully is not kept: spec services run continuously, so db is a long-running dependency and is restarted when it exits; run one-off jobs outside the app"
            ],
        ),
        (
            {"db": {"condition": "service_healthy", "restart": True, "required": False}},
            [
                "services.web.depends_on.db.restart: not kept: dependents are not restarted with their dependency",
                "services.web.depends_on.db.required: false is not kept: every dependency is required in the spec",
            ],
        ),
    ],
)
def test_depends_on_forms(tmp_path: Path, depends_on: Any, warnings: list[str]) -> None:
    spec, said = imported(tmp_path, {"services": {"web": {**WEB, "depends_on": depends_on}, "db": DB}})
    assert service(spec, "web")["depends_on"] == ["db"]
    assert said == warnings


def test_links_are_dependencies(tmp_path: Path) -> None:
    spec, said = imported(tmp_path, {"services": {"web": {**WEB, "links": ["db:database"]}, "db": DB}})
    assert service(spec, "web")["depends_on"] == ["db"]
    assert said == [
        "services.web.links[0]: a link is a dependency in the spec: db is in depends_on; the alias database is not kept, clients use the service name"
    ]


@pytest.mark.parametrize(
    ("depends_on", "line"),
    [
        (["ghost"], "services.web.depends_on: unknown service 'ghost'; services are: web, db"),
        (
            {"db": {"condition": "service_ready"}},
            "services.web.depends_on.db.condition: 'service_ready'; allowed: service_started, service_healthy, service_completed_successfully",
        ),
        ("db", "services.web.depends_on: must be a list of services or a mapping of service to {condition}"),
    ],
)
def test_bad_depends_on(tmp_path: Path, depends_on: Any, line: str) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "depends_on": depends_on}, "db": DB}}) == [
        f"compose.yaml: {line}"
    ]


def test_a_dependency_cycle_is_reported_from_the_spec_rules(tmp_path: Path) -> None:
    compose = {
        "services": {
            "a": {**WEB, "depends_on": ["b"], "expose": [1]},
            "b": {**WEB, "depends_on": ["a"], "expose": [1]},
        }
    }
    assert problems(tmp_path, compose) == [
        "compose.yaml (as imported): services.a.depends_on: dependency cycle: a -> b -> a"
    ]


@pytest.mark.parametrize(
    ("fields", "command", "warnings"),
    [
        ({"command": "bundle exec thin -p 3000"}, ["bundle", "exec", "thin", "-p", "3000"], []),
        ({"command": ["sh", "-c", "echo 'a b'"]}, ["sh", "-c", "echo 'a b'"], []),
        ({"command": "sh -c 'echo \"$$HOME\"'"}, ["sh", "-c", 'echo "$HOME"'], []),
        (
            {"entrypoint": "/docker-entrypoint.sh", "command": ["nginx", "-g", "daemon off;"]},
            ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
            [
                "services.web.entrypoint: the spec has only command, which replaces the image's CMD and keeps its ENTRYPOINT; command is /docker-entrypoint.sh nginx -g 'daemon off;' (entrypoint + command), right only if the image has no ENTRYPOINT; otherwise bake the entrypoint into the image"
            ],
        ),
        (
            {"entrypoint": []},
            None,
            [
                "services.web.entrypoint: the spec has only command, which replaces the image's CMD and keeps its ENTRYPOINT; an empty entrypoint cannot be expressed; the image's ENTRYPOINT and CMD run"
            ],
        ),
        (
            {"command": []},
            None,
            [
                "services.web.command: an empty command clears the image's CMD, which the spec cannot do; the image's CMD runs"
            ],
        ),
    ],
)
def test_command_and_entrypoint(
    tmp_path: Path, fields: dict[str, Any], command: Any, warnings: list[str]
) -> None:
    web, said = one(tmp_path, {**WEB, **fields})
    assert web.get("command") == command
    assert said == warnings


def test_build_without_image_gets_the_name_compose_would_build(tmp_path: Path) -> None:
    spec, said = imported(
        tmp_path, {"name": "shop", "services": {"web": {"build": ".", "deploy": WEB["deploy"]}}}
    )
    assert service(spec, "web")["image"] == "shop-web:latest"
    assert said == [
        "services.web.build: not kept: the spec runs images only; image is shop-web:latest (what docker compose build names it); build and push the image to a registry and set image to its reference"
    ]


def test_build_with_image_keeps_the_image(tmp_path: Path) -> None:
    web, said = one(tmp_path, {**WEB, "build": {"context": "."}, "image": "registry.example.com/web:2"})
    assert web["image"] == "registry.example.com/web:2"
    assert said == [
        "services.web.build: not kept: the spec runs images only; build and push registry.example.com/web:2 to a registry every target can pull from"
    ]


@pytest.mark.parametrize(
    ("fields", "resources", "replicas"),
    [
        (
            {"deploy": {"replicas": 3, "resources": {"limits": {"cpus": "0.25", "memory": "64m"}}}},
            {"cpus": 0.25, "memory": "64Mi"},
            3,
        ),
        ({"scale": 2, "cpus": 2, "mem_limit": "1gb"}, {"cpus": 2, "memory": "1Gi"}, 2),
        (
            {"deploy": {"resources": {"limits": {"cpus": 1.5, "memory": "7168k"}}}},
            {"cpus": 1.5, "memory": "7Mi"},
            None,
        ),
        (
            {"deploy": {"resources": {"limits": {"cpus": "0.5", "memory": 268435456}}}},
            {"cpus": 0.5, "memory": "256Mi"},
            None,
        ),
    ],
)
def test_replicas_and_limits(
    tmp_path: Path, fields: dict[str, Any], resources: dict[str, Any], replicas: Any
) -> None:
    web, said = one(tmp_path, {"image": "nginx:1.27", **fields})
    assert web["resources"] == resources
    assert web.get("replicas") == replicas
    assert said == []


def test_a_value_the_spec_refuses_names_the_imported_field(tmp_path: Path) -> None:
    compose = {"services": {"web": {"image": "nginx:1.27", "mem_limit": "1m", "cpus": 1}}}
    assert problems(tmp_path, compose) == [
        "compose.yaml (as imported): services.web.resources.memory: must be at least 6Mi (got 1Mi)"
    ]


def test_no_limits_are_the_spec_defaults_and_said(tmp_path: Path) -> None:
    web, said = one(
        tmp_path, {"image": "nginx:1.27", "deploy": {"resources": {"limits": {"memory": "128m"}}}}
    )
    assert web["resources"] == {"cpus": 1, "memory": "128Mi"}
    assert said == [
        "services.web.deploy.resources.limits: no cpus limit (unlimited in Compose); the spec always limits, to 1 CPU and 128Mi; set resources to what the service needs"
    ]


@pytest.mark.parametrize(
    ("volumes", "spec_volumes", "tmpfs", "warnings"),
    [
        (
            ["data:/var/lib/data"],
            [{"name": "data", "path": "/var/lib/data", "size": "1Gi"}],
            None,
            [
                "services.web.volumes[0]: volume data has no size in Compose; 1Gi is used; set size to what the data needs"
            ],
        ),
        (
            ["data:/srv:ro"],
            [{"name": "data", "path": "/srv", "size": "1Gi"}],
            None,
            [
                "services.web.volumes[0]: volume data has no size in Compose; 1Gi is used; set size to what the data needs",
                "services.web.volumes[0]: read-only is not kept: spec volumes are mounted read-write",
            ],
        ),
        (
            ["/var/lib/mysql"],
            [{"name": "mysql", "path": "/var/lib/mysql", "size": "1Gi"}],
            None,
            [
                "services.web.volumes[0]: anonymous volume at /var/lib/mysql became volume 'mysql' of size 1Gi (Compose has no sizes); set size to what the data needs"
            ],
        ),
        (
            ["./conf:/etc/app", "/var/run/docker.sock:/var/run/docker.sock"],
            None,
            None,
            [
                "services.web.volumes[0]: bind mount ./conf -> /etc/app is not kept: targets do not share the host's files; make it a volume or bake it into the image (COPY in a Dockerfile)",
                "services.web.volumes[1]: mounts the container engine's socket /var/run/docker.sock, which controls the whole host; the spec never does; dropped",
            ],
        ),
        (
            [
                {"type": "tmpfs", "target": "/cache", "tmpfs": {"size": "64m"}},
                {"type": "volume", "source": "data", "target": "/data", "volume": {"subpath": "sub"}},
            ],
            [{"name": "data", "path": "/data", "size": "1Gi"}],
            ["/cache"],
            [
                "services.web.volumes[0]: tmpfs.size is not kept: the spec's tmpfs has no size",
                "services.web.volumes[1]: volume data has no size in Compose; 1Gi is used; set size to what the data needs",
                "services.web.volumes[1]: volume.subpath is not kept: the whole volume is mounted",
            ],
        ),
    ],
)
def test_volumes(
    tmp_path: Path, volumes: list[Any], spec_volumes: Any, tmpfs: Any, warnings: list[str]
) -> None:
    compose = {"services": {"web": {**WEB, "volumes": volumes}}, "volumes": {"data": None}}
    spec, said = imported(tmp_path, compose)
    assert service(spec, "web").get("volumes") == spec_volumes
    assert service(spec, "web").get("tmpfs") == tmpfs
    assert said == warnings


def test_a_volume_two_services_mount_is_not_shared(tmp_path: Path) -> None:
    compose = {
        "services": {"a": {**WEB, "volumes": ["shared:/data"]}, "b": {**WEB, "volumes": ["shared:/data"]}},
        "volumes": {"shared": {"external": True}},
    }
    _, said = imported(tmp_path, compose)
    assert said == [
        "services.a.volumes[0]: volume shared is external: its data lives outside this file; the spec creates a new, empty volume; copy the data into it after the first deploy",
        "services.a.volumes[0]: volume shared has no size in Compose; 1Gi is used; set size to what the data needs",
        "services.b.volumes[0]: volume shared is external: its data lives outside this file; the spec creates a new, empty volume; copy the data into it after the first deploy",
        "services.b.volumes[0]: volume shared has no size in Compose; 1Gi is used; set size to what the data needs",
        "services.b.volumes[0]: volume shared is also mounted by a; a spec volume belongs to one service, so b gets its own empty volume; share the data through a service instead",
    ]


def test_an_undeclared_named_volume_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "volumes": ["data:/data"]}}}) == [
        "compose.yaml: services.web.volumes[0]: volume 'data' is not defined under the top-level volumes: (defined: none)"
    ]


def test_tmpfs_user_read_only_and_runtime(tmp_path: Path) -> None:
    web, said = one(
        tmp_path,
        {
            **WEB,
            "tmpfs": ["/tmp", "/run:size=64m,mode=1777"],
            "user": 1000,
            "read_only": True,
            "runtime": "runsc",
        },
    )
    assert web["tmpfs"] == ["/tmp", "/run"]
    assert web["user"] == "1000"
    assert web["read_only_root"] is True
    assert web["isolation"] == "sandbox"
    assert said == [
        "services.web.tmpfs[1]: options size=64m,mode=1777 are not kept: the spec's tmpfs has none"
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {"egress": True, "read_only_root": False}),
        ({"runtime": "kata-runtime"}, {"isolation": "vm"}),
        ({"runtime": "runc"}, {}),
        ({"user": "root"}, {"user": "0"}),
        ({"user": "1000:1000"}, {"user": "1000:1000"}),
        ({"network_mode": "none"}, {"egress": False}),
    ],
)
def test_kept_fields(tmp_path: Path, fields: dict[str, Any], expected: dict[str, Any]) -> None:
    web, said = one(tmp_path, {**WEB, **fields})
    assert {k: web.get(k) for k in expected} == expected
    assert said == []


def test_a_service_only_on_internal_networks_has_no_egress(tmp_path: Path) -> None:
    compose = {"services": {"web": {**WEB, "networks": ["back"]}}, "networks": {"back": {"internal": True}}}
    spec, said = imported(tmp_path, compose)
    assert service(spec, "web")["egress"] is False
    assert said == [
        "services.web.networks: back not kept: traffic follows depends_on instead; web accepts connections from no service and reaches no service"
    ]


@pytest.mark.parametrize(
    ("fields", "warning"),
    [
        (
            {"container_name": "my-web"},
            "services.web.container_name: not kept: names are generated so that replacements never collide; clients use the service name",
        ),
        (
            {"restart": "no"},
            "services.web.restart: no is not kept: every target restarts a service that exits; a one-off job does not belong in the spec",
        ),
        (
            {"privileged": True},
            "services.web.privileged: not kept: the spec never runs a privileged container; if it needs a kernel of its own, set isolation: vm",
        ),
        (
            {"cap_add": ["NET_ADMIN", "SYS_TIME"]},
            "services.web.cap_add: NET_ADMIN, SYS_TIME not kept: the spec drops all capabilities; make the image work without them (e.g. listen on a port above 1024 instead of NET_BIND_SERVICE)",
        ),
        (
            {"network_mode": "host"},
            "services.web.network_mode: host is not kept: a spec service has its own network; published ports and depends_on give it the reach it needs",
        ),
        (
            {"security_opt": ["seccomp:unconfined"]},
            "services.web.security_opt[0]: seccomp:unconfined is not kept: the spec sets no-new-privileges and the runtime's default profiles",
        ),
        (
            {"runtime": "nvidia"},
            "services.web.runtime: nvidia is not kept: set isolation to container, sandbox (gVisor) or vm (Kata)",
        ),
        (
            {"user": "www-data"},
            "services.web.user: 'www-data' is a name; the spec needs a numeric UID[:GID] (Kubernetes checks non-root by number); dropped; look it up with `docker run --rm --entrypoint id IMAGE` and set user",
        ),
        (
            {"working_dir": "/app"},
            "services.web.working_dir: not kept: the spec has no working directory; set WORKDIR in the image",
        ),
        (
            {"labels": {"a": "b"}},
            "services.web.labels: not kept: the platform labels every resource with the app, service and isolation itself",
        ),
        (
            {"ulimits": {"nofile": 65535}},
            "services.web.ulimits: not kept: the spec has no host-level tuning; every target applies its own hardened defaults",
        ),
        (
            {"profiles": ["debug"]},
            "services.web.profiles: not kept: the service is imported and always runs; remove it from the spec if it should not",
        ),
        (
            {"deploy": {**WEB["deploy"], "placement": {"constraints": ["node.role==manager"]}}},
            "services.web.deploy.placement: not kept: choose where a service runs with the stack's placement config",
        ),
        (
            {"frobnicate": True},
            "services.web.frobnicate: not kept: the spec has no such field; remove it, or express it with the spec's fields",
        ),
    ],
)
def test_fields_the_spec_cannot_keep(tmp_path: Path, fields: dict[str, Any], warning: str) -> None:
    _, said = one(tmp_path, {**WEB, **fields})
    assert said == [warning]


def test_extension_fields_are_ignored(tmp_path: Path) -> None:
    _, said = one(tmp_path, {**WEB, "x-team": "shop"})
    assert said == []


def test_security_opt_no_new_privileges_is_kept(tmp_path: Path) -> None:
    _, said = one(
        tmp_path,
        {**WEB, "security_opt": ["no-new-privileges:true"], "cap_drop": ["ALL"], "restart": "unless-stopped"},
    )
    assert said == []

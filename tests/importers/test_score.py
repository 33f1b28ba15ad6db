"""Score workloads (score.dev/v1b1) into one app: dependencies, placeholders, what is dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.appspec import SpecError
from components.importers.output import ImportResult, render
from components.importers.score import import_score
from components.offline.policy_check import check_policies
from tests.factory import preview
from tests.importers.helpers import FIXTURES

FRONTEND = FIXTURES / "score" / "frontend.score.yaml"
BACKEND = FIXTURES / "score" / "backend.score.yaml"


def shop() -> ImportResult:
    return import_score([FRONTEND, BACKEND], "shop", ["frontend.score.yaml", "backend.score.yaml"])


def spec_of(result: ImportResult) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(render(result, None))
    return data


def workload(tmp_path: Path, name: str, body: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.score.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "score.dev/v1b1", "metadata": {"name": name}, **body}))
    return path


def one(tmp_path: Path, container: dict[str, Any], **body: Any) -> tuple[dict[str, Any], list[str]]:
    path = workload(
        tmp_path, "api", {"containers": {"main": {"image": "example/api:1", **container}}, **body}
    )
    result = import_score([path], sources=["api.yaml"])
    return spec_of(result)["services"]["api"], [
        w.removeprefix("warning: api.yaml: ") for w in result.warnings
    ]


def test_two_workloads_with_a_service_dependency_and_placeholders() -> None:
    spec = spec_of(shop())
    assert spec["app"] == "shop"
    frontend, backend = spec["services"]["frontend"], spec["services"]["backend"]
    assert frontend["depends_on"] == ["backend"]
    assert frontend["env"] == {
        "API_URL": "http://backend:8080/v1",  # ${resources.api.hostname}:${resources.api.port}
        "GREETING": "Price: $5",  # $$ is a literal $
        "SERVICE_NAME": "frontend",  # ${metadata.name}
        "TEAM": "shop",  # ${metadata.annotations.team}
    }
    assert frontend["secret_env"] == {"SESSION_SECRET": "frontend-session-secret"}
    assert frontend["ports"] == [{"name": "http", "port": 3000}]
    assert frontend["health"] == {"http": {"path": "/healthz", "port": 3000}}
    assert frontend["resources"] == {"cpus": "250m", "memory": "128Mi"}
    assert backend["command"] == ["/app/api", "--listen", ":8080"]
    assert backend["env"] == {"LOG_LEVEL": "info"}
    assert backend["resources"] == {"cpus": 0.5, "memory": "512Mi"}
    assert backend["volumes"] == [{"name": "cache", "path": "/var/cache/api", "size": "1Gi"}]
    assert backend["health"] == {"http": {"path": "/ready", "port": 8080}}
    assert "depends_on" not in backend


def test_every_dropped_field_is_one_warning_line() -> None:
    assert shop().warnings == [
        "warning: frontend.score.yaml: resources.dns: the spec has no DNS names; public ports are reached at the target's address (see the endpoints output)",
        "warning: frontend.score.yaml: service.ports.http: port 80 -> targetPort 3000: the spec has one number per port, the one the container listens on, so clients use 3000",
        "warning: frontend.score.yaml: containers.web.variables.SESSION_SECRET: holds a secret in plaintext; it is secret_env SESSION_SECRET -> secret frontend-session-secret; set the value in each stack with the command printed below",
        "warning: frontend.score.yaml: containers.web.files./etc/shop/banner.txt: not kept: the spec has no files; bake it into the image (COPY in a Dockerfile) or pass it in env",
        "warning: backend.score.yaml: resources.db: a postgres resource is not provisioned by the spec; run it as a service of the app (import a Score or Compose file for it), add it to depends_on and set the variables to its name and port",
        "warning: backend.score.yaml: containers.main.command: the spec has only command, which replaces the image's CMD (Score's args) and keeps its ENTRYPOINT; command is /app/api --listen :8080 (command + args), right only if the image has no ENTRYPOINT; otherwise bake the entrypoint into the image",
        "warning: backend.score.yaml: containers.main.variables.DB_HOST: cannot be resolved, so it is dropped: ${resources.db.host}: resources.db is a postgres resource, which the spec does not provision (see its warning)",
        "warning: backend.score.yaml: containers.main.variables.DB_PASSWORD: cannot be resolved, so it is dropped: ${resources.db.password}: resources.db is a postgres resource, which the spec does not provision (see its warning)",
        "warning: backend.score.yaml: containers.main.resources.requests.cpu: used as the limit: the spec sets requests = limits",
        "warning: backend.score.yaml: containers.main.resources.requests.memory: not kept: limits win; the spec sets requests = limits",
        "warning: backend.score.yaml: containers.main.livenessProbe: not kept: the spec has one health check, used for readiness and liveness; readinessProbe was kept",
        "warning: backend.score.yaml: containers.main.volumes./var/cache/api: volume cache has no size in Score; 1Gi is used; set size to what the data needs",
    ]


def test_no_secret_value_reaches_the_spec() -> None:
    result = shop()
    assert "fr0nt-s3ss10n-k3y" not in render(result, None) + "".join(result.warnings)


@pytest.mark.parametrize("target", ["docker", "vm", "hybrid", "kubernetes"])
def test_the_imported_app_previews_on_every_target(tmp_path: Path, target: str) -> None:
    result = preview(tmp_path, spec_of(shop()), target=target)
    assert any(r.name.startswith("shop-backend-") for r in result.resources)
    check_policies(result, None, stack_given=False)


def test_the_app_is_named_after_the_first_workload() -> None:
    assert import_score([BACKEND, FRONTEND]).spec["app"] == "backend"


def test_a_service_resource_named_after_a_workload_is_a_dependency(tmp_path: Path) -> None:
    db = workload(
        tmp_path,
        "db",
        {"containers": {"pg": {"image": "postgres:16"}}, "service": {"ports": {"pg": {"port": 5432}}}},
    )
    api = workload(
        tmp_path,
        "api",
        {
            "containers": {
                "main": {
                    "image": "example/api:1",
                    "variables": {"DSN": "host=${resources.db.host} port=${resources.db.port}"},
                }
            },
            "resources": {"db": {"type": "service"}},
        },
    )
    spec = import_score([api, db]).spec
    assert spec["services"]["api"]["depends_on"] == ["db"]
    assert spec["services"]["api"]["env"] == {"DSN": "host=db port=5432"}


def test_a_dependency_on_a_workload_not_imported_is_dropped(tmp_path: Path) -> None:
    _, said = one(
        tmp_path,
        {"variables": {"URL": "http://${resources.up.host}"}},
        resources={"up": {"type": "service-port", "params": {"workload": "ghost", "port": "web"}}},
    )
    assert (
        said[0]
        == "resources.up: names workload ghost, which is not among the imported files; dropped; import its Score file together with this one"
    )


@pytest.mark.parametrize(
    ("container", "expected", "warnings"),
    [
        ({"args": ["--port", "8080"]}, {"command": ["--port", "8080"]}, []),
        (
            {"resources": {"requests": {"cpu": "100m", "memory": "1.5Gi"}}},
            {"resources": {"cpus": "100m", "memory": "1536Mi"}},
            [
                "containers.main.resources.requests.cpu: used as the limit: the spec sets requests = limits",
                "containers.main.resources.requests.memory: used as the limit: the spec sets requests = limits",
            ],
        ),
        (
            {"resources": {"limits": {"cpu": "2", "memory": "128M"}}},
            {"resources": {"cpus": 2, "memory": "128M"}},
            [],
        ),
        (
            {"livenessProbe": {"exec": {"command": ["/bin/check"]}, "httpGet": {"port": 8080, "path": "/"}}},
            {"health": {"exec": {"command": ["/bin/check"]}}},
            [
                "containers.main.livenessProbe.httpGet: not kept: the exec probe is used (Score prefers it when both are set)"
            ],
        ),
        (
            {
                "readinessProbe": {
                    "httpGet": {
                        "port": 9000,
                        "path": "ready",
                        "scheme": "HTTPS",
                        "httpHeaders": [{"name": "X", "value": "1"}],
                    }
                }
            },
            {
                "health": {"http": {"path": "/ready", "port": 9000}},
                "ports": [{"name": "probe", "port": 9000}],
            },
            [
                "containers.main.readinessProbe.httpGet.httpHeaders: not kept: the spec probes the service's own address without headers",
                "containers.main.readinessProbe.httpGet.scheme: HTTPS is not kept: the spec probes plain HTTP; use an exec probe",
                "containers.main.readinessProbe.httpGet.port: 9000 is not a service port; added (not public), since the spec probes declared ports",
            ],
        ),
        (
            {"image": "."},
            {"image": "api:latest"},
            [
                "containers.main.image: '.' means an image built from local sources; image is api:latest; build and push it to a registry and set image to its reference"
            ],
        ),
        (
            {"variables": {"X": "${metadata.missing}", "Y": "${nowhere}"}},
            {"env": None},
            [
                "containers.main.variables.X: cannot be resolved, so it is dropped: ${metadata.missing}: metadata has no such value",
                "containers.main.variables.Y: cannot be resolved, so it is dropped: ${nowhere}: Score placeholders start with metadata. or resources.",
            ],
        ),
        (
            {
                "files": [{"target": "/etc/a.conf", "content": "x"}],
                "volumes": [{"source": "${resources.data}", "target": "/data", "readOnly": True}],
            },
            {"volumes": [{"name": "data", "path": "/data", "size": "1Gi"}]},
            [
                "containers.main.volumes[0]: volume data has no size in Score; 1Gi is used; set size to what the data needs",
                "containers.main.volumes[0]: readOnly is not kept: spec volumes are mounted read-write",
                "containers.main.files./etc/a.conf: not kept: the spec has no files; bake it into the image (COPY in a Dockerfile) or pass it in env",
            ],
        ),
    ],
)
def test_container_fields(
    tmp_path: Path, container: dict[str, Any], expected: dict[str, Any], warnings: list[str]
) -> None:
    limits = {"resources": {"limits": {"cpu": "1", "memory": "256Mi"}}}
    api, said = one(tmp_path, {**limits, **container}, resources={"data": {"type": "volume"}})
    assert {k: api.get(k) for k in expected} == expected
    assert said == warnings


@pytest.mark.parametrize(
    ("kind", "warning"),
    [
        (
            "route",
            "the spec has no routes; make the port public instead: set public: true and host_port on it",
        ),
        (
            "environment",
            "values of the deploying environment are not read; set the variables in env, or secret_env for secrets",
        ),
        (
            "redis",
            "a redis resource is not provisioned by the spec; run it as a service of the app (import a Score or Compose file for it), add it to depends_on and set the variables to its name and port",
        ),
        (
            "custom-thing",
            "a custom-thing resource has no equivalent in the spec; provide it as a service of the app, or outside the app and reach it with egress: true",
        ),
    ],
)
def test_resource_types_the_spec_does_not_provision(tmp_path: Path, kind: str, warning: str) -> None:
    _, said = one(
        tmp_path, {"resources": {"limits": {"cpu": "1", "memory": "256Mi"}}}, resources={"r1": {"type": kind}}
    )
    assert said == [f"resources.r1: {warning}"]


def test_a_second_container_is_a_service_of_its_own(tmp_path: Path) -> None:
    path = workload(
        tmp_path,
        "web",
        {"containers": {"app": {"image": "example/app:1"}, "sidecar": {"image": "example/proxy:1"}}},
    )
    result = import_score([path], sources=["web.yaml"])
    assert list(result.spec["services"]) == ["web", "web-sidecar"]
    assert (
        "warning: web.yaml: containers.sidecar: a second container is a service of its own in the spec (web-sidecar); it no longer shares the workload's network (localhost) and reaches the others by name"
        in result.warnings
    )


@pytest.mark.parametrize(
    ("document", "lines"),
    [
        (
            "[]",
            ["a.yaml: a Score file is a mapping with apiVersion, metadata and containers; this one is not"],
        ),
        (
            "apiVersion: score.dev/v2\nmetadata: {name: Api}\ncontainers: {}\nextra: 1\n",
            [
                "a.yaml: extra: unknown key; Score v1b1 allows: apiVersion, metadata, service, containers, resources",
                "a.yaml: apiVersion: must be score.dev/v1b1 (got 'score.dev/v2')",
                "a.yaml: metadata.name: 'Api' is not a workload name: 2-63 lowercase letters, digits and '-'",
                "a.yaml: containers: must be a mapping with at least one entry",
            ],
        ),
        (
            "apiVersion: score.dev/v1b1\nmetadata: {name: api}\ncontainers:\n  main: {command: [x], env: {}}\nservice:\n  ports:\n    web: {port: 0, protocol: SCTP}\n",
            [
                "a.yaml: containers.main.env: unknown key; allowed: image, command, args, variables, files, volumes, before, resources, livenessProbe, readinessProbe",
                "a.yaml: containers.main.image: required: the container image, e.g. nginx:1.27",
                "a.yaml: service.ports.web.port: 0 is not a port number (1-65535)",
                "a.yaml: service.ports.web.protocol: 'SCTP'; allowed: TCP, UDP",
            ],
        ),
    ],
)
def test_bad_score_files_are_one_line_per_problem(tmp_path: Path, document: str, lines: list[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(document)
    with pytest.raises(SpecError) as caught:
        import_score([path], sources=["a.yaml"])
    assert caught.value.lines() == lines


def test_problems_in_several_files_name_each_file(tmp_path: Path) -> None:
    first = workload(tmp_path, "api", {"containers": {"main": {"image": "example/api:1"}}})
    second = workload(tmp_path, "other", {"containers": {"main": {"image": "example/api:1"}}})
    second.write_text(second.read_text().replace("other", "api"))
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff")
    with pytest.raises(SpecError) as caught:
        import_score([first, second, bad], sources=["a.yaml", "b.yaml", "c.yaml"])
    assert caught.value.lines() == [
        "b.yaml: metadata.name: 'api' is also the name of the workload in a.yaml",
        "c.yaml: not UTF-8 text (byte 0xff at line 1, column 1); save it as UTF-8",
    ]


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.text(max_size=10))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
CONTAINER_KEYS = st.sampled_from(
    [
        "image",
        "command",
        "args",
        "variables",
        "files",
        "volumes",
        "resources",
        "livenessProbe",
        "readinessProbe",
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    container=st.dictionaries(CONTAINER_KEYS, VALUES, max_size=5),
    service=VALUES,
    resources=st.dictionaries(st.sampled_from(["db", "vol", "up"]), VALUES, max_size=2),
)
def test_any_shape_is_a_spec_or_error_lines(
    tmp_path: Path, container: dict[str, Any], service: Any, resources: dict[str, Any]
) -> None:
    path = tmp_path / "w.yaml"
    body = {
        "containers": {"main": {"image": "example/a:1", **container}},
        "service": service,
        "resources": resources,
    }
    path.write_text(yaml.safe_dump({"apiVersion": "score.dev/v1b1", "metadata": {"name": "w1"}, **body}))
    try:
        result = import_score([path], sources=["w.yaml"])
    except SpecError as error:
        assert error.lines() and all(line.startswith("w.yaml") for line in error.lines())
        return
    assert list(result.spec["services"]) == ["w1"]

"""Each spec rule, with the exact line a user sees."""

from __future__ import annotations

from typing import Any

import pytest

from components.appspec import SpecError, parse_spec
from tests.factory import make_app


def errors(data: Any) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, "app.yaml")
    return caught.value.lines()


def test_the_base_app_is_valid() -> None:
    spec = parse_spec(make_app(), "app.yaml")
    assert spec.services["db"].volumes[0].size == 2 * 2**30
    assert spec.services["web"].read_only_root is True
    assert spec.services["web"].egress is False
    assert spec.services["web"].isolation == "container"
    assert spec.services["web"].user == "1000:1000"
    assert spec.services["api"].user is None  # non-root is not assumed


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        (
            {"Web": {"image": "x:1"}},
            "app.yaml: services.Web: 'Web' is not a valid service name: use 1-40 lowercase letters, digits and '-', starting with a letter, e.g. web",
        ),
        (
            {"web": {"image": "Bad Image"}},
            "app.yaml: services.web.image: 'Bad Image' is not a valid image reference: use [registry/]name[:tag][@sha256:digest] with a lowercase name, e.g. example/app:1.2.0",
        ),
        (
            {"web": {"image": "x:1", "replicas": -1}},
            "app.yaml: services.web.replicas: must be greater than or equal to 0 (got -1)",
        ),
        (
            {"web": {"image": "x:1", "ports": [{"name": "http", "port": 70000}]}},
            "app.yaml: services.web.ports[0].port: must be less than or equal to 65535 (got 70000)",
        ),
        (
            {
                "web": {
                    "image": "x:1",
                    "ports": [{"name": "http", "port": 80, "public": True, "host_port": 0}],
                }
            },
            "app.yaml: services.web.ports[0].host_port: must be greater than or equal to 1 (got 0)",
        ),
        (
            {"web": {"image": "x:1", "ports": [{"name": "http", "port": 80, "host_port": 8080}]}},
            "app.yaml: services.web.ports[0]: host_port is set but public is false; set public: true or remove host_port",
        ),
        (
            {"web": {"image": "x:1", "ports": [{"name": "http", "port": 80, "protocol": "sctp"}]}},
            "app.yaml: services.web.ports[0].protocol: must be 'tcp' or 'udp' (got 'sctp')",
        ),
        (
            {"web": {"image": "x:1", "resources": {"memory": "256MB"}}},
            "app.yaml: services.web.resources.memory: '256MB' is not a size; use e.g. 256Mi or 1Gi",
        ),
        (
            {"web": {"image": "x:1", "resources": {"memory": "1Mi"}}},
            "app.yaml: services.web.resources.memory: must be at least 6Mi (got 1Mi)",
        ),
        (
            {"web": {"image": "x:1", "resources": {"cpus": "lots"}}},
            "app.yaml: services.web.resources.cpus: 'lots' is not a CPU amount; use e.g. 0.5 or 500m",
        ),
        (
            {
                "web": {
                    "image": "x:1",
                    "health": {"http": {"port": 80}, "tcp": {"port": 80}},
                    "ports": [{"name": "h", "port": 80}],
                }
            },
            "app.yaml: services.web.health: set exactly one of http, tcp, exec (found: http, tcp)",
        ),
        (
            {"web": {"image": "x:1", "health": {"interval": "10s"}}},
            "app.yaml: services.web.health: set exactly one of http, tcp, exec (found: none)",
        ),
        (
            {
                "web": {
                    "image": "x:1",
                    "health": {"exec": {"command": ["true"]}, "interval": "soon"},
                }
            },
            "app.yaml: services.web.health.interval: 'soon' is not a duration; use e.g. 10s, 500ms or 1m30s",
        ),
        (
            {"web": {"image": "x:1", "isolation": "kernel"}},
            "app.yaml: services.web.isolation: must be 'container', 'sandbox' or 'vm' (got 'kernel')",
        ),
        (
            {"web": {"image": "x:1", "secret_env": {"PW": "Bad_Name"}}},
            "app.yaml: services.web.secret_env.PW: 'Bad_Name' is not a valid secret name: use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. db-password",
        ),
        (
            {"web": {"image": "x:1", "env": {"1X": "a"}}},
            "app.yaml: services.web.env.1X: '1X' is not a valid environment variable name: use letters, digits and '_', not starting with a digit, e.g. LOG_LEVEL",
        ),
        (
            {"web": {"image": "x:1", "user": "root"}},
            "app.yaml: services.web.user: 'root' is not a valid user: use a numeric UID or UID:GID, e.g. 1000:1000",
        ),
        (
            {"web": {"image": "x:1", "volumes": [{"name": "d", "path": "data"}]}},
            "app.yaml: services.web.volumes[0].path: 'data' is not an absolute path; use e.g. /var/lib/data",
        ),
        (
            {"web": {"image": "x:1", "colour": "blue"}},
            "app.yaml: services.web.colour: unknown field; allowed: image, command, env, secret_env, ports, replicas, resources, health, volumes, tmpfs, depends_on, egress, isolation, user, read_only_root",
        ),
        (
            {"web": {}},
            "app.yaml: services.web.image: required field is missing; e.g. image: example/app:1.2.0",
        ),
    ],
)
def test_field_rules(services: dict[str, Any], expected: str) -> None:
    assert errors({"app": "shop", "services": services}) == [expected]


def test_app_name_and_services_required() -> None:
    assert errors({"app": "Shop!", "services": {}}) == [
        "app.yaml: app: 'Shop!' is not a valid app name: use 1-40 lowercase letters, digits and '-', starting with a letter, e.g. voting",
        "app.yaml: services: must have at least 1 entry",
    ]
    assert errors(["not", "a", "mapping"]) == [
        "app.yaml: the spec must be a mapping with keys app and services"
    ]
    assert errors({"app": "a" * 41, "services": {"x": {"image": "x:1"}}})[0].startswith(
        "app.yaml: app: 'aaaa"
    )


def test_relations() -> None:
    data = make_app(
        web={"depends_on": ["api", "nope", "web", "api"]},
        api={
            "ports": [{"name": "http", "port": 8080}, {"name": "http", "port": 8080}],
            "env": {"DB_PASSWORD": "x"},
        },
        cache={"ports": [{"name": "redis", "port": 6379, "public": True, "host_port": 5000}]},
        db={"health": {"tcp": {"port": 9999}}, "tmpfs": ["/var/lib/postgresql/data"]},
    )
    assert errors(data) == [
        "app.yaml: services.web.depends_on[1]: unknown service 'nope'; services are: api, cache, db, web, worker",
        "app.yaml: services.web.depends_on[2]: a service cannot depend on itself",
        "app.yaml: services.web.depends_on[3]: 'api' is listed twice",
        "app.yaml: services.api.ports[1].name: port name 'http' is used twice",
        "app.yaml: services.api.ports[1].port: port 8080/tcp is listed twice",
        "app.yaml: services.api.secret_env.DB_PASSWORD: DB_PASSWORD is also set in env; set it in one of env, secret_env",
        "app.yaml: services.db.volumes[0].path: path /var/lib/postgresql/data is mounted twice",
        "app.yaml: services.db.health.tcp.port: 9999 is not one of the service's tcp ports (5432); add it to ports",
        "app.yaml: services.cache.ports[0].host_port: host port 5000/tcp is already published by services.web.ports[0].host_port",
    ]


def test_dependency_cycle_is_reported_once() -> None:
    data = make_app(db={"depends_on": ["api"]})
    assert errors(data) == ["app.yaml: services.api.depends_on: dependency cycle: api -> db -> api"]


def test_units_are_parsed_once() -> None:
    spec = parse_spec(
        make_app(
            web={
                "resources": {"cpus": "250m", "memory": "1.5Gi"},
                "health": {"http": {"port": 8080}, "interval": "1m30s", "timeout": "500ms"},
            }
        ),
        "app.yaml",
    )
    web = spec.services["web"]
    assert web.resources.cpus == 250
    assert web.resources.memory == 1536 * 2**20
    assert web.health is not None and web.health.interval == 90_000 and web.health.timeout == 500


def test_env_scalars_become_text() -> None:
    spec = parse_spec(make_app(web={"env": {"PORT": 8080, "DEBUG": False, "RATIO": 0.5}}), "app.yaml")
    assert spec.services["web"].env == {"PORT": "8080", "DEBUG": "false", "RATIO": "0.5"}


def test_an_exec_probe_is_a_command_list_or_a_mapping_with_command() -> None:
    as_list = parse_spec(make_app(db={"health": {"exec": ["pg_isready", "-U", "postgres"]}}), "app.yaml")
    as_mapping = parse_spec(
        make_app(db={"health": {"exec": {"command": ["pg_isready", "-U", "postgres"]}}}), "app.yaml"
    )
    assert as_list == as_mapping
    health = as_list.services["db"].health
    assert health is not None and health.probe.kind == "exec"
    assert health.probe.command == ["pg_isready", "-U", "postgres"]


@pytest.mark.parametrize(
    ("exec_probe", "expected"),
    [
        (
            "pg_isready -U postgres",
            "app.yaml: services.db.health.exec: expected a command [program, argument...] or {command: [program, argument...]}, e.g. [pg_isready, -U, postgres] (got 'pg_isready -U postgres')",
        ),
        (["pg_isready", 5], "app.yaml: services.db.health.exec[1]: expected text, e.g. pg_isready (got 5)"),
        ([], "app.yaml: services.db.health.exec: must have at least 1 entry"),
        (
            ["CMD-SHELL", "pg_isready"],
            "app.yaml: services.db.health.exec: starts with 'CMD-SHELL' as Compose writes it; here the command always runs as a program: drop that word, e.g. [pg_isready, -U, postgres], or use [sh, -c, '...'] for a shell line",
        ),
        (
            {"command": ["CMD", "pg_isready"]},
            "app.yaml: services.db.health.exec.command: starts with 'CMD' as Compose writes it; here the command always runs as a program: drop that word, e.g. [pg_isready, -U, postgres], or use [sh, -c, '...'] for a shell line",
        ),
    ],
)
def test_a_bad_exec_probe_says_which_forms_are_allowed(exec_probe: object, expected: str) -> None:
    assert errors(make_app(db={"health": {"exec": exec_probe}})) == [expected]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (
            {"ports": [["http", 8080]]},
            "app.yaml: services.web.ports[0]: expected {name, port[, protocol, public, host_port]}, e.g. {name: http, port: 8080} (got a list)",
        ),
        (
            {"resources": "1 cpu"},
            "app.yaml: services.web.resources: expected a mapping with any of cpus, memory, e.g. {cpus: 0.5, memory: 256Mi} (got '1 cpu')",
        ),
        (
            {"health": {"http": 8080}},
            "app.yaml: services.web.health.http: expected {port[, path]}, e.g. {path: /healthz, port: 8080} (got 8080)",
        ),
        (
            {"volumes": [{"name": "data", "path": "/data", "size": []}]},
            "app.yaml: services.web.volumes[0].size: [] is not a size; use e.g. 256Mi or 1Gi",
        ),
        (
            {"image": 5},
            "app.yaml: services.web.image: expected an image reference, e.g. example/app:1.2.0 (got 5)",
        ),
        ({"replicas": "2"}, "app.yaml: services.web.replicas: expected a whole number, e.g. 2 (got '2')"),
        ({"egress": "yes"}, "app.yaml: services.web.egress: expected true or false, e.g. false (got 'yes')"),
        ({"depends_on": "api"}, "app.yaml: services.web.depends_on: expected a list, e.g. [db] (got 'api')"),
        (
            {"depends_on": [7]},
            "app.yaml: services.web.depends_on[0]: expected a service name, e.g. web (got 7)",
        ),
        (
            {"env": {7: "x"}},
            "app.yaml: services.web.env.7: expected an environment variable name, e.g. LOG_LEVEL (got 7)",
        ),
        ({"env": {"A": None}}, "app.yaml: services.web.env.A: expected text, e.g. info (got nothing (null))"),
        (
            {"tmpfs": {"/tmp": 1}},
            "app.yaml: services.web.tmpfs: expected a list, e.g. [/tmp] (got a mapping)",
        ),
    ],
)
def test_a_wrong_kind_of_value_says_what_is_expected_with_an_example(
    service: dict[str, Any], expected: str
) -> None:
    assert errors(make_app(web=service)) == [expected]


def test_services_of_the_wrong_kind_say_what_a_service_is() -> None:
    assert errors({"app": "shop", "services": {"db": "postgres:16"}}) == [
        "app.yaml: services.db: expected {image[, command, env, secret_env, ports, replicas, resources, health, volumes, tmpfs, depends_on, egress, isolation, user, read_only_root]}, e.g. {image: example/app:1.2.0} (got 'postgres:16')"
    ]
    assert errors({"app": "shop", "services": {5: {"image": "x:1"}}}) == [
        "app.yaml: services.5: expected a service name, e.g. web (got 5)"
    ]


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ({"cpus": 0}, "services.web.resources.cpus: must be at least 0.001 (1m) (got 0)"),
        ({"cpus": "0m"}, "services.web.resources.cpus: must be at least 0.001 (1m) (got 0)"),
        ({"cpus": 2000}, "services.web.resources.cpus: must be at most 1024 CPUs (got 2000)"),
        ({"cpus": 1.0e308}, "services.web.resources.cpus: must be at most 1024 CPUs (got 1e+308)"),
        ({"memory": "1Ki"}, "services.web.resources.memory: must be at least 6Mi (got 1Ki)"),
        ({"memory": "2Pi"}, "services.web.resources.memory: must be at most 1Pi (got '2Pi')"),
        (
            {"memory": "9" * 40 + "Mi"},
            "services.web.resources.memory: must be at most 1Pi (got '9999999999999999999999999999999999999999Mi')",
        ),
    ],
)
def test_resource_limits_speak_in_the_users_units(resources: dict[str, Any], expected: str) -> None:
    assert errors(make_app(web={"resources": resources})) == [f"app.yaml: {expected}"]
    assert (
        parse_spec(make_app(web={"resources": {"cpus": 0.001}}), "app.yaml").services["web"].resources.cpus
        == 1
    )


@pytest.mark.parametrize(
    ("health", "expected"),
    [
        ({"interval": 0}, "services.db.health.interval: must be at least 1ms (got 0s)"),
        ({"timeout": "0s"}, "services.db.health.timeout: must be at least 1ms (got 0s)"),
        ({"interval": 1.0e308}, "services.db.health.interval: must be at most 24h (got 1e+308)"),
        ({"start_period": "25h"}, "services.db.health.start_period: must be at most 24h (got '25h')"),
        ({"retries": 0}, "services.db.health.retries: must be greater than or equal to 1 (got 0)"),
    ],
)
def test_health_timing_speaks_in_durations(health: dict[str, Any], expected: str) -> None:
    probe = {"exec": ["pg_isready"]}
    assert errors(make_app(db={"health": {**probe, **health}})) == [f"app.yaml: {expected}"]


@pytest.mark.parametrize(
    ("field", "services"),
    [
        ("app", None),
        ('services."web\\n"', {"web\n": {"image": "x:1"}}),
        ("services.web.image", {"web": {"image": "x:1\n"}}),
        ('services.web.env."A\\n"', {"web": {"image": "x:1", "env": {"A\n": "1"}}}),
        ("services.web.secret_env.A", {"web": {"image": "x:1", "secret_env": {"A": "pw\n"}}}),
        ("services.web.ports[0].name", {"web": {"image": "x:1", "ports": [{"name": "http\n", "port": 80}]}}),
        (
            "services.web.volumes[0].name",
            {"web": {"image": "x:1", "volumes": [{"name": "d\n", "path": "/d"}]}},
        ),
        (
            "services.web.depends_on[0]",
            {"web": {"image": "x:1", "depends_on": ["db\n"]}, "db": {"image": "x:1"}},
        ),
        ("services.web.user", {"web": {"image": "x:1", "user": "1000\n"}}),
        ("services.web.tmpfs[0]", {"web": {"image": "x:1", "tmpfs": ["/tmp\n"]}}),
    ],
)
def test_a_name_with_a_trailing_newline_is_refused(field: str, services: dict[str, Any] | None) -> None:
    data = {
        "app": "shop\n" if services is None else "shop",
        "services": services or {"web": {"image": "x:1"}},
    }
    lines = errors(data)
    assert [line.split(": ", 2)[1] for line in lines] == [field], lines


def test_mount_paths_are_normalised_and_the_same_directory_is_mounted_once() -> None:
    spec = parse_spec(
        make_app(
            db={
                "volumes": [{"name": "data", "path": "/var/lib/postgresql//data/"}],
                "tmpfs": ["//tmp", "/var/./run", "/var/lib/postgresql/data/sub"],
            }
        ),
        "app.yaml",
    )
    db = spec.services["db"]
    assert db.volumes[0].path == "/var/lib/postgresql/data"
    assert db.tmpfs == ["/tmp", "/var/run", "/var/lib/postgresql/data/sub"]  # nested mounts are fine
    assert errors(make_app(db={"tmpfs": ["/var/lib/postgresql/data/"]})) == [
        "app.yaml: services.db.volumes[0].path: path /var/lib/postgresql/data is mounted twice"
    ]
    assert errors(make_app(web={"tmpfs": ["/var/log", "/var//log", "//var/log/"]})) == [
        "app.yaml: services.web.tmpfs[1]: path /var/log is listed twice",
        "app.yaml: services.web.tmpfs[2]: path /var/log is listed twice",
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/a/../etc", "'/a/../etc' goes up with '..'; write the path without it, e.g. /var/lib/data"),
        ("/", "'/' is the root directory; mount below it, e.g. /data"),
        ("//./", "'//./' is the root directory; mount below it, e.g. /data"),
        ("tmp", "'tmp' is not an absolute path; use e.g. /var/lib/data"),
        (
            "/data:ro",
            "'/data:ro' contains a control character or ':' (Docker and Podman read ':' as a separator); use e.g. /var/lib/data",
        ),
    ],
)
def test_bad_mount_paths(path: str, message: str) -> None:
    assert errors(make_app(web={"tmpfs": [path]})) == [f"app.yaml: services.web.tmpfs[0]: {message}"]


@pytest.mark.parametrize("name", ["80", "a--b", "-http", "http-", "h" * 16, "HTTP", "http\n"])
def test_port_names_are_iana_service_names(name: str) -> None:
    assert errors(make_app(cache={"ports": [{"name": name, "port": 6379}]})) == [
        f"app.yaml: services.cache.ports[0].name: {name!r} is not a valid port name: use 1-15 lowercase letters, digits and '-', with at least one letter and no '-' at either end or next to another (Kubernetes takes IANA service names), e.g. http"
    ]


@pytest.mark.parametrize("name", ["http", "h2c", "x-1", "8080-tcp", "a" * 15])
def test_port_names_kubernetes_takes(name: str) -> None:
    parse_spec(make_app(cache={"ports": [{"name": name, "port": 6379}]}), "app.yaml")


def test_every_problem_is_reported_in_one_run_in_file_order() -> None:
    # api's probe port is not among its ports, but its ports did not parse: that is not
    # reported as a second problem. An invalid service name is still a known name.
    data = make_app(
        web={"resources": {"memory": "lots"}, "depends_on": ["ghost"]},
        api={"ports": [{"name": "http", "port": "8080"}], "health": {"tcp": {"port": 9}}},
        db={"image": "Bad Image", "tmpfs": ["/var/lib/postgresql/data"], "depends_on": ["web"]},
        worker={"colour": "blue", "depends_on": ["nowhere"]},
    )
    data["services"]["Cache"] = data["services"].pop("cache")
    assert errors(data) == [
        "app.yaml: services.web.depends_on[0]: unknown service 'ghost'; services are: Cache, api, db, web, worker",
        "app.yaml: services.web.resources.memory: 'lots' is not a size; use e.g. 256Mi or 1Gi",
        "app.yaml: services.api.ports[0].port: expected a whole number, e.g. 8080 (got '8080')",
        "app.yaml: services.api.depends_on[1]: unknown service 'cache'; services are: Cache, api, db, web, worker",
        "app.yaml: services.worker.depends_on[0]: unknown service 'nowhere'; services are: Cache, api, db, web, worker",
        "app.yaml: services.worker.colour: unknown field; allowed: image, command, env, secret_env, ports, replicas, resources, health, volumes, tmpfs, depends_on, egress, isolation, user, read_only_root",
        "app.yaml: services.db.image: 'Bad Image' is not a valid image reference: use [registry/]name[:tag][@sha256:digest] with a lowercase name, e.g. example/app:1.2.0",
        "app.yaml: services.db.volumes[0].path: path /var/lib/postgresql/data is mounted twice",
        "app.yaml: services.Cache: 'Cache' is not a valid service name: use 1-40 lowercase letters, digits and '-', starting with a letter, e.g. web",
    ]


def test_a_cycle_is_found_among_services_that_parsed_even_when_others_did_not() -> None:
    data = make_app(db={"depends_on": ["api"], "replicas": "one"})
    assert errors(data) == [
        "app.yaml: services.api.depends_on: dependency cycle: api -> db -> api",
        "app.yaml: services.db.replicas: expected a whole number, e.g. 2 (got 'one')",
    ]


@pytest.mark.parametrize("field", ["env", "secret_env"])
def test_path_cannot_be_set_in_the_environment(field: str) -> None:
    value = "/opt/bin" if field == "env" else "path"
    assert errors(make_app(worker={field: {"PATH": value}})) == [
        f"app.yaml: services.worker.{field}.PATH: 'PATH' cannot be set: health checks and the image's own programs are found through the image's PATH; set it in the image instead"
    ]
    spec = parse_spec(make_app(worker={"env": {"HOME": "/tmp", "MY_PATH": "/x"}}), "app.yaml")
    assert spec.services["worker"].env["HOME"] == "/tmp"


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (
            {"user": "4294967295"},
            "services.worker.user: '4294967295' is out of range: a UID or GID is at most 4294967294",
        ),
        (
            {"command": ["run", "a\0b"]},
            "services.worker.command[1]: contains a NUL character (\\0), which no process can receive",
        ),
        (
            {"env": {"A": "x\0"}},
            "services.worker.env.A: contains a NUL character (\\0), which no process can receive",
        ),
        (
            {
                "health": {"http": {"port": 8080, "path": "/health check"}},
                "ports": [{"name": "http", "port": 8080}],
            },
            "services.worker.health.http.path: '/health check' is not a valid HTTP path: start with '/' and use printable ASCII without spaces (percent-encode the rest), e.g. /healthz",
        ),
    ],
)
def test_values_no_target_could_deploy(service: dict[str, Any], expected: str) -> None:
    assert errors(make_app(worker=service)) == [f"app.yaml: {expected}"]

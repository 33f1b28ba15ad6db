"""Well-known sample apps, imported as a user would: every dropped field is a warning, no
password reaches the spec, and the spec previews on every target."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.importers.compose import import_compose
from components.importers.output import ImportResult, render
from components.offline.policy_check import check_policies
from tests.factory import preview
from tests.importers.helpers import FIXTURES, service, spec_of

TARGETS = ("docker", "vm", "hybrid", "kubernetes")
# Every secret value the fixtures hold (in compose.yaml, .env, env files and secret files).
SECRET_VALUES = ("v0te-s3cret", "r00t-Pa55-wp", "wp-Pa55-9x7", "k3y-of-wp-auth", "g0-Pg-Pa55word")

SHARED = "set the value in each stack with the command printed below"
VOTING = [
    "services.vote.networks: front-tier, back-tier not kept: traffic follows depends_on instead; vote accepts connections from no service and reaches redis",
    "services.result.entrypoint: the spec has only command, which replaces the image's CMD and keeps its ENTRYPOINT; command is nodemon --inspect=0.0.0.0 server.js (entrypoint + command), right only if the image has no ENTRYPOINT; otherwise bake the entrypoint into the image",
    f"services.result.environment.PG_PASSWORD: holds a secret in plaintext; it is secret_env PG_PASSWORD -> secret db-postgres-password, shared with services.db.environment.POSTGRES_PASSWORD (the same value); {SHARED}",
    "services.result.ports[1]: host_ip 127.0.0.1 is not kept: the spec has no per-port address; the Docker target publishes on docker.bind_address (default 127.0.0.1), set it in the stack config",
    "services.result.networks: front-tier, back-tier not kept: traffic follows depends_on instead; result accepts connections from no service and reaches db",
    f"services.worker.environment.DB_PASSWORD: holds a secret in plaintext; it is secret_env DB_PASSWORD -> secret db-postgres-password, shared with services.db.environment.POSTGRES_PASSWORD (the same value); {SHARED}",
    "services.worker.restart: on-failure is not kept: every target restarts a service that exits; a one-off job does not belong in the spec",
    "services.worker.networks: back-tier not kept: traffic follows depends_on instead; worker accepts connections from no service and reaches redis, db",
    "services.redis: declares no port 6379, which services.worker.environment.REDIS_URL connects to; added (not public) so the spec admits that traffic",
    "services.redis.networks: back-tier not kept: traffic follows depends_on instead; redis accepts connections from vote, worker and reaches no service",
    f"services.db.environment.POSTGRES_PASSWORD: holds a secret in plaintext; it is secret_env POSTGRES_PASSWORD -> secret db-postgres-password; {SHARED}",
    "services.db.volumes[0]: volume db-data has no size in Compose; 1Gi is used; set size to what the data needs",
    "services.db: declares no ports; 5432, where postgres listens, was added (not public) so its clients can connect; add the ports it listens on to expose if there are others",
    "services.db.networks: back-tier not kept: traffic follows depends_on instead; db accepts connections from result, worker and reaches no service",
]
WORDPRESS = [
    f"services.db.environment.MARIADB_ROOT_PASSWORD: holds a secret in plaintext; it is secret_env MARIADB_ROOT_PASSWORD -> secret db-mariadb-root-password; {SHARED}",
    f"services.db.environment.MARIADB_PASSWORD: holds a secret in plaintext; it is secret_env MARIADB_PASSWORD -> secret db-mariadb-password; {SHARED}",
    "services.db.volumes[0]: volume db_data has no size in Compose; 1Gi is used; set size to what the data needs",
    f"services.wordpress.env_file.WORDPRESS_AUTH_KEY: holds a secret in plaintext (in wordpress.env); it is secret_env WORDPRESS_AUTH_KEY -> secret wordpress-auth-key; {SHARED}",
    f"services.wordpress.environment.WORDPRESS_DB_PASSWORD: holds a secret in plaintext; it is secret_env WORDPRESS_DB_PASSWORD -> secret db-mariadb-password, shared with services.db.environment.MARIADB_PASSWORD (the same value); {SHARED}",
    "services.wordpress.volumes[0]: volume wp_content has no size in Compose; 1Gi is used; set size to what the data needs",
    "services.wordpress.volumes[1]: bind mount ./uploads.ini -> /usr/local/etc/php/conf.d/uploads.ini is not kept: targets do not share the host's files; make it a volume or bake it into the image (COPY in a Dockerfile)",
    "services.wordpress.container_name: not kept: names are generated so that replacements never collide; clients use the service name",
]
GOPG = [
    "services.proxy.deploy.resources.limits: no cpus and memory limit (unlimited in Compose); the spec always limits, to 1 CPU and 512Mi; set resources to what the service needs",
    "services.proxy.volumes[0]: bind mount ./proxy/nginx.conf -> /etc/nginx/conf.d/default.conf is not kept: targets do not share the host's files; make it a volume or bake it into the image (COPY in a Dockerfile)",
    "services.proxy.cap_add: NET_BIND_SERVICE not kept: the spec drops all capabilities; make the image work without them (e.g. listen on a port above 1024 instead of NET_BIND_SERVICE)",
    "services.backend.environment.DB_PASSWORD_FILE: read secret db-password from the file /run/secrets/db-password; the spec passes secrets as environment variables, so it is secret_env DB_PASSWORD -> db-password; check that the image reads DB_PASSWORD",
    "services.backend.deploy.resources.reservations: not kept: the spec reserves what it limits (requests = limits); devices and GPUs are not kept",
    "services.backend.deploy.update_config: not kept: updates are create-before-delete on every target",
    "services.db.environment.POSTGRES_PASSWORD_FILE: read secret db-password from the file /run/secrets/db-password; the spec passes secrets as environment variables, so it is secret_env POSTGRES_PASSWORD -> db-password; check that the image reads POSTGRES_PASSWORD",
    "services.db.volumes[0]: volume db-data has no size in Compose; 1Gi is used; set size to what the data needs",
    "services.db.user: 'postgres' is a name; the spec needs a numeric UID[:GID] (Kubernetes checks non-root by number); dropped; look it up with `docker run --rm --entrypoint id IMAGE` and set user",
]
EXPECTED = {"voting": VOTING, "wordpress": WORDPRESS, "gopg": GOPG}


def import_example(name: str) -> ImportResult:
    return import_compose(FIXTURES / name / "compose.yaml", source=f"{name}/compose.yaml")


@pytest.mark.parametrize("name", EXPECTED)
def test_every_dropped_field_is_one_warning_line(name: str) -> None:
    result = import_example(name)
    assert result.warnings == [f"warning: {name}/compose.yaml: {line}" for line in EXPECTED[name]]


@pytest.mark.parametrize("name", EXPECTED)
def test_no_secret_value_reaches_the_spec_or_the_output(name: str) -> None:
    result = import_example(name)
    said = render(result, None) + "\n".join(result.warnings) + "\n".join(s.command for s in result.secrets)
    for value in SECRET_VALUES:
        assert value not in said


@pytest.mark.parametrize("name", EXPECTED)
def test_the_same_files_give_the_same_bytes(name: str) -> None:
    assert render(import_example(name), None) == render(import_example(name), None)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", EXPECTED)
def test_the_imported_spec_previews_on_every_target(tmp_path: Path, name: str, target: str) -> None:
    spec = spec_of(import_example(name))
    result = preview(tmp_path, spec, target=target)  # bad input raises: the test fails
    for svc in spec["services"]:
        assert any(r.name.startswith(f"{spec['app']}-{svc}-") for r in result.resources), svc
    check_policies(
        result, None, stack_given=False
    )  # runs the pack; findings about the images themselves (root...) are fine


def test_voting_keeps_dependencies_health_checks_and_public_ports() -> None:
    spec = spec_of(import_example("voting"))
    vote, db, redis = service(spec, "vote"), service(spec, "db"), service(spec, "redis")
    assert vote["depends_on"] == ["redis"]
    assert service(spec, "worker")["depends_on"] == ["redis", "db"]
    assert vote["ports"] == [{"name": "http", "port": 80, "public": True, "host_port": 8080}]
    assert vote["replicas"] == 2
    assert vote["resources"] == {"cpus": 0.5, "memory": "256Mi"}  # Compose's 256M is binary
    assert vote["health"] == {
        "exec": {"command": ["curl", "-f", "http://localhost/"]},
        "interval": "15s",
        "timeout": "5s",
        "retries": 3,
        "start_period": "10s",
    }
    assert redis["health"]["exec"] == {"command": ["/bin/sh", "-c", "redis-cli ping | grep PONG"]}
    assert db["health"]["exec"] == {"command": ["/bin/sh", "-c", "pg_isready -U postgres -h 127.0.0.1"]}
    assert db["secret_env"] == {"POSTGRES_PASSWORD": "db-postgres-password"}
    assert db["env"] == {"POSTGRES_USER": "postgres"}
    assert db["volumes"] == [{"name": "db-data", "path": "/var/lib/postgresql/data", "size": "1Gi"}]


def test_wordpress_reads_env_files_and_interpolates_from_dot_env() -> None:
    spec = spec_of(import_example("wordpress"))
    db, wordpress = service(spec, "db"), service(spec, "wordpress")
    assert db["image"] == "mariadb:11.4"  # ${MARIADB_VERSION:-11.4}
    assert db["command"] == [
        "--transaction-isolation=READ-COMMITTED",
        "--log-bin=binlog",
        "--binlog-format=ROW",
    ]
    assert db["ports"] == [{"name": "mysql", "port": 3306}]  # from expose
    assert db["resources"] == {"cpus": 1, "memory": "1Gi"}  # mem_limit, cpus
    assert wordpress["env"]["WORDPRESS_DB_HOST"] == "db:3306"  # from wordpress.env
    assert wordpress["secret_env"] == {
        "WORDPRESS_AUTH_KEY": "wordpress-auth-key",
        "WORDPRESS_DB_PASSWORD": "db-mariadb-password",
    }
    assert [v["name"] for v in wordpress["volumes"]] == ["wp-content"]


def test_gopg_turns_compose_secrets_into_secret_env_and_prints_the_command() -> None:
    result = import_example("gopg")
    spec = spec_of(result)
    assert service(spec, "backend")["secret_env"] == {"DB_PASSWORD": "db-password"}
    assert "DB_PASSWORD_FILE" not in service(spec, "backend").get("env", {})
    assert service(spec, "db")["secret_env"] == {"POSTGRES_PASSWORD": "db-password"}
    assert service(spec, "backend")["isolation"] == "sandbox"  # runtime: runsc
    assert service(spec, "backend")["read_only_root"] is True
    assert service(spec, "proxy")["ports"] == [{"name": "web", "port": 80, "public": True, "host_port": 8000}]
    password_file = FIXTURES / "gopg" / "db" / "password.txt"
    assert [s.command for s in result.secrets] == [
        f"pulumi config set --secret --path 'secrets.db-password' < {password_file}"
    ]


def test_the_written_file_has_the_header_and_the_schema_line(tmp_path: Path) -> None:
    text = render(import_example("voting"), tmp_path / "app.yaml")
    lines = text.splitlines()
    assert lines[0] == "# Imported by `hybrid import compose` from voting/compose.yaml."
    schema_line = next(line for line in lines if "yaml-language-server" in line)
    assert schema_line.endswith("/schema/app.schema.json")
    assert "#   pulumi config set --secret --path 'secrets.db-postgres-password' '<value>'" in text
    first_key = next(line for line in lines if not line.startswith("#"))
    assert first_key == "app: voting"


def test_the_schema_line_is_relative_inside_the_project() -> None:
    from components.importers.output import PROJECT_ROOT

    text = render(import_example("voting"), PROJECT_ROOT / "stacks" / "imported.yaml")
    assert "# yaml-language-server: $schema=../schema/app.schema.json" in text

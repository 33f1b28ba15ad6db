"""Environment (list and map forms), env files, interpolation, and secrets kept out of the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from components.importers.compose import import_compose
from tests.importers.helpers import WEB, imported, one, problems, service, write_compose

SET = "set the value in each stack with the command printed below"


@pytest.mark.parametrize(
    "environment",
    [
        {"MODE": "production", "PORT": 8080, "DEBUG": False, "RATIO": 0.5},
        ["MODE=production", "PORT=8080", "DEBUG=false", "RATIO=0.5"],
    ],
)
def test_list_and_map_forms_give_the_same_env(tmp_path: Path, environment: Any) -> None:
    web, said = one(tmp_path, {**WEB, "environment": environment})
    assert web["env"] == {"DEBUG": "false", "MODE": "production", "PORT": "8080", "RATIO": "0.5"}
    assert said == []


def test_yes_and_on_stay_text_as_in_compose(tmp_path: Path) -> None:
    text = "services:\n  web:\n    image: nginx:1.27\n    environment:\n      FEATURE: yes\n      LIGHT: on\n"
    spec, _ = imported(tmp_path, text)
    assert service(spec, "web")["env"] == {"FEATURE": "yes", "LIGHT": "on"}


def test_a_variable_without_a_value_comes_from_dot_env_or_is_dropped(tmp_path: Path) -> None:
    web, said = one(
        tmp_path, {**WEB, "environment": ["FROM_DOTENV", "FROM_SHELL"]}, **{".env": "FROM_DOTENV=42\n"}
    )
    assert web["env"] == {"FROM_DOTENV": "42"}
    assert said == [
        "services.web.environment.FROM_SHELL: FROM_SHELL has no value: Compose takes it from the shell that runs it, which an import cannot see; dropped; set it in env (or in .env next to the compose file) and import again"
    ]


def test_env_files_are_read_relative_to_the_compose_file_and_environment_wins(tmp_path: Path) -> None:
    env_file = "\n".join(
        [
            "# comment",
            "export MODE=staging",
            "GREETING='Hello $USER'",
            'QUOTED="line\\none" # a comment',
            "INLINE=value # a comment",
            "HASH=value#not-a-comment",
            "EMPTY=",
            "REMOVED",
            "OVERRIDDEN=from-file",
        ]
    )
    web, said = one(
        tmp_path,
        {
            **WEB,
            "env_file": ["config/app.env", {"path": "missing.env", "required": False}],
            "environment": {"OVERRIDDEN": "from-compose"},
        },
        **{"config/app.env": env_file},
    )
    assert web["env"] == {
        "EMPTY": "",
        "GREETING": "Hello $USER",
        "HASH": "value#not-a-comment",
        "INLINE": "value",
        "MODE": "staging",
        "OVERRIDDEN": "from-compose",
        "QUOTED": "line\none",
    }
    assert said == []


def test_a_missing_required_env_file_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "env_file": "web.env"}}}) == [
        "compose.yaml: services.web.env_file: web.env: no such file (relative to the compose file's folder)"
    ]


def test_interpolation_applies_defaults_and_warns_on_unset(tmp_path: Path) -> None:
    web, said = one(
        tmp_path,
        {
            **WEB,
            "image": "nginx:${TAG:-1.27}",
            "environment": {
                "A": "${SET_IN_DOTENV}",
                "B": "${UNSET}",
                "C": "${EMPTY:-fallback}",
                "D": "${EMPTY-kept-empty}",
                "E": "$$LITERAL and $${BRACED}",
                "F": "${UNSET:-${SET_IN_DOTENV}-nested}",
                "G": "${SET_IN_DOTENV:+alternative}",
            },
        },
        **{".env": "SET_IN_DOTENV=dot\nEMPTY=\n"},
    )
    assert web["image"] == "nginx:1.27"
    assert web["env"] == {
        "A": "dot",
        "B": "",
        "C": "fallback",
        "D": "",
        "E": "$LITERAL and ${BRACED}",
        "F": "dot-nested",
        "G": "alternative",
    }
    assert said == [
        "services.web.environment.B: ${UNSET} is not set and has no default, so it is empty; set UNSET in the .env file next to the compose file and import again"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("${}", "'${}' is not a variable; use e.g. ${NAME} or ${NAME:-default}"),
        (
            "${VAR/a/b}",
            "'${VAR/a/b}' is not supported; Compose allows ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, ${NAME:+alt}, ${NAME+alt}",
        ),
        ("${OPEN", "'${' without a closing '}' in '${OPEN'"),
    ],
)
def test_bad_interpolation_is_an_error(tmp_path: Path, value: str, message: str) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "environment": {"X": value}}}}) == [
        f"compose.yaml: services.web.environment.X: {message}"
    ]


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("DB_PASSWORD", "pw1", "web-db-password"),
        ("MYSQL_ROOT_PASSWORD", "pw2", "web-mysql-root-password"),
        ("DB_PASS", "pw3", "web-db-pass"),
        ("MYSQL_PWD", "pw4", "web-mysql-pwd"),
        ("PGPASSWORD", "pw5", "web-pgpassword"),
        ("JWT_SECRET", "s", "web-jwt-secret"),
        ("GITHUB_TOKEN", "t", "web-github-token"),
        ("STRIPE_API_KEY", "k", "web-stripe-api-key"),
        ("TLS_PRIVATE_KEY", "k2", "web-tls-private-key"),
        ("AWS_SECRET_ACCESS_KEY", "k3", "web-aws-secret-access-key"),
        ("GCP_CREDENTIALS", "c", "web-gcp-credentials"),
        ("WEB_SESSION_KEY", "k4", "web-session-key"),
        ("DATABASE_URL", "postgres://app:hunter2@db:5432/app", "web-database-url"),
    ],
)
def test_values_that_look_like_secrets_become_secret_env(
    tmp_path: Path, name: str, value: str, secret: str
) -> None:
    web, said = one(tmp_path, {**WEB, "environment": {name: value}})
    assert web["secret_env"] == {name: secret}
    assert "env" not in web
    assert (
        said[0]
        == f"services.web.environment.{name}: holds a secret in plaintext; it is secret_env {name} -> secret {secret}; {SET}"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PWD", "/app"),
        ("DB_PASSWORD_FILE", "/run/secrets/db"),
        ("MYSQL_ALLOW_EMPTY_PASSWORD", "yes"),
        ("MARIADB_RANDOM_ROOT_PASSWORD", "1"),
        ("TOKEN_TTL", "3600"),
        ("SECRET_NAME", "db-credentials"),
        ("DATABASE_URL", "postgres://db:5432/app"),
        ("TOKENIZER", "bert"),
        ("EMPTY_PASSWORD", ""),
    ],
)
def test_values_that_are_not_secrets_stay_in_env(tmp_path: Path, name: str, value: str) -> None:
    web, _ = one(tmp_path, {**WEB, "environment": {name: value}})
    assert web["env"] == {name: value}


def test_the_command_to_set_a_secret_never_holds_its_value(tmp_path: Path) -> None:
    result = import_compose(
        write_compose(tmp_path, {"services": {"web": {**WEB, "environment": {"API_TOKEN": "t0k3n-value"}}}}),
        source="compose.yaml",
    )
    assert [s.command for s in result.secrets] == [
        "pulumi config set --secret --path 'secrets.web-api-token' '<value>'"
    ]
    assert [s.origin for s in result.secrets] == [
        "the value of services.web.environment.API_TOKEN in compose.yaml"
    ]
    assert "t0k3n-value" not in "".join(result.warnings)


def test_compose_secrets_from_a_file_a_variable_and_outside(tmp_path: Path) -> None:
    compose = {
        "services": {
            "web": {
                **WEB,
                "secrets": ["db_password", {"source": "api-key", "target": "api.key"}, "tls"],
                "environment": {"DB_PASSWORD_FILE": "/run/secrets/db_password"},
            }
        },
        "secrets": {
            "db_password": {"file": "./secrets/db.txt"},
            "api-key": {"environment": "API_KEY"},
            "tls": {"external": True},
        },
    }
    result = import_compose(write_compose(tmp_path, compose), source="compose.yaml")
    web = result.spec["services"]["web"]
    assert web["secret_env"] == {"API_KEY": "api-key", "DB_PASSWORD": "db-password", "TLS": "tls"}
    assert "env" not in web
    assert [s.command for s in result.secrets] == [
        "pulumi config set --secret --path 'secrets.api-key' \"$API_KEY\"",
        f"pulumi config set --secret --path 'secrets.db-password' < {tmp_path}/secrets/db.txt",
        "pulumi config set --secret --path 'secrets.tls' '<value>'",
    ]
    assert [w.removeprefix("warning: compose.yaml: ") for w in result.warnings] == [
        "services.web.environment.DB_PASSWORD_FILE: read secret db_password from the file /run/secrets/db_password; the spec passes secrets as environment variables, so it is secret_env DB_PASSWORD -> db-password; check that the image reads DB_PASSWORD",
        "services.web.secrets[1]: secret api-key was the file /run/secrets/api.key; the spec passes secrets as environment variables, so it is secret_env API_KEY -> api-key; make the app read API_KEY (or its file: bake a wrapper into the image)",
        "services.web.secrets[2]: secret tls was the file /run/secrets/tls; the spec passes secrets as environment variables, so it is secret_env TLS -> tls; make the app read TLS (or its file: bake a wrapper into the image)",
    ]


def test_an_undefined_compose_secret_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path, {"services": {"web": {**WEB, "secrets": ["nope"]}}}) == [
        "compose.yaml: services.web.secrets[0]: secret 'nope' is not defined under the top-level secrets: (defined: none)"
    ]


def test_a_variable_name_the_spec_refuses_is_dropped(tmp_path: Path) -> None:
    web, said = one(tmp_path, {**WEB, "environment": {"spring.profiles.active": "prod", "OK": "1"}})
    assert web["env"] == {"OK": "1"}
    assert said == [
        "services.web.environment.spring.profiles.active: 'spring.profiles.active' is not a variable name the spec allows (letters, digits, _); dropped; rename it in the app"
    ]


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("DB_HOST", "db"),
        ("DATABASE", "postgres://app@db:5432/app"),
        ("API", "http://db:8080/v1"),
        ("PEERS", "cache:1,db:2"),
    ],
)
def test_a_value_naming_a_service_without_depends_on_is_refused_traffic(
    tmp_path: Path, var: str, value: str
) -> None:
    compose = {
        "services": {"web": {**WEB, "environment": {var: value}}, "db": {**WEB, "expose": [1, 2, 5432, 8080]}}
    }
    spec, said = imported(tmp_path, compose)
    assert "depends_on" not in service(spec, "web")
    assert (
        f"services.web.environment.{var}: names service db, but web does not depend on it, so the spec will refuse that traffic; add db to services.web.depends_on"
        in said
    )


def test_a_port_a_client_names_is_added_to_the_server(tmp_path: Path) -> None:
    compose = {
        "services": {
            "web": {**WEB, "environment": {"CACHE_URL": "redis://cache:6380/0"}, "depends_on": ["cache"]},
            "cache": {**WEB, "image": "example/cache:1"},
        }
    }
    spec, said = imported(tmp_path, compose)
    assert service(spec, "cache")["ports"] == [{"name": "tcp-6380", "port": 6380}]
    assert said == [
        "services.cache: declares no port 6380, which services.web.environment.CACHE_URL connects to; added (not public) so the spec admits that traffic"
    ]


def test_a_server_without_ports_gets_its_image_port_or_a_warning(tmp_path: Path) -> None:
    compose = {
        "services": {
            "web": {**WEB, "depends_on": ["db", "custom"]},
            "db": {**WEB, "image": "docker.io/library/postgres:16@sha256:" + "a" * 64},
            "custom": {**WEB, "image": "example/custom:1"},
        }
    }
    spec, said = imported(tmp_path, compose)
    assert service(spec, "db")["ports"] == [{"name": "postgres", "port": 5432}]
    assert "ports" not in service(spec, "custom")
    assert said == [
        "services.db: declares no ports; 5432, where docker.io/library/postgres listens, was added (not public) so its clients can connect; add the ports it listens on to expose if there are others",
        "services.custom: declares no ports, and web depend on it; the spec admits traffic only on declared ports; add the port it listens on to expose",
    ]


def test_renamed_services_are_renamed_in_values_too(tmp_path: Path) -> None:
    compose = {
        "services": {
            "Web_App": {
                **WEB,
                "environment": {"API_URL": "http://api_v2:8080/x", "API_HOST": "api_v2"},
                "depends_on": ["api_v2"],
            },
            "api_v2": {**WEB, "expose": [8080]},
            "api-v2": {**WEB},
        }
    }
    spec, said = imported(tmp_path, compose)
    assert list(spec["services"]) == ["web-app", "api-v2-2", "api-v2"]
    web = service(spec, "web-app")
    assert web["env"] == {"API_HOST": "api-v2-2", "API_URL": "http://api-v2-2:8080/x"}
    assert web["depends_on"] == ["api-v2-2"]
    assert said == [
        "services.Web_App: the name is not DNS-safe; the service is web-app in the spec, and other services reach it by that name",
        "services.Web_App.environment.API_URL: names service api_v2, which is api-v2-2 in the spec; the value now says api-v2-2",
        "services.Web_App.environment.API_HOST: names service api_v2, which is api-v2-2 in the spec; the value now says api-v2-2",
        "services.api_v2: the name is not DNS-safe; the service is api-v2-2 in the spec, and other services reach it by that name",
    ]

"""Specs built in code, and a helper that previews them under the mock runtime."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from components.offline.runner import PreviewResult, run_preview

BASE_SERVICES: dict[str, dict[str, Any]] = {
    "web": {
        "image": "example/web:1.0.0",
        "ports": [{"name": "http", "port": 8080, "public": True, "host_port": 5000}],
        "health": {"http": {"path": "/healthz", "port": 8080}},
        "depends_on": ["api"],
        "user": "1000:1000",
        "tmpfs": ["/tmp"],
    },
    "api": {
        "image": "example/api:1.0.0",
        "ports": [{"name": "http", "port": 8080}],
        "secret_env": {"DB_PASSWORD": "db-password"},
        "depends_on": ["db", "cache"],
        "egress": True,
    },
    "worker": {"image": "example/worker:1.0.0", "depends_on": ["db", "cache"]},
    "db": {
        "image": "postgres:16.4",
        "ports": [{"name": "pg", "port": 5432}],
        "secret_env": {"POSTGRES_PASSWORD": "db-password"},
        "volumes": [{"name": "data", "path": "/var/lib/postgresql/data", "size": "2Gi"}],
        "health": {"exec": {"command": ["pg_isready"]}, "interval": "5s", "retries": 5},
    },
    "cache": {
        "image": "redis:7.4",
        "ports": [{"name": "redis", "port": 6379}],
        "health": {"tcp": {"port": 6379}},
    },
}


def make_app(name: str = "shop", **services: dict[str, Any] | None) -> dict[str, Any]:
    """The base app with services replaced (`web={...}`), merged (`web__replicas=3` style is
    not supported: pass a whole dict) or removed (`worker=None`)."""
    result = copy.deepcopy(BASE_SERVICES)
    for key, value in services.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = {**result.get(key, {}), **value}
    return {"app": name, "services": result}


def preview(
    tmp_path: Path,
    spec: dict[str, Any],
    config: dict[str, Any] | None = None,
    stack: str = "test",
    target: str = "docker",
) -> PreviewResult:
    """Write `spec` and a stack file with `config` (keys without the project prefix) and preview it."""
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(spec))
    settings = {"target": target, **(config or {})}
    stack_file = {"config": {f"hybrid-platform:{k}": v for k, v in settings.items()}}
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(stack_file))
    return run_preview(tmp_path, stack)

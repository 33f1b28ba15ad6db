"""The program as `pulumi up` runs it: input errors stop the run before any resource."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
import yaml

from components.appspec import Problem, SpecError
from components.offline.runner import run_preview
from components.program import pulumi_main
from tests.factory import make_app


def write_stack(tmp_path: Path, config: dict[str, object]) -> None:
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(make_app()))
    stack = {"config": {f"hybrid-platform:{k}": v for k, v in config.items()}}
    (tmp_path / "Pulumi.prod.yaml").write_text(yaml.safe_dump(stack))


def test_missing_secret_stops_pulumi_up_naming_it_and_the_command(tmp_path: Path) -> None:
    write_stack(tmp_path, {"target": "docker"})
    with pytest.raises(SpecError) as caught:
        run_preview(tmp_path, "prod", offline=False)
    assert caught.value.lines() == [
        "Pulumi.prod.yaml: hybrid-platform:secrets.db-password: missing (used by "
        "services.db.secret_env.POSTGRES_PASSWORD, services.api.secret_env.DB_PASSWORD); "
        "set it with: pulumi config set --secret --path 'secrets.db-password' <value> --stack prod"
    ]


def test_offline_preview_uses_a_placeholder_and_warns(tmp_path: Path) -> None:
    write_stack(tmp_path, {"target": "docker"})
    result = run_preview(tmp_path, "prod")
    assert [w for w in result.warnings if "secrets.db-password: missing" in w]


def test_set_secret_passes_under_pulumi_up(tmp_path: Path) -> None:
    write_stack(tmp_path, {"target": "docker", "secrets": {"db-password": {"secure": "v1:x"}}})
    result = run_preview(tmp_path, "prod", offline=False)
    assert not result.warnings


def test_pulumi_main_turns_input_errors_into_a_run_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bad_program(stacks_dir: Path) -> None:
        raise SpecError("app.yaml", [Problem("services.web.replicas", "must be >= 0")])

    monkeypatch.setattr("components.program.program", bad_program)
    with pytest.raises(pulumi.RunError) as caught:
        pulumi_main(tmp_path)
    assert str(caught.value) == "invalid input:\napp.yaml: services.web.replicas: must be >= 0"

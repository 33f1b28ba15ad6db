"""Where the Pulumi CLI exists: `pulumi up` and `destroy` of the dev stack on the local Docker
daemon, through the Automation API with a local file backend.

The CLI downloads itself and its plugins from the internet, which these machines cannot
reach, so here this test is skipped with that reason, under CI too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.live.engine_facts import health_status
from tests.live.images import build_image

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]
IMAGES = {"example/voting-web:1.4.2", "example/voting-api:2.1.0", "example/voting-worker:2.1.0",
          "postgres:16.4-alpine", "redis:7.4.1-alpine"}  # fmt: skip


def test_up_and_destroy_the_dev_stack(tmp_path: Path, docker_client) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pulumi") is None:
        pytest.skip("the pulumi CLI is not installed: it and its plugins download from the internet")
    from pulumi import automation as auto

    build_image(docker_client, IMAGES)
    # A copy of the project, so setting config never touches the stack files in the repository.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "stacks", project / "stacks")
    (project / "Pulumi.yaml").write_text(
        (ROOT / "Pulumi.yaml").read_text().replace("virtualenv: .venv", f"virtualenv: {ROOT / '.venv'}")
    )
    env = {"PULUMI_BACKEND_URL": f"file://{tmp_path}", "PULUMI_CONFIG_PASSPHRASE": "live-test"}
    stack = auto.create_or_select_stack(
        stack_name="dev", work_dir=str(project), opts=auto.LocalWorkspaceOptions(env_vars=env)
    )
    try:
        stack.set_config("secrets.db-password", auto.ConfigValue("live-automation", secret=True), path=True)
        stack.set_config("docker.sandbox_runtime", auto.ConfigValue("runc"), path=True)  # no gVisor here
        up = stack.up(on_output=print)
        assert up.summary.result == "succeeded"
        running = docker_client.containers.list(filters={"label": "hybrid-platform.io/app=voting"})
        assert len(running) == 5
        assert all(health_status(c.attrs) == "healthy" for c in running)
    finally:
        stack.destroy(on_output=print)
        stack.workspace.remove_stack("dev")
    assert docker_client.containers.list(all=True, filters={"label": "hybrid-platform.io/app=voting"}) == []

"""`hybrid move` prints each step's commands and resource diff; `hybrid diff` compares stacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hybrid(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_move_prints_each_steps_commands_and_what_it_changes() -> None:
    run = hybrid("move", "dev", "api", "--to", "hybrid")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line for line in lines if line.startswith("step ")] == [
        "step start:",
        "step switch:",
        "step finish:",
    ]
    assert "  pulumi config set --path 'hybrid-platform:moves.api.step' switch --stack dev" in lines
    assert "  pulumi config rm --path 'hybrid-platform:moves.api' --stack dev" in lines
    assert "    + kubernetes:apps/v1:Deployment voting-api-deployment" in lines  # the new copy, at start
    assert "    + kubernetes:core/v1:Service voting-api-service" in lines  # the name, at switch
    assert "    - docker:index/container:Container voting-api-0" in lines  # the old copy, at finish
    assert not any("replace" in line for line in lines)  # the provider decides updates and replacements


def test_one_step_only() -> None:
    run = hybrid("move", "dev", "api", "--to", "hybrid", "--step", "switch")
    assert run.returncode == 0, run.stderr
    assert [line for line in run.stdout.splitlines() if line.startswith("step ")] == ["step switch:"]


def test_a_move_that_cannot_be_made_is_one_line_and_exit_2() -> None:
    run = hybrid("move", "dev", "db", "--to", "hybrid")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("error: Pulumi.dev.yaml: hybrid-platform:moves.db: db has volumes")
    assert len(run.stderr.splitlines()) == 1
    run = hybrid("move", "dev", "api", "--to", "mars")
    assert (run.returncode, run.stderr) == (
        2,
        "error: --to: 'mars' is not a target; available: docker, vm, hybrid, kubernetes\n",
    )


def test_diff_between_two_stacks() -> None:
    run = hybrid("diff", "staging", "hybrid")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "+ hybrid:k3s:K3sCluster voting-hybrid-cluster" in lines
    assert "- libvirt:index/domain:Domain voting-api-0" in lines
    assert any(line.startswith("~ libvirt:index/domain:Domain voting-db-0 (") for line in lines)

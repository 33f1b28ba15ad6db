"""The policies on whole previews: shipped stacks pass, the insecure app fails on every target."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from components.offline.policy_check import check_policies
from components.offline.runner import run_preview

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DEV = ROOT / "policies" / "config" / "dev.json"
# At least what the insecure app shows on each target with dev's levels (the VM target's
# workload facts are pending: tests/policies/test_parity.py).
FLAGGED = {
    "docker": {"docker-no-bind-all-ports", "stack-isolation-vs-target", "docker-non-root-user", "docker-image-pinned",
               "docker-healthcheck", "docker-read-only-root", "stack-no-plaintext-secrets"},
    "vm": {"libvirt-resource-caps"},
    "kubernetes": {"k8s-non-root-user", "k8s-image-pinned", "k8s-probes", "k8s-read-only-root",
                   "stack-no-plaintext-secrets"},
    "hybrid": {"k8s-non-root-user", "k8s-image-pinned", "k8s-probes", "k8s-read-only-root",
               "stack-no-plaintext-secrets"},
}  # fmt: skip


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_shipped_stacks_pass_every_mandatory_control(stack: str) -> None:
    report = check_policies(run_preview(ROOT / "stacks", stack), None, stack_given=True)
    assert report.config == f"policies/config/{stack}.json"
    assert report.mandatory == []


@pytest.mark.parametrize("target", sorted(FLAGGED))
def test_insecure_app_fails_on_each_target(target: str) -> None:
    report = check_policies(
        run_preview(FIXTURES, "insecure", target=target), config_file=DEV, stack_given=True
    )
    assert {v.policy for v in report.violations} >= FLAGGED[target]
    assert report.mandatory


def test_a_stack_without_its_own_config_is_judged_strictest() -> None:
    report = check_policies(run_preview(FIXTURES, "insecure", target="docker"), None, stack_given=True)
    assert report.config == "strictest (no policies/config/insecure.json)"
    assert report.mandatory == report.violations


def test_cli_exits_1_and_lists_the_violated_controls() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "components", "preview", "dev", "--spec", str(FIXTURES / "insecure-app.yaml")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert "mandatory stack-isolation-vs-target" in run.stdout
    assert "mandatory stack-no-plaintext-secrets" in run.stdout
    assert "fix: Move the service to a target that gives its isolation" in run.stdout
    critical = run.stdout.index("critical")
    assert critical < run.stdout.index("low")  # grouped by severity, most severe first


def test_cli_json_carries_the_violations() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "components", "preview", "insecure", "--stacks-dir", str(FIXTURES),
         "--target", "vm", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    violations = json.loads(run.stdout)["violations"]
    assert violations and all(set(v) >= {"policy", "level", "urn", "message"} for v in violations)
    assert ("libvirt-resource-caps", "mandatory") in {(v["policy"], v["level"]) for v in violations}


def test_prod_preview_reports_no_mandatory_violation() -> None:
    run = subprocess.run([sys.executable, "-m", "components", "preview", "prod"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert "0 mandatory" in run.stdout

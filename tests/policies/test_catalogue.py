"""Every control is complete, documented, configured sanely, and in the pack."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from policies.catalogue import BY_ID, CONTROLS
from policies.engine import level_of
from policies.framework import KEBAB, LEVELS, SEVERITIES
from policies.pack import build_policies

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "policies" / "README.md").read_text()
TABLE = README.split("## The controls", 1)[1].split("\n## ", 1)[0]
ENVIRONMENTS = ("dev", "staging", "prod")


def config(env: str) -> dict[str, object]:
    return json.loads((ROOT / "policies" / "config" / f"{env}.json").read_text())


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.id)
def test_control_is_complete(control) -> None:  # type: ignore[no-untyped-def]
    assert KEBAB.match(control.id) and control.id.startswith(
        {"docker": "docker-", "libvirt": "libvirt-", "kubernetes": "k8s-", "stack": "stack-"}[control.target]
    )
    assert control.severity in SEVERITIES
    assert control.description.endswith(".") and control.remediation and control.benchmark
    assert (control.check is None) != (control.stack_check is None)
    assert bool(control.resource_types) == (control.check is not None)
    row = next(line for line in TABLE.splitlines() if line.startswith(f"| `{control.id}` |"))
    assert f"| {control.target} | {control.severity} |" in row and f"| {control.default_level} |" in row


def test_ids_are_unique_and_counts_meet_the_catalogue() -> None:
    assert len(BY_ID) == len(CONTROLS)
    counts = Counter(c.target for c in CONTROLS)
    assert (
        counts["docker"] >= 18
        and counts["libvirt"] >= 8
        and counts["kubernetes"] >= 16
        and counts["stack"] >= 6
    )


def test_the_pack_has_one_policy_per_control_with_its_metadata() -> None:
    policies = build_policies()
    assert [p.name for p in policies] == [c.id for c in CONTROLS]
    for policy, control in zip(policies, CONTROLS, strict=True):
        assert policy.description == control.description
        assert policy.severity.value == control.severity
        assert policy.remediation_steps == control.remediation


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_configs_name_real_controls_and_levels(env: str) -> None:
    for key, value in config(env).items():
        assert key in BY_ID or key == "all", key
        level = value.get("enforcementLevel") if isinstance(value, dict) else value
        assert level in LEVELS
        if isinstance(value, dict):
            assert set(value) - {"enforcementLevel"} <= set(BY_ID[key].params), key


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_isolation_controls_are_mandatory_everywhere(env: str) -> None:
    for control in CONTROLS:
        if control.isolation:
            assert level_of(control, config(env)) == "mandatory", (env, control.id)


def test_style_controls_are_advisory_in_dev_and_mandatory_in_prod() -> None:
    style = [c for c in CONTROLS if not c.isolation]
    assert {level_of(c, config("dev")) for c in style} == {"advisory"}
    assert {level_of(c, config("prod")) for c in style} == {"mandatory"}


def test_readme_lists_exactly_the_controls() -> None:
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", TABLE, re.MULTILINE)
    assert sorted(listed) == sorted(BY_ID)


def test_pack_entry_point_only_builds_the_pack() -> None:
    main = (ROOT / "policies" / "__main__.py").read_text()
    assert "PolicyPack(" in main and "def " not in main
    assert "runtime:" in (ROOT / "policies" / "PulumiPolicy.yaml").read_text()

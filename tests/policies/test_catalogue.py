"""Every control is complete, named after its function and file, documented, configured
sanely, enforced like its twins, and in the pack."""

from __future__ import annotations

import ast
import json
import pkgutil
from pathlib import Path

import pytest

from policies import framework, rules
from policies.catalogue import BY_ID, CONTROLS, select
from policies.engine import config_problems, level_of
from policies.framework import ID_PREFIXES, SEVERITIES, Control
from policies.pack import build_policies
from policies.readme import README, generated
from tests.policies.test_controls import CASES

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = ("dev", "staging", "prod")


def config(env: str) -> dict[str, object]:
    return json.loads((ROOT / "policies" / "config" / f"{env}.json").read_text())


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.id)
def test_the_id_is_the_engine_prefix_and_the_function_name(control: Control) -> None:
    function = control.check.__name__
    assert control.id == ID_PREFIXES[control.target] + function.replace("_", "-")
    package, stem = control.check.__module__.removeprefix("policies.rules.").split(".")
    assert package == control.target  # policies/rules/<engine>/
    assert stem == function or function.startswith(stem + "_"), (
        "one control per module, or a group sharing its name"
    )


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.id)
def test_every_control_is_complete(control: Control) -> None:
    assert control.severity in SEVERITIES
    assert control.description.endswith(".") and control.remediation and control.benchmark
    assert set(control.strict) <= set(control.params)
    assert control.id in CASES, "add a case to tests/policies/test_controls.py"


def test_every_rule_module_declares_a_control_and_nothing_else_does() -> None:
    modules = {m.name for m in pkgutil.walk_packages(rules.__path__, prefix="policies.rules.") if not m.ispkg}
    assert modules == {c.check.__module__ for c in CONTROLS}
    for path in (ROOT / "policies").glob("*.py"):
        assert "@control(" not in path.read_text() or path.name == "framework.py", path


def test_ids_are_unique_and_counts_meet_the_catalogue() -> None:
    assert len(BY_ID) == len(CONTROLS)
    assert {t: len(select(targets={t})) for t in ID_PREFIXES} == {
        "docker": 26, "libvirt": 12, "vm": 5, "kubernetes": 23, "stack": 7
    }  # fmt: skip


def test_an_id_declared_twice_is_refused() -> None:
    declare = framework.control(id="docker-no-privileged", target="docker", severity="low", benchmark="b", remediation="r",
                      description="d.", isolation=False, types=("docker:index/container:Container",))  # fmt: skip
    with pytest.raises(ValueError, match="docker-no-privileged is declared twice"):
        declare(lambda r, p: [])
    assert BY_ID["docker-no-privileged"].severity == "critical"


def test_controls_are_selected_by_metadata() -> None:
    chosen = select(targets={"vm", "stack"}, isolation=True)
    assert chosen and all(c.target in ("vm", "stack") and c.isolation for c in chosen)
    assert {c.id for c in select(severities={"low"})} >= {
        "docker-healthcheck",
        "k8s-probes",
        "vm-workload-healthcheck",
    }
    assert select() == CONTROLS


def test_the_pack_has_one_policy_per_control_with_its_metadata() -> None:
    policies = build_policies()
    assert [p.name for p in policies] == [c.id for c in CONTROLS]
    for policy, control in zip(policies, CONTROLS, strict=True):
        assert policy.description == control.description
        assert policy.severity.value == control.severity
        assert policy.remediation_steps == control.remediation
    assert [p.name for p in build_policies(select(targets={"docker"}))] == [
        c.id for c in select(targets={"docker"})
    ]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_shipped_configs_are_valid(env: str) -> None:
    assert config_problems(config(env)) == []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_isolation_controls_are_mandatory_everywhere(env: str) -> None:
    for control in CONTROLS:
        if control.isolation:
            assert level_of(control, config(env)) == "mandatory", (env, control.id)


def test_style_controls_are_advisory_in_dev_and_mandatory_in_staging_and_prod() -> None:
    for control in select(isolation=False):
        levels = [level_of(control, config(env)) for env in ENVIRONMENTS]
        expected = ["advisory"] * 3 if control.advisory else ["advisory", "mandatory", "mandatory"]
        assert levels == expected, control.id


def test_twins_on_other_engines_are_enforced_alike() -> None:
    concerns: dict[str, list[Control]] = {}
    for control in CONTROLS:
        if control.concern:
            concerns.setdefault(control.concern, []).append(control)
    assert set(concerns) == {"non-root-user", "image-pinned", "plaintext-secret", "healthcheck", "read-only-root",
                             "added-capabilities"}  # fmt: skip
    for concern, twins in concerns.items():
        if concern == "plaintext-secret":
            assert [c.target for c in twins] == ["stack"]
            continue
        assert sorted(c.target for c in twins) == ["docker", "kubernetes", "vm"], concern
        assert len({c.severity for c in twins}) == 1, concern
        for env in ENVIRONMENTS:
            assert len({level_of(c, config(env)) for c in twins}) == 1, (concern, env)
        assert len({json.dumps(c.params, sort_keys=True) for c in twins}) == 1, concern
        assert len({json.dumps(c.strict, sort_keys=True) for c in twins}) == 1, concern


def test_readme_tables_are_generated_from_the_metadata() -> None:
    text = README.read_text()
    assert generated() in text, "run `uv run python -m policies.readme`"
    for control in CONTROLS:
        assert f"| `{control.id}` | {control.target} | {control.severity} | {control.description} |" in text


def test_pack_entry_point_only_builds_the_pack() -> None:
    main = (ROOT / "policies" / "__main__.py").read_text()
    tree = ast.parse(main)
    assert "PolicyPack(" in main
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert "runtime:" in (ROOT / "policies" / "PulumiPolicy.yaml").read_text()

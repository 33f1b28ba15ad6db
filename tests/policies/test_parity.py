"""One careless spec, one verdict on every target: root user, unpinned image, plaintext
secret in env, no health check and writable root are flagged on Docker, Kubernetes and
VMs alike, at the same level per environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from components.offline.policy_check import check_policies
from policies.catalogue import CONTROLS
from policies.engine import evaluate, load_config
from policies.framework import Resource, Violation
from tests.factory import preview
from tests.policies.fixtures import compliant, vm_facts

ROOT = Path(__file__).resolve().parents[2]
WEAKNESSES = ("non-root-user", "image-pinned", "plaintext-secret", "healthcheck", "read-only-root")
CONCERN = {c.id: c.concern for c in CONTROLS if c.concern}
ENVIRONMENTS = ("dev", "prod")


def verdict(violations: list[Violation]) -> dict[str, set[str]]:
    """Weakness -> the levels it is flagged at."""
    found: dict[str, set[str]] = {}
    for violation in violations:
        if violation.policy in CONCERN:
            found.setdefault(CONCERN[violation.policy], set()).add(violation.level)
    return found


EXPECTED = {
    "dev": {"non-root-user": {"advisory"}, "image-pinned": {"advisory"}, "plaintext-secret": {"mandatory"},
            "healthcheck": {"advisory"}, "read-only-root": {"advisory"}},
    "prod": {weakness: {"mandatory"} for weakness in WEAKNESSES},
}  # fmt: skip


# Resources shaped like each target's output: the compliant one made careless.
def careless_container(r: dict[str, Resource]) -> Resource:
    p = r["container"].props
    p.pop("user"), p.pop("healthcheck")
    p.update(
        image="docker.io/example/web:latest", readOnly=False, envs=[*p["envs"], "ADMIN_PASSWORD=hunter2"]
    )
    return r["container"]


def careless_deployment(r: dict[str, Resource]) -> Resource:
    pod = r["deployment"].props["spec"]["template"]["spec"]
    pod["securityContext"].pop("runAsUser")
    container = pod["containers"][0]
    container.pop("readinessProbe"), container.pop("livenessProbe")
    container["securityContext"]["readOnlyRootFilesystem"] = False
    container["image"] = "docker.io/example/web:latest"
    container["env"].append({"name": "ADMIN_PASSWORD", "value": "hunter2"})
    return r["deployment"]


def careless_domain(r: dict[str, Resource]) -> Resource:
    r["domain"].props["description"] = vm_facts(
        workload_user=None, workload_image="docker.io/example/web:latest", workload_health="none",
        workload_read_only_root="false", workload_env="MODE,ADMIN_PASSWORD",
    )  # fmt: skip
    return r["domain"]


SHAPES: dict[str, Callable[[dict[str, Resource]], Resource]] = {
    "docker container": careless_container,
    "kubernetes deployment": careless_deployment,
    "vm domain": careless_domain,
}


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_careless_workload_gets_the_same_verdict_in_every_shape(shape: str, env: str) -> None:
    resources = compliant()
    careless = SHAPES[shape](resources)
    found = evaluate(list(resources.values()), load_config(None, env).entries)
    assert {f.urn for f in found} == {careless.urn}
    assert verdict(found) == EXPECTED[env]


CARELESS_SPEC = {
    "app": "careless",
    "services": {
        "web": {
            "image": "example/web:latest",
            "ports": [{"name": "http", "port": 8080}],
            "env": {"ADMIN_PASSWORD": "hunter2"},
            "read_only_root": False,
        }
    },
}


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("target", ["docker", "kubernetes", "hybrid", "vm"])
def test_the_careless_spec_gets_the_same_verdict_on_every_target(
    tmp_path: Path, target: str, env: str
) -> None:
    result = preview(tmp_path, CARELESS_SPEC, target=target)
    report = check_policies(
        result, config_file=ROOT / "policies" / "config" / f"{env}.json", stack_given=True
    )
    assert verdict(report.violations) == EXPECTED[env]

"""How violations are printed: one line per control and message, naming every resource."""

from __future__ import annotations

import io

from rich.console import Console

from components.offline.policy_check import PolicyReport
from components.offline.render import print_violations
from policies.framework import Violation


def printed(violations: list[Violation]) -> list[str]:
    out = io.StringIO()
    print_violations(PolicyReport("policies/config/dev.json", violations), Console(file=out, width=300))
    return out.getvalue().splitlines()


def finding(
    policy: str, resource: str, message: str, level: str = "advisory", severity: str = "high"
) -> Violation:
    urn = f"urn:pulumi:dev::p::docker:index/container:Container::{resource}" if resource else None
    return Violation(policy, level, severity, urn, message, "Set user.")


def test_a_finding_on_every_replica_is_one_line_with_the_count_and_the_resources() -> None:
    lines = printed([finding("docker-non-root-user", f"web-{n}", "runs as root") for n in (2, 0, 1)])
    assert lines[1:] == [
        "policies (policies/config/dev.json): 3 violations, 0 mandatory",
        "high",
        "  advisory  docker-non-root-user  web-0, web-1, web-2 (3): runs as root",
        "            fix: Set user.",
    ]


def test_different_messages_stay_apart_and_many_resources_are_cut_short() -> None:
    many = [finding("docker-non-root-user", f"api-{n}", "runs as root", "mandatory") for n in range(7)]
    lines = printed([*many, finding("docker-non-root-user", "web-0", "runs as the image's user"), finding("stack-x", "", "stack-wide", severity="critical")])  # fmt: skip
    assert (
        "  mandatory docker-non-root-user  api-0, api-1, api-2, api-3, api-4, +2 more (7): runs as root"
        in lines
    )
    assert "  advisory  docker-non-root-user  web-0: runs as the image's user" in lines
    assert lines.index("critical") < lines.index("high")
    assert "  advisory  stack-x  stack: stack-wide" in lines

"""Absurdly large specs are refused by their bound at once, in one line; large specs at the
bounds are checked (no timing here: speed is what the benchmarks measure)."""

from __future__ import annotations

from typing import Any

import pytest

from components.appspec import SpecError, parse_spec
from components.appspec.limits import MAX_SERVICES
from tests.factory import make_app


def errors(data: Any) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_spec(data, "app.yaml")
    return caught.value.lines()


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (
            {"ports": [{"name": f"p{i}", "port": i % 65535 + 1} for i in range(10_000)]},
            "services.web.ports: at most 256 ports (got 10000)",
        ),
        (
            {"tmpfs": [f"/t/{i}" for i in range(30_000)]},
            "services.web.tmpfs: at most 64 tmpfs mounts (got 30000)",
        ),
        (
            {"volumes": [{"name": f"v{i}", "path": f"/v/{i}"} for i in range(65)]},
            "services.web.volumes: at most 64 volumes (got 65)",
        ),
        (
            {"env": {f"E{i}": "x" for i in range(20_000)}},
            "services.web.env: at most 1000 env entries (got 20000)",
        ),
        (
            {"secret_env": {f"E{i}": "pw" for i in range(257)}},
            "services.web.secret_env: at most 256 secret_env entries (got 257)",
        ),
        ({"command": ["x"] * 100_000}, "services.web.command: at most 1024 arguments (got 100000)"),
        (
            {"command": ["x" * 100_000]},
            "services.web.command[0]: must be at most 32768 characters (got 100000)",
        ),
        ({"env": {"A": "x" * 40_000}}, "services.web.env.A: must be at most 32768 characters (got 40000)"),
        ({"depends_on": ["api"] * 5000}, "services.web.depends_on: at most 2000 dependencies (got 5000)"),
        ({"tmpfs": ["/" + "x/" * 3000]}, "services.web.tmpfs[0]: must be at most 4096 characters (got 6001)"),
    ],
)
def test_a_huge_list_is_refused_by_its_bound_in_one_line(service: dict[str, Any], expected: str) -> None:
    assert errors(make_app(web=service)) == [f"app.yaml: {expected}"]


def test_too_many_services_are_refused_by_the_bound() -> None:
    services = {f"s{i}": {"image": "x:1", "depends_on": [f"s{i + 1}"]} for i in range(3000)}
    assert errors({"app": "big", "services": services}) == [
        "app.yaml: services: at most 2000 services (got 3000)"
    ]


def test_a_chain_of_services_at_the_bound_is_checked_whole() -> None:
    chain = {
        f"s{i}": {"image": "x:1", "depends_on": [f"s{i + 1}"] if i + 1 < MAX_SERVICES else []}
        for i in range(MAX_SERVICES)
    }
    spec = parse_spec({"app": "big", "services": chain}, "app.yaml")
    assert len(spec.services) == MAX_SERVICES
    chain[f"s{MAX_SERVICES - 1}"]["depends_on"] = ["s0"]  # one cycle through all of them
    lines = errors({"app": "big", "services": chain})
    assert len(lines) == 1 and lines[0].startswith(
        "app.yaml: services.s0.depends_on: dependency cycle: s0 -> s1 -> "
    )
    assert lines[0].count(" -> ") == MAX_SERVICES


def test_services_at_every_bound_are_accepted() -> None:
    service = {
        "image": "x:1",
        "ports": [{"name": f"p{i}", "port": i + 1} for i in range(256)],
        "tmpfs": [f"/t/{i}" for i in range(64)],
        "volumes": [{"name": f"v{i}", "path": f"/v/{i}"} for i in range(64)],
        "env": {f"E{i}": "x" for i in range(1000)},
    }
    spec = parse_spec({"app": "big", "services": {"web": service}}, "app.yaml")
    assert len(spec.services["web"].ports) == 256


def test_two_cycles_are_two_problems() -> None:
    services = {
        "a": {"image": "x:1", "depends_on": ["b"]},
        "b": {"image": "x:1", "depends_on": ["a"]},
        "c": {"image": "x:1", "depends_on": ["d"]},
        "d": {"image": "x:1", "depends_on": ["e"]},
        "e": {"image": "x:1", "depends_on": ["c", "a"]},
    }
    assert errors({"app": "x", "services": services}) == [
        "app.yaml: services.a.depends_on: dependency cycle: a -> b -> a",
        "app.yaml: services.c.depends_on: dependency cycle: c -> d -> e -> c",
    ]

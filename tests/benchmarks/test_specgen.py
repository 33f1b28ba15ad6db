"""Generated specs: valid, deterministic, in the advertised shares, with a fixed depth on request."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.specgen import depth_of, generate_spec, secrets_of, write_workdir
from components.appspec import parse_spec
from components.offline.stackfile import read_stack_config


@pytest.mark.parametrize("n", [1, 10, 250])
def test_every_generated_spec_is_valid(n: int) -> None:
    spec = parse_spec(generate_spec(n))
    assert len(spec.services) == n


def test_same_seed_same_spec_other_seed_other_spec() -> None:
    assert generate_spec(50) == generate_spec(50)
    assert generate_spec(50, seed=1) != generate_spec(50)


def test_roles_and_features_come_in_the_advertised_shares() -> None:
    services = generate_spec(1000)["services"].values()
    roles = Counter(name.split("-")[0] for name in generate_spec(1000)["services"])
    assert roles == {"api": 450, "worker": 200, "db": 120, "cache": 120, "queue": 60, "web": 50}
    share = {
        "volumes": sum("volumes" in s for s in services) / 1000,
        "secret_env": sum("secret_env" in s for s in services) / 1000,
        "egress": sum(s.get("egress", False) for s in services) / 1000,
        "sandbox": sum(s.get("isolation") == "sandbox" for s in services) / 1000,
        "public": sum(any(p.get("public") for p in s.get("ports", [])) for s in services) / 1000,
        "replicated": sum(s.get("replicas", 1) > 1 for s in services) / 1000,
    }
    assert 0.18 <= share["volumes"] <= 0.24
    assert 0.40 <= share["secret_env"] <= 0.55
    assert 0.10 <= share["egress"] <= 0.20
    assert 0.07 <= share["sandbox"] <= 0.14
    assert share["public"] == 0.05
    assert 0.35 <= share["replicated"] <= 0.55


@pytest.mark.parametrize("depth", [2, 4, 7])
def test_fixed_depth_does_not_depend_on_n(depth: int) -> None:
    assert {depth_of(generate_spec(n, depth=depth)) for n in (20, 200, 1000)} == {depth}


def test_realistic_depth_grows_slowly() -> None:
    assert 3 <= depth_of(generate_spec(10)) <= depth_of(generate_spec(1000)) <= 15


def test_stack_file_sets_every_secret_and_the_target(tmp_path: Path) -> None:
    spec = generate_spec(40)
    workdir = write_workdir(tmp_path, spec, "vm")
    config = read_stack_config(tmp_path / "Pulumi.bench.yaml")
    assert config.values["hybrid-platform:target"] == "vm"
    assert set(secrets_of(spec)) == set(json.loads(config.values["hybrid-platform:secrets"]))
    assert "hybrid-platform:secrets" in config.secret_keys
    assert workdir.spec.read_text().startswith("app: bench")

"""Which levels apply, the way the Pulumi CLI takes a policy config: --policy-config FILE,
else policies/config/<stack>.json, else the strictest; without a stack, dev. A bad file is
an input error, one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.appspec import SpecError
from components.offline.policy_check import check_policies
from policies.catalogue import BY_ID, CONTROLS
from policies.engine import level_of, load_config, params_of
from tests.factory import make_app, preview

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "levels.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_an_explicit_file_wins(tmp_path: Path) -> None:
    path = write(tmp_path, {"docker-healthcheck": "disabled"})
    config = load_config(path, "prod")
    assert config.source == str(path)
    assert level_of(BY_ID["docker-healthcheck"], config.entries) == "disabled"


def test_a_stack_uses_its_own_file() -> None:
    config = load_config(None, "staging")
    assert config.source == "policies/config/staging.json"
    assert config.entries == json.loads((ROOT / "policies" / "config" / "staging.json").read_text())


def test_a_stack_without_its_own_file_is_judged_with_the_strictest_levels() -> None:
    config = load_config(None, "test")
    assert config.source == "strictest (no policies/config/test.json)"
    assert {level_of(c, config.entries) for c in CONTROLS} == {"mandatory"}
    assert params_of(BY_ID["docker-image-pinned"], config.entries)["requireDigest"] is True
    assert params_of(BY_ID["stack-protected-data"], config.entries)["protectData"] is True
    assert params_of(BY_ID["libvirt-no-host-interfaces"], config.entries)["allowedBridges"] == []


def test_a_preview_without_a_stack_uses_dev() -> None:
    config = load_config(None, None)
    assert config.source == "policies/config/dev.json"
    assert level_of(BY_ID["docker-healthcheck"], config.entries) == "advisory"


def test_the_report_names_the_config_it_applied(tmp_path: Path) -> None:
    result = preview(tmp_path, make_app(), stack="test")
    assert check_policies(result, None, stack_given=True).config == "strictest (no policies/config/test.json)"
    assert check_policies(result, None, stack_given=False).config == "policies/config/dev.json"
    chosen = write(tmp_path, {"all": "advisory"})
    report = check_policies(result, config_file=chosen, stack_given=True)
    assert report.config == str(chosen) and report.violations and report.mandatory == []


BAD = [
    ({"docker-image-pinnd": "mandatory"}, ["docker-image-pinnd: unknown control; did you mean docker-image-pinned? the controls are listed in policies/README.md"]),
    ({"docker-healthcheck": "warn"}, ['docker-healthcheck: level "warn" is not advisory, mandatory or disabled; e.g. "docker-healthcheck": "advisory"']),
    ({"docker-image-pinned": {"enforcementLevel": "strict"}}, ['docker-image-pinned.enforcementLevel: level "strict" is not advisory, mandatory or disabled; e.g. "docker-image-pinned": "advisory"']),
    ({"docker-image-pinned": {"requireDigest": "yes"}}, ['docker-image-pinned.requireDigest: must be true or false, got "yes"; e.g. "requireDigest": false']),
    ({"docker-restart-policy": {"maxRetries": 2.5}}, ['docker-restart-policy.maxRetries: must be a whole number, got 2.5; e.g. "maxRetries": 5']),
    ({"docker-restart-policy": {"maxRetries": True}}, ['docker-restart-policy.maxRetries: must be a whole number, got true; e.g. "maxRetries": 5']),
    ({"libvirt-network-mode": {"allowedBridges": "br0"}}, ['libvirt-network-mode.allowedBridges: must be a list of strings, got "br0"; e.g. "allowedBridges": ["name"]']),
    ({"docker-image-pinned": {"requireDigests": True}}, ["docker-image-pinned.requireDigests: unknown parameter; docker-image-pinned takes: requireDigest"]),
    ({"all": "everything"}, ['all: level "everything" is not advisory, mandatory or disabled; e.g. "all": "advisory"']),
    ({"docker-healthcheck": 1}, ['docker-healthcheck: level 1 is not advisory, mandatory or disabled; e.g. "docker-healthcheck": "advisory"']),
]  # fmt: skip


@pytest.mark.parametrize(("document", "lines"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_a_bad_config_is_an_input_error_naming_the_file_and_key(tmp_path: Path, document: object, lines: list[str]) -> None:  # fmt: skip
    path = write(tmp_path, document)
    with pytest.raises(SpecError) as raised:
        load_config(path, "prod")
    assert raised.value.lines() == [f"{path}: {line}" for line in lines]


def test_every_problem_of_a_file_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, {"docker-healthcheck": "warn", "nope": "advisory", "k8s-probes": "mandatory"})
    with pytest.raises(SpecError) as raised:
        load_config(path)
    assert [line.split(": ")[1] for line in raised.value.lines()] == ["docker-healthcheck", "nope"]


@pytest.mark.parametrize(
    ("content", "start"),
    [("{not json", "is not JSON (Expecting property name"), ("[]", "must be a JSON object"), (b"\xff\xfe\x00", "is not JSON")],
)  # fmt: skip
def test_a_file_that_is_no_policy_config_is_an_input_error(
    tmp_path: Path, content: str | bytes, start: str
) -> None:
    path = tmp_path / "levels.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SpecError) as raised:
        load_config(path)
    (line,) = raised.value.lines()
    assert line.startswith(f"{path}: {start}") and "e.g." in line


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        load_config(tmp_path / "missing.json")
    assert raised.value.lines() == [f"{tmp_path / 'missing.json'}: cannot be read (No such file or directory); give a JSON policy config, e.g. policies/config/prod.json"]  # fmt: skip

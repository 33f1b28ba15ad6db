"""Stack settings: decoding Pulumi's config text and naming the key of every error."""

from __future__ import annotations

import json

import pytest

from components.appspec import SpecError
from components.settings import parse_settings
from components.targets.docker.settings import DockerSettings

SOURCE = "Pulumi.dev.yaml"


def settings_errors(raw: dict[str, str], secret: set[str] | None = None) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_settings(raw, secret or set(), SOURCE)
    return caught.value.lines()


def test_defaults() -> None:
    settings = parse_settings({"hybrid-platform:target": "docker"}, set(), SOURCE)
    assert settings.section(DockerSettings).bind_address == "127.0.0.1"
    assert settings.section(DockerSettings).host is None
    assert settings.spec == "app.yaml"
    assert settings.protect_data is False
    assert settings.secrets == {}


def test_values_are_decoded_like_pulumi_passes_them() -> None:
    raw = {
        "hybrid-platform:target": "docker",
        "hybrid-platform:protect_data": "true",
        "hybrid-platform:docker": json.dumps({"bind_address": "0.0.0.0", "host": "unix:///run/docker.sock"}),
        "hybrid-platform:secrets": json.dumps({"db-password": "pw"}),
        "aws:region": "eu-west-1",  # other namespaces are not ours to judge
    }
    settings = parse_settings(raw, {"hybrid-platform:secrets"}, SOURCE)
    assert settings.protect_data is True
    assert settings.section(DockerSettings).bind_address == "0.0.0.0"
    assert settings.secrets["db-password"].get_secret_value() == "pw"
    assert "pw" not in repr(settings)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {},
            "Pulumi.dev.yaml: hybrid-platform:target: required; set it with: pulumi config set target <docker|vm|hybrid|kubernetes>",
        ),
        (
            {"hybrid-platform:target": "vm-ware"},
            "Pulumi.dev.yaml: hybrid-platform:target: 'vm-ware' is not a target; available: docker, vm, hybrid, kubernetes",
        ),
        (
            {"hybrid-platform:target": "docker", "hybrid-platform:protectdata": "true"},
            "Pulumi.dev.yaml: hybrid-platform:protectdata: unknown config key; allowed: target, spec, overrides, protect_data, placement, accepted_gaps, moves, docker, libvirt, cluster, kubernetes, secrets",
        ),
        (
            {"hybrid-platform:target": "docker", "hybrid-platform:protect_data": "yes"},
            "Pulumi.dev.yaml: hybrid-platform:protect_data: must be true or false (got 'yes')",
        ),
        (
            {"hybrid-platform:target": "docker", "hybrid-platform:docker": "[1]"},
            "Pulumi.dev.yaml: hybrid-platform:docker: must be a mapping (YAML object)",
        ),
        (
            {
                "hybrid-platform:target": "docker",
                "hybrid-platform:docker": '{"bind_address": "localhost"}',
            },
            "Pulumi.dev.yaml: hybrid-platform:docker.bind_address: 'localhost' is not an IP address; use e.g. 127.0.0.1",
        ),
        (
            {"hybrid-platform:target": "docker", "hybrid-platform:docker": '{"bind": "0.0.0.0"}'},
            "Pulumi.dev.yaml: hybrid-platform:docker.bind: unknown field; allowed: host, bind_address, sandbox_runtime, host_address",
        ),
        (
            {
                "hybrid-platform:target": "docker",
                "hybrid-platform:secrets": '{"db-password": "pw"}',
            },
            "Pulumi.dev.yaml: hybrid-platform:secrets.<name>: must be a Pulumi secret; set it with: pulumi config set --secret --path 'secrets.<name>' <value>",
        ),
    ],
)
def test_bad_settings_name_the_key(raw: dict[str, str], expected: str) -> None:
    assert settings_errors(raw) == [expected]

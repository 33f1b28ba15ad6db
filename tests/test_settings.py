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
            "Pulumi.dev.yaml: hybrid-platform:secrets.db-password: must be a Pulumi secret; set it with: pulumi config set --secret --path 'secrets.db-password' <value>",
        ),
        (
            {
                "hybrid-platform:target": "kubernetes",
                "hybrid-platform:kubernetes": json.dumps({"namespace": "kube-system"}),
            },
            "Pulumi.dev.yaml: hybrid-platform:kubernetes.namespace: 'kube-system' is the cluster's own namespace: the app's default-deny policy would cover the cluster's pods; use the app's own, e.g. voting",
        ),
    ],
)
def test_bad_settings_name_the_key(raw: dict[str, str], expected: str) -> None:
    assert settings_errors(raw) == [expected]


def test_each_plain_text_secret_is_named_and_an_empty_map_holds_none() -> None:
    plain = {"hybrid-platform:target": "docker", "hybrid-platform:secrets": '{"b": "1", "a": "2"}'}
    assert [line.split(": ")[1] for line in settings_errors(plain)] == [
        "hybrid-platform:secrets.a",
        "hybrid-platform:secrets.b",
    ]
    empty = {"hybrid-platform:target": "docker", "hybrid-platform:secrets": "{}"}
    assert parse_settings(empty, set(), SOURCE).target == "docker"


def section_errors(key: str, value: dict[str, object], target: str = "hybrid") -> list[str]:
    raw = {"hybrid-platform:target": target, f"hybrid-platform:{key}": json.dumps(value)}
    return settings_errors(raw, {f"hybrid-platform:{key}"})


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "cluster",
            {"k3s_version": "1.33.2"},
            "cluster.k3s_version: '1.33.2' is not a valid k3s release: use v1.<minor>.<patch>+k3s<n> as k3s names its releases, e.g. v1.33.2+k3s1",
        ),
        (
            "cluster",
            {"install_source": "http://get.k3s.io"},
            "cluster.install_source: 'http://get.k3s.io' is not a valid k3s install source: use the https:// URL of install.sh, or an absolute directory on the base image, without spaces, e.g. https://get.k3s.io",
        ),
        ("cluster", {"ready_timeout": "30s"}, "cluster.ready_timeout: must be at least 1m (got 30s)"),
        ("cluster", {"ready_timeout": "3h"}, "cluster.ready_timeout: must be at most 2h (got 3h)"),
        ("cluster", {"ready_timeout": 1.0e308}, "cluster.ready_timeout: must be at most 24h (got 1e+308)"),
        ("cluster", {"memory": 1.0e308}, "cluster.memory: must be at most 1Pi (got 1e+308)"),
        (
            "cluster",
            {"disk": "9" * 30 + "Gi"},
            "cluster.disk: must be at most 1Pi (got '999999999999999999999999999999Gi')",
        ),
        ("cluster", {"servers": 2}, "cluster.servers: must be 1 or 3 (got 2)"),
        (
            "libvirt",
            {"guest_memory_overhead": "1e400"},
            "libvirt.guest_memory_overhead: '1e400' is not a size; use e.g. 256Mi or 1Gi",
        ),
        (
            "libvirt",
            {"uri": "qemu:///system\n"},
            "libvirt.uri: 'qemu:///system\\n' is not a valid libvirt connection URI: use a driver, '://' and the host and path, without spaces, e.g. qemu:///system",
        ),
        (
            "libvirt",
            {"ssh_authorized_keys": ["ssh-ed25519 AAAA op\nssh-rsa BBBB intruder"]},
            "libvirt.ssh_authorized_keys[0]: 'ssh-ed25519 AAAA op\\nssh-rsa BBBB intruder' is not a valid SSH public key: use one line as in authorized_keys: the key type, the base64 key, then an optional comment, e.g. ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA operator@example",
        ),
        (
            "libvirt",
            {"hosts": "qemu:///system"},
            "libvirt.hosts: expected a list, e.g. [qemu+ssh://host1/system, qemu+ssh://host2/system] (got 'qemu:///system')",
        ),
        (
            "libvirt",
            {"network": "nat"},
            "libvirt.network: expected a mapping with any of cidr, mode, e.g. {cidr: 10.77.0.0/16, mode: nat} (got 'nat')",
        ),
        (
            "libvirt",
            {"pool": "a\nb"},
            "libvirt.pool: 'a\\nb' is not a valid name or path: use printable text on one line, e.g. default",
        ),
        (
            "kubernetes",
            {"namespace": "voting\n"},
            "kubernetes.namespace: 'voting\\n' is not a valid namespace: use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. voting",
        ),
        (
            "kubernetes",
            {"runtime_classes": {"sandbox": "gVisor"}},
            "kubernetes.runtime_classes.sandbox: 'gVisor' is not a valid RuntimeClass name: use up to 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. gvisor",
        ),
        (
            "kubernetes",
            {"pss_version": "1.33"},
            "kubernetes.pss_version: '1.33' is not a valid Pod Security Standards version: use latest or a Kubernetes minor version, e.g. v1.33",
        ),
        (
            "docker",
            {"host": "localhost:2375"},
            "docker.host: 'localhost:2375' is not a valid Docker daemon address: use unix://, tcp://, ssh:// or npipe:// followed by the address, without spaces, e.g. unix:///var/run/docker.sock",
        ),
        (
            "docker",
            {"sandbox_runtime": "runsc\n"},
            "docker.sandbox_runtime: 'runsc\\n' is not a valid Docker runtime name: use lowercase letters, digits, '.', '_' and '-', starting with a letter, e.g. runsc",
        ),
        (
            "docker",
            {"bind_address": 127001},
            "docker.bind_address: expected text, e.g. 127.0.0.1 (got 127001)",
        ),
    ],
)
def test_every_form_is_explained_in_words_with_an_example(
    key: str, value: dict[str, object], expected: str
) -> None:
    assert section_errors(key, value) == [f"Pulumi.dev.yaml: hybrid-platform:{expected}"]


def test_no_message_quotes_a_regular_expression() -> None:
    lines = section_errors("cluster", {"k3s_version": "x", "install_source": "x"})
    lines += section_errors(
        "kubernetes", {"namespace": "X", "pss_version": "x", "runtime_classes": {"vm": "X"}}
    )
    lines += section_errors("docker", {"host": "x", "sandbox_runtime": "X"}, target="docker")
    lines += section_errors("libvirt", {"uri": "x", "hosts": ["x"], "ssh_authorized_keys": ["x"]})
    assert len(lines) == 10
    assert not [line for line in lines if any(c in line for c in "^$\\[]+*?") and "e.g." not in line]
    assert not [line for line in lines if "pattern" in line or "String should" in line]


def test_the_spec_path_and_secrets_are_text_on_one_line() -> None:
    assert settings_errors({"hybrid-platform:target": "docker", "hybrid-platform:spec": "app.yaml\n"}) == [
        "Pulumi.dev.yaml: hybrid-platform:spec: 'app.yaml\\n' is not a valid spec file: use a path relative to stacks/ (or absolute), printable text on one line, e.g. app.yaml"
    ]
    raw = {"hybrid-platform:target": "docker", "hybrid-platform:secrets": json.dumps({"db-password\n": "x"})}
    assert settings_errors(raw, {"hybrid-platform:secrets"}) == [
        "Pulumi.dev.yaml: hybrid-platform:secrets.\"db-password\\n\": 'db-password\\n' is not a valid secret name: use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit, e.g. db-password"
    ]

"""Stack files are read as specs are: dates stay text, and what YAML would silently get
wrong or crash on is one line naming the file, the key and the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.appspec import SpecError
from components.offline.stackfile import PLACEHOLDER, read_stack_config
from components.settings import parse_settings


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "Pulumi.test.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        read_stack_config(path)
    return caught.value.lines()


def test_a_date_stays_the_text_it_was_written_as(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "config:\n  hybrid-platform:target: docker\n  hybrid-platform:docker:\n    host: 2024-01-01\n"
        "  other:released: 2024-01-01\n",
    )
    config = read_stack_config(path)
    assert json.loads(config.values["hybrid-platform:docker"]) == {"host": "2024-01-01"}
    assert config.values["other:released"] == "2024-01-01"
    with pytest.raises(SpecError) as caught:
        parse_settings(config.values, config.secret_keys, "Pulumi.test.yaml")
    assert caught.value.lines() == [
        "Pulumi.test.yaml: hybrid-platform:docker.host: '2024-01-01' is not a valid Docker daemon address: use unix://, tcp://, ssh:// or npipe:// followed by the address, without spaces, e.g. unix:///var/run/docker.sock"
    ]


def test_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "config:\n  hybrid-platform:target: docker\n  hybrid-platform:docker:\n    bind_address: 0.0.0.0\n"
        "    bind_address: 127.0.0.1\n  hybrid-platform:target: vm\n",
    )
    assert problems(path) == [
        f"{path}: config.hybrid-platform:docker.bind_address: the key is written twice (lines 4 and 5); YAML would keep only the last: write it once",
        f"{path}: config.hybrid-platform:target: the key is written twice (lines 2 and 6); YAML would keep only the last: write it once",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            b"config:\n  hybrid-platform:target: d\xf6cker\n",
            "line 2, column 28: the file is not UTF-8 text (byte 0xf6); save it as UTF-8",
        ),
        (
            "config:\n  hybrid-platform:cluster: {ready_timeout: " + "9" * 5000 + "}\n",
            "line 2, column 44: a number of 5000 characters; numbers have at most 1000 digits (put it in quotes if it is text)",
        ),
        (
            "config: &d {hybrid-platform:x: *d}\n",
            "config: line 1: an alias refers to the value that contains it (a recursive alias); YAML data here cannot contain itself",
        ),
        (
            "config:\n  hybrid-platform:x: " + "[" * 100 + "]" * 100 + "\n",
            "line 2, column 57: nested more than 64 levels deep",
        ),
        (
            "config:\n  hybrid-platform:x: !!binary aGVsbG8=\n",
            "line 2, column 22: the tag !!binary is not supported here; write plain values (text, numbers, lists, mappings)",
        ),
        ("config: [target, docker]\n", "config: must be a mapping of config keys to values"),
    ],
)
def test_what_a_loader_would_crash_on_is_one_line(tmp_path: Path, text: str | bytes, expected: str) -> None:
    path = write(tmp_path, text)
    assert problems(path) == [f"{path}: {expected}"]


def test_huge_numbers_reach_the_settings_and_are_refused_there(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "config:\n  hybrid-platform:target: hybrid\n  hybrid-platform:cluster:\n    ready_timeout: 1.0e+308\n"
        "    memory: 1.0e+308\n    disk: 99999999999999999999Gi\n  hybrid-platform:libvirt:\n"
        "    guest_memory_overhead: 1.0e+308\n",
    )
    config = read_stack_config(path)
    with pytest.raises(SpecError) as caught:
        parse_settings(config.values, config.secret_keys, "Pulumi.test.yaml")
    assert caught.value.lines() == [
        "Pulumi.test.yaml: hybrid-platform:libvirt.guest_memory_overhead: must be at most 1Pi (got 1e+308)",
        "Pulumi.test.yaml: hybrid-platform:cluster.memory: must be at most 1Pi (got 1e+308)",
        "Pulumi.test.yaml: hybrid-platform:cluster.disk: must be at most 1Pi (got '99999999999999999999Gi')",
        "Pulumi.test.yaml: hybrid-platform:cluster.ready_timeout: must be at most 24h (got 1e+308)",
    ]


def test_an_empty_config_is_no_config(tmp_path: Path) -> None:
    assert read_stack_config(write(tmp_path, "config:\n")).values == {}
    secure = read_stack_config(write(tmp_path, "config:\n  hybrid-platform:secrets: {pw: {secure: v1:x}}\n"))
    assert json.loads(secure.values["hybrid-platform:secrets"]) == {"pw": PLACEHOLDER}

"""Every target declares its capabilities as data, and the README shows exactly that."""

from __future__ import annotations

import importlib
from pathlib import Path

from components.targets import TARGETS, module_path
from components.targets.capabilities import STRENGTH, capabilities_of
from components.targets.capabilities_table import render

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_registered_target_declares_capabilities_settings_and_a_component() -> None:
    for target in TARGETS:
        declared = capabilities_of(target)
        assert declared.target == target
        assert set(declared.isolation) <= set(STRENGTH) and "container" in declared.isolation
        assert set(declared.probes) == {"http", "tcp", "exec"}
        assert importlib.import_module(module_path(target, "settings")).SECTIONS is not None


def test_docker_gives_no_own_kernel_and_the_vm_targets_do() -> None:
    assert not capabilities_of("docker").provides("vm")
    assert capabilities_of("vm").provides("vm") and capabilities_of("hybrid").provides("vm")
    assert not capabilities_of("docker").enforces_direction and capabilities_of("vm").enforces_direction


def test_the_readme_table_is_generated_from_the_declarations() -> None:
    assert render() in README.read_text(), (
        "the README's capability tables differ from the declarations; paste the output of "
        "`uv run python -m components.targets.capabilities_table`"
    )

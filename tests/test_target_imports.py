"""A stack imports only the provider SDKs of the targets it uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, sys
from pathlib import Path

import pytest
from components.offline.runner import run_preview
run_preview(Path("stacks"), sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m.startswith("pulumi_"))))
"""
SDKS = {"pulumi_docker", "pulumi_libvirt", "pulumi_kubernetes"}


@pytest.mark.parametrize(
    ("stack", "sdks"),
    [
        ("dev", {"pulumi_docker"}),
        ("staging", {"pulumi_libvirt"}),
        ("prod", {"pulumi_libvirt", "pulumi_kubernetes"}),
    ],
)
def test_a_stack_imports_only_its_targets_sdks(stack: str, sdks: set[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, stack], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    loaded = {name.split(".")[0] for name in json.loads(run.stdout.splitlines()[-1])}
    assert loaded & SDKS == sdks

"""A stack imports only the provider SDKs of the targets it uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, sys
from pathlib import Path
from components.offline.runner import run_preview
run_preview(Path("stacks"), "dev")
print(json.dumps(sorted(m for m in sys.modules if m.startswith("pulumi_"))))
"""


def test_docker_stack_imports_no_libvirt_or_kubernetes_sdk() -> None:
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    loaded = {name.split(".")[0] for name in json.loads(run.stdout.splitlines()[-1])}
    assert "pulumi_docker" in loaded  # the probe did run the docker program
    assert "pulumi_libvirt" not in loaded
    assert "pulumi_kubernetes" not in loaded

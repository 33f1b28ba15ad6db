"""The SDK parts a preview rarely uses load on first use, and work unchanged when used."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import components.offline.runner
import pulumi
before = 'dill' in sys.modules
from pulumi.dynamic import ResourceProvider
from pulumi.automation import LocalWorkspace
import pulumi.dynamic.dynamic
print(before, 'dill' in sys.modules, ResourceProvider is pulumi.dynamic.dynamic.ResourceProvider,
      LocalWorkspace.__module__)
"""


def test_a_preview_does_not_import_dynamic_resources_until_one_is_used() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True", "pulumi.automation._local_workspace"]

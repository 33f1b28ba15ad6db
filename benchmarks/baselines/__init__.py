"""Hand-written Pulumi programs the project is measured against.

`docker` and `kubernetes` make the same resources as the project's targets (same types
and counts, equivalent inputs, the same input style: Args classes for Docker, dicts for
Kubernetes) the way a user would write them: the spec read with `yaml.safe_load`, one
provider call per resource, no validation, no helper layers. `floor` is the SDK's own
cost: trivial resources of a one-field custom type. All run under `harness.run_program`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import docker, floor, kubernetes

BASELINES: dict[str, Callable[[Path], None]] = {"docker": docker.program, "kubernetes": kubernetes.program}

__all__ = ["BASELINES", "floor"]

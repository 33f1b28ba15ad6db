"""The target registry: target name -> the component that deploys services there.

Adding a target is one module in this package plus one line here. Modules are
imported only when a stack uses them, so a docker stack never loads the
libvirt or Kubernetes SDKs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .base import TargetApp

TARGETS: dict[str, str] = {
    "docker": "components.targets.docker:DockerApp",
    "vm": "components.targets.vm:VmApp",
    "hybrid": "components.targets.hybrid:HybridApp",
    "kubernetes": "components.targets.kubernetes:ExistingClusterApp",
}


def load_target(name: str) -> type[TargetApp]:
    """The component class registered for target `name`."""
    module_name, _, attribute = TARGETS[name].partition(":")
    return cast("type[TargetApp]", getattr(importlib.import_module(module_name), attribute))

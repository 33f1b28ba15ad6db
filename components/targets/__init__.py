"""The target registry: target name -> the package that implements it. Names and paths only.

A target package holds `settings.py` (`SECTIONS`: the stack-config sections it reads,
pydantic models with no provider SDK), `capabilities.py` (`CAPABILITIES`: what it can
express) and `component.py` (`TARGET_APP`: the component that deploys services there).
Adding a target is its package plus one line here. Packages are imported only when a
stack uses them, so a docker stack never loads the libvirt or Kubernetes SDKs.
"""

from __future__ import annotations

TARGETS: dict[str, str] = {
    "docker": "components.targets.docker",
    "vm": "components.targets.vm",
    "hybrid": "components.targets.hybrid",
    "kubernetes": "components.targets.kubernetes",
}


def module_path(target: str, part: str) -> str:
    """The dotted path of one module (`settings`, `capabilities`, `component`) of `target`."""
    return f"{TARGETS[target]}.{part}"

"""Every control, in one list: the Pulumi policy pack and the offline preview both use it."""

from __future__ import annotations

from .framework import Control
from .rules import docker, kubernetes, libvirt, stack

CONTROLS: list[Control] = [*docker.CONTROLS, *libvirt.CONTROLS, *kubernetes.CONTROLS, *stack.CONTROLS]
BY_ID: dict[str, Control] = {c.id: c for c in CONTROLS}

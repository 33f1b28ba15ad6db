"""What each target can express: one typed declaration per target, in the spirit of Nomad's
driver `Capabilities()`.

Read by the warnings a preview prints, by validation and placement, and by the policy
pack's isolation control. The README's capability table is generated from these
declarations (`hybrid capabilities`), never written beside them. Dependency-free: the
policy pack imports it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import module_path

STRENGTH: Mapping[str, int] = {"container": 0, "sandbox": 1, "vm": 2}


@dataclass(frozen=True)
class Capabilities:
    """One target's abilities and the gaps it declares.

    `isolation` maps each isolation level the target provides to how it does so; a level
    not in it is weaker there than the spec asks (the isolation policy fails it).
    `gaps` maps a spec field (or concern) to what the target cannot do exactly; the
    preview warns where a gap applies to a service."""

    target: str
    isolation: Mapping[str, str]
    enforces_direction: bool  # a server cannot open connections back to its clients
    host_ports: str  # what `host_port` does on this target
    volume_sizes: bool  # a volume's `size` is enforced
    probes: Mapping[str, str]  # probe kind -> how it runs
    reached_from_outside: str  # how clients on other targets reach a service here
    gaps: Mapping[str, str] = field(default_factory=dict)

    def provides(self, level: str) -> bool:
        """Whether a service asking for `level` gets at least that here."""
        return level in self.isolation


def capabilities_of(target: str) -> Capabilities:
    """The declaration of a registered target."""
    module = importlib.import_module(module_path(target, "capabilities"))
    declared: Capabilities = module.CAPABILITIES
    return declared

"""CPU and memory limits of one replica."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import SpecModel, with_example
from .units import MIB, Bytes, MilliCpus, at_least, cpus_at_least

# Docker refuses a memory limit below 6 MiB; no target can run a service in less.
MIN_MEMORY = 6 * MIB

Cpus = Annotated[MilliCpus, cpus_at_least(1), Field(examples=[0.5])]
Memory = Annotated[Bytes, at_least(MIN_MEMORY), Field(examples=["256Mi"])]
_EXAMPLE = {"cpus": 0.5, "memory": "256Mi"}


class ResourcesSpec(SpecModel):
    """Limits per replica. Defaults are deliberately modest so that limits are always set."""

    model_config = with_example(SpecModel.model_config, _EXAMPLE)

    cpus: Cpus = 1000
    memory: Memory = 512 * MIB


class ResourcesOverride(SpecModel):
    """A partial `resources` from stack config; unset fields keep the spec's value."""

    model_config = with_example(SpecModel.model_config, _EXAMPLE)

    cpus: Cpus | None = None
    memory: Memory | None = None

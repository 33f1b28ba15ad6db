"""CPU and memory limits of one replica."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import SpecModel
from .units import MIB, Bytes, MilliCpus, at_least

# Docker refuses a memory limit below 6 MiB; no target can run a service in less.
MIN_MEMORY = 6 * MIB


class ResourcesSpec(SpecModel):
    """Limits per replica. Defaults are deliberately modest so that limits are always set."""

    cpus: Annotated[MilliCpus, Field(ge=1, le=1_024_000)] = 1000
    memory: Annotated[Bytes, at_least(MIN_MEMORY), Field(le=2**50)] = 512 * MIB


class ResourcesOverride(SpecModel):
    """A partial `resources` from stack config; unset fields keep the spec's value."""

    cpus: Annotated[MilliCpus, Field(ge=1, le=1_024_000)] | None = None
    memory: Annotated[Bytes, at_least(MIN_MEMORY), Field(le=2**50)] | None = None

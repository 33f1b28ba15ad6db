"""Persistent volumes: one per replica, kept when the thing that mounts them is replaced."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from .base import SpecModel
from .names import VolumeName
from .units import MIB, Bytes, at_least


def _check_absolute(path: str) -> str:
    parts = path.split("/")
    if not path.startswith("/") or path == "/" or "." in parts or ".." in parts or "\0" in path:
        raise ValueError(f"{path!r} is not an absolute path below /, without . or .. parts")
    return path.rstrip("/")


AbsolutePath = Annotated[
    str,
    AfterValidator(_check_absolute),
    WithJsonSchema({"type": "string", "pattern": "^/.+", "maxLength": 4096}),
]


class VolumeSpec(SpecModel):
    """A persistent volume mounted at `path`, at least `size` big."""

    name: VolumeName
    path: AbsolutePath
    size: Annotated[Bytes, at_least(MIB)] = 1024 * MIB

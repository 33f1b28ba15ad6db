"""Persistent volumes: one per replica, kept when the thing that mounts them is replaced."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from .base import SpecModel, with_example
from .limits import MAX_PATH_LENGTH, text_at_most
from .names import VolumeName
from .quoting import shown
from .text import schema_pattern
from .units import MIB, Bytes, at_least

_MOUNT_PATH = r"/[^\x00-\x1f\x7f:]*"
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f:]")
_NAME_MAX = 255  # characters of one path component (Linux NAME_MAX)


def normal_path(path: str) -> str:
    """An absolute mount path in its one normal form: `//data/./x/` -> `/data/x`.

    As `posixpath.normpath`, but `..` is refused (it would climb out of where the user
    looked) and so is the root; so one directory always has one spelling, and two mounts
    of it are seen to clash."""
    if not path.startswith("/"):
        raise ValueError(f"{shown(path)} is not an absolute path; use e.g. /var/lib/data")
    if _FORBIDDEN.search(path):
        raise ValueError(
            f"{shown(path)} contains a control character or ':' (Docker and Podman read ':' "
            "as a separator); use e.g. /var/lib/data"
        )
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"{shown(path)} goes up with '..'; write the path without it, e.g. /var/lib/data")
    if not parts:
        raise ValueError(f"{shown(path)} is the root directory; mount below it, e.g. /data")
    if any(len(part) > _NAME_MAX for part in parts):
        raise ValueError(f"{shown(path)} has a part longer than {_NAME_MAX} characters")
    return "/" + "/".join(parts)


AbsolutePath = Annotated[
    str,
    text_at_most(MAX_PATH_LENGTH),
    AfterValidator(normal_path),
    WithJsonSchema(
        {
            "type": "string",
            "title": "mount path",
            "description": "an absolute path below /, without '..' or ':'",
            "pattern": schema_pattern(_MOUNT_PATH),
            "maxLength": MAX_PATH_LENGTH,
            "examples": ["/var/lib/data"],
        }
    ),
]


class VolumeSpec(SpecModel):
    """A persistent volume mounted at `path`, at least `size` big."""

    model_config = with_example(
        SpecModel.model_config, {"name": "data", "path": "/var/lib/data", "size": "1Gi"}
    )

    name: VolumeName
    path: AbsolutePath
    size: Annotated[Bytes, at_least(MIB), Field(examples=["1Gi"])] = 1024 * MIB

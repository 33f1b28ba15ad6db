"""Real engines and tools: required under CI, skipped (with the reason) elsewhere."""

from __future__ import annotations

import os
import shutil

import pytest


def unavailable(reason: str) -> None:
    """Fail under CI (it must have provisioned the engine), skip elsewhere, saying why."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs it: {reason}")
    pytest.skip(reason)


def require(command: str, how: str) -> str:
    """The path of `command`; see `unavailable` for when it is missing."""
    path = shutil.which(command)
    if path is None:
        unavailable(f"{command} is not installed ({how})")
    return str(path)

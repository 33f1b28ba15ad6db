"""Real engines and tools: required under CI, skipped (with the reason) elsewhere."""

from __future__ import annotations

import os
import shutil

import pytest


def require(command: str, how: str) -> str:
    """The path of `command`; fails the test under `CI=true` when it is missing, else skips."""
    path = shutil.which(command)
    if path:
        return path
    reason = f"{command} is not installed ({how})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs it: {reason}")
    pytest.skip(reason)

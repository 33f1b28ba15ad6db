"""Golden graphs: the recorded graph of each shipped stack, checked in so a reviewer reads the diff.

Regenerate after an intended change with: `uv run python -m tests.golden`
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from components.offline.render import as_json
from components.offline.runner import run_preview
from components.offline.stackfile import available_stacks

ROOT = Path(__file__).resolve().parent.parent.parent
STACKS = ROOT / "stacks"
GOLDEN = Path(__file__).resolve().parent


def golden_path(stack: str) -> Path:
    """Where the golden graph of `stack` lives."""
    return GOLDEN / f"{stack}.json"


def current_graph(stack: str) -> dict[str, Any]:
    """The stack's graph as the golden file stores it: resources sorted by URN."""
    document = as_json(run_preview(STACKS, stack))
    document["resources"] = sorted(document["resources"], key=lambda r: r["urn"])
    return document


def shipped_stacks() -> list[str]:
    """Every stack with a stack file in `stacks/`."""
    return available_stacks(STACKS)


def render(document: dict[str, Any]) -> str:
    """Stable text for a golden file."""
    return json.dumps(document, indent=2, sort_keys=True) + "\n"

"""Importers: a team's Compose file or Score workloads in, an app spec out, and a warning for
every field the spec cannot keep. No Pulumi; the spec they write passes `parse_spec`.

The names below are loaded on first use: `hybrid` registers the `import` commands on every
run, and a preview should not pay for the importers' models."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compose import import_compose
    from .output import ImportResult, render
    from .score import import_score

__all__ = ["ImportResult", "import_compose", "import_score", "render"]
_MODULE_OF = {
    "ImportResult": ".output",
    "render": ".output",
    "import_compose": ".compose",
    "import_score": ".score",
}


def __getattr__(name: str) -> object:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_MODULE_OF[name], __name__), name)

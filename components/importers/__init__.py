"""Importers: a team's Compose file or Score workloads in, an app spec out, and a warning for
every field the spec cannot keep. No Pulumi; the spec they write passes `parse_spec`."""

from .compose import import_compose
from .output import ImportResult, render
from .score import import_score

__all__ = ["ImportResult", "import_compose", "import_score", "render"]

"""The Pulumi project `hybrid` works on: the nearest `Pulumi.yaml` at or above a directory,
and the folder its stack files live in (`stackConfigDir`), as the Pulumi CLI finds them."""

from __future__ import annotations

from pathlib import Path

from .appspec import Problem, SpecError, load_yaml

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
# Where this source tree keeps its own stacks: used when no project is found.
CHECKOUT_STACKS = Path(__file__).resolve().parent.parent / "stacks"


def project_file(start: Path) -> Path | None:
    """The nearest `Pulumi.yaml` (or `.yml`) in `start` or a folder above it."""
    for folder in (start, *start.parents):
        for name in PROJECT_FILES:
            if (folder / name).is_file():
                return folder / name
    return None


def stacks_dir(start: Path | None = None) -> Path:
    """Where the stack files are: the `stackConfigDir` of the project around `start` (the
    current directory by default; the project's own folder without that key); outside any
    project, this source tree's `stacks/` when it has one, else `start/stacks`."""
    start = (start or Path.cwd()).resolve()
    found = project_file(start)
    if found is None:
        return CHECKOUT_STACKS if CHECKOUT_STACKS.is_dir() else start / "stacks"
    document = load_yaml(found)
    folder = document.get("stackConfigDir") if isinstance(document, dict) else None
    if folder is None:
        return found.parent
    if not isinstance(folder, str) or not folder:
        problem = Problem("stackConfigDir", "must be a folder relative to Pulumi.yaml, e.g. stacks")
        raise SpecError(str(found), [problem])
    return found.parent / folder

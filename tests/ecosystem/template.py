"""`pulumi new` of templates/hybrid-app, done the way the Pulumi CLI does it: every file copied
with `${PROJECT}` and `${DESCRIPTION}` replaced (contents and file names), then the project
file saved with its name and description and without its `template` section, and the prompted
config (here: each default) set on the first stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "hybrid-app"
PROJECT, DESCRIPTION = "my-shop", "The shop, on hybrid-platform"


def substitute(text: str, project: str = PROJECT, description: str = DESCRIPTION) -> str:
    """What the CLI does to every file of a template (and to its name)."""
    return text.replace("${PROJECT}", project).replace("${DESCRIPTION}", description)


def instantiate(
    dest: Path, project: str = PROJECT, description: str = DESCRIPTION, stack: str = "dev"
) -> Path:
    """The template laid down in `dest` as `pulumi new --yes` would, for `stack`; returns `dest`."""
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or ".git" in source.parts:
            continue
        target = dest / substitute(str(source.relative_to(TEMPLATE)), project, description)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            substitute(source.read_text(encoding="utf-8"), project, description), encoding="utf-8"
        )
    project_file = dest / "Pulumi.yaml"
    document: dict[str, Any] = yaml.safe_load(project_file.read_text())
    template = document.pop("template")
    document.update(name=project, description=description)
    document.setdefault("config", {})["pulumi:tags"] = {"value": {"pulumi:template": "hybrid-app"}}
    project_file.write_text(yaml.safe_dump(document, sort_keys=False))
    stack_file = dest / document["stackConfigDir"] / f"Pulumi.{stack}.yaml"
    stack_document = yaml.safe_load(stack_file.read_text()) if stack_file.exists() else {}
    for key, prompt in template.get("config", {}).items():
        stack_document.setdefault("config", {})[key] = prompt["default"]
    stack_file.write_text(yaml.safe_dump(stack_document, sort_keys=False))
    return dest

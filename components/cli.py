"""`hybrid`: offline preview of any stack, and the spec's JSON Schema.

Bad input (spec, stack config, arguments) prints one line per problem and exits 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .appspec import AppSpec, SpecError
from .importers.commands import import_app
from .targets import TARGETS

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain usage errors: `Error: No such option: --x`, exit 2
    help="hybrid-platform: one app spec, deployed to Docker, libvirt VMs or Kubernetes.",
)
app.add_typer(import_app, name="import")
out = Console(soft_wrap=True, width=None if Console().is_terminal else 200)
err = Console(stderr=True, soft_wrap=True)
STACKS_DIR = Path(__file__).resolve().parent.parent / "stacks"


def _fail(error: SpecError) -> typer.Exit:
    for line in error.lines():
        err.print(f"[red]error:[/red] {line}", highlight=False, markup=True)
    return typer.Exit(2)


@app.command()
def preview(
    stack: Annotated[str, typer.Argument(metavar="STACK", help="Stack name: stacks/Pulumi.STACK.yaml")],
    spec: Annotated[Path | None, typer.Option(help="Use this spec file instead of the stack's")] = None,
    target: Annotated[str | None, typer.Option(help=f"Deploy to this target ({', '.join(TARGETS)})")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the graph as JSON")] = False,
    stacks_dir: Annotated[Path, typer.Option(help="Where the stack files are")] = STACKS_DIR,
) -> None:
    """Run the program offline under Pulumi's mock runtime, show what it would create and
    check it against the policy pack (exit 1 when a mandatory control is violated)."""
    from .offline.policy_check import check_policies
    from .offline.render import as_json as render_json
    from .offline.render import print_tree, print_violations
    from .offline.runner import run_preview

    try:
        result = run_preview(stacks_dir, stack, spec, target)
    except SpecError as error:
        raise _fail(error) from None
    report = check_policies(result)
    if as_json:
        out.print_json(json.dumps(render_json(result, report.as_json())))
    else:
        print_tree(result, out)
        print_violations(report, out)
    if report.mandatory:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the app spec (for editors validating app.yaml)."""
    document = AppSpec.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    print(json.dumps(document, indent=2))


def main() -> None:
    """Console entry point."""
    app(prog_name="hybrid")

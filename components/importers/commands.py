"""`hybrid import compose|score`: the commands around the importers.

The spec goes to `-o FILE` (or standard output); warnings and the secrets to set go to
standard error, one line each. Bad input: one line per problem, exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ..appspec import Problem, SpecError
from .output import ImportResult, render

import_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Turn a Compose file or Score workloads into an app spec, saying what could not be kept.",
)

OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write the spec to this file (default: standard output)")
]
AppOption = Annotated[str | None, typer.Option("--app", help="The app's name (DNS-safe, 1-40 characters)")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists")]


@import_app.command("compose")
def compose(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The Compose file (compose.yaml)")],
    output: OutputOption = None,
    app: AppOption = None,
    force: ForceOption = False,
) -> None:
    """Import a Compose file: every service becomes a spec service; every field the spec cannot
    keep is a warning naming the service, the field and what to do."""
    from .compose import import_compose

    _run(lambda: import_compose(file, app, str(file)), output, force)


@import_app.command("score")
def score(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Score workload files (score.yaml)")],
    output: OutputOption = None,
    app: AppOption = None,
    force: ForceOption = False,
) -> None:
    """Import Score workloads (score.dev/v1b1) into one app: the app is named by --app or the
    first workload."""
    from .score import import_score

    _run(lambda: import_score(files, app, [str(f) for f in files]), output, force)


def _run(importer: Callable[[], ImportResult], output: Path | None, force: bool) -> None:
    try:
        if output is not None and output.exists() and not force:
            raise SpecError(str(output), [Problem("", "already exists; pass --force to replace it")])
        result = importer()
        text = render(result, output)
        if output is not None:
            _write(output, text)
    except SpecError as error:
        for line in error.lines():
            print(f"error: {line}", file=sys.stderr)
        raise typer.Exit(2) from None
    for line in result.warnings:
        print(line, file=sys.stderr)
    if result.secrets:
        print(
            "set these secrets in each stack (add --stack NAME); the values are not in the spec:",
            file=sys.stderr,
        )
        for secret in result.secrets:
            print(f"  {secret.command}   # {secret.origin}", file=sys.stderr)
    if output is None:
        sys.stdout.write(text)
    else:
        services = len(result.spec["services"])
        print(f"wrote {output}: app {result.spec['app']}, {services} service{'s' if services != 1 else ''}")


def _write(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise SpecError(str(output), [Problem("", f"cannot write the file: {error.strerror}")]) from None

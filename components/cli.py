"""`hybrid`: offline preview of any stack, and the spec's JSON Schema.

Exit codes: 0 clean (advisory findings allowed), 1 a mandatory control failed, 2 bad input
(spec, stack config, arguments: one line per problem on stderr, or `{"errors": [...]}` on
stdout under `--json`), 3 a bug (one line; `HYBRID_DEBUG=1` adds the traceback).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import typer

# typer 0.29 vendors click; its exception classes are not re-exported.
from typer._click.core import Parameter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)

from . import __version__
from .appspec import AppSpec, Problem, SpecError
from .importers.commands import import_app
from .project import stacks_dir as project_stacks_dir
from .targets import TARGETS

EXIT_MANDATORY, EXIT_INPUT, EXIT_BUG = 1, 2, 3
DEBUG_VARIABLE = "HYBRID_DEBUG"

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help; `run` writes usage errors as one line
    help="hybrid-platform: one app spec, deployed to Docker, libvirt VMs or Kubernetes.",
)
app.add_typer(import_app, name="import")
StacksDir = Annotated[
    Path | None,
    typer.Option(
        help="Where the stack files are",
        show_default="the stackConfigDir of the nearest Pulumi.yaml at or above the current directory",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        print(f"hybrid-platform {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit"),
    ] = False,
) -> None:
    """hybrid-platform: one app spec, deployed to Docker, libvirt VMs or Kubernetes."""


@dataclass(frozen=True)
class InputProblem:
    """One problem with the input: the file (None for an argument), the field path, config key
    or flag, and what is wrong."""

    file: str | None
    path: str | None
    message: str

    def line(self) -> str:
        """`error: file: path: message`, leaving out what is not known."""
        return "error: " + ": ".join(part for part in (self.file, self.path, self.message) if part)


class FlagError(SpecError):
    """A bad command-line argument: the problem is the flag's, not a file's."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(flag, [Problem("", message)])


def problems_of(error: SpecError) -> list[InputProblem]:
    """A `SpecError`'s problems, a `FlagError`'s naming its flag instead of a file."""
    if isinstance(error, FlagError):
        return [InputProblem(None, error.source, p.message) for p in error.problems]
    return [InputProblem(error.source, p.path or None, p.message) for p in error.problems]


def report_input_errors(problems: list[InputProblem], as_json: bool) -> int:
    """Print the problems (JSON on stdout under `--json`, else one line each on stderr); exit 2."""
    if as_json:
        errors = [{"file": p.file, "path": p.path, "message": p.message} for p in problems]
        sys.stdout.write(json.dumps({"errors": errors}, indent=2, sort_keys=True) + "\n")
    else:
        sys.stderr.write("".join(p.line() + "\n" for p in problems))
    return EXIT_INPUT


@app.command()
def preview(
    stack: Annotated[
        str | None,
        typer.Argument(
            metavar="STACK",
            help="Stack name: its config is STACKS_DIR/Pulumi.STACK.yaml. Without it, --target is "
            "required: the spec (--spec, else STACKS_DIR/app.yaml) runs as stack 'preview' with no "
            "stack file and dev's policy levels.",
            show_default=False,
        ),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option(help="Use this spec file instead of the stack's (the stack's overrides are dropped)"),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(help=f"Deploy to this target ({', '.join(TARGETS)}) instead of the stack's"),
    ] = None,
    policy_config: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Policy levels from this file, as `pulumi preview --policy-pack-config` takes "
            "them; default: policies/config/STACK.json, dev.json without a stack",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print the graph as JSON (errors too: {"errors": [...]})')
    ] = False,
    stacks_dir: StacksDir = None,
) -> None:
    """Run the program offline under Pulumi's mock runtime, show what it would create and check
    it against the policy pack.

    Exit 0 clean (advisory findings allowed), 1 a mandatory control failed, 2 bad input,
    3 a bug. Examples: `hybrid preview dev`, `hybrid preview --spec my-app.yaml --target docker`.
    """
    try:
        stacks_dir = stacks_dir or project_stacks_dir()
        check_arguments(stack, target, stacks_dir)
        from .offline.runner import run_preview

        result = run_preview(stacks_dir, stack, spec, target)
        from .offline.policy_check import check_policies

        report = check_policies(result, config_file=policy_config, stack_given=stack is not None)
    except SpecError as error:
        raise typer.Exit(report_input_errors(problems_of(error), as_json)) from None
    if as_json:
        from .offline.document import as_json as json_document
        from .offline.document import dumps

        sys.stdout.write(dumps(json_document(result, report)))
    else:
        from .offline.render import console_for, print_tree, print_violations

        console = console_for(sys.stdout)
        print_tree(result, console)
        print_violations(report, console)
    if report.mandatory:
        raise typer.Exit(EXIT_MANDATORY)


def check_arguments(stack: str | None, target: str | None, stacks_dir: Path) -> None:
    """Raise `FlagError` for a bad `--target`, or for neither a stack nor `--target`."""
    if target is not None and target not in TARGETS:
        raise FlagError("--target", f"{target!r} is not a target; available: {', '.join(TARGETS)}")
    if stack is None and target is None:
        from .offline.stackfile import available_stacks

        known = ", ".join(available_stacks(stacks_dir)) or "none"
        raise FlagError(
            "STACK",
            f"missing; name a stack (stacks here: {known}), or preview a spec without one: "
            "--target TARGET [--spec FILE]",
        )


@app.command()
def move(
    stack: Annotated[str, typer.Argument(metavar="STACK", help="The stack the service moves in")],
    service: Annotated[str, typer.Argument(metavar="SERVICE", help="The service to move")],
    to: Annotated[str, typer.Option("--to", help=f"The target it moves to ({', '.join(TARGETS)})")],
    step: Annotated[str | None, typer.Option(help="Show only this step: start, switch or finish")] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh-data", help="Let a service with volumes move with empty volumes")
    ] = False,
    stacks_dir: StacksDir = None,
) -> None:
    """Print the plan of moving SERVICE to another target, one `pulumi up` per step: each
    step's `pulumi config` commands and the resources it adds (+), removes (-) and changes (~).
    Example: `hybrid move dev api --to hybrid`."""
    from .offline.graph_diff import STEPS, move_plan
    from .offline.stackfile import read_stack_config, stack_file

    try:
        if step is not None and step not in STEPS:
            raise FlagError("--step", f"{step!r} is not a step; steps: {', '.join(STEPS)}")
        stacks_dir = stacks_dir or project_stacks_dir()
        path = stack_file(stacks_dir, stack)
        if not path.exists():
            raise FlagError("STACK", f"no stack file {path}")
        steps = move_plan(stacks_dir, stack, read_stack_config(path), service, to, fresh)
    except SpecError as error:
        raise typer.Exit(report_input_errors(problems_of(error), False)) from None
    for found in steps:
        if step not in (None, found.name):
            continue
        print(f"step {found.name}:")
        print("\n".join(f"  {command}" for command in found.commands))
        print("  pulumi up --stack " + stack)
        print("\n".join(f"    {line}" for line in found.diff.lines()) or "    (no resource changes)")


@app.command()
def diff(
    stack_a: Annotated[str, typer.Argument(metavar="STACK_A", help="The stack compared from")],
    stack_b: Annotated[str, typer.Argument(metavar="STACK_B", help="The stack compared to")],
    stacks_dir: StacksDir = None,
) -> None:
    """Print the resources STACK_B adds (+), removes (-) and changes (~) compared with STACK_A,
    for reviews: whether a change is an update or a replacement is the provider's call."""
    from .offline.graph_diff import diff as graph_diff
    from .offline.runner import run_preview

    try:
        stacks_dir = stacks_dir or project_stacks_dir()
        before, after = run_preview(stacks_dir, stack_a), run_preview(stacks_dir, stack_b)
    except SpecError as error:
        raise typer.Exit(report_input_errors(problems_of(error), False)) from None
    print("\n".join(graph_diff(before, after).lines()) or "no resource changes")


def schema_text() -> str:
    """The JSON Schema of the app spec, as `hybrid schema` prints it."""
    document = AppSpec.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(document, indent=2) + "\n"


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write it to this file instead of stdout"),
    ] = None,
) -> None:
    """Print the JSON Schema of the app spec, for editors validating app.yaml (published as
    schema/app.schema.json: `hybrid schema -o schema/app.schema.json`)."""
    if output is None:
        sys.stdout.write(schema_text())
        return
    try:
        output.write_text(schema_text(), encoding="utf-8")
    except OSError as error:
        reason = f"cannot be written ({error.strerror or error}); give a file in an existing folder"
        raise typer.Exit(report_input_errors([InputProblem(None, "--output", reason)], False)) from None


def usage_problem(error: UsageError) -> InputProblem:
    """A usage error from the argument parser as one problem naming the argument, if known."""
    path, message = None, error.format_message()
    if isinstance(error, NoSuchOption):
        path, message = error.option_name, "no such option"
        if error.possibilities:
            message += f" (possible options: {', '.join(sorted(error.possibilities))})"
    elif isinstance(error, BadOptionUsage):
        path = error.option_name
    elif isinstance(error, MissingParameter):
        path, message = _param_name(error.param), "missing"
    elif isinstance(error, BadParameter):
        path, message = _param_name(error.param), error.message
    command = error.ctx.command_path if error.ctx else "hybrid"
    return InputProblem(None, path, f"{message.rstrip('.')}; see '{command} --help'")


def _param_name(param: Parameter | None) -> str | None:
    if param is None:
        return None
    flags = [o for o in param.opts if o.startswith("-")]
    return max(flags, key=len) if flags else (param.name or "").upper() or None


def internal_error(error: Exception) -> int:
    """One line for a bug (the traceback too with HYBRID_DEBUG=1); exit 3."""
    if os.environ.get(DEBUG_VARIABLE):
        traceback.print_exception(error)
    first = (str(error).splitlines() or [""])[0]
    sys.stderr.write(
        f"hybrid: internal error (this is a bug): {type(error).__name__}: {first}; "
        f"rerun with {DEBUG_VARIABLE}=1 for the traceback\n"
    )
    return EXIT_BUG


def run(args: list[str]) -> int:
    """Run `hybrid` with `args` and return its exit code."""
    try:
        code = app(args=args, prog_name="hybrid", standalone_mode=False)
    except NoArgsIsHelpError as error:
        error.show()
        return error.exit_code
    except UsageError as error:
        return report_input_errors([usage_problem(error)], "--json" in args)
    except ClickException as error:
        error.show()
        return error.exit_code
    except Exception as error:  # every other exception is a bug, never the answer to input
        return internal_error(error)
    return code if isinstance(code, int) else 0


def main() -> NoReturn:
    """Console entry point: one command per process, so the collector stays tuned for all of
    it (rendering walks the whole graph too)."""
    from .offline.collector import collections_tuned

    with collections_tuned():
        code = run(sys.argv[1:])
    exit_now(code)


def exit_now(code: int) -> NoReturn:
    """Exit with `code` as `sys.exit` does (exit handlers run, output flushed) but without
    freeing the heap object by object: after a 500-service preview that teardown costs
    1.5 s of the command's 17."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`hybrid ... | head`)
            stream.flush()
    os._exit(code)

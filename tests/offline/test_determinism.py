"""The same input gives byte-identical output: two runs in one process print the same tree and
the same JSON for every shipped stack (tests/test_cli.py checks two processes)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from components.offline.document import as_json, dumps
from components.offline.policy_check import check_policies
from components.offline.render import PlainText, print_tree, print_violations
from components.offline.runner import run_preview
from components.offline.stackfile import available_stacks

STACKS = Path(__file__).resolve().parents[2] / "stacks"


def outputs(stack: str) -> tuple[str, str]:
    result = run_preview(STACKS, stack)
    report = check_policies(result, None, stack_given=True)
    text = io.StringIO()
    console = PlainText(text)
    print_tree(result, console)
    print_violations(report, console)
    return text.getvalue(), dumps(as_json(result, report))


@pytest.mark.parametrize("stack", available_stacks(STACKS))
def test_two_runs_in_one_process_print_the_same_bytes(stack: str) -> None:
    first_text, first_json = outputs(stack)
    second_text, second_json = outputs(stack)
    assert second_text == first_text
    assert second_json == first_json

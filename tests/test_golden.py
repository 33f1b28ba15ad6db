"""Each shipped stack's recorded graph matches its checked-in golden file."""

from __future__ import annotations

import pytest

from tests.golden import current_graph, golden_path, render, shipped_stacks


@pytest.mark.parametrize("stack", shipped_stacks())
def test_graph_matches_golden(stack: str) -> None:
    expected = golden_path(stack).read_text()
    assert render(current_graph(stack)) == expected, (
        f"the {stack} graph changed; if intended, run `uv run python -m tests.golden` and review the diff"
    )

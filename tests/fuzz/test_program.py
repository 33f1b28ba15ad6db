"""Property: the whole offline preview (`run_preview`: stack file, spec, resolve, the Pulumi
program under the mock runtime, every target component) either succeeds or raises
`SpecError`; any other exception is a bug a user would see as a traceback.

Apps and stack configs are mostly valid with values at the edges of what validation
allows, sometimes with one value replaced by anything (tests/fuzz/apps.py); 75 per
target, 300 in all. Deterministic for CI; no shrinking (a seed shrinks to nothing useful):
a failure prints its spec and stack config.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from components.appspec import SpecError
from tests.factory import preview
from tests.fuzz.apps import TARGETS, app, config, mutated


@pytest.mark.parametrize("target", TARGETS)
@settings(
    max_examples=75,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(rnd=st.randoms(use_true_random=True))
def test_the_whole_program_succeeds_or_refuses_the_input(target: str, rnd: random.Random) -> None:
    base = app(rnd)
    stack = mutated(rnd, config(rnd, target, base))
    spec = mutated(rnd, base)
    note(yaml.safe_dump({"target": target, "stack config": stack, "spec": spec}, allow_unicode=True))
    with tempfile.TemporaryDirectory() as folder:
        try:
            result = preview(Path(folder), spec, stack, target=target)
        except SpecError as error:
            assert error.lines() and all(len(line.splitlines()) == 1 for line in error.lines())
            return
    assert result.resources, "a successful preview declares resources"

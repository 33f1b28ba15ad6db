"""Property: any document, however hostile, is read, validated and resolved into an app, or
refused with `SpecError` lines naming the file; never another exception (a traceback).

In-process and fast: every document goes through what `hybrid preview` does before the
Pulumi program declares a resource (reading the YAML, the stack's settings and overrides,
the spec, and the resolve step). 10,000 documents in all; deterministic for CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from components.appspec import AppSpec, SpecError, apply_overrides, load_spec, parse_spec, read_yaml
from components.offline.stackfile import read_stack_config
from components.resolve import resolve
from components.settings import PROJECT, parse_settings
from components.wiring.validate import check_placement
from tests.fuzz.documents import SPEC_FILES, spec_documents, stack_documents

SHIPPED_SPEC = load_spec(SPEC_FILES[0])
JARGON = re.compile(
    r"Input should|instance of|Value error|String should|List should|Traceback|pydantic|\[key\]"
)
FUZZ = settings(
    max_examples=5000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def assert_user_lines(error: SpecError, source: str) -> None:
    lines = error.lines()
    assert lines, "a SpecError without a problem"
    for line in lines:
        assert line.startswith(f"{source}: "), line
        assert len(line.splitlines()) == 1, line
        assert not JARGON.search(line), line


@FUZZ
@given(spec_documents)
def test_spec_documents(document: bytes) -> None:
    try:
        spec = parse_spec(read_yaml(document, "app.yaml"), "app.yaml")
    except SpecError as error:
        assert_user_lines(error, "app.yaml")
        return
    assert isinstance(spec, AppSpec)
    app = resolve(spec, protect_data=True, target="docker")
    assert list(app.services) and set(app.services) == set(spec.services)


@pytest.fixture(scope="module")
def stack_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack") / "Pulumi.fuzz.yaml"


@FUZZ
@given(document=stack_documents)
def test_stack_documents(stack_path: Path, document: bytes) -> None:
    stack_path.write_bytes(document)
    try:
        config = read_stack_config(stack_path)
    except SpecError as error:
        assert_user_lines(error, str(stack_path))
        return
    source = "Pulumi.fuzz.yaml"  # as the program names the stack's config
    try:
        stack = parse_settings(config.values, config.secret_keys, source)
        spec = apply_overrides(SHIPPED_SPEC, stack.overrides, source, prefix=f"{PROJECT}:overrides.")
        problems = check_placement(spec, stack)
        if problems:
            raise SpecError(source, problems)
    except SpecError as error:
        assert_user_lines(error, source)
        return
    resolve(spec, stack.protect_data, stack.target, stack.placement)

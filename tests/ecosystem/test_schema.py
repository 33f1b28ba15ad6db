"""The spec's JSON Schema as editors use it: the committed copies are what `hybrid schema`
prints today, and the spec files point at a copy that accepts them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from components import cli
from tests.ecosystem.template import ROOT, TEMPLATE, substitute

PUBLISHED = ROOT / "schema" / "app.schema.json"
IN_TEMPLATE = TEMPLATE / "stacks" / "app.schema.json"
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)
REGENERATE = (
    "uv run hybrid schema -o schema/app.schema.json && "
    "uv run hybrid schema -o templates/hybrid-app/stacks/app.schema.json"
)


@pytest.mark.parametrize("committed", [PUBLISHED, IN_TEMPLATE], ids=["published", "template"])
def test_the_committed_schema_is_what_hybrid_schema_prints(committed: Path) -> None:
    assert committed.read_text() == cli.schema_text(), f"{committed} is out of date; regenerate: {REGENERATE}"


def test_schema_output_writes_what_it_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["schema"]) == 0
    printed = capsys.readouterr().out
    assert cli.run(["schema", "--output", str(tmp_path / "app.schema.json")]) == 0
    assert (tmp_path / "app.schema.json").read_text() == printed
    assert capsys.readouterr().out == ""


def test_schema_output_to_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["schema", "-o", str(tmp_path / "missing" / "app.schema.json")]) == 2
    assert capsys.readouterr().err == (
        "error: --output: cannot be written (No such file or directory); give a file in an existing folder\n"
    )


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (ROOT / "stacks" / "app.yaml", (ROOT / "stacks" / "app.yaml").read_text()),
        (TEMPLATE / "stacks" / "app.yaml", substitute((TEMPLATE / "stacks" / "app.yaml").read_text())),
    ],
    ids=["project", "template"],
)
def test_the_spec_names_a_schema_that_accepts_it(spec: Path, text: str) -> None:
    found = SCHEMA_LINE.findall(text)
    assert len(found) == 1, f"{spec} needs one '# yaml-language-server: $schema=...' line"
    schema_file = (spec.parent / found[0]).resolve()
    assert schema_file.read_text() == cli.schema_text()
    validator = Draft202012Validator(json.loads(schema_file.read_text()))
    data = yaml.safe_load(text)
    assert [e.message for e in validator.iter_errors(data)] == []
    data["services"]["web"]["replicas"] = "two"
    assert [list(e.absolute_path) for e in validator.iter_errors(data)] == [["services", "web", "replicas"]]

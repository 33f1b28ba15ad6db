"""Which stacks `hybrid` works on: the project around the current directory, as the Pulumi
CLI finds it, wherever hybrid-platform is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from components import cli
from components.appspec import SpecError
from components.project import CHECKOUT_STACKS, stacks_dir
from tests.ecosystem.template import ROOT


def project(folder: Path, text: str, name: str = "Pulumi.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_the_nearest_project_file_and_its_stack_config_dir(tmp_path: Path) -> None:
    outer = project(tmp_path, "name: outer\nruntime: python\nstackConfigDir: config\n")
    inner = project(tmp_path / "apps" / "shop", "name: shop\nruntime: python\nstackConfigDir: stacks\n")
    (inner / "src" / "deep").mkdir(parents=True)
    assert stacks_dir(inner / "src" / "deep") == inner / "stacks"
    assert stacks_dir(tmp_path / "apps") == outer / "config"


def test_without_stack_config_dir_the_stacks_are_next_to_the_project_file(tmp_path: Path) -> None:
    app = project(tmp_path / "app", "name: app\nruntime: python\n", name="Pulumi.yml")
    assert stacks_dir(app) == app


def test_this_checkout_is_a_project_too() -> None:
    assert stacks_dir(ROOT / "components") == ROOT / "stacks" == CHECKOUT_STACKS


def test_a_bad_stack_config_dir_is_one_problem_naming_the_file(tmp_path: Path) -> None:
    app = project(tmp_path / "app", "name: app\nruntime: python\nstackConfigDir: [a, b]\n")
    with pytest.raises(SpecError) as caught:
        stacks_dir(app)
    assert caught.value.lines() == [
        f"{app / 'Pulumi.yaml'}: stackConfigDir: must be a folder relative to Pulumi.yaml, e.g. stacks"
    ]


def test_preview_from_inside_another_project_reads_its_stacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app = project(tmp_path / "app", "name: app\nruntime: python\nstackConfigDir: stacks\n")
    (app / "stacks").mkdir()
    (app / "stacks" / "app.yaml").write_text((ROOT / "stacks" / "app.yaml").read_text())
    (app / "stacks" / "Pulumi.dev.yaml").write_text("config:\n  hybrid-platform:target: vm\n")
    monkeypatch.chdir(app)
    assert cli.run(["preview", "dev", "--json"]) == 0
    assert '"stack_file": "stacks/Pulumi.dev.yaml"' in capsys.readouterr().out
    assert cli.run(["preview", "staging"]) == 2
    assert capsys.readouterr().err == (
        f"error: {app / 'stacks' / 'Pulumi.staging.yaml'}: no such stack file; stacks here: dev; or pass --target\n"
    )

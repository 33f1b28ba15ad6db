"""templates/hybrid-app, the `pulumi new` template: a valid project file, substituted as the CLI
does it, and an app that previews clean on every target with the template's own policy levels."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

import components.program
from components import __version__
from components.offline.policy_check import check_policies
from components.offline.runner import run_preview
from components.targets import TARGETS
from policies import pack
from policies.catalogue import CONTROLS
from policies.engine import CONFIG_DIR
from tests.ecosystem.template import DESCRIPTION, PROJECT, TEMPLATE, instantiate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TARGET_KEY = "hybrid-platform:target"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return instantiate(tmp_path_factory.mktemp("user") / PROJECT)


def project_schema_errors(document: Any) -> list[str]:
    schema = json.loads((FIXTURES / "pulumi-project.schema.json").read_text())
    validator = Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_template_and_the_project_it_makes_are_valid_pulumi_yaml(app: Path) -> None:
    template = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())
    made = yaml.safe_load((app / "Pulumi.yaml").read_text())
    assert project_schema_errors(template) == []
    assert project_schema_errors(made) == []
    assert made["name"] == PROJECT and made["description"] == DESCRIPTION and "template" not in made
    assert made["stackConfigDir"] == "stacks" and (app / made["main"]).is_file()


def test_the_schema_fixture_rejects_what_pulumi_rejects() -> None:
    template = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())
    assert project_schema_errors({**template, "template": {**template["template"], "prompts": {}}})
    assert project_schema_errors({key: value for key, value in template.items() if key != "name"})


def test_pulumi_new_prompts_for_the_target_with_a_default() -> None:
    template = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())["template"]
    prompt = template["config"][TARGET_KEY]
    assert prompt["default"] in TARGETS
    assert all(target in prompt["description"] for target in TARGETS)
    assert template["description"] and template["quickstart"]


def test_every_placeholder_is_replaced(app: Path) -> None:
    for path in app.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "${PROJECT}" not in text and "${DESCRIPTION}" not in text, path
    spec = yaml.safe_load((app / "stacks" / "app.yaml").read_text())
    assert spec["app"] == PROJECT
    dev = yaml.safe_load((app / "stacks" / "Pulumi.dev.yaml").read_text())
    assert dev["config"][TARGET_KEY] == "docker"


def test_the_dependencies_pin_this_version() -> None:
    for path in (TEMPLATE / "requirements.txt", TEMPLATE / "policy-pack" / "requirements.txt"):
        lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
        assert lines == [f"hybrid-platform=={__version__}"], path


def test_the_policy_levels_are_the_packages(app: Path) -> None:
    stacks = sorted(
        p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in (app / "stacks").glob("Pulumi.*")
    )
    shipped = sorted(p.stem for p in (TEMPLATE / "policy-pack" / "config").glob("*.json"))
    assert stacks == shipped == ["dev", "prod", "staging"]
    for env in shipped:
        copy = TEMPLATE / "policy-pack" / "config" / f"{env}.json"
        assert copy.read_bytes() == (CONFIG_DIR / f"{env}.json").read_bytes(), (
            f"{copy} differs from policies/config/{env}.json; copy it again"
        )


def test_the_program_runs_the_projects_stacks(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[Path] = []
    monkeypatch.setattr(components.program, "pulumi_main", called.append)
    runpy.run_path(str(app / "__main__.py"), run_name="__main__")
    assert called == [app / "stacks"]


def test_the_policy_pack_builds_every_control(app: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pulumi_policy

    built: list[dict[str, Any]] = []
    # A real PolicyPack starts a gRPC server and blocks: record what the entry point builds.
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda **kwargs: built.append(kwargs))
    runpy.run_path(str(app / "policy-pack" / "__main__.py"), run_name="__main__")
    assert [b["name"] for b in built] == [pack.PACK_NAME]
    assert sorted(p.name for p in built[0]["policies"]) == sorted(c.id for c in CONTROLS)
    pack_file = yaml.safe_load((app / "policy-pack" / "PulumiPolicy.yaml").read_text())
    assert (app / "policy-pack" / pack_file["runtime"]["options"]["virtualenv"]).resolve() == app / "venv"


@pytest.mark.parametrize(
    ("stack", "target"),
    [("dev", None), ("staging", None), ("prod", None), *[("prod", target) for target in TARGETS]],
)
def test_the_app_previews_clean(app: Path, stack: str, target: str | None) -> None:
    result = run_preview(app / "stacks", stack, target=target)
    levels = app / "policy-pack" / "config" / f"{stack}.json"
    report = check_policies(result, config_file=levels, stack_given=True)
    assert report.mandatory == []
    assert (
        result.stack_file is not None
        and Path(result.stack_file).resolve() == app / "stacks" / f"Pulumi.{stack}.yaml"
    )
    endpoints = result.outputs["endpoints"]
    assert set(endpoints) == {"web", "api", "db"}
    assert {e["target"] for e in endpoints.values()} == {target or result.outputs["target"]}

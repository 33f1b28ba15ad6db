"""The program as `pulumi up` runs it: input errors stop the run before any resource."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pulumi
import pytest
import yaml

from components.appspec import Problem, SpecError
from components.offline.document import as_json, dumps
from components.offline.recorder import Secret
from components.offline.render import PlainText, print_tree
from components.offline.runner import PreviewResult, run_preview, run_with_config
from components.offline.stackfile import PLACEHOLDER, StackConfig
from components.program import OFFLINE_SECURE_VALUE, pulumi_main
from tests.factory import make_app, preview


def write_stack(tmp_path: Path, config: dict[str, object]) -> None:
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(make_app()))
    stack = {"config": {f"hybrid-platform:{k}": v for k, v in config.items()}}
    (tmp_path / "Pulumi.prod.yaml").write_text(yaml.safe_dump(stack))


def test_missing_secret_stops_pulumi_up_naming_it_and_the_command(tmp_path: Path) -> None:
    write_stack(tmp_path, {"target": "docker"})
    with pytest.raises(SpecError) as caught:
        run_preview(tmp_path, "prod", offline=False)
    assert caught.value.lines() == [
        "Pulumi.prod.yaml: hybrid-platform:secrets.db-password: missing (used by "
        "services.db.secret_env.POSTGRES_PASSWORD, services.api.secret_env.DB_PASSWORD); "
        "set it with: pulumi config set --secret --path 'secrets.db-password' <value> --stack prod"
    ]


def test_offline_preview_uses_a_placeholder_and_warns(tmp_path: Path) -> None:
    write_stack(tmp_path, {"target": "docker"})
    result = run_preview(tmp_path, "prod")
    assert [w for w in result.warnings if "secrets.db-password: missing" in w]


def test_set_secret_passes_under_pulumi_up(tmp_path: Path) -> None:
    write_stack(tmp_path, {"target": "docker", "secrets": {"db-password": {"secure": "v1:x"}}})
    result = run_preview(tmp_path, "prod", offline=False)
    assert not result.warnings


def test_pulumi_main_turns_input_errors_into_a_run_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bad_program(stacks_dir: Path) -> None:
        raise SpecError("app.yaml", [Problem("services.web.replicas", "must be >= 0")])

    monkeypatch.setattr("components.program.program", bad_program)
    with pytest.raises(pulumi.RunError) as caught:
        pulumi_main(tmp_path)
    assert str(caught.value) == "invalid input:\napp.yaml: services.web.replicas: must be >= 0"


def test_pulumi_main_gives_one_line_per_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def bad_program(stacks_dir: Path) -> None:
        raise SpecError(
            "Pulumi.prod.yaml",
            [Problem("hybrid-platform:target", "required"), Problem("hybrid-platform:spec", "not found")],
        )

    monkeypatch.setattr("components.program.program", bad_program)
    with pytest.raises(pulumi.RunError) as caught:
        pulumi_main(tmp_path)
    assert str(caught.value).splitlines()[1:] == [
        "Pulumi.prod.yaml: hybrid-platform:target: required",
        "Pulumi.prod.yaml: hybrid-platform:spec: not found",
    ]


TWO_SECRETS = make_app(
    web={"secret_env": {"SESSION_KEY": "session-key"}},
)


def secret_values_of(result: PreviewResult) -> set[str]:
    """Every plain value the program wrapped as a secret, as text."""
    found: set[str] = set()

    def walk(value: object, inside: bool) -> None:
        if isinstance(value, Secret):
            walk(value.value, True)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item, inside)
        elif isinstance(value, list):
            for item in value:
                walk(item, inside)
        elif inside and isinstance(value, str):
            found.add(value)

    for resource in result.resources:
        walk(resource.inputs, False)
    return found


def test_each_secret_without_a_value_gets_a_placeholder_naming_it(tmp_path: Path) -> None:
    # session-key is missing; db-password is set but cannot be decrypted offline
    result = preview(tmp_path, TWO_SECRETS, {"secrets": {"db-password": {"secure": "v1:x"}}})
    envs = secret_values_of(result)
    assert "SESSION_KEY=offline-secret:session-key" in envs
    assert {"DB_PASSWORD=offline-secret:db-password", "POSTGRES_PASSWORD=offline-secret:db-password"} <= envs
    assert OFFLINE_SECURE_VALUE == PLACEHOLDER  # what the stack file reader gives a `secure:` value
    assert not any(OFFLINE_SECURE_VALUE in value for value in envs)


def rendered(result: PreviewResult) -> str:
    """Everything the preview prints: the tree view and the JSON document."""
    text = io.StringIO()
    print_tree(result, PlainText(text))
    return text.getvalue() + dumps(as_json(result))


@pytest.mark.parametrize("target", ["docker", "vm", "kubernetes", "hybrid"])
def test_a_real_secret_value_never_appears_in_the_output(tmp_path: Path, target: str) -> None:
    value = "r3al-Secret-0x5eed"
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(TWO_SECRETS))
    config = StackConfig(
        {
            "hybrid-platform:target": target,
            "hybrid-platform:secrets": json.dumps({"db-password": value}),  # session-key: missing
        },
        {"hybrid-platform:secrets"},
    )
    result = run_with_config(tmp_path, "test", config)
    assert any(value in v for v in secret_values_of(result))  # the program did receive it
    output = rendered(result)
    assert value not in output
    assert "[secret:session-key]" in output  # the placeholder is shown by name
    if target == "vm":
        # the db VM's user-data holds the real value: masked whole; web's holds only a placeholder
        document = as_json(result)
        user_data = {
            r["name"]: r["inputs"]["userData"]
            for r in document["resources"]
            if r["type"] == "libvirt:index/cloudInitDisk:CloudInitDisk"
        }
        assert user_data["shop-db-0-cloudinit"] == "[secret]"
        assert "SESSION_KEY=[secret:session-key]" in user_data["shop-web-0-cloudinit"]
        assert "nft" in user_data["shop-web-0-cloudinit"]  # the firewall can be reviewed

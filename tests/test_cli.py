"""The `hybrid` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.factory import make_app

ROOT = Path(__file__).resolve().parent.parent


def hybrid(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_preview_dev_shows_the_tree_and_a_summary() -> None:
    run = hybrid("preview", "dev")
    assert run.returncode == 0, run.stderr
    assert "hybrid:app:Application  voting" in run.stdout
    assert "hybrid:docker:DockerApp  voting-docker" in run.stdout
    assert "docker:index/container:Container  voting-db-0" in run.stdout
    assert "5  docker:index/container:Container" in run.stdout
    assert "secrets.db-password: missing" in run.stdout  # warned, with the command to fix it
    assert "Traceback" not in run.stdout + run.stderr


def test_preview_dev_json() -> None:
    run = hybrid("preview", "dev", "--json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert set(document) >= {"resources", "outputs"}
    for resource in document["resources"]:
        assert {"urn", "type", "name", "parent", "depends_on", "protect", "inputs"} <= set(resource)
    types = [r["type"] for r in document["resources"]]
    assert types.count("docker:index/container:Container") == 5
    assert document["outputs"]["endpoints"]["web"]["ports"][0]["public"] == ["127.0.0.1:5000"]
    assert "offline-placeholder" not in run.stdout
    db = next(r for r in document["resources"] if r["name"] == "voting-db-0")
    assert "[secret]" in db["inputs"]["envs"]


def test_preview_any_spec_on_a_target_without_a_stack_file(tmp_path: Path) -> None:
    spec = tmp_path / "other.yaml"
    spec.write_text(yaml.safe_dump(make_app(name="other")))
    run = hybrid("preview", "scratch", "--spec", str(spec), "--target", "docker", "--json")
    assert run.returncode == 0, run.stderr
    names = {r["name"] for r in json.loads(run.stdout)["resources"]}
    assert "other-db-0" in names


def test_schema_is_the_spec_json_schema() -> None:
    run = hybrid("schema")
    assert run.returncode == 0, run.stderr
    schema = json.loads(run.stdout)
    assert schema["title"] == "hybrid-platform application spec"
    assert schema["required"] == ["app", "services"]
    service = schema["$defs"]["ServiceSpec"]
    assert service["additionalProperties"] is False
    assert "isolation" in service["properties"]
    example = yaml.safe_load((ROOT / "stacks" / "app.yaml").read_text())
    assert set(example) <= set(schema["properties"])


def test_bad_spec_exits_2_with_one_line_per_error(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "app": "shop",
                "services": {"web": {"image": "x:1", "replicas": -1, "depends_on": ["ghost"]}},
            }
        )
    )
    run = hybrid("preview", "dev", "--spec", str(spec))
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"error: {spec}: services.web.replicas: must be greater than or equal to 0 (got -1)",
    ]
    spec.write_text(
        yaml.safe_dump({"app": "shop", "services": {"web": {"image": "x:1", "depends_on": ["ghost", "web"]}}})
    )
    run = hybrid("preview", "dev", "--spec", str(spec))
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"error: {spec}: services.web.depends_on[0]: unknown service 'ghost'; services are: web",
        f"error: {spec}: services.web.depends_on[1]: a service cannot depend on itself",
    ]
    assert run.stdout == ""


def test_bad_yaml_unknown_stack_and_bad_target_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("app: shop\nservices: [unclosed\n")
    run = hybrid("preview", "dev", "--spec", str(spec))
    assert run.returncode == 2 and run.stderr.startswith(f"error: {spec}: line ")
    run = hybrid("preview", "nope")
    assert run.returncode == 2
    assert "Pulumi.nope.yaml: no such stack file; stacks here: dev, prod, staging" in run.stderr
    run = hybrid("preview", "dev", "--target", "mainframe")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "error: Pulumi.dev.yaml: hybrid-platform:target: 'mainframe' is not a target; available: docker, vm, hybrid, kubernetes"
    ]
    assert "Traceback" not in run.stderr


def test_bad_stack_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(make_app()))
    (tmp_path / "Pulumi.bad.yaml").write_text(
        yaml.safe_dump(
            {
                "config": {
                    "hybrid-platform:target": "docker",
                    "hybrid-platform:docker": {"bind_address": "everywhere"},
                    "hybrid-platform:secrets": {"db-password": "plain"},
                }
            }
        )
    )
    run = hybrid("preview", "bad", "--stacks-dir", str(tmp_path))
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"error: {tmp_path / 'Pulumi.bad.yaml'}: hybrid-platform:secrets.db-password: is plaintext; "
        "set it with: pulumi config set --secret --path 'secrets.db-password' <value>",
    ]


def test_bad_arguments_exit_2_naming_the_argument() -> None:
    run = hybrid("preview", "dev", "--bogus")
    assert run.returncode == 2
    assert "Error: No such option: --bogus" in run.stderr.splitlines()
    run = hybrid("preview")
    assert run.returncode == 2
    assert "Error: Missing argument 'STACK'." in run.stderr.splitlines()
    assert "Traceback" not in run.stderr

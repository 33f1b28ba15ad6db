"""The `hybrid` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from components import cli
from components.offline.stackfile import available_stacks
from tests.factory import make_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TARGET_ERROR = "'mainframe' is not a target; available: docker, vm, hybrid, kubernetes"


def hybrid(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
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
    assert document["stack"] == "dev" and document["stack_file"] == "stacks/Pulumi.dev.yaml"
    assert document["policy_config"] == "policies/config/dev.json" and document["violations"] == []
    for resource in document["resources"]:
        assert {"urn", "type", "name", "parent", "depends_on", "protect", "inputs"} <= set(resource)
    types = [r["type"] for r in document["resources"]]
    assert types.count("docker:index/container:Container") == 5
    assert document["outputs"]["endpoints"]["web"]["ports"][0]["public"] == ["127.0.0.1:5000"]
    assert set(document["outputs"]["endpoints"]) == {"web", "api", "worker", "db", "redis"}
    assert "offline-placeholder" not in run.stdout and "offline-secret:" not in run.stdout
    db = next(r for r in document["resources"] if r["name"] == "voting-db-0")
    assert "POSTGRES_PASSWORD=[secret:db-password]" in db["inputs"]["envs"]


def test_resources_come_parents_first() -> None:
    document = json.loads(hybrid("preview", "staging", "--json").stdout)
    seen: set[str] = set()
    for resource in document["resources"]:
        assert (
            resource["parent"] is None or resource["parent"] in seen or "pulumi:Stack" in resource["parent"]
        )
        seen.add(resource["urn"])


def test_preview_a_spec_on_a_target_without_a_stack(tmp_path: Path) -> None:
    spec = tmp_path / "other.yaml"
    spec.write_text(yaml.safe_dump(make_app(name="other")))
    run = hybrid("preview", "--spec", str(spec), "--target", "docker", "--json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert "other-db-0" in {r["name"] for r in document["resources"]}
    assert (document["stack"], document["stack_file"], document["policy_config"]) == (
        "preview",
        None,
        "policies/config/dev.json",  # no stack: dev's levels
    )
    run = hybrid("preview", "--spec", str(spec), "--target", "vm")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "stack preview  (no stack file: settings from --target and --spec)"
    assert "policies (policies/config/dev.json)" in run.stdout
    # a stack name with no stack file runs under that name, judged as a stack: with the
    # strictest levels, since there is no policies/config/scratch.json
    run = hybrid("preview", "scratch", "--spec", str(spec), "--target", "docker", "--json")
    document = json.loads(run.stdout)
    assert document["stack"] == "scratch"
    assert document["policy_config"] == "strictest (no policies/config/scratch.json)"
    assert run.returncode == 1


def test_help_says_how_to_preview_without_a_stack() -> None:
    run = hybrid("preview", "--help")
    assert run.returncode == 0
    help_text = " ".join(run.stdout.split())
    assert "Usage: hybrid preview [OPTIONS] [STACK]" in help_text
    assert "Without it, --target is required" in help_text
    assert "runs as stack 'preview' with no stack file" in help_text
    assert "--policy-config" in help_text


@pytest.mark.parametrize("stack", available_stacks(ROOT / "stacks"))
def test_two_processes_print_the_same_bytes(stack: str) -> None:
    commands = [("preview", stack), ("preview", stack, "--json")] * 2
    with ThreadPoolExecutor(2) as pool:
        text_1, json_1, text_2, json_2 = pool.map(lambda args: hybrid(*args), commands)
    for run in (text_1, json_1):
        assert run.returncode == 0, run.stderr
    assert text_2.stdout == text_1.stdout
    assert json_2.stdout == json_1.stdout


def test_policy_config_file_sets_the_levels_and_is_named(tmp_path: Path) -> None:
    insecure = ("preview", "insecure", "--stacks-dir", str(FIXTURES))
    run = hybrid(*insecure)
    assert run.returncode == 1  # no policies/config/insecure.json: the strictest levels
    assert "policies (strictest (no policies/config/insecure.json))" in run.stdout
    relaxed = tmp_path / "relaxed.json"
    relaxed.write_text(json.dumps({"all": "advisory"}))
    run = hybrid(*insecure, "--policy-config", str(relaxed))
    assert run.returncode == 0, run.stdout  # advisory findings only: clean
    assert f"policies ({relaxed})" in run.stdout
    assert "advisory  stack-isolation-vs-target" in run.stdout
    run = hybrid(*insecure, "--policy-config", str(relaxed), "--json")
    assert run.returncode == 0
    document = json.loads(run.stdout)
    assert document["policy_config"] == str(relaxed)
    assert {v["level"] for v in document["violations"]} == {"advisory"}


def test_a_mandatory_violation_exits_1_also_under_json() -> None:
    run = hybrid("preview", "insecure", "--stacks-dir", str(FIXTURES), "--json")
    assert run.returncode == 1
    mandatory = [v for v in json.loads(run.stdout)["violations"] if v["level"] == "mandatory"]
    assert {v["policy"] for v in mandatory} >= {"stack-isolation-vs-target", "docker-no-bind-all-ports"}


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
    assert run.stderr.splitlines() == [  # every problem in one run, in the order of the file
        f"error: {spec}: services.web.depends_on[0]: unknown service 'ghost'; services are: web",
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
    assert "Pulumi.nope.yaml: no such stack file; stacks here: dev, hybrid, prod, staging" in run.stderr
    run = hybrid("preview", "dev", "--target", "mainframe")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [f"error: --target: {TARGET_ERROR}"]  # the flag, not the stack file
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


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("preview",),
            "error: STACK: missing; name a stack (stacks here: dev, hybrid, prod, staging), "
            "or preview a spec without one: --target TARGET [--spec FILE]",
        ),
        (("preview", "dev", "--bogus"), "error: --bogus: no such option; see 'hybrid preview --help'"),
        (
            ("preview", "dev", "--jsn"),
            "error: --jsn: no such option (possible options: --json); see 'hybrid preview --help'",
        ),
        (
            ("preview", "dev", "extra"),
            "error: Got unexpected extra argument(s) (extra); see 'hybrid preview --help'",
        ),
        (
            ("preview", "dev", "--policy-config", "missing.json"),
            "error: --policy-config: file 'missing.json' does not exist; see 'hybrid preview --help'",
        ),
        (("preview", "dev", "--target", "mainframe"), f"error: --target: {TARGET_ERROR}"),
        (("bogus",), "error: No such command 'bogus'; see 'hybrid --help'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...], line: str) -> None:
    run = hybrid(*args)
    assert (run.returncode, run.stderr.splitlines(), run.stdout) == (2, [line], "")


def test_an_option_without_its_value_is_one_line() -> None:
    run = hybrid("preview", "dev", "--target")
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith("error: --target: ") and "requires an argument" in line


def errors_of(run: subprocess.CompletedProcess[str]) -> list[dict[str, str | None]]:
    assert run.returncode == 2 and run.stderr == ""
    errors: list[dict[str, str | None]] = json.loads(run.stdout)["errors"]
    return errors


def test_under_json_errors_are_json_on_stdout(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        yaml.safe_dump({"app": "shop", "services": {"web": {"image": "x:1", "depends_on": ["ghost"]}}})
    )
    assert errors_of(hybrid("preview", "dev", "--spec", str(spec), "--json")) == [
        {
            "file": str(spec),
            "path": "services.web.depends_on[0]",
            "message": "unknown service 'ghost'; services are: web",
        }
    ]
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(make_app()))
    (tmp_path / "Pulumi.bad.yaml").write_text(
        yaml.safe_dump(
            {"config": {"hybrid-platform:target": "docker", "hybrid-platform:protect_data": "maybe"}}
        )
    )
    (error,) = errors_of(hybrid("preview", "bad", "--stacks-dir", str(tmp_path), "--json"))
    assert (error["file"], error["path"]) == ("Pulumi.bad.yaml", "hybrid-platform:protect_data")
    assert errors_of(hybrid("preview", "dev", "--target", "mainframe", "--json")) == [
        {"file": None, "path": "--target", "message": TARGET_ERROR}
    ]
    assert errors_of(hybrid("preview", "dev", "--json", "--bogus")) == [
        {"file": None, "path": "--bogus", "message": "no such option; see 'hybrid preview --help'"}
    ]


def test_a_bad_policy_config_file_is_bad_input(tmp_path: Path) -> None:
    config = tmp_path / "levels.json"
    config.write_text("{not json")
    run = hybrid("preview", "dev", "--policy-config", str(config))
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"error: {config}: ")


def test_a_bug_exits_3_with_one_line_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise KeyError("voting-db-0")

    monkeypatch.setattr("components.offline.runner.run_preview", broken)
    monkeypatch.delenv(cli.DEBUG_VARIABLE, raising=False)
    assert cli.run(["preview", "dev"]) == 3
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "hybrid: internal error (this is a bug): KeyError: 'voting-db-0'; "
        "rerun with HYBRID_DEBUG=1 for the traceback"
    ]
    assert captured.out == ""
    monkeypatch.setenv(cli.DEBUG_VARIABLE, "1")
    assert cli.run(["preview", "dev", "--json"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "in broken" in err
    assert err.splitlines()[-1].startswith("hybrid: internal error (this is a bug): KeyError")


def modules_after(*args: str) -> set[str]:
    """The modules `hybrid ARGS` loaded, its output not a terminal."""
    probe = (
        "import sys; from components import cli; cli.run(sys.argv[1:]); "
        "sys.stderr.write('\\nLOADED ' + ' '.join(sorted(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    return set(run.stderr.rsplit("LOADED ", 1)[1].split())


def test_output_that_is_not_a_terminal_is_written_without_rich() -> None:
    loaded = modules_after("preview", "dev", "--json")
    assert not {m for m in loaded if m.split(".")[0] == "rich"}
    assert "policies.engine" in loaded
    assert "rich.console" not in modules_after("preview", "dev")  # plain text: no rich console


def test_bad_arguments_load_neither_the_program_nor_the_policies() -> None:
    loaded = modules_after("preview", "dev", "--target", "mainframe")
    assert not {m for m in loaded if m.split(".")[0] in ("pulumi", "policies", "rich")}


def test_json_is_written_in_one_stable_form() -> None:
    run = hybrid("preview", "dev", "--json")
    assert run.stdout == json.dumps(json.loads(run.stdout), indent=2, sort_keys=True) + "\n"

"""The App component as other Pulumi languages see it: the schema the SDK's analyzer infers
(inputs with descriptions, `endpoints` as an output), the same resources the program builds
for a stack with the same settings, and bad input reported per input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import grpc
import pulumi
import pytest
import yaml
from jsonschema import Draft202012Validator
from pulumi.errors import InputPropertiesError
from pulumi.provider.experimental.analyzer import Analyzer, ComponentDefinition
from pulumi.provider.experimental.util import camel_case
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from components import __version__
from components.offline.document import as_json
from components.offline.runner import PreviewResult, run_preview, run_with_config
from components.offline.stackfile import StackConfig, read_stack_config
from components.program import offline_secret
from components.provider import TYPE_TOKEN, App, provider
from components.settings import PROJECT, key_kinds, secret_fields, sections
from tests.ecosystem.readme import code_blocks
from tests.ecosystem.template import ROOT

STACKS = ROOT / "stacks"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC = (STACKS / "app.yaml").read_text()


@pytest.fixture(scope="module")
def component() -> ComponentDefinition:
    return Analyzer(PROJECT).analyze([App])["component_definitions"]["App"]


def test_the_schema_has_the_component_its_inputs_and_endpoints(component: ComponentDefinition) -> None:
    schema = json.loads(provider().schema or "{}")
    assert schema["name"] == PROJECT and schema["version"] == __version__
    resource = schema["resources"][TYPE_TOKEN]
    assert resource["isComponent"] is True
    assert resource["requiredInputs"] == ["spec", "target"]
    assert resource["inputProperties"]["spec"] == {
        "description": component.inputs["spec"].description,
        "type": "string",
        "plain": True,
    }
    assert "YAML text" in resource["inputProperties"]["spec"]["description"]
    assert resource["properties"]["endpoints"]["type"] == "object"
    assert "endpoints" in resource["required"] and "kubeconfig" not in resource["required"]


def test_the_plugin_serves_the_schema(tmp_path: Path) -> None:
    """What `pulumi package add` runs (PulumiPlugin.yaml: `python <repository>`), asked for its
    schema over gRPC as the engine asks it."""
    plugin = subprocess.Popen(
        [sys.executable, str(ROOT), "127.0.0.1:1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        port = int(plugin.stdout.readline()) if plugin.stdout else 0
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            reply = provider_pb2_grpc.ResourceProviderStub(channel).GetSchema(provider_pb2.GetSchemaRequest())
    finally:
        plugin.terminate()
        plugin.wait(timeout=10)
    assert json.loads(reply.schema) == json.loads(provider().schema or "{}")
    assert yaml.safe_load((ROOT / "PulumiPlugin.yaml").read_text()) == {"runtime": "python"}


def test_every_input_and_output_is_described(component: ComponentDefinition) -> None:
    for name, prop in {**component.inputs, **component.outputs}.items():
        assert prop.description and len(prop.description) > 20, name
    assert component.description and "\n" not in component.description


def test_the_inputs_are_the_stack_config_keys(component: ComponentDefinition) -> None:
    assert sorted(component.inputs) == sorted(camel_case(key) for key in key_kinds())


def test_what_decides_the_resources_is_plain_and_secrets_are_not(component: ComponentDefinition) -> None:
    secrets = component.inputs["secrets"]
    assert secrets.additional_properties is not None and secrets.additional_properties.plain is None
    assert all(prop.plain for name, prop in component.inputs.items() if name != "secrets")


def test_each_section_input_names_the_fields_it_takes(component: ComponentDefinition) -> None:
    secret = {(key, field) for key, field in secret_fields()}
    for key, model in sections().items():
        description = component.inputs[camel_case(key)].description or ""
        missing = [f for f in model.model_fields if (key, f) not in secret and f not in description]
        assert missing == [], f"the description of input {key} does not name {missing}"


def _inputs_of(stack: str) -> dict[str, Any]:
    """The App inputs for a stack file's settings, numbers as floats as the engine sends them."""
    config = read_stack_config(STACKS / f"Pulumi.{stack}.yaml")
    inputs: dict[str, Any] = {"spec": SPEC}
    for full_key, text in config.values.items():
        key = full_key.removeprefix(f"{PROJECT}:")
        if key != "spec":
            kind = key_kinds()[key]
            inputs[camel_case(key)] = text if kind == "text" else _floats(json.loads(text))
    return inputs


def _floats(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    return [_floats(v) for v in value] if isinstance(value, list) else value


def _construct(inputs: dict[str, Any], secrets: Any = None) -> PreviewResult:
    """Run the provider's construct of an App under the mock runtime."""

    def declare() -> None:
        given = dict(inputs)
        if secrets is not None:
            given["secrets"] = secrets()
        result = provider().construct("shop", TYPE_TOKEN, given, None)
        pulumi.export("endpoints", result.state["endpoints"])

    return run_with_config(STACKS, "dev", StackConfig({}, set()), declare=declare)


def _graph(result: PreviewResult) -> list[tuple[str, str, Any]]:
    """Type, name, options and inputs (secrets masked) of every resource but the App."""
    document = as_json(result)
    keys = ("protect", "retain_on_delete", "delete_before_replace")
    return sorted(
        (r["type"], r["name"], json.dumps([r[k] for k in keys] + [r["inputs"]], sort_keys=True))
        for r in document["resources"]
        if r["type"] != TYPE_TOKEN
    )


@pytest.mark.parametrize("stack", ["dev", "hybrid"])
def test_the_component_builds_what_the_program_builds(stack: str) -> None:
    program = run_preview(STACKS, stack)
    assert set(program.outputs["endpoints"]) == {"web", "api", "worker", "db", "redis"}
    built = _construct(
        _inputs_of(stack),
        secrets=lambda: {"db-password": pulumi.Output.secret(offline_secret("db-password"))},
    )
    assert _graph(built) == _graph(program)
    [component] = [r for r in built.resources if r.type == TYPE_TOKEN]
    assert [r.type for r in built.resources if r.parent == component.urn] == ["hybrid:app:Application"]
    assert built.outputs["endpoints"] == program.outputs["endpoints"]


def test_secrets_given_as_one_secret_mapping_stay_secret() -> None:
    built = _construct(
        {"spec": SPEC, "target": "docker"},
        secrets=lambda: pulumi.Output.secret({"db-password": "s3cret-value"}),
    )
    db = next(r for r in as_json(built)["resources"] if r["name"] == "voting-db-0")
    assert db["inputs"]["envs"][-1] == "[secret]"  # POSTGRES_PASSWORD=..., a Pulumi secret
    assert "s3cret-value" not in json.dumps(as_json(built))


def _error(inputs: dict[str, Any], secrets: Any = None) -> list[str]:
    with pytest.raises(InputPropertiesError) as caught:
        _construct(inputs, secrets)
    lines = caught.value.message.splitlines()
    assert lines == [f"{e['property_path']}: {e['reason']}" for e in caught.value.errors or []]
    return lines


def test_a_bad_spec_is_named_by_input_and_field() -> None:
    spec = SPEC.replace("depends_on: [api]", "depends_on: [ghost]")
    assert _error({"spec": spec, "target": "docker"}) == [
        "spec: services.web.depends_on[0]: unknown service 'ghost'; services are: api, db, redis, web, worker"
    ]


def test_a_file_name_instead_of_the_spec_says_to_read_the_file() -> None:
    [line] = _error({"spec": "app.yaml", "target": "docker"})
    assert line.startswith("spec: must be the spec's YAML text, not a file name ('app.yaml')")


def test_bad_settings_are_named_by_input_and_field() -> None:
    secrets = {"db-password": "x"}
    assert _error({"spec": SPEC, "target": "mainframe"}, lambda: secrets) == [
        "target: 'mainframe' is not a target; available: docker, vm, hybrid, kubernetes"
    ]
    assert _error(
        {"spec": SPEC, "target": "docker", "docker": {"bind_address": "localhost"}}, lambda: secrets
    ) == ["docker.bind_address: 'localhost' is not an IP address; use e.g. 127.0.0.1"]


def test_a_missing_secret_is_named() -> None:
    assert _error({"spec": SPEC, "target": "docker"}, lambda: {"db-pasword": "x"}) == [
        "secrets.db-password: missing (used by services.db.secret_env.POSTGRES_PASSWORD, "
        "services.api.secret_env.DB_PASSWORD, services.worker.secret_env.DB_PASSWORD); "
        "pass it, e.g. secrets: {db-password: <a secret value>}"
    ]


def test_a_kubeconfig_is_refused_as_an_input() -> None:
    inputs = {"spec": SPEC, "target": "kubernetes", "kubernetes": {"kubeconfig": "apiVersion: v1"}}
    [line] = _error(inputs, lambda: {"db-password": "x"})
    assert line.startswith("kubernetes.kubeconfig: a secret cannot be an input of the component")


def test_a_secret_missing_from_one_secret_mapping_is_named_when_it_is_read() -> None:
    # Names in a secret mapping are known only once the value is: the deployment fails there.
    # A run that fails inside an output leaves the SDK's tasks behind: it runs in a process of its own.
    code = (
        "import pulumi\n"
        "from tests.ecosystem.test_provider import SPEC, _construct\n"
        "_construct({'spec': SPEC, 'target': 'docker'}, secrets=lambda: pulumi.Output.secret({}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "ValueError has risen: secrets.db-password: missing (used by services.db" in run.stderr


def test_the_readme_yaml_program_is_a_valid_project_using_the_component(
    component: ComponentDefinition,
) -> None:
    [block] = code_blocks("Use from TypeScript/Go/YAML", "yaml")
    program = yaml.safe_load(block)
    schema = json.loads((FIXTURES / "pulumi-project.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(program)) == []
    [resource] = program["resources"].values()
    assert resource["type"] == TYPE_TOKEN
    properties = resource["properties"]
    assert set(properties) <= set(component.inputs) and {"spec", "target"} <= set(properties)
    assert properties["spec"] == {"fn::readFile": "./app.yaml"}
    assert (
        properties["secrets"] == {"db-password": "${dbPassword}"}
        and program["config"]["dbPassword"]["secret"]
    )
    # What the YAML runtime passes for it: the file's text, and the config value as a secret.
    inputs = {**properties, "spec": SPEC}
    del inputs["secrets"]
    built = _construct(inputs, secrets=lambda: {"db-password": pulumi.Output.secret("from-config")})
    assert set(built.outputs["endpoints"]) == {"web", "api", "worker", "db", "redis"}

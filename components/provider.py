"""The app as a component for every Pulumi language: `pulumi package add` this repository
(its `PulumiPlugin.yaml` runs `__main__.py`, which calls `serve`) and a TypeScript, Go, C#,
Java or YAML program declares `hybrid-platform:index:App`, which builds what the Python
program builds for a stack.

The Python SDK's component provider infers the package schema from `AppArgs` and `App`: their
annotations and the docstrings under each field. The annotations must stay real objects, so
this module does not use `from __future__ import annotations`.

A provider runs in a process of its own: it cannot read the caller's files or stack config.
So the spec arrives as YAML text, the settings as the stack config keys (without the
`hybrid-platform:` prefix), and the secrets as secret inputs. What decides which resources
exist (spec, target, settings) is a plain input, known before the deployment starts.
"""

import functools
import json
import sys
from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

import pulumi
import yaml
from pulumi.errors import InputPropertiesError, InputPropertyErrorDetails
from pulumi.provider import ConstructResult, main
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.util import camel_case
from pulumi.provider.server import ComponentInitError

from . import __version__
from .application import Application
from .appspec import AppSpec, Problem, SpecError, parse_spec
from .program import resolve_app
from .resolve import ResolvedApp
from .settings import PROJECT, SECRETS_KEY, StackSettings, parse_settings, secret_fields

TYPE_TOKEN = f"{PROJECT}:index:App"
SPEC = "spec"  # the input that holds the spec: its problems name fields inside it
INPUTS = "inputs"  # the source of every other problem: the component's inputs


class AppArgs(TypedDict):
    """The inputs of an App: the keys of a hybrid-platform stack file, without the `hybrid-platform:` prefix, with the spec as YAML text and secret values as secret inputs."""

    spec: str
    """The app spec as YAML text: what stacks/app.yaml holds. The provider runs apart from your program and cannot read your files: read it in the program, e.g. readFileSync("app.yaml", "utf8") or, in Pulumi YAML, fn::readFile: ./app.yaml."""
    target: str
    """Where the app runs: docker (one Docker host), vm (a libvirt VM per replica), hybrid (a k3s cluster on libvirt VMs) or kubernetes (an existing cluster)."""
    placement: NotRequired[dict[str, str]]
    """Services that run on another target than `target`, e.g. {db: vm}."""
    protect_data: NotRequired[bool]
    """Protect the volumes and retain them on delete (default false)."""
    accepted_gaps: NotRequired[list[str]]
    """Target pairs whose weaker enforcement across targets you accept, e.g. [hybrid->vm]."""
    moves: NotRequired[dict[str, Any]]
    """Services moving to another target, one deployment per step, e.g. {api: {to: hybrid, step: start}} (then switch; a service with volumes also needs data: fresh)."""
    overrides: NotRequired[dict[str, Any]]
    """Per service: replicas, resources (partial) or image, e.g. {web: {replicas: 3}}."""
    docker: NotRequired[dict[str, Any]]
    """The docker settings, as in a stack file: host, bind_address, sandbox_runtime, host_address."""
    libvirt: NotRequired[dict[str, Any]]
    """The libvirt settings, as in a stack file: uri or hosts, pool, base_image, network (cidr, mode), addresses, domain_type, guest_memory_overhead, vnc, guest_agent, ssh_authorized_keys."""
    cluster: NotRequired[dict[str, Any]]
    """The k3s cluster of the hybrid target, as in a stack file: servers, agents, vm_agents, vcpus, memory, disk, k3s_version, install_source, ready_timeout."""
    kubernetes: NotRequired[dict[str, Any]]
    """The Kubernetes settings, as in a stack file: namespace, runtime_classes, public_service_type, node_cidrs, node_port_range, pss_version. The kubeconfig is not an input (inputs are stored in plain text): the kubernetes provider's default applies (KUBECONFIG)."""
    secrets: NotRequired[dict[str, pulumi.Input[str]]]
    """The value of each secret the spec names in secret_env, by secret name, e.g. {db-password: <a secret>}. Pass secrets (pulumi.secret, fn::secret): they stay secrets."""


class App(pulumi.ComponentResource):
    """One app spec deployed as Docker containers, libvirt VMs or Kubernetes workloads: the resources the hybrid-platform program declares for a stack with the same settings."""

    endpoints: pulumi.Output[dict[str, Any]]
    """Per service: {target, ports: [{name, port, protocol, address, public}]}: where clients inside the app connect (address) and where a public port is reached from outside."""
    kubeconfig: pulumi.Output[str | None]
    """The kubeconfig of the k3s cluster the hybrid target builds (a secret); null otherwise."""

    def __init__(self, name: str, args: AppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        settings = settings_from(args)
        app = resolve_app(spec_from(args["spec"]), settings, INPUTS)
        secrets = secret_inputs(app, args.get(SECRETS_KEY, {}))
        application = Application(app, settings, secrets, pulumi.ResourceOptions(parent=self))
        self.endpoints = application.endpoints
        kubeconfig = application.stack_outputs.get("kubeconfig")
        self.kubeconfig = kubeconfig if kubeconfig is not None else pulumi.Output.from_input(None)
        self.register_outputs({"endpoints": self.endpoints, "kubeconfig": self.kubeconfig})


def spec_from(text: object) -> AppSpec:
    """The spec from its YAML text (a `SpecError` naming `spec` otherwise)."""
    if not isinstance(text, str):
        raise SpecError(SPEC, [Problem("", _NOT_PLAIN)])
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SpecError(SPEC, [Problem("", f"not valid YAML: {' '.join(str(error).split())}")]) from None
    if isinstance(data, str):
        reason = (
            f"must be the spec's YAML text, not a file name ({data!r}); read the file in your "
            'program, e.g. readFileSync("app.yaml", "utf8") or fn::readFile: ./app.yaml'
        )
        raise SpecError(SPEC, [Problem("", reason)])
    return parse_spec(data, SPEC)


_NOT_PLAIN = (
    "must be a plain value known before the deployment (not a secret or another resource's "
    "output): it decides which resources exist"
)


def settings_from(args: AppArgs) -> StackSettings:
    """The stack settings the inputs give, validated as a stack file's config is."""
    given = {key: value for key, value in args.items() if key not in (SPEC, SECRETS_KEY)}
    problems = [Problem(f"{PROJECT}:{key}", _NOT_PLAIN) for key, v in given.items() if _is_output(v)]
    for key, field in secret_fields():
        section = given.get(key)
        if field is not None and isinstance(section, dict) and field in section:
            reason = (
                "a secret cannot be an input of the component (its inputs are stored in plain "
                "text); leave it unset and the provider's default applies"
            )
            problems.append(Problem(f"{PROJECT}:{key}.{field}", reason))
    if problems:
        raise SpecError(INPUTS, problems)
    raw = {f"{PROJECT}:{key}": _config_text(value) for key, value in given.items()}
    return parse_settings(raw, set(), INPUTS)


def _is_output(value: object) -> bool:
    return isinstance(value, pulumi.Output)


def _config_text(value: object) -> str:
    """A value as Pulumi hands config to a program: text, objects and lists as JSON. Numbers
    reach a provider as floats; whole ones are given back as integers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(_whole_numbers(value))


def _whole_numbers(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    return value


def secret_inputs(app: ResolvedApp, given: object) -> dict[str, pulumi.Output[str]]:
    """Each secret the spec uses, as a Pulumi secret, from the `secrets` input: a mapping (a
    missing name is a `SpecError`), or a secret of a whole mapping, read per name."""
    users = app.secret_users()
    if isinstance(given, Mapping):
        missing = [Problem(f"{SECRETS_KEY}.{n}", _missing(n, users[n])) for n in users if n not in given]
        if missing:
            raise SpecError(INPUTS, missing)
        return {name: pulumi.Output.secret(given[name]) for name in users}
    whole: pulumi.Output[Mapping[str, str]] = pulumi.Output.secret(given)  # type: ignore[arg-type]
    return {name: whole.apply(functools.partial(_pick, name=name, users=users[name])) for name in users}


def _missing(name: str, users: list[str]) -> str:
    return f"missing (used by {', '.join(users)}); pass it, e.g. secrets: {{{name}: <a secret value>}}"


def _pick(values: Mapping[str, str], name: str, users: list[str]) -> str:
    if name not in values:
        raise ValueError(f"{SECRETS_KEY}.{name}: {_missing(name, users)}")
    return values[name]


def input_error(error: SpecError) -> InputPropertiesError:
    """Bad input as the engine reports it: one line per problem, naming the input and the field."""
    details = [_detail(error.source, problem) for problem in error.problems]
    message = "\n".join(f"{d['property_path']}: {d['reason']}" for d in details)
    return InputPropertiesError(message, details)


def _detail(source: str, problem: Problem) -> InputPropertyErrorDetails:
    if source == SPEC:
        reason = f"{problem.path}: {problem.message}" if problem.path else problem.message
        return {"property_path": SPEC, "reason": reason}
    key, dot, rest = problem.path.removeprefix(f"{PROJECT}:").partition(".")
    return {"property_path": camel_case(key) + dot + rest, "reason": problem.message}


class AppProvider(ComponentProvider):
    """The SDK's component provider for `App`, reporting bad input per input, without a
    traceback (the SDK wraps any error raised in a component's constructor with one)."""

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: pulumi.Inputs,
        options: pulumi.ResourceOptions | None = None,
    ) -> ConstructResult:
        try:
            return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as error:
            if isinstance(error.inner, SpecError):
                raise input_error(error.inner) from None
            raise


def provider() -> AppProvider:
    """The provider of this package's components (the schema is inferred when it is made)."""
    return AppProvider([App], PROJECT, version=__version__)


def serve() -> None:
    """Serve the provider to the Pulumi engine (the plugin's entry point)."""
    main(provider(), sys.argv[1:])

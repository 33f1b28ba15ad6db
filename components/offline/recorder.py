"""A mock engine that records what the program registers, as the real engine would see it.

`MockMonitor.new_resource` alone sees neither parents, dependencies nor options,
so `RecordingMonitor` subclasses the monitor and keeps the whole request:
type, name, parent, dependencies, protect/retain/delete-before-replace, and the
inputs with secrets still marked (`Secret`) rather than unwrapped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format  # type: ignore[import-untyped]
from pulumi.runtime import mocks

SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
SIG_KEY = "4dabf18193072939515e22adb298388d"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
MASK = "[secret]"


class Secret:
    """A secret input value, kept out of every rendering."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return MASK


@dataclass
class RecordedResource:
    """One registered resource with its options and inputs (engine property names)."""

    urn: str
    id: str
    type: str
    name: str
    parent: str
    custom: bool
    depends_on: list[str]
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool
    provider: str
    replace_with: list[str]
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)


def decode(value: Any) -> Any:
    """Engine wire values -> Python, with secrets wrapped in `Secret` and unknowns as None."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return Secret(decode(value.get("value")))
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    if value == UNKNOWN:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf carries every number as a double
    return value


def reveal(value: Any) -> Any:
    """`value` with every `Secret` unwrapped (for returning state to the program)."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


class FakeProviders(mocks.Mocks):
    """Answers like a provider would: inputs echoed back, plus the outputs the
    program reads (auto-generated `name`, image ids). The secrets it makes up
    (passwords, private keys) are kept in `secret_values`: never shown, even as mocks."""

    def __init__(self) -> None:
        self.secret_values: set[str] = set()

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        suffix = hashlib.sha256(args.name.encode()).hexdigest()[:7]
        state = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-provider-id", state
        state.setdefault("name", f"{args.name}-{suffix}")
        fake_pem = f"-----BEGIN MOCK-----\n{suffix}\n-----END MOCK-----\n"
        outputs = {
            "random:index/randomPassword:RandomPassword": {"result": f"mock-random-{suffix}"},
            "tls:index/privateKey:PrivateKey": {"privateKeyPem": fake_pem, "publicKeyPem": fake_pem},
            "tls:index/selfSignedCert:SelfSignedCert": {"certPem": fake_pem},
            "tls:index/certRequest:CertRequest": {"certRequestPem": fake_pem},
            "tls:index/locallySignedCert:LocallySignedCert": {"certPem": fake_pem},
        }
        made_up = outputs.get(args.typ, {})
        state.update(made_up)
        self.secret_values |= {made_up[key] for key in ("result", "privateKeyPem") if key in made_up}
        if args.typ == "docker:index/remoteImage:RemoteImage":
            digest = hashlib.sha256(str(args.inputs.get("name")).encode()).hexdigest()
            state["imageId"] = f"sha256:{digest}"
            state["repoDigest"] = f"{args.inputs.get('name')}@sha256:{digest}"
        return f"{args.name}-{suffix}-id", state

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class RecordingMonitor(mocks.MockMonitor):
    """A `MockMonitor` that keeps every registration in `recorded`, in the order it came
    (which varies: the SDK registers from several threads; see `tree_order`)."""

    def __init__(self, providers: mocks.Mocks) -> None:
        super().__init__(providers)
        self.recorded: list[RecordedResource] = []
        self.stack_outputs: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type == "pulumi:pulumi:Stack":
            return response
        inputs = decode(json_format.MessageToDict(request.object))
        if "__provider" in inputs:  # a dynamic provider's pickled code: not an input anyone reads
            inputs["__provider"] = "<dynamic provider>"
        self.recorded.append(
            RecordedResource(
                urn=response.urn,
                id=response.id,
                type=request.type,
                name=request.name,
                parent=request.parent,
                custom=request.custom,
                depends_on=sorted(set(request.dependencies)),
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                delete_before_replace=bool(request.deleteBeforeReplace),
                provider=request.provider,
                replace_with=sorted(request.replace_with),
                inputs=inputs,
                outputs=decode(json_format.MessageToDict(response.object)),
            )
        )
        return response


def tree_order(resources: list[RecordedResource]) -> list[RecordedResource]:
    """`resources` depth first: each parent before its children, siblings by (type, name, urn).
    The same graph always gives the same order, whichever thread registered what first."""
    known = {r.urn for r in resources}
    children: dict[str, list[RecordedResource]] = {}
    for resource in resources:
        children.setdefault(resource.parent if resource.parent in known else "", []).append(resource)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r.type, r.name, r.urn), reverse=True)
    ordered, pending = [], list(children.get("", []))
    while pending:
        resource = pending.pop()
        ordered.append(resource)
        pending += children.get(resource.urn, [])
    return ordered

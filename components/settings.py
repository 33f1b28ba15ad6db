"""Stack settings: typed, validated view of a stack's Pulumi config (`hybrid-platform:*` keys).

Pulumi hands config to the program as text (objects as JSON). `read_settings`
decodes that text the same way for `pulumi up` and the offline preview, then
validates it; a wrong key or value is a `SpecError` that names the config key.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .appspec.errors import Problem, SpecError, problems_from
from .appspec.names import SecretName
from .appspec.units import MIB, Bytes, DurationMs, at_least
from .targets import TARGETS

PROJECT = "hybrid-platform"
# A Debian cloud image with cloud-init; see README "Base images".
DEFAULT_BASE_IMAGE = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2"

# How Pulumi's text value of each key is decoded before validation.
KEY_KINDS: dict[str, str] = {
    "target": "text",
    "spec": "text",
    "overrides": "object",
    "protect_data": "bool",
    "docker": "object",
    "libvirt": "object",
    "cluster": "object",
    "kubernetes": "object",
    "secrets": "object",
}
# Config values that must be Pulumi secrets: (key, field inside it, or None for all of it).
SECRET_FIELDS: tuple[tuple[str, str | None], ...] = (("secrets", None), ("kubernetes", "kubeconfig"))


def set_secret_command(path: str, stack: str | None = None) -> str:
    """The command that sets secret config `path` (e.g. `secrets.db-password`)."""
    command = f"pulumi config set --secret --path '{path}' <value>"
    return f"{command} --stack {stack}" if stack else command


def _check_ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address; use e.g. 127.0.0.1") from None
    return value


def _check_target(value: str) -> str:
    if value not in TARGETS:
        raise ValueError(f"{value!r} is not a target; available: {', '.join(TARGETS)}")
    return value


class SettingsModel(BaseModel):
    """Base of settings sections: unknown keys rejected, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DockerSettings(SettingsModel):
    """`docker`: which daemon, where public ports bind, and the sandbox runtime."""

    host: Annotated[str, Field(pattern=r"^(unix|tcp|ssh|npipe)://\S+$")] | None = None
    bind_address: Annotated[str, AfterValidator(_check_ip)] = "127.0.0.1"
    sandbox_runtime: Annotated[str, Field(pattern=r"^[a-z][a-z0-9._-]*$")] = "runsc"


def _check_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 network; use e.g. 10.77.0.0/24") from None
    if network.prefixlen > 26:
        raise ValueError(f"{value} is too small; use a /26 or larger")
    return value


LIBVIRT_URI = r"^[a-z0-9+]+://[^\s]*$"


class LibvirtNetworkSettings(SettingsModel):
    """`libvirt.network`: the app's network; `none` isolates it from everything but the host."""

    cidr: Annotated[str, AfterValidator(_check_cidr)] = "10.77.0.0/24"
    mode: Literal["nat", "none", "route"] = "nat"


class LibvirtSettings(SettingsModel):
    """`libvirt`: where VMs run and what they boot."""

    uri: Annotated[str, Field(pattern=LIBVIRT_URI)] = "qemu:///system"
    hosts: Annotated[list[Annotated[str, Field(pattern=LIBVIRT_URI)]], Field(min_length=1)] | None = None
    pool: Annotated[str, Field(min_length=1)] = "default"
    base_image: Annotated[str, Field(min_length=1)] = DEFAULT_BASE_IMAGE
    network: LibvirtNetworkSettings = LibvirtNetworkSettings()
    domain_type: Literal["kvm", "qemu"] = "kvm"
    guest_memory_overhead: Annotated[Bytes, at_least(64 * MIB)] = 256 * MIB
    vnc: bool = False
    guest_agent: bool = False
    ssh_authorized_keys: list[Annotated[str, Field(pattern=r"^(ssh|ecdsa|sk)-[a-z0-9@.-]+ \S+")]] = []

    @property
    def host_uris(self) -> list[str]:
        """The libvirt URI of every host, in placement order."""
        return self.hosts or [self.uri]


K3S_VERSION = r"^v1\.[0-9]+\.[0-9]+\+k3s[0-9]+$"


class ClusterSettings(SettingsModel):
    """`cluster`: the k3s cluster the `hybrid` target builds on libvirt VMs."""

    servers: Literal[1, 3] = 1
    agents: Annotated[int, Field(ge=0, le=50)] = 2
    vm_agents: Annotated[int, Field(ge=0, le=50)] = 0
    vcpus: Annotated[int, Field(ge=1, le=64)] = 2
    memory: Annotated[Bytes, at_least(1024 * MIB)] = 4096 * MIB
    disk: Annotated[Bytes, at_least(8192 * MIB)] = 40 * 1024 * MIB
    k3s_version: Annotated[str, Field(pattern=K3S_VERSION)] = "v1.33.2+k3s1"
    install_source: Annotated[str, Field(pattern=r"^(https://\S+|/\S+)$")] = "https://get.k3s.io"
    ready_timeout: Annotated[DurationMs, Field(ge=60_000, le=7_200_000)] = 900_000

    @property
    def kubernetes_minor(self) -> str:
        """`1.33` of `v1.33.2+k3s1`: the API version the manifests are written for."""
        return ".".join(self.k3s_version[1:].split(".")[:2])


class RuntimeClassNames(SettingsModel):
    """RuntimeClass per isolation level that needs a sandboxed runtime."""

    sandbox: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")] = "gvisor"
    vm: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")] = "kata"


class KubernetesSettings(SettingsModel):
    """`kubernetes`: the cluster the app is deployed on and how."""

    kubeconfig: SecretStr | None = None
    namespace: Annotated[str, Field(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_length=63)] | None = None
    runtime_classes: RuntimeClassNames = RuntimeClassNames()
    public_service_type: Literal["LoadBalancer", "NodePort"] = "LoadBalancer"


class StackSettings(SettingsModel):
    """Everything a stack can set. Sections for other targets come with those targets."""

    target: Annotated[str, AfterValidator(_check_target)]
    spec: Annotated[str, Field(min_length=1)] = "app.yaml"
    overrides: dict[str, Any] | None = None
    protect_data: bool = False
    docker: DockerSettings = DockerSettings()
    libvirt: LibvirtSettings = LibvirtSettings()
    cluster: ClusterSettings = ClusterSettings()
    kubernetes: KubernetesSettings = KubernetesSettings()
    secrets: dict[SecretName, SecretStr] = {}


def parse_settings(raw: dict[str, str], secret_keys: set[str], source: str) -> StackSettings:
    """Validate `raw` (`{"hybrid-platform:target": "docker", ...}`, values as Pulumi's text)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    prefix = f"{PROJECT}:"
    for full_key, text in sorted(raw.items()):
        if not full_key.startswith(prefix):
            continue
        key = full_key[len(prefix) :]
        kind = KEY_KINDS.get(key)
        if kind is None:
            problems.append(Problem(full_key, f"unknown config key; allowed: {', '.join(KEY_KINDS)}"))
            continue
        try:
            values[key] = _decode(kind, text)
        except ValueError as error:
            problems.append(Problem(full_key, str(error)))
    for key, field in SECRET_FIELDS:
        value = values.get(key)
        if f"{prefix}{key}" in secret_keys or not isinstance(value, dict) or (field and field not in value):
            continue
        path = f"{key}.{field}" if field else f"{key}.<name>"
        problems.append(
            Problem(f"{prefix}{path}", f"must be a Pulumi secret; set it with: {set_secret_command(path)}")
        )
    if "target" not in values and not problems:
        problems.append(
            Problem(
                f"{prefix}target",
                f"required; set it with: pulumi config set target <{'|'.join(TARGETS)}>",
            )
        )
    if problems:
        raise SpecError(source, problems)
    prefix = f"{PROJECT}:"
    try:
        return StackSettings.model_validate(values)
    except ValidationError as error:
        raise SpecError(source, problems_from(error, StackSettings, prefix=prefix)) from None


def _decode(kind: str, text: Any) -> Any:
    if not isinstance(text, str):
        return text
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"must be true or false (got {text!r})")
        return text.lower() == "true"
    if kind == "object":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("must be a mapping (YAML object)") from None
        if not isinstance(value, dict):
            raise ValueError("must be a mapping (YAML object)")
        return value
    return text

"""One Compose service as a spec service: every key is mapped, or named in a warning."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from .compose_env import EnvVar, add_environment
from .compose_fields import DEPLOY_NOT_KEPT, NOT_KEPT, RUNTIME_ISOLATION, UNKNOWN
from .compose_file import ComposeFile
from .compose_health import build_health
from .compose_ports import add_ports
from .compose_storage import VolumeUsers, add_storage, add_tmpfs
from .draft import ServiceDraft
from .report import Report
from .secrets import SecretBook
from .source_files import path_join
from .units import compose_bytes, cpus_value, size_text

# Keys mapped below; every other key is named in a warning.
_MAPPED = {
    "image", "build", "command", "entrypoint", "environment", "env_file", "secrets", "ports",
    "expose", "deploy", "scale", "mem_limit", "cpus", "healthcheck", "volumes", "tmpfs", "user",
    "read_only", "depends_on", "links", "runtime", "networks", "network_mode", "restart",
    "privileged", "cap_add", "cap_drop", "security_opt", "profiles", "extends",
}  # fmt: skip


@dataclass
class ServiceContext:
    """What every service of one Compose file shares while it is imported."""

    compose: ComposeFile
    app: str
    names: dict[str, str]
    book: SecretBook
    volume_users: VolumeUsers
    report: Report


@dataclass
class ImportedService:
    """A service's draft, the Compose names it depends on, and its variables (for references)."""

    draft: ServiceDraft
    depends_on: list[str]
    variables: list[EnvVar]
    networks: list[str]


def import_service(original: str, definition: dict[str, Any], ctx: ServiceContext) -> ImportedService:
    """Map the Compose service `original` (already interpolated)."""
    path = f"services.{original}"
    name = ctx.names[original]
    report = ctx.report
    draft = ServiceDraft(image=_image(definition, path, name, ctx))
    draft.command = _command(definition, path, report)
    variables = add_environment(draft, name, definition, path, ctx.compose, ctx.book, report)
    add_ports(draft, definition.get("ports"), definition.get("expose"), path, report)
    _replicas_and_resources(draft, definition, path, report)
    if definition.get("healthcheck") is not None:
        draft.health = build_health(definition["healthcheck"], path_join(path, "healthcheck"), report)
    add_storage(
        draft, original, definition.get("volumes"), path_join(path, "volumes"), ctx.compose.volumes,
        ctx.volume_users, report,
    )  # fmt: skip
    add_tmpfs(draft, definition.get("tmpfs"), path_join(path, "tmpfs"), report)
    if draft.volumes and (draft.replicas or 1) > 1:
        report.warn(
            path_join(path, "volumes"),
            f"each of the {draft.replicas} replicas gets its own volumes in the spec; in Compose they shared "
            "one; make sure the app does not expect shared data",
        )
    draft.user = _user(definition.get("user"), path_join(path, "user"), report)
    draft.read_only_root = definition.get("read_only") is True
    depends_on = _depends_on(definition, path, ctx)
    networks = _networks(definition, draft, path, ctx)
    _isolation(draft, definition, path, report)
    _not_kept(definition, path, report)
    return ImportedService(draft, depends_on, variables, networks)


def _image(definition: dict[str, Any], path: str, name: str, ctx: ServiceContext) -> str:
    image = definition.get("image")
    build = definition.get("build")
    if build is not None and image:
        ctx.report.warn(
            path_join(path, "build"),
            "not kept: the spec runs images only; build and push "
            f"{image} to a registry every target can pull from",
        )
    if isinstance(image, str) and image:
        return image
    if image is not None:
        ctx.report.error(
            path_join(path, "image"), f"{image!r} is not an image reference; use e.g. nginx:1.27"
        )
        return "invalid"
    if build is not None:
        default = f"{ctx.app}-{name}:latest"
        ctx.report.warn(
            path_join(path, "build"),
            f"not kept: the spec runs images only; image is {default} (what docker compose build names it); "
            "build and push the image to a registry and set image to its reference",
        )
        return default
    ctx.report.error(path, "has neither image nor build; set image, e.g. image: nginx:1.27")
    return "invalid"


def _command(definition: dict[str, Any], path: str, report: Report) -> list[str] | None:
    command = _words(definition.get("command"), path_join(path, "command"), report)
    if "entrypoint" not in definition or definition["entrypoint"] is None:
        if command == []:
            report.warn(
                path_join(path, "command"),
                "an empty command clears the image's CMD, which the spec cannot do; the image's CMD runs",
            )
            return None
        return command
    entrypoint = _words(definition["entrypoint"], path_join(path, "entrypoint"), report) or []
    combined = entrypoint + (command or [])
    report.warn(
        path_join(path, "entrypoint"),
        "the spec has only command, which replaces the image's CMD and keeps its ENTRYPOINT; "
        + (
            f"command is {shlex.join(combined)} (entrypoint + command), right only if the image has no "
            "ENTRYPOINT; otherwise bake the entrypoint into the image"
            if combined
            else "an empty entrypoint cannot be expressed; the image's ENTRYPOINT and CMD run"
        ),
    )
    return combined or None


def _words(value: Any, path: str, report: Report) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as error:
            report.error(path, f"cannot split {value!r} into words ({error}); write it as a list")
            return None
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return [str(v) for v in value]
    report.error(path, "must be a string or a list of strings")
    return None


def _replicas_and_resources(
    draft: ServiceDraft, definition: dict[str, Any], path: str, report: Report
) -> None:
    deploy = definition.get("deploy") or {}
    if not isinstance(deploy, dict):
        report.error(path_join(path, "deploy"), "must be a mapping")
        deploy = {}
    where = path_join(path, "deploy")
    replicas = deploy.get("replicas", definition.get("scale"))
    if replicas is not None:
        key = "deploy.replicas" if "replicas" in deploy else "scale"
        if isinstance(replicas, int) and not isinstance(replicas, bool) and 0 <= replicas <= 1000:
            draft.replicas = replicas
        else:
            report.error(path_join(path, key), f"{replicas!r} is not a number of replicas (0-1000)")
    resources = deploy.get("resources") or {}
    if not isinstance(resources, dict):
        report.error(path_join(where, "resources"), "must be a mapping with limits: {cpus, memory}")
        resources = {}
    limits = resources.get("limits") or {}
    if not isinstance(limits, dict):
        report.error(
            path_join(where, "resources.limits"), "must be a mapping such as {cpus: 0.5, memory: 512m}"
        )
        limits = {}
    cpus = limits.get("cpus", definition.get("cpus"))
    memory = limits.get("memory", definition.get("mem_limit"))
    if cpus is not None:
        try:
            draft.cpus = cpus_value(cpus)
        except ValueError as error:
            report.error(path_join(where, "resources.limits.cpus"), str(error))
    if memory is not None:
        try:
            draft.memory = size_text(compose_bytes(memory))
        except ValueError as error:
            report.error(path_join(where, "resources.limits.memory"), str(error))
    if cpus is None or memory is None:
        missing = " and ".join(k for k, v in (("cpus", cpus), ("memory", memory)) if v is None)
        report.warn(
            path_join(where, "resources.limits"),
            f"no {missing} limit (unlimited in Compose); the spec always limits, to "
            f"{draft.cpus if draft.cpus is not None else 1} CPU and {draft.memory or '512Mi'}; "
            "set resources to what the service needs",
        )
    for key in ("pids",):
        if key in limits:
            report.warn(
                path_join(where, f"resources.limits.{key}"), "not kept: the spec limits cpus and memory"
            )
    if resources.get("reservations"):
        report.warn(
            path_join(where, "resources.reservations"),
            "not kept: the spec reserves what it limits (requests = limits); devices and GPUs are not kept",
        )
    for key, message in DEPLOY_NOT_KEPT.items():
        if key in deploy:
            report.warn(path_join(where, key), message)


def _user(value: Any, path: str, report: Report) -> str | None:
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"[0-9]{1,10}(:[0-9]{1,10})?", text):
        return text
    if re.fullmatch(r"root(:root)?|0:root|root:0", text):
        return "0:0" if ":" in text else "0"
    report.warn(
        path,
        f"{text!r} is a name; the spec needs a numeric UID[:GID] (Kubernetes checks non-root by number); "
        "dropped; look it up with `docker run --rm --entrypoint id IMAGE` and set user",
    )
    return None


def _depends_on(definition: dict[str, Any], path: str, ctx: ServiceContext) -> list[str]:
    report = ctx.report
    where = path_join(path, "depends_on")
    value = definition.get("depends_on")
    found: list[str] = []
    if isinstance(value, list):
        found = [str(v) for v in value]
    elif isinstance(value, dict):
        for dep, options in value.items():
            found.append(str(dep))
            _dependency_options(options, path_join(where, str(dep)), str(dep), report)
    elif value is not None:
        report.error(where, "must be a list of services or a mapping of service to {condition}")
    links = definition.get("links")
    if isinstance(links, list):
        for i, link in enumerate(links):
            target, _, alias = str(link).partition(":")
            if target not in found:
                found.append(target)
            report.warn(
                path_join(path_join(path, "links"), i),
                f"a link is a dependency in the spec: {ctx.names.get(target, target)} is in depends_on"
                + (f"; the alias {alias} is not kept, clients use the service name" if alias else ""),
            )
    for dep in found:
        if dep not in ctx.names:
            known = ", ".join(ctx.names)
            report.error(where, f"unknown service {dep!r}; services are: {known}")
    return list(dict.fromkeys(found))


def _dependency_options(options: Any, where: str, dep: str, report: Report) -> None:
    if not isinstance(options, dict):
        report.error(where, "must be a mapping such as {condition: service_healthy}")
        return
    condition = options.get("condition", "service_started")
    if condition == "service_completed_successfully":
        report.warn(
            path_join(where, "condition"),
            f"service_completed_successfully is not kept: spec services run continuously, so {dep} is a "
            "long-running dependency and is restarted when it exits; run one-off jobs outside the app",
        )
    elif condition not in ("service_started", "service_healthy"):
        report.error(
            path_join(where, "condition"),
            f"{condition!r}; allowed: service_started, service_healthy, service_completed_successfully",
        )
    if options.get("restart"):
        report.warn(
            path_join(where, "restart"), "not kept: dependents are not restarted with their dependency"
        )
    if options.get("required") is False:
        report.warn(
            path_join(where, "required"), "false is not kept: every dependency is required in the spec"
        )


def _networks(definition: dict[str, Any], draft: ServiceDraft, path: str, ctx: ServiceContext) -> list[str]:
    networks = definition.get("networks")
    names = [str(n) for n in networks] if isinstance(networks, list | dict) else []
    if names:
        definitions = ctx.compose.networks
        internal = [
            n for n in names if isinstance(definitions.get(n), dict) and definitions[n].get("internal")
        ]
        if len(internal) == len(names):
            draft.egress = False
    mode = definition.get("network_mode")
    if mode == "none":
        draft.egress = False
    elif mode is not None:
        ctx.report.warn(
            path_join(path, "network_mode"),
            f"{mode} is not kept: a spec service has its own network; published ports and depends_on "
            "give it the reach it needs",
        )
    return names


def _isolation(draft: ServiceDraft, definition: dict[str, Any], path: str, report: Report) -> None:
    runtime = definition.get("runtime")
    if runtime is not None:
        isolation = RUNTIME_ISOLATION.get(str(runtime))
        if isolation is None:
            report.warn(
                path_join(path, "runtime"),
                f"{runtime} is not kept: set isolation to container, sandbox (gVisor) or vm (Kata)",
            )
        elif isolation != "container":
            draft.isolation = isolation
    if definition.get("privileged") is True:
        report.warn(
            path_join(path, "privileged"),
            "not kept: the spec never runs a privileged container; if it needs a kernel of its own, "
            "set isolation: vm",
        )
    caps = definition.get("cap_add")
    if caps:
        listed = ", ".join(map(str, caps)) if isinstance(caps, list) else str(caps)
        report.warn(
            path_join(path, "cap_add"),
            f"{listed} not kept: the spec drops all capabilities; make the image work without them "
            "(e.g. listen on a port above 1024 instead of NET_BIND_SERVICE)",
        )
    options = definition.get("security_opt")
    if isinstance(options, list):
        for i, option in enumerate(options):
            if str(option).replace("=", ":") not in ("no-new-privileges", "no-new-privileges:true"):
                report.warn(
                    path_join(path_join(path, "security_opt"), i),
                    f"{option} is not kept: the spec sets "
                    "no-new-privileges and the runtime's default profiles",
                )
    restart = definition.get("restart")
    if restart is not None and str(restart) not in ("always", "unless-stopped"):
        report.warn(
            path_join(path, "restart"),
            f"{restart} is not kept: every target restarts a service that exits; a one-off job does not "
            "belong in the spec",
        )


def _not_kept(definition: dict[str, Any], path: str, report: Report) -> None:
    for key in map(str, definition):
        if key in _MAPPED or key.startswith("x-"):
            continue
        report.warn(path_join(path, key), NOT_KEPT.get(key, UNKNOWN))
    if definition.get("profiles"):
        report.warn(
            path_join(path, "profiles"),
            "not kept: the service is imported and always runs; remove it from the spec if it should not",
        )
    if definition.get("extends") is not None:
        report.error(
            path_join(path, "extends"),
            "is not resolved by the import; flatten the file first: docker compose config > flat.yaml",
        )

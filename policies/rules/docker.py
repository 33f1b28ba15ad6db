"""Docker controls: the CIS Docker Benchmark (v1.6) section 5 items a resource can show,
plus the sandbox runtime for `sandbox` services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..framework import (
    LABEL,
    Resource,
    as_dict,
    as_list,
    control_factory,
    docker_labels,
    get,
    image_pinned,
    unknown,
)

CONTAINER = ("docker:index/container:Container",)
NETWORK = ("docker:index/network:Network",)
IMAGE = ("docker:index/remoteImage:RemoteImage",)
SENSITIVE_PATHS = ("/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/var/lib/docker", "/run")
DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def _is(value: Any, expected: str) -> bool:
    return isinstance(value, str) and value.lower() == expected


def _host_mode(key: str, what: str) -> Any:
    def check(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
        if _is(r.props.get(key), "host"):
            yield f"shares the host's {what} namespace ({key}: host)"

    return check


def _privileged(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    if r.props.get("privileged") is True:
        yield "runs privileged"


def _added_caps(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    adds = as_list(get(r.props, "capabilities", "adds"))
    if adds:
        yield f"adds capabilities {', '.join(map(str, adds))}"


def _drop_all(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    drops = get(r.props, "capabilities", "drops")
    if drops is not None and not isinstance(drops, list):
        return
    if "ALL" not in [str(d).upper() for d in as_list(drops)]:
        yield "does not drop ALL capabilities"


def _security_opts(r: Resource) -> list[str] | None:
    opts = r.props.get("securityOpts")
    if unknown(r.props, "securityOpts"):
        return None
    return [str(o).replace(":", "=", 1).lower() for o in as_list(opts)]


def _no_new_privileges(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    opts = _security_opts(r)
    if opts is not None and not ({"no-new-privileges", "no-new-privileges=true"} & set(opts)):
        yield "may gain new privileges (no security option no-new-privileges)"


def _unconfined(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for opt in _security_opts(r) or []:
        if opt in ("seccomp=unconfined", "apparmor=unconfined"):
            yield f"runs with {opt}"


def _read_only(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    if not unknown(r.props, "readOnly") and r.props.get("readOnly") is not True:
        yield "has a writable root filesystem (readOnly is not true)"


def _non_root(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    user = r.props.get("user")
    if "user" not in r.props:
        yield "runs as the image's user, which may be root (user is not set)"
    elif isinstance(user, str) and user.split(":")[0] in ("0", "root"):
        yield f"runs as root (user: {user})"


def _memory(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    if "memory" not in r.props or r.props.get("memory") == 0:
        yield "has no memory limit"


def _cpu(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    if not any(k in r.props for k in ("cpus", "cpuQuota", "cpuShares", "cpuSet")):
        yield "has no CPU limit"


def _mount_sources(r: Resource) -> list[str]:
    sources = [get(v, "hostPath") for v in as_list(r.props.get("volumes"))]
    sources += [get(m, "source") for m in as_list(r.props.get("mounts")) if get(m, "type") == "bind"]
    return [s.rstrip("/") or "/" for s in sources if isinstance(s, str)]


def _sensitive_mounts(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for source in _mount_sources(r):
        sensitive = source in SENSITIVE_PATHS or any(source.startswith(p + "/") for p in SENSITIVE_PATHS[1:])
        if sensitive and source not in DOCKER_SOCKETS:
            yield f"mounts the sensitive host path {source}"


def _docker_socket(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for source in _mount_sources(r):
        if source in DOCKER_SOCKETS:
            yield f"mounts the Docker socket {source}: control of the whole host"


def _devices(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for device in as_list(r.props.get("devices")):
        yield f"gets the host device {get(device, 'hostPath')}"


def _bind_all(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for port in as_list(r.props.get("ports")):
        if (
            isinstance(port, Mapping)
            and not unknown(port, "ip")
            and port.get("ip") in (None, "0.0.0.0", "::", "")
        ):
            yield f"publishes port {port.get('internal')} on all interfaces (ip defaults to 0.0.0.0)"


def _default_bridge(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    mode = r.props.get("networkMode")
    if (
        _is(mode, "bridge")
        or _is(mode, "default")
        or ("networkMode" not in r.props and not r.props.get("networksAdvanced"))
    ):
        yield "uses Docker's default bridge network"


def _shared_namespace(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for key in ("networkMode", "pidMode", "ipcMode"):
        value = r.props.get(key)
        if isinstance(value, str) and value.startswith("container:"):
            yield f"joins another container's namespace ({key}: {value})"


def _healthcheck(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    tests = get(r.props, "healthcheck", "tests")
    if "healthcheck" not in r.props or (isinstance(tests, list) and tests[:1] == ["NONE"]):
        yield "has no health check"


def _restart(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    restart = r.props.get("restart")
    if unknown(r.props, "restart"):
        return
    if restart not in ("on-failure", "unless-stopped"):
        yield f"restart policy is {restart or 'no'}; use on-failure or unless-stopped"
    elif restart == "on-failure" and not 0 < int(r.props.get("maxRetryCount") or 0) <= params["maxRetries"]:
        yield f"on-failure restarts need maxRetryCount between 1 and {params['maxRetries']}"


def _pinned_image(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    reference = r.props.get("name") if r.type in IMAGE else r.props.get("image")
    if image_pinned(reference, bool(params["requireDigest"])) is False:
        want = "a digest (@sha256:...)" if params["requireDigest"] else "a tag other than latest, or a digest"
        yield f"image {reference} is not pinned to {want}"


def _sysctls(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for key in as_dict(r.props.get("sysctls")):
        yield f"sets the kernel parameter {key}"


def _sandbox_runtime(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    level = docker_labels(r).get(f"{LABEL}/isolation")
    runtime = r.props.get("runtime")
    if (
        level in ("sandbox", "vm")
        and not unknown(r.props, "runtime")
        and runtime not in params["sandboxRuntimes"]
    ):
        yield f"isolation {level} needs a sandboxed runtime ({', '.join(params['sandboxRuntimes'])}), got {runtime or 'runc'}"


def _network_internal(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    role = docker_labels(r).get(f"{LABEL}/network-role")
    if role and role != "edge" and not unknown(r.props, "internal") and r.props.get("internal") is not True:
        yield f"service-to-service network ({role}) is not internal: it routes out of the host"


_control = control_factory("docker", CONTAINER)

CONTROLS = [
    _control(
        "docker-no-privileged",
        "critical",
        "Containers do not run privileged.",
        "Remove privileged; grant single capabilities only if unavoidable.",
        "CIS Docker 5.5",
        _privileged,
    ),
    _control(
        "docker-no-host-network",
        "critical",
        "Containers do not share the host's network namespace.",
        "Attach the container to the app's networks instead of networkMode host.",
        "CIS Docker 5.10",
        _host_mode("networkMode", "network"),
    ),
    _control(
        "docker-no-host-pid",
        "critical",
        "Containers do not share the host's process namespace.",
        "Remove pidMode host.",
        "CIS Docker 5.16",
        _host_mode("pidMode", "PID"),
    ),
    _control(
        "docker-no-host-ipc",
        "high",
        "Containers do not share the host's IPC namespace.",
        "Remove ipcMode host.",
        "CIS Docker 5.17",
        _host_mode("ipcMode", "IPC"),
    ),
    _control(
        "docker-no-host-userns",
        "high",
        "Containers do not disable user namespace remapping.",
        "Remove usernsMode host.",
        "CIS Docker 5.31",
        _host_mode("usernsMode", "user"),
    ),
    _control(
        "docker-no-shared-namespaces",
        "high",
        "Containers do not join another container's namespaces.",
        "Give every service its own namespaces; talk over the app's networks.",
        "CIS Docker 5.10/5.16/5.17",
        _shared_namespace,
    ),
    _control(
        "docker-no-added-capabilities",
        "high",
        "Containers add no Linux capabilities.",
        "Remove capabilities.adds; use an unprivileged port or a capability-free design.",
        "CIS Docker 5.3",
        _added_caps,
    ),
    _control(
        "docker-drop-all-capabilities",
        "high",
        "Containers drop ALL Linux capabilities.",
        "Set capabilities.drops to [ALL].",
        "CIS Docker 5.3",
        _drop_all,
    ),
    _control(
        "docker-no-new-privileges",
        "high",
        "Containers cannot gain privileges (setuid, file caps).",
        "Add no-new-privileges:true to securityOpts.",
        "CIS Docker 5.25",
        _no_new_privileges,
    ),
    _control(
        "docker-no-unconfined-profiles",
        "critical",
        "Seccomp and AppArmor are not switched off.",
        "Remove seccomp=unconfined / apparmor=unconfined from securityOpts.",
        "CIS Docker 5.1/5.21",
        _unconfined,
    ),
    _control(
        "docker-read-only-root",
        "medium",
        "Containers run with a read-only root filesystem.",
        "Set read_only_root: true in the spec and list writable paths under tmpfs or volumes.",
        "CIS Docker 5.12",
        _read_only,
        isolation=False,
    ),
    _control(
        "docker-non-root-user",
        "high",
        "Containers run as a non-root user.",
        'Set user: "UID:GID" (non-zero) in the spec.',
        "CIS Docker 4.1",
        _non_root,
        isolation=False,
    ),
    _control(
        "docker-memory-limit",
        "medium",
        "Containers have a memory limit.",
        "Set resources.memory in the spec.",
        "CIS Docker 5.11",
        _memory,
    ),
    _control(
        "docker-cpu-limit",
        "medium",
        "Containers have a CPU limit.",
        "Set resources.cpus in the spec.",
        "CIS Docker 5.12",
        _cpu,
    ),
    _control(
        "docker-no-sensitive-host-mounts",
        "critical",
        "No sensitive host directory is mounted.",
        "Use named volumes; never mount /, /etc, /proc, /sys, /dev, /boot, /usr or /var/lib/docker.",
        "CIS Docker 5.6",
        _sensitive_mounts,
    ),
    _control(
        "docker-no-docker-socket",
        "critical",
        "The Docker socket is not mounted into containers.",
        "Remove the docker.sock mount; a container with it controls the host.",
        "CIS Docker 5.32",
        _docker_socket,
    ),
    _control(
        "docker-no-host-devices",
        "high",
        "No host device is passed into a container.",
        "Remove devices.",
        "CIS Docker 5.18",
        _devices,
    ),
    _control(
        "docker-no-bind-all-ports",
        "high",
        "Published ports bind to a chosen address, not all interfaces.",
        "Set docker.bind_address in the stack config to the address that should serve.",
        "CIS Docker 5.14",
        _bind_all,
    ),
    _control(
        "docker-no-default-bridge",
        "medium",
        "Containers are not on Docker's default bridge.",
        "Use the app's networks (the Docker target does) or networkMode none.",
        "CIS Docker 5.29",
        _default_bridge,
    ),
    _control(
        "docker-healthcheck",
        "low",
        "Containers have a health check.",
        "Add health to the service in the spec.",
        "CIS Docker 4.6",
        _healthcheck,
        isolation=False,
    ),
    _control(
        "docker-restart-policy",
        "low",
        "Containers restart on failure, boundedly or until stopped.",
        "Use restart on-failure (maxRetryCount <= 5) or unless-stopped.",
        "CIS Docker 5.15",
        _restart,
        isolation=False,
        maxRetries=5,
    ),
    _control(
        "docker-image-pinned",
        "medium",
        "Images are pinned: a tag other than latest, or a digest.",
        "Pin the image to a version tag; with requireDigest, to @sha256:...",
        "CIS Docker 4.x (image provenance)",
        _pinned_image,
        isolation=False,
        types=CONTAINER + IMAGE,
        requireDigest=False,
    ),
    _control(
        "docker-no-sysctls",
        "medium",
        "Containers set no kernel parameters.",
        "Remove sysctls.",
        "CIS Docker 5.x (host kernel)",
        _sysctls,
    ),
    _control(
        "docker-sandbox-runtime",
        "critical",
        "Services with sandbox (or vm) isolation run under a sandboxed runtime.",
        "Install gVisor (runsc) on the Docker host and keep docker.sandbox_runtime pointing at it.",
        "hybrid-platform isolation",
        _sandbox_runtime,
        sandboxRuntimes=["runsc", "kata", "kata-runtime"],
    ),
    _control(
        "docker-network-internal",
        "high",
        "Service-to-service networks are internal.",
        "Keep link networks internal; egress goes through the service's own edge network.",
        "hybrid-platform traffic rule",
        _network_internal,
        types=NETWORK,
    ),
]

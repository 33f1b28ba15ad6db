"""Kubernetes controls: every Pod Security Standards baseline and restricted control, plus
resources, read-only root and pinned images, on every kind of workload."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..framework import Resource, as_dict, as_list, control_factory, get, image_pinned

WORKLOADS = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:apps/v1:Deployment": ("spec", "template", "spec"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template", "spec"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template", "spec"),
    "kubernetes:batch/v1:Job": ("spec", "template", "spec"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
TYPES = tuple(WORKLOADS)
BASELINE_CAPS = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
                 "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}  # fmt: skip
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"}  # fmt: skip
SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret", "name"}  # fmt: skip


def pod_spec(r: Resource) -> Mapping[str, Any]:
    """The pod spec inside any workload kind ({} when unknown)."""
    return as_dict(get(r.props, *WORKLOADS.get(r.type, ("spec",))))


def containers(r: Resource) -> Iterator[Mapping[str, Any]]:
    """Every container, init container and ephemeral container."""
    pod = pod_spec(r)
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in as_list(pod.get(key)):
            if isinstance(container, Mapping):
                yield container


def _contexts(r: Resource) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield "pod", as_dict(pod_spec(r).get("securityContext"))
    for c in containers(r):
        yield f"container {c.get('name')}", as_dict(c.get("securityContext"))


def _host_process(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for where, ctx in _contexts(r):
        if get(ctx, "windowsOptions", "hostProcess") is True:
            yield f"{where} is a Windows host process"


def _host_namespaces(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod_spec(r).get(key) is True:
            yield f"shares the node's namespace ({key}: true)"


def _privileged(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        if get(c, "securityContext", "privileged") is True:
            yield f"container {c.get('name')} is privileged"


def _baseline_caps(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        extra = {str(a) for a in as_list(get(c, "securityContext", "capabilities", "add"))} - BASELINE_CAPS
        if extra:
            yield f"container {c.get('name')} adds {', '.join(sorted(extra))}"


def _host_path(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for volume in as_list(pod_spec(r).get("volumes")):
        if get(volume, "hostPath") is not None:
            yield f"mounts the node path {get(volume, 'hostPath', 'path')}"


def _host_ports(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        for port in as_list(c.get("ports")):
            if get(port, "hostPort"):
                yield f"container {c.get('name')} binds node port {get(port, 'hostPort')}"


def _apparmor(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for where, ctx in _contexts(r):
        if get(ctx, "appArmorProfile", "type") == "Unconfined":
            yield f"{where} runs without AppArmor"
    annotations = as_dict(get(r.props, *WORKLOADS.get(r.type, ("spec",))[:-1], "metadata", "annotations"))
    for key, value in annotations.items():
        if str(key).startswith("container.apparmor.security.beta.kubernetes.io/") and value == "unconfined":
            yield f"{key} is unconfined"


def _selinux(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for where, ctx in _contexts(r):
        options = as_dict(ctx.get("seLinuxOptions"))
        if options.get("type", "") not in SELINUX_TYPES or options.get("user") or options.get("role"):
            yield f"{where} sets a custom SELinux user, role or type"


def _proc_mount(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        if get(c, "securityContext", "procMount") not in (None, "Default"):
            yield f"container {c.get('name')} unmasks /proc"


def _seccomp_not_unconfined(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for where, ctx in _contexts(r):
        if get(ctx, "seccompProfile", "type") == "Unconfined":
            yield f"{where} runs without seccomp"


def _sysctls(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for sysctl in as_list(get(pod_spec(r), "securityContext", "sysctls")):
        if get(sysctl, "name") not in SAFE_SYSCTLS:
            yield f"sets the unsafe sysctl {get(sysctl, 'name')}"


def _volume_types(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for volume in as_list(pod_spec(r).get("volumes")):
        kinds = set(as_dict(volume)) - RESTRICTED_VOLUMES - {"hostPath"}  # hostPath: k8s-no-host-path
        if kinds:
            yield f"volume {get(volume, 'name')} is of type {', '.join(sorted(kinds))}"


def _privilege_escalation(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        if get(c, "securityContext", "allowPrivilegeEscalation") is not False:
            yield f"container {c.get('name')} may escalate privileges (allowPrivilegeEscalation is not false)"


def _run_as_non_root(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    pod_level = get(pod_spec(r), "securityContext", "runAsNonRoot")
    for c in containers(r):
        own = get(c, "securityContext", "runAsNonRoot")
        if own is False or (own is None and pod_level is not True):
            yield f"container {c.get('name')} may run as root (runAsNonRoot is not true)"


def _root_uid(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for where, ctx in _contexts(r):
        if ctx.get("runAsUser") == 0:
            yield f"{where} runs as UID 0"


def _seccomp_required(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    pod_level = get(pod_spec(r), "securityContext", "seccompProfile", "type")
    for c in containers(r):
        own = get(c, "securityContext", "seccompProfile", "type") or pod_level
        if own not in ("RuntimeDefault", "Localhost", "Unconfined"):  # Unconfined: k8s-seccomp-not-unconfined
            yield f"container {c.get('name')} has no RuntimeDefault or Localhost seccomp profile"


def _drop_all(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        caps = as_dict(get(c, "securityContext", "capabilities"))
        if "ALL" not in [str(d) for d in as_list(caps.get("drop"))]:
            yield f"container {c.get('name')} does not drop ALL capabilities"
        # Adds beyond the baseline set are k8s-baseline-capabilities' finding.
        extra = ({str(a) for a in as_list(caps.get("add"))} & BASELINE_CAPS) - {"NET_BIND_SERVICE"}
        if extra:
            yield f"container {c.get('name')} adds {', '.join(sorted(extra))} (only NET_BIND_SERVICE is allowed)"


def _resources(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        res = as_dict(c.get("resources"))
        for kind in ("requests", "limits"):
            missing = [k for k in ("cpu", "memory") if k not in as_dict(res.get(kind))]
            if missing and not (res.get(kind) is None and kind in res):
                yield f"container {c.get('name')} has no {kind} for {', '.join(missing)}"


def _read_only_root(r: Resource, _: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        if get(c, "securityContext", "readOnlyRootFilesystem") is not True:
            yield f"container {c.get('name')} has a writable root filesystem"


def _pinned(r: Resource, params: Mapping[str, Any]) -> Iterable[str]:
    for c in containers(r):
        if image_pinned(c.get("image"), bool(params["requireDigest"])) is False:
            yield f"container {c.get('name')} image {c.get('image')} is not pinned"


_control = control_factory("kubernetes", TYPES)

CONTROLS = [
    _control(
        "k8s-no-host-process",
        "critical",
        "No Windows HostProcess pods.",
        "Remove windowsOptions.hostProcess.",
        "PSS baseline: HostProcess",
        _host_process,
    ),
    _control(
        "k8s-no-host-namespaces",
        "critical",
        "Pods do not share the node's network, PID or IPC namespace.",
        "Remove hostNetwork, hostPID and hostIPC.",
        "PSS baseline: Host Namespaces",
        _host_namespaces,
    ),
    _control(
        "k8s-no-privileged",
        "critical",
        "No privileged containers.",
        "Remove securityContext.privileged.",
        "PSS baseline: Privileged Containers",
        _privileged,
    ),
    _control(
        "k8s-baseline-capabilities",
        "high",
        "Containers add no capability beyond the baseline set.",
        "Remove capabilities.add entries outside the baseline.",
        "PSS baseline: Capabilities",
        _baseline_caps,
    ),
    _control(
        "k8s-no-host-path",
        "critical",
        "No hostPath volumes.",
        "Use PersistentVolumeClaims or emptyDir.",
        "PSS baseline: HostPath Volumes",
        _host_path,
    ),
    _control(
        "k8s-no-host-ports",
        "high",
        "No container binds a node port directly.",
        "Expose ports through a Service.",
        "PSS baseline: Host Ports",
        _host_ports,
    ),
    _control(
        "k8s-apparmor-confined",
        "high",
        "AppArmor is not switched off.",
        "Remove Unconfined AppArmor profiles.",
        "PSS baseline: AppArmor",
        _apparmor,
    ),
    _control(
        "k8s-selinux-default",
        "high",
        "No custom SELinux user, role or type.",
        "Remove seLinuxOptions overrides.",
        "PSS baseline: SELinux",
        _selinux,
    ),
    _control(
        "k8s-default-proc-mount",
        "high",
        "/proc stays masked.",
        "Remove procMount: Unmasked.",
        "PSS baseline: /proc Mount Type",
        _proc_mount,
    ),
    _control(
        "k8s-seccomp-not-unconfined",
        "high",
        "Seccomp is not switched off.",
        "Remove seccompProfile type Unconfined.",
        "PSS baseline: Seccomp",
        _seccomp_not_unconfined,
    ),
    _control(
        "k8s-safe-sysctls",
        "high",
        "Only namespaced, safe sysctls.",
        "Remove unsafe sysctls.",
        "PSS baseline: Sysctls",
        _sysctls,
    ),
    _control(
        "k8s-restricted-volume-types",
        "high",
        "Only restricted volume types (no hostPath, NFS, ...).",
        "Use PVCs, emptyDir, configMap, secret, projected, CSI or ephemeral volumes.",
        "PSS restricted: Volume Types",
        _volume_types,
    ),
    _control(
        "k8s-no-privilege-escalation",
        "high",
        "allowPrivilegeEscalation is false in every container.",
        "Set securityContext.allowPrivilegeEscalation: false.",
        "PSS restricted: Privilege Escalation",
        _privilege_escalation,
    ),
    _control(
        "k8s-run-as-non-root",
        "high",
        "Containers must run as non-root.",
        "Set runAsNonRoot: true and a user.",
        "PSS restricted: Running as Non-root",
        _run_as_non_root,
    ),
    _control(
        "k8s-no-root-uid",
        "high",
        "No container runs as UID 0.",
        "Set user to a non-zero UID in the spec.",
        "PSS restricted: Running as Non-root user",
        _root_uid,
    ),
    _control(
        "k8s-seccomp-required",
        "high",
        "Seccomp RuntimeDefault (or Localhost) on every container.",
        "Set seccompProfile type RuntimeDefault.",
        "PSS restricted: Seccomp",
        _seccomp_required,
    ),
    _control(
        "k8s-drop-all-capabilities",
        "high",
        "Containers drop ALL capabilities and add only NET_BIND_SERVICE.",
        "Set capabilities.drop [ALL].",
        "PSS restricted: Capabilities",
        _drop_all,
    ),
    _control(
        "k8s-resources",
        "medium",
        "Containers have CPU and memory requests and limits.",
        "Set resources in the spec.",
        "Kubernetes best practice: resources",
        _resources,
        isolation=False,
    ),
    _control(
        "k8s-read-only-root",
        "medium",
        "Containers have a read-only root filesystem.",
        "Set read_only_root: true; use tmpfs or volumes for writable paths.",
        "Kubernetes hardening",
        _read_only_root,
        isolation=False,
    ),
    _control(
        "k8s-image-pinned",
        "medium",
        "Images are pinned: a tag other than latest, or a digest.",
        "Pin the image; with requireDigest, to @sha256:...",
        "Kubernetes hardening: image provenance",
        _pinned,
        isolation=False,
        requireDigest=False,
    ),
]

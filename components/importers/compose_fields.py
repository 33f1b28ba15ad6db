"""What the spec has no field for, per Compose service key: the warning says what to do instead."""

from __future__ import annotations

_HOST_TUNING = "not kept: the spec has no host-level tuning; every target applies its own hardened defaults"
_LABELS = "not kept: the platform labels every resource with the app, service and isolation itself"
_DNS = "not kept: each target runs its own DNS; services find each other by service name"
_STOP = "not kept: targets stop a service with SIGTERM and their own grace period; handle SIGTERM in the app"
_PULL = "not kept: targets pull the image reference as written; pin a tag or a digest in image"
_TTY = "not kept: services run without a terminal"
_HOOKS = "not kept: the spec has no lifecycle hooks; run the step in the image's entrypoint"

NOT_KEPT: dict[str, str] = {
    "container_name": (
        "not kept: names are generated so that replacements never collide; clients use the service name"
    ),
    "hostname": "not kept: clients reach the service by its service name",
    "domainname": "not kept: clients reach the service by its service name",
    "extra_hosts": (
        "not kept: services find each other by name; set egress: true to reach outside hosts by DNS"
    ),
    "dns": _DNS,
    "dns_search": _DNS,
    "dns_opt": _DNS,
    "labels": _LABELS,
    "label_file": _LABELS,
    "annotations": _LABELS,
    "logging": (
        "not kept: each target keeps logs its own way (Docker's log driver, journald on VMs, the kubelet)"
    ),
    "stop_signal": _STOP,
    "stop_grace_period": _STOP,
    "init": "not kept: add an init such as tini to the image's ENTRYPOINT if the app starts child processes",
    "working_dir": "not kept: the spec has no working directory; set WORKDIR in the image",
    "platform": "not kept: each target pulls the image for its own architecture; use a multi-arch image",
    "pull_policy": _PULL,
    "pull_refresh_after": _PULL,
    "stdin_open": _TTY,
    "tty": _TTY,
    "attach": "not kept: each target keeps logs its own way",
    "develop": "not kept: Compose Watch is a development feature",
    "post_start": _HOOKS,
    "pre_stop": _HOOKS,
    "pre_start": _HOOKS,
    "volumes_from": (
        "not kept: a spec volume belongs to one service; share the data through a service instead"
    ),
    "external_links": "not kept: services reach only the app's services, or anything with egress: true",
    "configs": "not kept: the spec has no config files; bake them into the image (COPY in a Dockerfile)",
    "provider": "not kept: the spec has no provider services; run it as a service with an image",
    "models": "not kept: the spec has no model runners; run the model server as a service with an image",
    "use_api_socket": "not kept: the spec never gives a service the container engine's API",
    "gpus": "not kept: the spec has no devices or GPUs",
    "devices": "not kept: the spec has no devices; a service that needs one needs its own host",
    "device_cgroup_rules": "not kept: the spec has no devices",
    "isolation": (
        "not kept: that is Windows container isolation; set the spec's isolation (container, sandbox, vm)"
    ),
    "credential_spec": "not kept: Windows gMSA credentials have no equivalent",
}
for _key in (
    "ulimits",
    "sysctls",
    "shm_size",
    "pid",
    "ipc",
    "uts",
    "userns_mode",
    "cgroup",
    "cgroup_parent",
    "oom_kill_disable",
    "oom_score_adj",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "cpu_shares",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_runtime",
    "cpu_rt_period",
    "cpuset",
    "blkio_config",
    "storage_opt",
    "pids_limit",
    "group_add",
    "mac_address",
):
    NOT_KEPT[_key] = _HOST_TUNING

UNKNOWN = "not kept: the spec has no such field; remove it, or express it with the spec's fields"

DEPLOY_NOT_KEPT: dict[str, str] = {
    "restart_policy": "not kept: every target restarts a service that exits",
    "placement": "not kept: choose where a service runs with the stack's placement config",
    "update_config": "not kept: updates are create-before-delete on every target",
    "rollback_config": "not kept: roll back by deploying the previous spec",
    "mode": "not kept: a service runs `replicas` copies; there is no global mode",
    "endpoint_mode": "not kept: clients reach a service by its name on every target",
    "labels": _LABELS,
}

# Runtimes that give more isolation than a shared kernel.
RUNTIME_ISOLATION = {
    "runsc": "sandbox",
    "gvisor": "sandbox",
    "io.containerd.runsc.v1": "sandbox",
    "kata": "vm",
    "kata-runtime": "vm",
    "kata-qemu": "vm",
    "kata-fc": "vm",
    "kata-clh": "vm",
    "io.containerd.kata.v2": "vm",
    "runc": "container",
    "io.containerd.runc.v2": "container",
    "crun": "container",
}

"""Compose `volumes` and `tmpfs` as the spec's persistent volumes and scratch space.

Named and anonymous volumes become spec volumes (one per replica, 1Gi unless set: Compose has
no sizes); tmpfs mounts stay tmpfs; bind mounts and other mount types are warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .draft import ServiceDraft
from .names import UniqueNames, dns_label
from .report import Report
from .source_files import path_join

DEFAULT_SIZE = "1Gi"
_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock", "/run/podman/podman.sock")


@dataclass
class VolumeUsers:
    """Which services mount each named volume, in order: a spec volume belongs to one service."""

    users: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, volume: str, service: str, where: str) -> None:
        """`service` mounts `volume` at input path `where`."""
        self.users.setdefault(volume, []).append((service, where))

    def report_shared(self, report: Report) -> None:
        """Warn at every mount of a volume after the first service's."""
        for volume, uses in self.users.items():
            owner = uses[0][0]
            for service, where in uses[1:]:
                if service == owner:
                    continue
                report.warn(
                    where,
                    f"volume {volume} is also mounted by {owner}; a spec volume belongs to one service, "
                    f"so {service} gets its own empty volume; share the data through a service instead",
                )


@dataclass(frozen=True)
class Mount:
    """One entry of a service's `volumes`, in either syntax."""

    kind: str
    source: str | None
    target: str
    read_only: bool
    extra: tuple[str, ...] = ()


def add_storage(
    draft: ServiceDraft,
    service: str,
    entries: Any,
    path: str,
    top_level: dict[str, Any],
    users: VolumeUsers,
    report: Report,
) -> None:
    """Add the service's `volumes` (at `path`) to `draft`."""
    if entries is None:
        return
    if not isinstance(entries, list):
        report.error(path, 'must be a list, e.g. ["data:/var/lib/data"]')
        return
    names = UniqueNames()
    for i, entry in enumerate(entries):
        where = path_join(path, i)
        mount = _parse(entry, where, report)
        if mount is None:
            continue
        _add_mount(draft, service, mount, where, top_level, users, names, report)


def add_tmpfs(draft: ServiceDraft, entries: Any, path: str, report: Report) -> None:
    """Compose `tmpfs` (one path or a list, `path:options`) as the spec's tmpfs."""
    if entries is None:
        return
    items = [entries] if isinstance(entries, str) else entries
    if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
        report.error(path, "must be a path or a list of paths, e.g. [/tmp, /run]")
        return
    for i, item in enumerate(items):
        target, _, options = item.partition(":")
        if options:
            report.warn(path_join(path, i), f"options {options} are not kept: the spec's tmpfs has none")
        if target not in draft.tmpfs:
            draft.tmpfs.append(target)


def _parse(entry: Any, where: str, report: Report) -> Mount | None:
    if isinstance(entry, dict):
        kind = str(entry.get("type") or "volume")
        target = entry.get("target")
        if not isinstance(target, str) or not target:
            report.error(
                where, "target is missing: the path in the container, e.g. {source: data, target: /data}"
            )
            return None
        extra = []
        if isinstance(entry.get("volume"), dict) and entry["volume"].get("subpath"):
            extra.append("volume.subpath")
        if isinstance(entry.get("tmpfs"), dict) and entry["tmpfs"].get("size") is not None:
            extra.append("tmpfs.size")
        source = entry.get("source")
        return Mount(
            kind, str(source) if source else None, target, bool(entry.get("read_only")), tuple(extra)
        )
    if not isinstance(entry, str) or not entry.strip():
        report.error(
            where, f'{entry!r} is not a mount; use e.g. "data:/var/lib/data" or "./conf:/etc/app:ro"'
        )
        return None
    parts = entry.split(":")
    if len(parts) == 1:
        return Mount("volume", None, parts[0], False)
    source, target = parts[0], parts[1]
    modes = set(parts[2].split(",")) if len(parts) > 2 else set()
    kind = "bind" if source.startswith((".", "/", "~")) or "/" in source else "volume"
    return Mount(kind, source, target, "ro" in modes)


def _add_mount(
    draft: ServiceDraft,
    service: str,
    mount: Mount,
    where: str,
    top_level: dict[str, Any],
    users: VolumeUsers,
    names: UniqueNames,
    report: Report,
) -> None:
    if mount.kind == "tmpfs":
        if "tmpfs.size" in mount.extra:
            report.warn(where, "tmpfs.size is not kept: the spec's tmpfs has no size")
        if mount.target not in draft.tmpfs:
            draft.tmpfs.append(mount.target)
        return
    if mount.kind == "bind":
        _warn_bind(mount, where, report)
        return
    if mount.kind != "volume":
        report.warn(
            where,
            f"a {mount.kind} mount is not kept: the spec has volumes and tmpfs only; dropped; "
            "bake the content into the image",
        )
        return
    if mount.source is None:
        wanted = dns_label(PurePosixPath(mount.target).name or "data", 40, "vol")
        report.warn(
            where,
            f"anonymous volume at {mount.target} became volume {wanted!r} of size {DEFAULT_SIZE} "
            "(Compose has no sizes); set size to what the data needs",
        )
    else:
        _check_top_level(mount.source, where, top_level, report)
        users.add(mount.source, service, where)
        wanted = dns_label(mount.source, 40, "vol")
        report.warn(
            where,
            f"volume {mount.source} has no size in Compose; "
            f"{DEFAULT_SIZE} is used; set size to what the data needs",
        )
    if mount.read_only:
        report.warn(where, "read-only is not kept: spec volumes are mounted read-write")
    if "volume.subpath" in mount.extra:
        report.warn(where, "volume.subpath is not kept: the whole volume is mounted")
    draft.volumes.append({"name": names.claim(wanted), "path": mount.target, "size": DEFAULT_SIZE})


def _check_top_level(name: str, where: str, top_level: dict[str, Any], report: Report) -> None:
    if name not in top_level:
        known = ", ".join(sorted(map(str, top_level))) or "none"
        report.error(where, f"volume {name!r} is not defined under the top-level volumes: (defined: {known})")
        return
    definition = top_level[name] or {}
    if not isinstance(definition, dict):
        return
    if definition.get("external"):
        report.warn(
            where,
            f"volume {name} is external: its data lives outside this file; the spec creates a new, empty "
            "volume; copy the data into it after the first deploy",
        )
    if definition.get("driver") not in (None, "local") or definition.get("driver_opts"):
        report.warn(
            where,
            f"volume {name}'s driver and driver_opts are not kept: every target uses its own storage "
            "(Docker volume, libvirt disk, PersistentVolumeClaim)",
        )


def _warn_bind(mount: Mount, where: str, report: Report) -> None:
    if mount.source in _SOCKETS:
        report.warn(
            where,
            f"mounts the container engine's socket {mount.source}, which controls the whole host; the spec "
            "never does; dropped",
        )
        return
    report.warn(
        where,
        f"bind mount {mount.source} -> {mount.target} is not kept: targets do not share the host's files; "
        "make it a volume or bake it into the image (COPY in a Dockerfile)",
    )

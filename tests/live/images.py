"""The live-test image, built from files in this directory: no registry is reachable.

A root filesystem with Debian's static busybox, the glibc name-service libraries it
needs to resolve names, and the scripts in `image/`: `hp-serve` (the entry point: HTTP on
the example app's ports), `hp-connect` (a TCP client by name), `hp-poll` (an HTTP client
that polls every 100 ms and logs each answer) and the CGI page `/cgi-bin/copy` (which
container answered). Imported with `docker import` and tagged as every image a spec
names, so a real spec runs unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Iterable
from pathlib import Path

import docker

HERE = Path(__file__).resolve().parent / "image"
BUSYBOX = Path("/bin/busybox")
LIBS = ("libc.so.6", "libnss_dns.so.2", "libnss_files.so.2", "libresolv.so.2")
APPLETS = ("sh", "nc", "httpd", "sleep", "nslookup", "cat", "awk", "head", "grep", "printf", "echo", "ls",
           "touch", "id", "wget", "tail", "env", "timeout")  # fmt: skip
WRITABLE = ("/tmp", "/var/lib/postgresql/data", "/var/run/postgresql", "/data", "/var/lib/data")
BASE_TAG = "hybrid-platform-live:test"


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name.lstrip("/"))
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def _dir(tar: tarfile.TarFile, name: str, mode: int = 0o755) -> None:
    info = tarfile.TarInfo(name.lstrip("/"))
    info.type, info.mode = tarfile.DIRTYPE, mode
    tar.addfile(info)


def _link(tar: tarfile.TarFile, name: str, target: str) -> None:
    info = tarfile.TarInfo(name.lstrip("/"))
    info.type, info.linkname = tarfile.SYMTYPE, target
    tar.addfile(info)


def rootfs() -> bytes:
    """The image's root filesystem as a tar archive."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for folder in ("/bin", "/etc", "/www", "/www/cgi-bin", "/app", "/lib", "/lib/x86_64-linux-gnu", "/lib64",
                       "/var", "/var/lib", "/var/lib/postgresql", "/var/run"):  # fmt: skip
            _dir(tar, folder)
        for folder in WRITABLE:
            _dir(tar, folder, 0o1777)
        _add(tar, "/bin/busybox", BUSYBOX.read_bytes(), 0o755)
        for applet in APPLETS:
            _link(tar, f"/bin/{applet}", "busybox")
        for lib in LIBS:
            _add(
                tar,
                f"/lib/x86_64-linux-gnu/{lib}",
                Path(f"/lib/x86_64-linux-gnu/{lib}").resolve().read_bytes(),
            )
        _add(
            tar,
            "/lib64/ld-linux-x86-64.so.2",
            Path("/lib64/ld-linux-x86-64.so.2").resolve().read_bytes(),
            0o755,
        )
        _add(tar, "/etc/nsswitch.conf", b"hosts: files dns\nservices: files\n")
        _add(tar, "/etc/passwd", b"root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n")
        _add(tar, "/etc/group", b"root:x:0:\nnogroup:x:65534:\n")
        for script in ("hp-serve", "hp-connect", "hp-poll"):
            _add(tar, f"/bin/{script}", (HERE / script).read_bytes(), 0o755)
        for target in ("/bin/pg_isready", "/app/healthcheck"):
            _add(tar, target, (HERE / "ok").read_bytes(), 0o755)
        for page in ("/www/index.html", "/www/healthz", "/www/ready"):
            _add(tar, page, b"ok\n")
        _add(tar, "/www/cgi-bin/copy", (HERE / "copy").read_bytes(), 0o755)
    return buffer.getvalue()


ENTRYPOINT = ["/bin/hp-serve"]


def image_archive(tags: Iterable[str]) -> bytes:
    """The image as a `docker save` archive (one layer) tagged as each of `tags`: what
    `podman load` reads, e.g. into a VM base image's container storage."""
    layer = rootfs()
    layer_id = hashlib.sha256(layer).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Entrypoint": ENTRYPOINT, "Cmd": [], "Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_id}"]},
        },
        sort_keys=True,
    ).encode()
    config_name = f"{hashlib.sha256(config).hexdigest()}.json"
    manifest = [{"Config": config_name, "RepoTags": sorted(tags), "Layers": [f"{layer_id}/layer.tar"]}]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        _dir(tar, layer_id)
        _add(tar, f"{layer_id}/layer.tar", layer)
        _add(tar, config_name, config)
        _add(tar, "manifest.json", json.dumps(manifest, sort_keys=True).encode())
    return buffer.getvalue()


def _imported_id(answer: str | bytes) -> str:
    """The image id in the daemon's answer to an import (JSON lines, the last `status`)."""
    text = answer.decode() if isinstance(answer, bytes) else answer
    statuses = [json.loads(line).get("status", "") for line in text.splitlines() if line.strip()]
    found = [s for s in statuses if s.startswith("sha256:")]
    if not found:
        raise RuntimeError(f"docker import answered without an image id: {text[:300]}")
    return str(found[-1])


def build_image(client: docker.DockerClient, tags: Iterable[str]) -> None:
    """Import the root filesystem once and tag it as each of `tags`."""
    if shutil.which("busybox") is None and not BUSYBOX.exists():
        raise RuntimeError(
            "busybox-static is not installed (apt-get install busybox-static; .ci/run does it)"
        )
    repository, tag = BASE_TAG.split(":")
    answer = client.api.import_image_from_data(
        rootfs(), repository=repository, tag=tag, changes=[f"ENTRYPOINT {json.dumps(ENTRYPOINT)}", "CMD []"]
    )
    # the id of this import: another session may import (and tag) its own build meanwhile
    image = client.images.get(_imported_id(answer))
    for reference in tags:
        name, _, version = (
            reference.rpartition(":") if ":" in reference.rsplit("/", 1)[-1] else (reference, "", "latest")
        )
        image.tag(name, version or "latest")

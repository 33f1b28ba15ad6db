"""The VM tests' base image: built by `build.sh` with the live-test image pre-loaded, and kept
on the machine between runs under a key that hashes the script and the pre-loaded archive
(so a change to either builds a new one; a fresh CI machine always builds it).

`python -m tests.live.vm_image` builds it (or finds it) and prints its path: `.ci/run` calls
that as a phase of its own; the test fixture calls `base_image()` and finds it there."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.live.images import image_archive

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "build.sh"
CACHE = Path(os.environ.get("HYBRID_PLATFORM_CACHE", "/var/cache/hybrid-platform")) / "vm-image"
# Every image reference the boot tests' specs use, fully qualified: loaded under these names.
PRELOADED = ("docker.io/hybrid-platform/live:1.0", "docker.io/hybrid-platform/live:1.1")
TOOLS = {
    "mmdebstrap": "mmdebstrap",
    "mkfs.ext4": "e2fsprogs",
    "sfdisk": "fdisk",
    "grub-mkimage": "grub-pc-bin",
    "qemu-img": "qemu-utils",
}
BUILD_TIMEOUT = 1800
RETRY_AFTER = 3600  # seconds a failed build is reported instead of tried again


class ImageUnavailable(RuntimeError):
    """The base image cannot be built here; the message says why."""


def missing_tools() -> list[str]:
    """Debian packages the build needs that are not installed."""
    missing = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if not Path("/usr/lib/grub/i386-pc/boot.img").exists():
        missing.append("grub-pc-bin")
    if not Path("/bin/busybox").exists():
        missing.append("busybox-static")
    return sorted(set(missing))


def cache_key(archive: bytes) -> str:
    """The hash of the build script and the pre-loaded archive."""
    digest = hashlib.sha256(SCRIPT.read_bytes())
    digest.update(archive)
    return digest.hexdigest()[:16]


def base_image(log: Path | None = None) -> Path:
    """The cached base image, built first if this machine has none for the current key."""
    missing = missing_tools()
    if missing:
        raise ImageUnavailable(f"the VM base image needs {', '.join(missing)} (.ci/run installs them)")
    if os.geteuid() != 0:
        raise ImageUnavailable("building the VM base image needs root (mmdebstrap, chroot)")
    archive = image_archive(PRELOADED)
    key = cache_key(archive)
    image = CACHE / key / "base.qcow2"
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; a waiting run then reuses it
        if image.exists():
            return image
        failed = image.parent / "failed.log"
        if failed.exists() and time.time() - failed.stat().st_mtime < RETRY_AFTER:
            # .ci/run's image phase failed minutes ago: say so instead of failing slowly again.
            tail = "\n".join(failed.read_text(errors="replace").splitlines()[-30:])
            raise ImageUnavailable(
                f"build.sh failed within the last hour (log: {failed}; delete it to retry)\n{tail}"
            )
        image.parent.mkdir(exist_ok=True)
        (image.parent / "preload.tar").write_bytes(archive)
        log = log or image.parent / "build.log"
        started = time.monotonic()
        with log.open("w") as out:
            try:
                run = subprocess.run(
                    ["bash", str(SCRIPT), str(image), str(image.parent / "preload.tar")],
                    stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT,
                )  # fmt: skip
            except subprocess.TimeoutExpired:
                raise ImageUnavailable(f"build.sh ran over {BUILD_TIMEOUT} s; log: {log}") from None
        if run.returncode != 0 or not image.exists():
            log.replace(failed)
            log = failed
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise ImageUnavailable(f"build.sh failed (exit {run.returncode}); log: {log}\n{tail}")
        (image.parent / "build-seconds").write_text(f"{time.monotonic() - started:.0f}\n")
        for old in CACHE.iterdir():  # images of older keys are never used again
            if old.is_dir() and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    return image

"""The README's cold move of a service with data, Docker to a VM, steps 1 and 2 on the real
engine: the volume copied out of a stopped container into an ext4 image (made without
loop mounts) that a VM's data disk can start from; cloud-init keeps a filesystem it finds
(the VM boot test shows a disk is formatted only once)."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from tests.engines import require
from tests.live.images import BASE_TAG, build_image

pytestmark = pytest.mark.live
LABEL = "hybrid-platform.io/app"


def run(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=300).stdout


def test_a_docker_volume_becomes_a_vm_data_disk_with_its_files_and_owners(
    docker_client, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for tool, package in (("mkfs.ext4", "e2fsprogs"), ("debugfs", "e2fsprogs"), ("qemu-img", "qemu-utils")):
        require(tool, f"apt-get install {package}; .ci/run does it")
    build_image(docker_client, [])
    name = f"hp-cold-{uuid.uuid4().hex[:6]}"
    volume = docker_client.volumes.create(name, labels={LABEL: "hp-cold"})
    try:
        db = docker_client.containers.run(
            BASE_TAG, ["sh", "-c", "echo rows > /data/table && chown 70:70 /data/table && sleep 300"],
            entrypoint=[], volumes={name: {"bind": "/data"}}, detach=True, labels={LABEL: "hp-cold"},
        )  # fmt: skip
        for _ in range(50):
            if db.exec_run(["cat", "/data/table"]).exit_code == 0:
                break
        db.stop(timeout=1)  # 1. stop the old copy
        docker_client.containers.run(  # 2. copy the volume out, as the README writes it
            BASE_TAG, ["/bin/busybox", "tar", "-C", "/from", "-cpf", "/to/db-data.tar", "."], entrypoint=[],
            volumes={name: {"bind": "/from"}, str(tmp_path): {"bind": "/to"}}, remove=True,
        )  # fmt: skip
        data = tmp_path / "data"
        data.mkdir()
        run("tar", "-C", str(data), "-xpf", str(tmp_path / "db-data.tar"))
        raw = tmp_path / "data.raw"
        run("truncate", "-s", "64M", str(raw))
        run("mkfs.ext4", "-q", "-d", str(data), str(raw))
        run("qemu-img", "convert", "-O", "qcow2", str(raw), str(tmp_path / "data.qcow2"))
        assert run("debugfs", "-R", "cat /table", str(raw)).strip() == "rows"
        stat = run("debugfs", "-R", "stat /table", str(raw))
        assert "User:    70" in stat and "Group:    70" in stat
        assert "file format: qcow2" in run("qemu-img", "info", str(tmp_path / "data.qcow2"))
    finally:
        for container in docker_client.containers.list(all=True, filters={"label": f"{LABEL}=hp-cold"}):
            container.remove(force=True)
        volume.remove(force=True)

"""The data disks a service VM's cloud-init formats, run through cloud-init's own `fs_setup`
handler (the host's cloud-init, the code the guest runs): a blank disk is formatted once,
and a disk that already holds a file system is never formatted again, so a volume's data
survives a replacement of the VM (a new instance: an image change, a new root disk)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from components.offline.recorder import reveal
from tests.factory import make_app, preview
from tests.targets.vm.conftest import CLOUDINIT, SECRETS, of_type
from tests.targets.vm.test_cloudinit_schema import INSTALL

# Runs under cloud-init's interpreter: the disk and the commands are stand-ins, the decision
# (format or not, and how) is cloud-init's.
HANDLER = """
import json, sys
from cloudinit.config import cc_disk_setup as disks

entry, disk = json.loads(sys.argv[1]), json.loads(sys.argv[2])
commands = []
disks.assert_and_settle_device = lambda device: None
disks.device_type = lambda device: "disk"
disks.enumerate_disk = lambda device, nodeps=False: iter([disk])
disks.check_fs = lambda device: (disk["label"], disk["fstype"], None)
disks.subp.which = lambda command: "/sbin/" + command
disks.subp.subp = lambda command, shell=False: commands.append(command)
disks.mkfs(entry)
print(json.dumps(commands))
"""


def cloud_init_python() -> str:
    from tests.engines import require

    return Path(require("cloud-init", INSTALL)).read_text().splitlines()[0].removeprefix("#!")


def fs_setup_runs(entry: dict[str, Any], fstype: str, label: str) -> list[list[str]]:
    """The commands cloud-init runs for `entry` on a whole disk (`vdb`) holding `fstype`."""
    disk = {"name": "vdb", "type": "disk", "fstype": fstype, "label": label}
    run = subprocess.run(
        [cloud_init_python(), "-c", HANDLER, json.dumps(entry), json.dumps(disk)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return [list(command) for command in json.loads(run.stdout)]


def data_disk_entries(tmp_path: Path) -> list[dict[str, Any]]:
    volumes = [{"name": "data", "path": "/data", "size": "1Gi"}, {"name": "wal", "path": "/wal"}]
    result = preview(tmp_path, make_app(db={"volumes": volumes}), SECRETS, target="vm")
    documents = [yaml.safe_load(reveal(d.inputs["userData"])) for d in of_type(result, CLOUDINIT)]
    entries = [entry for document in documents for entry in document.get("fs_setup", [])]
    assert [e["device"] for e in entries] == ["/dev/vdb", "/dev/vdc"]
    return entries


def test_a_blank_data_disk_is_formatted_once_with_its_label(tmp_path: Path) -> None:
    for entry in data_disk_entries(tmp_path):
        (command,) = fs_setup_runs(entry, fstype="", label="")
        assert command[0] == "/sbin/mkfs.ext4" and command[-1] == entry["device"]
        assert command[command.index("-L") + 1] == entry["label"]


def test_a_data_disk_with_a_file_system_is_never_formatted_again(tmp_path: Path) -> None:
    for entry in data_disk_entries(tmp_path):
        assert fs_setup_runs(entry, fstype="ext4", label=entry["label"]) == []  # its own
        assert fs_setup_runs(entry, fstype="ext4", label="") == []  # e.g. a cold move's copy
        assert fs_setup_runs(entry, fstype="xfs", label="") == []  # someone else's: left alone

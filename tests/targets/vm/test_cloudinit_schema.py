"""Every generated cloud-init document passes cloud-init's own validation."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from components.offline.recorder import reveal
from components.offline.runner import PreviewResult
from tests.factory import make_app, preview
from tests.targets.vm.conftest import CLOUDINIT, SECRETS, of_type

INSTALL = "apt-get install cloud-init; .ci/run does it"
ROOT = Path(__file__).resolve().parents[3]


def validate_user_data(path: Path) -> subprocess.CompletedProcess[str]:
    from tests.engines import require

    return subprocess.run([require("cloud-init", INSTALL), "schema", "--config-file", str(path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def validate_network_config(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """cloud-init's own v2 parser and networkd renderer. Debian 12's cloud-init has no
    network-config schema command; net-convert parses with the code the guest runs, and its
    networkd output (unlike netplan, a pass-through) needs every address to parse."""
    from tests.engines import require

    command = [require("cloud-init", INSTALL), "devel", "net-convert", "--network-data", str(path),
               "--kind", "yaml", "--output-kind", "networkd", "--directory", str(out), "--distro", "debian"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def documents(result: PreviewResult) -> list[tuple[str, str, str]]:
    return [
        (disk.name, reveal(disk.inputs["userData"]), disk.inputs["networkConfig"])
        for disk in of_type(result, CLOUDINIT)
    ]


def previews(tmp_path: Path) -> list[PreviewResult]:
    from components.offline.runner import run_preview

    variety = make_app(
        web={"replicas": 2, "health": {"tcp": {"port": 8080}}, "read_only_root": False},
        db={"volumes": [{"name": "data", "path": "/data", "size": "1Gi"}, {"name": "wal", "path": "/wal"}]},
        api={"egress": True},
    )
    keys = {"libvirt": {"ssh_authorized_keys": ["ssh-ed25519 AAAAC3Nza op@desk"]}}
    hybrid_dir = tmp_path / "hybrid"
    hybrid_dir.mkdir()
    cluster = {"cluster": {"servers": 3, "agents": 1, "vm_agents": 1, "install_source": "/opt/k3s"}}
    return [
        run_preview(ROOT / "stacks", "staging"),
        run_preview(ROOT / "stacks", "dev", target="vm"),
        run_preview(ROOT / "stacks", "prod"),  # k3s nodes
        preview(tmp_path, variety, {**SECRETS, **keys}, target="vm"),
        preview(hybrid_dir, make_app(), {**SECRETS, **keys, **cluster}, target="hybrid"),
    ]


def test_every_user_data_and_network_config_is_valid(tmp_path: Path) -> None:
    checked = 0
    for result in previews(tmp_path):
        for name, user_data, network in documents(result):
            ud, nc = tmp_path / f"{name}.user-data", tmp_path / f"{name}.network-config"
            ud.write_text(user_data)
            nc.write_text(network)
            run = validate_user_data(ud)
            assert run.returncode == 0 and "Valid cloud-config" in run.stdout, (
                f"{name}: {run.stdout}{run.stderr}"
            )
            run = validate_network_config(nc, tmp_path / name)
            assert run.returncode == 0, f"{name}: {run.stdout}{run.stderr}"
            (rendered,) = (tmp_path / name / "etc/systemd/network").glob("*.network")
            text = rendered.read_text()
            address = yaml.safe_load(network)["ethernets"]["primary"]["addresses"][0]
            assert f"Address={address}" in text and "Gateway=" in text
            checked += 1
    assert checked >= 25  # service VMs and k3s nodes of five graphs


@pytest.mark.parametrize(
    ("document", "why"),
    [("#cloud-config\npackages: 5\n", "packages"), ("#cloud-config\nruncmd: {a: 1}\n", "runcmd")],
)
def test_the_validator_rejects_broken_user_data(tmp_path: Path, document: str, why: str) -> None:
    path = tmp_path / "bad.user-data"
    path.write_text(document)
    run = validate_user_data(path)
    assert run.returncode != 0 and why in run.stdout + run.stderr


def test_the_validator_rejects_broken_network_config(tmp_path: Path) -> None:
    path = tmp_path / "bad.network-config"
    path.write_text("version: 2\nethernets:\n  eth0:\n    addresses: [not-an-address]\n")
    assert validate_network_config(path, tmp_path / "out").returncode != 0

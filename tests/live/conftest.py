"""Engines for live tests: required under CI=true, skipped with the reason elsewhere."""

from __future__ import annotations

import pytest

from tests.engines import unavailable


@pytest.fixture(scope="session")
def docker_client():  # type: ignore[no-untyped-def]
    import docker

    try:
        client = docker.from_env()
        client.ping()
    except Exception as error:
        unavailable(f"no Docker daemon answers ({error}); start dockerd (.ci/run does)")
    return client


@pytest.fixture(scope="session")
def vm_base_image():  # type: ignore[no-untyped-def]
    """The VM base image (tests/live/vm_image), built once per machine and key, shared by
    every live VM test of the session."""
    from tests.live.vm_image import ImageUnavailable, base_image

    try:
        return base_image()
    except ImageUnavailable as error:
        unavailable(str(error))


@pytest.fixture(scope="session")
def libvirt_for_vms() -> None:
    """The tools and the daemon the VM tests boot machines with."""
    import shutil
    import subprocess

    for tool, package in (("virsh", "libvirt-clients"), ("mkisofs", "genisoimage"),
                          ("qemu-system-x86_64", "qemu-system-x86"), ("qemu-img", "qemu-utils")):  # fmt: skip
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed ({package}; .ci/run installs it)")
    if subprocess.run(
        ["virsh", "-c", "qemu:///system", "version"], capture_output=True, timeout=60
    ).returncode:
        unavailable("libvirtd does not answer on qemu:///system; start it (.ci/run does)")


OUTSIDE_LISTENER = """
import socket, sys, time
server = socket.socket()
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen()
server.settimeout(1)
deadline = time.monotonic() + float(sys.argv[4])
while time.monotonic() < deadline:
    try:
        connection, peer = server.accept()
    except OSError:
        continue
    with open(sys.argv[3], "a") as log:
        log.write(peer[0] + "\\n")
    connection.close()
"""


@pytest.fixture
def outside_host(tmp_path):  # type: ignore[no-untyped-def]
    """A host beyond this machine, for egress tests: a network namespace of our own behind a
    veth pair, listening on one TCP port, with no route back to container networks (like a
    real upstream router). Yields (address, port, log file of accepted peers)."""
    import secrets
    import shutil
    import subprocess
    import sys

    if shutil.which("ip") is None:
        unavailable("iproute2 (ip) is not installed")
    tag = secrets.token_hex(3)
    namespace, host_end, far_end = f"hp-out-{tag}", f"hpo{tag}", f"hpi{tag}"
    octet = int(tag, 16) % 250 + 1
    near, far = f"10.251.{octet}.1", f"10.251.{octet}.2"
    log = tmp_path / "accepted.log"
    log.touch()

    def ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True)

    ip("netns", "add", namespace)
    listener = None
    try:
        ip("link", "add", host_end, "type", "veth", "peer", "name", far_end)
        ip("link", "set", far_end, "netns", namespace)
        ip("addr", "add", f"{near}/30", "dev", host_end)
        ip("link", "set", host_end, "up")
        ip("-n", namespace, "addr", "add", f"{far}/30", "dev", far_end)
        ip("-n", namespace, "link", "set", far_end, "up")
        ip("-n", namespace, "link", "set", "lo", "up")
        listener = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                namespace,
                sys.executable,
                "-c",
                OUTSIDE_LISTENER,
                far,
                "8000",
                str(log),
                "300",
            ]
        )
        yield far, 8000, log
    finally:
        if listener is not None:
            listener.kill()
            listener.wait()
        subprocess.run(["ip", "link", "del", host_end], capture_output=True)
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)

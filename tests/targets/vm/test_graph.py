"""The VM target under the mock runtime: assertions on the recorded graph and its documents."""

from __future__ import annotations

import ipaddress
import itertools
import json
import re
import shlex
from pathlib import Path

import pytest

from components.offline import runner
from components.offline.render import as_json
from components.offline.stackfile import StackConfig
from tests.factory import make_app, preview
from tests.targets.vm.conftest import (
    CLOUDINIT,
    DOMAIN,
    NETWORK,
    REPLICA,
    SECRETS,
    VOLUME,
    Vm,
    is_secret,
    of_type,
    vms,
)

CIDR = "10.77.0.0/16"  # the default network


@pytest.fixture
def result(tmp_path: Path):  # type: ignore[no-untyped-def]
    spec = make_app(
        web={"replicas": 2, "resources": {"cpus": 1.5, "memory": "300Mi"}, "command": ["serve", "--port", "8080"],
             "env": {"MODE": "prod"}},
        api={"replicas": 3, "egress": True},
    )  # fmt: skip
    config = {
        **SECRETS,
        "protect_data": True,
        "libvirt": {"ssh_authorized_keys": ["ssh-ed25519 AAAAC3Nza op@desk"]},
    }
    return preview(tmp_path, spec, config, target="vm")


def test_graph_shape(result) -> None:  # type: ignore[no-untyped-def]
    replicas = {"web": 2, "api": 3, "worker": 1, "db": 1, "cache": 1}
    assert len(of_type(result, REPLICA)) == 8
    assert len(of_type(result, DOMAIN)) == 8
    assert len(of_type(result, CLOUDINIT)) == 8
    assert len(of_type(result, VOLUME)) == 1 + 8 + 1  # base image, a root disk per VM, db's data disk
    assert len(of_type(result, NETWORK)) == 1
    (app,) = of_type(result, "hybrid:vm:VmApp")
    for vm in vms(result):
        assert vm.component.parent == app.urn
        assert vm.domain.parent == vm.component.urn and vm.cloudinit.parent == vm.component.urn
    assert sorted((v.service, v.replica) for v in vms(result)) == sorted(
        (s, i) for s, n in replicas.items() for i in range(n)
    )


def test_addresses_are_unique_static_and_inside_the_cidr(result) -> None:  # type: ignore[no-untyped-def]
    addresses = [vm.address for vm in vms(result)]
    assert len(set(addresses)) == len(addresses) == 8
    network = ipaddress.IPv4Network(CIDR)
    for vm in vms(result):
        assert ipaddress.IPv4Address(vm.address) in network
        nic = vm.network_config["ethernets"]["primary"]
        assert nic["dhcp4"] is False
        assert nic["nameservers"]["addresses"] == ["10.77.0.1"]
        assert nic["match"]["macaddress"] == vm.domain.inputs["networkInterfaces"][0]["mac"]
    (net,) = of_type(result, NETWORK)
    assert net.inputs["addresses"] == [CIDR] and net.inputs["mode"] == "nat"
    assert net.inputs["dhcp"] == {"enabled": False}


def test_dns_answers_every_service_name_with_its_replicas(result) -> None:  # type: ignore[no-untyped-def]
    (net,) = of_type(result, NETWORK)
    entries = {(h["hostname"], h["ip"]) for h in net.inputs["dns"]["hosts"]}
    for vm in vms(result):
        assert (vm.service, vm.address) in entries
        assert (f"{vm.service}-{vm.replica}.{vm.service}", vm.address) in entries
    assert len(entries) == 2 * len(vms(result)) == 16


def podman_args(vm: Vm) -> list[str]:
    """The `podman run` command line of a VM's run script."""
    script = vm.file(f"/etc/hybrid/{vm.service}.run")
    (line,) = [line for line in script.splitlines() if line.startswith("exec ")]
    return shlex.split(line)[1:]


def pairs(args: list[str]) -> set[tuple[str, str]]:
    """Each option with the word after it."""
    return set(itertools.pairwise(args))


def test_each_spec_field_reaches_the_vm(result) -> None:  # type: ignore[no-untyped-def]
    web = next(v for v in vms(result) if v.service == "web")
    assert 'ExecStart="/etc/hybrid/web.run"' in web.file("/etc/systemd/system/hybrid-web.service")
    args = podman_args(web)
    assert args[:2] == ["/usr/bin/podman", "run"]
    assert args[-4:] == ["docker.io/example/web:1.0.0", "serve", "--port", "8080"]  # image, then the command
    assert pairs(args) >= {("--memory", "300m"), ("--cpus", "1.5"), ("--tmpfs", "/tmp:rw,nosuid,nodev"),
                           ("--user", "1000:1000"), ("--cap-drop", "ALL"), ("--security-opt", "no-new-privileges"),
                           ("--health-interval", "10s"), ("--env", "MODE")}  # fmt: skip
    assert "--read-only" in args and "http://127.0.0.1:8080/healthz" in args[args.index("--health-cmd") + 1]
    assert web.file("/etc/hybrid/web.env") == "MODE=prod\n"
    image = "docker.io/example/web:1.0.0"  # Debian's Podman resolves no short names
    assert ["sh", "-c", f"podman image exists {image} || podman pull {image}"] in web.user_data["runcmd"]
    assert web.user_data["hostname"] == f"web-{web.replica}"
    assert web.user_data["ssh_authorized_keys"] == ["ssh-ed25519 AAAAC3Nza op@desk"]
    assert web.domain.inputs["vcpu"] == 2  # 1.5 cpus, rounded up
    assert web.domain.inputs["memory"] == 300 + 256  # MiB: the limit plus the guest's overhead
    assert web.domain.inputs["type"] == "kvm" and web.domain.inputs["autostart"] is True
    assert web.domain.inputs["graphics"] == {"type": "vnc", "listenType": "none"}
    assert web.domain.inputs["consoles"] == [{"type": "pty", "targetPort": "0", "targetType": "serial"}]
    assert "hybrid-platform.io/isolation=container" in web.domain.inputs["description"]
    db = next(v for v in vms(result) if v.service == "db")
    assert db.user_data["fs_setup"] == [
        {
            "label": "hybrid0",
            "filesystem": "ext4",
            "device": "/dev/vdb",
            "partition": "any",
            "overwrite": False,
        }
    ]
    assert db.user_data["mounts"][0][:2] == ["/dev/vdb", "/srv/hybrid/volumes/data"]
    db_args = podman_args(db)
    assert ("--volume", "/srv/hybrid/volumes/data:/var/lib/postgresql/data") in pairs(db_args)
    assert db_args[db_args.index("--health-cmd") + 1] == "CMD pg_isready"  # Podman re-splits a CMD array
    assert len(db.domain.inputs["disks"]) == 2  # root, data


def _rules(ruleset: str, direction: str) -> list[tuple[set[str] | None, str, set[int]]]:
    """(peers or None for anyone, protocol, ports) of each accept rule in a chain."""
    chain = (
        ruleset.split(f"chain {direction}", 1)[1].split("}\n  chain", 1)[0]
        if f"chain {direction}" in ruleset
        else ""
    )
    found = []
    for line in chain.splitlines():
        match = re.match(r"\s*(?:ip [sd]addr \{ ([^}]*) \} )?(tcp|udp) dport \{ ([^}]*) \} accept", line)
        if match:
            peers = {p.strip() for p in match.group(1).split(",")} if match.group(1) else None
            found.append((peers, match.group(2), {int(p) for p in match.group(3).split(",")}))
    return found


def test_firewalls_allow_exactly_the_depends_on_pairs(result) -> None:  # type: ignore[no-untyped-def]
    spec = make_app()
    deps = {name: set(svc.get("depends_on", [])) for name, svc in spec["services"].items()}
    ports = {name: {p["port"] for p in svc.get("ports", [])} for name, svc in spec["services"].items()}
    addresses: dict[str, set[str]] = {}
    for vm in vms(result):
        addresses.setdefault(vm.service, set()).add(vm.address)
    for vm in vms(result):
        ruleset = vm.file("/etc/nftables.conf")
        inbound = _rules(ruleset, "input")
        admitted = set().union(*(peers for peers, _, p in inbound if peers and p != {22}))
        clients = {c for c in deps if vm.service in deps[c]}
        assert admitted == set().union(*(addresses[c] for c in clients)), vm.service
        open_ports = set().union(*(p for _, _, p in inbound)) - {22}
        assert open_ports == ports[vm.service]
        assert ({"10.77.0.1"}, "tcp", {22}) in inbound  # operators' SSH, from the host only
        if vm.service == "web":
            assert (None, "tcp", {8080}) in inbound  # public port from anywhere
        outbound = _rules(ruleset, "output")
        if vm.service == "api":
            assert outbound == []  # egress: output is not restricted
            assert "chain output" not in ruleset
        else:
            reached = {s for s in deps for peers, _, _ in outbound if peers and peers & addresses[s]}
            assert reached == deps[vm.service]
    for a, b in itertools.permutations(deps, 2):
        assert (b in deps[a]) == any(
            peers and peers & addresses[a]
            for vm in vms(result) if vm.service == b
            for peers, _, _ in _rules(vm.file("/etc/nftables.conf"), "input")
        )  # fmt: skip


def test_bootstrap_ruleset_leaves_output_open_until_the_image_is_pulled(result) -> None:  # type: ignore[no-untyped-def]
    db = next(v for v in vms(result) if v.service == "db")
    assert "chain output" not in db.file("/etc/hybrid/bootstrap.nft")
    steps = [" ".join(c) for c in db.user_data["runcmd"]]
    image = "docker.io/library/postgres:16.4"
    pull = f"sh -c podman image exists {image} || podman pull {image}"
    assert steps.index("nft -f /etc/hybrid/bootstrap.nft") < steps.index(pull)
    assert steps.index(pull) < steps.index("nft -f /etc/nftables.conf")
    assert steps[-1] == "systemctl enable --now hybrid-db.service"


def test_user_data_with_secrets_is_a_secret(result) -> None:  # type: ignore[no-untyped-def]
    for vm in vms(result):
        if make_app()["services"][vm.service].get("secret_env"):
            assert is_secret(vm.cloudinit.inputs["userData"]) and is_secret(vm.cloudinit.inputs["metaData"])
            assert vm.file(f"/etc/hybrid/{vm.service}.env").count("=offline-secret:db-password") == 1
        else:
            assert isinstance(vm.cloudinit.inputs["userData"], str)


def test_secret_values_never_appear_in_plaintext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    value = "vm-secret-0x5eed"
    (tmp_path / "app.yaml").write_text(json.dumps(make_app()))
    config = StackConfig(
        {"hybrid-platform:target": "vm", "hybrid-platform:secrets": json.dumps({"db-password": value})},
        {"hybrid-platform:secrets"},
    )
    monkeypatch.setattr(runner, "stack_config", lambda *args: config)
    result = runner.run_preview(tmp_path, "test")
    assert value not in json.dumps(as_json(result))
    db = next(v for v in vms(result) if v.service == "db")
    assert f"POSTGRES_PASSWORD={value}" in db.file("/etc/hybrid/db.env")


def test_data_volume_survives_an_image_change(tmp_path: Path) -> None:
    before = preview(tmp_path, make_app(), SECRETS, target="vm")
    after = preview(tmp_path, make_app(db={"image": "postgres:17.0"}), SECRETS, target="vm")

    def data_volume(result):  # type: ignore[no-untyped-def]
        return next(v for v in of_type(result, VOLUME) if v.name == "shop.db.data.0")

    assert data_volume(before).inputs == data_volume(after).inputs  # nothing to replace
    assert data_volume(after).replace_with == []
    old_db = next(v for v in vms(before) if v.service == "db")
    new_db = next(v for v in vms(after) if v.service == "db")
    assert old_db.user_data != new_db.user_data  # the VM itself is replaced...
    root = next(v for v in of_type(after, VOLUME) if v.name == "shop-db-0-root")
    assert root.replace_with == [new_db.cloudinit.urn]  # ...with a fresh root disk
    assert new_db.domain.delete_before_replace
    assert new_db.domain.inputs["disks"] == [{"volumeId": root.id}, {"volumeId": data_volume(after).id}]


def test_protect_data_protects_only_data_volumes(result) -> None:  # type: ignore[no-untyped-def]
    protected = {v.name for v in of_type(result, VOLUME) if v.protect and v.retain_on_delete}
    assert protected == {"shop.db.data.0"}
    (data,) = [v for v in of_type(result, VOLUME) if v.name == "shop.db.data.0"]
    assert data.inputs["size"] == 2 * 2**30 and data.inputs["format"] == "qcow2"


def test_several_hosts_spread_replicas(tmp_path: Path) -> None:
    hosts = ["qemu+ssh://root@kvm-a/system", "qemu+ssh://root@kvm-b/system"]
    config = {**SECRETS, "libvirt": {"hosts": hosts, "network": {"cidr": "10.77.0.0/23", "mode": "route"}}}
    result = preview(tmp_path, make_app(web={"replicas": 4}), config, target="vm")
    providers = {p.urn: p.inputs["uri"] for p in of_type(result, "pulumi:providers:libvirt")}
    assert sorted(providers.values()) == sorted(hosts)
    networks = of_type(result, NETWORK)
    assert sorted(n.inputs["addresses"][0] for n in networks) == ["10.77.0.0/24", "10.77.1.0/24"]
    web = [v for v in vms(result) if v.service == "web"]
    on_host = {v.replica: v.domain.provider.rsplit("::", 1)[0] for v in web}
    assert len(set(on_host.values())) == 2
    assert on_host[0] != on_host[1] and on_host[0] == on_host[2]
    for vm in web:
        subnet = ipaddress.IPv4Network("10.77.0.0/24" if vm.replica % 2 == 0 else "10.77.1.0/24")
        assert ipaddress.IPv4Address(vm.address) in subnet
    for network in networks:  # each host's DNS knows the replicas on every host
        assert {h["ip"] for h in network.inputs["dns"]["hosts"]} == {v.address for v in vms(result)}


def test_domain_type_and_vnc_from_settings(tmp_path: Path) -> None:
    config = {**SECRETS, "libvirt": {"domain_type": "qemu", "vnc": True, "network": {"mode": "none"}}}
    result = preview(tmp_path, make_app(), config, target="vm")
    domains = of_type(result, DOMAIN)
    assert len(domains) == 5  # one replica of each service
    for domain in domains:
        assert domain.inputs["type"] == "qemu"
        assert domain.inputs["graphics"] == {
            "type": "vnc", "listenType": "address", "listenAddress": "127.0.0.1", "autoport": True
        }  # fmt: skip
    assert of_type(result, NETWORK)[0].inputs["mode"] == "none"


def test_guest_agent_is_opt_in_on_every_domain(tmp_path: Path) -> None:
    (tmp_path / "default").mkdir()
    default = preview(tmp_path / "default", make_app(), SECRETS, target="vm")
    assert all("qemuAgent" not in d.inputs for d in of_type(default, DOMAIN))  # the provider's default: off
    config = {**SECRETS, "libvirt": {"guest_agent": True}}
    for target in ("vm", "hybrid"):  # service VMs and cluster nodes alike
        (tmp_path / target).mkdir()
        result = preview(tmp_path / target, make_app(), config, target=target)
        domains = of_type(result, DOMAIN)
        assert domains and all(d.inputs["qemuAgent"] is True for d in domains)

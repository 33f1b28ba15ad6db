"""The defects the controls missed, each seen through the control that must find it on
every target: addresses that bind every interface, root spelled as a number, secret env
names, added capabilities a service does not need."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from policies.engine import evaluate
from policies.framework import Resource
from policies.judge import binds_every_interface, loopback, secret_name, uid
from tests.policies.fixtures import CONTAINER_LABELS, compliant, docker_labels, vm_facts

Change = Callable[[dict[str, Resource]], None]


def violated(change: Change) -> set[str]:
    resources = compliant()
    change(resources)
    return {v.policy for v in evaluate(list(resources.values()), {})}


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "::0", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0", "[::]", ""])
def test_every_spelling_of_every_interface_is_flagged(address: str) -> None:
    assert binds_every_interface(address)
    found = violated(lambda r: r["container"].props["ports"][0].update(ip=address))
    assert found == {"docker-no-bind-all-ports"}


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.0.0.5", "fe80::1", "::ffff:127.0.0.1"])
def test_a_chosen_address_is_not_every_interface(address: str) -> None:
    assert binds_every_interface(address) is False
    assert violated(lambda r: r["container"].props["ports"][0].update(ip=address)) == set()


@pytest.mark.parametrize(("address", "local"), [("127.0.0.2", True), ("::ffff:127.0.0.1", True), ("0:0:0:0:0:0:0:1", True), ("::", False), ("vnc.example", None)])  # fmt: skip
def test_consoles_compare_addresses_not_text(address: str, local: bool | None) -> None:
    assert loopback(address) is local
    found = violated(lambda r: r["domain"].props["graphics"].update(listenAddress=address))
    assert found == (set() if local else {"libvirt-console-localhost"})


@pytest.mark.parametrize("user", ["0", "00", "000:1000", "+0", "root", "root:root", "0:0"])
def test_root_by_any_spelling_is_root_on_every_target(user: str) -> None:
    assert uid(user) == 0
    assert violated(lambda r: r["container"].props.update(user=user)) == {"docker-non-root-user"}
    assert violated(lambda r: r["domain"].props.update(description=vm_facts(workload_user=user))) == {
        "vm-workload-non-root-user"
    }


def test_root_uid_on_kubernetes_is_a_number_however_it_is_typed() -> None:
    for value in (0, "00"):
        found = violated(lambda r, value=value: r["deployment"].props["spec"]["template"]["spec"]["securityContext"].update(runAsUser=value))  # fmt: skip
        assert found == {"k8s-no-root-uid"}
    assert uid(False) is None and uid("app") is None and uid("1000:0") == 1000


SECRETS = ["DB_PASS", "ADMIN_PASSWORD", "API_TOKEN", "MYSQL_PWD", "PASSPHRASE", "REDIS_AUTH", "BASIC_AUTH",
           "API_KEY", "APIKEY", "STRIPE_SECRET_KEY", "SIGNING_KEY", "AWS_SECRET_ACCESS_KEY", "PGPASSWORD",
           "dbPassword", "GITHUB_TOKEN", "OAUTH_CLIENT_SECRET", "CREDENTIALS", "SSH_PRIVATE_KEY", "WIFI_PSK"]  # fmt: skip
NOT_SECRETS = ["PASSWORD_FILE", "POSTGRES_PASSWORD_FILE", "TOKEN_URL", "AUTH_URL", "AUTH_ENABLED", "SECRET_NAME",
               "PWD", "BYPASS_CACHE", "TOKENIZERS_PARALLELISM", "AUTHOR", "OAUTH_CLIENT_ID", "AWS_ACCESS_KEY_ID",
               "SORT_KEY", "PUBLIC_KEY", "PGPASSFILE", "PASSWORD_MIN_LENGTH", "SECRETS_DIR", "DB_HOST"]  # fmt: skip


@pytest.mark.parametrize("name", SECRETS)
def test_secret_names_in_plaintext_are_flagged_on_every_target(name: str) -> None:
    assert secret_name(name)
    plain = {"stack-no-plaintext-secrets"}
    assert violated(lambda r: r["container"].props["envs"].append(f"{name}=x")) == plain
    container = lambda r: r["deployment"].props["spec"]["template"]["spec"]["containers"][0]  # noqa: E731
    assert violated(lambda r: container(r)["env"].append({"name": name, "value": "x"})) == plain
    assert (
        violated(lambda r: r["domain"].props.update(description=vm_facts(workload_env=f"PGDATA,{name}")))
        == plain
    )


@pytest.mark.parametrize("name", NOT_SECRETS)
def test_names_that_point_at_a_secret_or_are_no_secret_pass(name: str) -> None:
    assert not secret_name(name)
    assert violated(lambda r: r["container"].props["envs"].append(f"{name}=/run/secrets/db")) == set()
    assert violated(lambda r: r["domain"].props.update(description=vm_facts(workload_env=name))) == set()


def test_a_secret_from_a_secret_is_no_plaintext_on_every_target() -> None:
    assert (
        violated(lambda r: r["domain"].props.update(description=vm_facts(workload_env="POSTGRES_DB")))
        == set()
    )
    configmap = {"name": "API_TOKEN", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "t"}}}
    container = lambda r: r["deployment"].props["spec"]["template"]["spec"]["containers"][0]  # noqa: E731
    assert violated(lambda r: container(r)["env"].append(configmap)) == {"stack-no-plaintext-secrets"}


def _listening(ports: str, adds: list[str]) -> Change:
    labels = docker_labels(**{**CONTAINER_LABELS, "listen_ports": ports})
    return lambda r: r["container"].props.update(labels=labels, capabilities={"drops": ["ALL"], "adds": adds})


def test_net_bind_service_is_accepted_exactly_for_a_port_below_1024_on_docker() -> None:
    assert violated(_listening("80/tcp,8080/tcp", ["NET_BIND_SERVICE"])) == set()
    assert violated(_listening("80/tcp", ["CAP_NET_BIND_SERVICE"])) == set()
    assert violated(_listening("8080/tcp", ["NET_BIND_SERVICE"])) == {"docker-no-added-capabilities"}
    assert violated(_listening("80/tcp", ["NET_BIND_SERVICE", "NET_RAW"])) == {"docker-no-added-capabilities"}
    assert violated(_listening("80/tcp", ["ALL"])) == {"docker-no-added-capabilities"}


def test_net_bind_service_is_accepted_exactly_for_a_port_below_1024_in_a_vm() -> None:
    def vm(ports: str, adds: str) -> Change:
        return lambda r: r["domain"].props.update(
            description=vm_facts(listen_ports=ports, workload_cap_add=adds)
        )

    assert violated(vm("53/udp,5432/tcp", "NET_BIND_SERVICE")) == set()
    assert violated(vm("5432/tcp", "NET_BIND_SERVICE")) == {"vm-workload-no-added-capabilities"}
    assert violated(vm("53/udp", "NET_BIND_SERVICE,SYS_ADMIN")) == {"vm-workload-no-added-capabilities"}


def test_net_bind_service_is_accepted_exactly_for_a_port_below_1024_on_kubernetes() -> None:
    def k8s(port: int) -> Change:
        def change(r: dict[str, Resource]) -> None:
            c = r["deployment"].props["spec"]["template"]["spec"]["containers"][0]
            c["ports"][0]["containerPort"] = port
            c["securityContext"]["capabilities"]["add"] = ["NET_BIND_SERVICE"]

        return change

    assert violated(k8s(80)) == set()
    assert violated(k8s(8080)) == {"k8s-drop-all-capabilities"}

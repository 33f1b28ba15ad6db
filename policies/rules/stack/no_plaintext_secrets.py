"""A secret-named env var gets its value from a secret, on every target alike."""

from __future__ import annotations

from components import vocabulary

from ...framework import Findings, Params, Resource, control
from ...judge import secret_name
from ...read import as_dict, as_list, containers, docker_labels, domain_labels, get, of
from ...resource_types import DOCKER_CONTAINER, K8S_WORKLOADS, LIBVIRT_DOMAIN


def _plaintext(name: object) -> str:
    return f"{name} is set in plaintext env; move it to secret_env"


@control(
    id="stack-no-plaintext-secrets",
    target="stack",
    severity="critical",
    benchmark="hybrid-platform secrets rule",
    description="No secret-named env var (PASSWORD, DB_PASS, *_PWD, API_TOKEN, API_KEY, AUTH, ...) is set in plaintext.",
    remediation="Declare it in secret_env and set it with pulumi config set --secret.",
    isolation=True,
    concern="plaintext-secret",
)
def no_plaintext_secrets(resources: list[Resource], _: Params) -> Findings:
    for container in of(resources, DOCKER_CONTAINER):
        from_secrets = set(vocabulary.split(docker_labels(container).get(vocabulary.SECRET_ENV)))
        for entry in as_list(container.props.get("envs")):
            name = entry.split("=", 1)[0] if isinstance(entry, str) else ""
            if secret_name(name) and name not in from_secrets:
                yield container.urn, _plaintext(name)
    for workload in resources:
        if workload.type not in K8S_WORKLOADS:
            continue
        for env in (as_dict(e) for c in containers(workload) for e in as_list(c.get("env"))):
            name = str(env.get("name"))
            if secret_name(name) and "value" in env:
                yield workload.urn, _plaintext(name)
            elif secret_name(name) and get(env, "valueFrom", "configMapKeyRef") is not None:
                yield (
                    workload.urn,
                    f"{name} comes from a ConfigMap, which is plaintext; move it to secret_env",
                )
    for domain in of(resources, LIBVIRT_DOMAIN):
        facts = domain_labels(domain)
        from_secrets = set(vocabulary.split(facts.get(vocabulary.SECRET_ENV)))
        for name in vocabulary.split(facts.get(vocabulary.WORKLOAD_ENV)):
            if secret_name(name) and name not in from_secrets:
                yield domain.urn, _plaintext(name)
        for key in facts:
            if not key.startswith(f"{vocabulary.PREFIX}/") and secret_name(key):
                yield domain.urn, f"the domain description carries {key}=...: descriptions are plaintext"

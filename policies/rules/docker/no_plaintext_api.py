"""The provider's Docker API connection: plaintext TCP hands the host to the network."""

from __future__ import annotations

from urllib.parse import urlsplit

from ...framework import Messages, Params, Resource, control
from ...read import text
from ...resource_types import DOCKER_PROVIDER

PLAINTEXT_PORT = 2375  # Docker's port for the unencrypted API
TLS_SETTINGS = ("certPath", "certMaterial")  # a client certificate, from a directory or inline


@control(
    id="docker-no-plaintext-api",
    target="docker",
    severity="critical",
    benchmark="CIS Docker 2.6 (TLS for the daemon socket)",
    description="The provider does not talk to the Docker API over plaintext TCP.",
    remediation="Set docker.host to ssh://user@host, or use tcp://host:2376 with the provider's certPath (or caMaterial, certMaterial, keyMaterial).",
    isolation=True,
    types=(DOCKER_PROVIDER,),
)
def no_plaintext_api(r: Resource, _: Params) -> Messages:
    host = text(r.props.get("host"))
    if host is None or not host.lower().startswith(("tcp://", "http://")):
        return
    try:
        port = urlsplit(host).port
    except ValueError:
        port = None
    if port == PLAINTEXT_PORT:
        yield f"talks to the Docker API at {host}, Docker's plaintext port: whoever reaches it controls the host"
    elif not any(r.props.get(key) for key in TLS_SETTINGS):
        yield f"talks to the Docker API at {host} with no TLS client certificate (certPath or certMaterial): the API is plaintext or unauthenticated"

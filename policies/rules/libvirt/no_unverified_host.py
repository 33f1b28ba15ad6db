"""The provider checks whom it talks to."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from ...framework import Messages, Params, Resource, control
from ...read import text
from ...resource_types import LIBVIRT_PROVIDER


@control(
    id="libvirt-no-unverified-host",
    target="libvirt",
    severity="critical",
    benchmark="libvirt security: remote access",
    description="The provider verifies the libvirt host's certificate or SSH host key.",
    remediation="Remove no_verify (and known_hosts_verify=ignore) from libvirt.uri; install the host's CA certificate or SSH host key instead.",
    isolation=True,
    types=(LIBVIRT_PROVIDER,),
)
def no_unverified_host(r: Resource, _: Params) -> Messages:
    uri = text(r.props.get("uri"))
    if uri is None or "://" not in uri:
        return
    try:
        query = dict(parse_qsl(urlsplit(uri).query))
    except ValueError:
        return
    if query.get("no_verify", "0").strip() not in ("", "0"):
        yield f"connects with no_verify={query['no_verify']}: the host's certificate or key is not checked, so anyone in the path can pose as it"
    if query.get("known_hosts_verify") == "ignore":
        yield "connects with known_hosts_verify=ignore: the host's SSH key is not checked"

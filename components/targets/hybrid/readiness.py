"""The readiness gate between the cluster's VMs and the first workload.

A dynamic resource whose create (and update) waits until the API server answers
`/readyz` with `ok` and every expected node reports `Ready`, polling every
`POLL_SECONDS`, for at most `timeout_seconds` (`cluster.ready_timeout`, 15
minutes by default), with the cluster CA and the admin client certificate: no
SSH. `pulumi up` fails with the last thing it saw when time runs out. Preview
does not wait."""

from __future__ import annotations

import json
import ssl
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult

POLL_SECONDS = 5


def _context(ca: str, cert: str, key: str, folder: Path) -> ssl.SSLContext:
    (folder / "ca.pem").write_text(ca)
    (folder / "cert.pem").write_text(cert)
    (folder / "key.pem").write_text(key)
    context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    context.load_cert_chain(str(folder / "cert.pem"), str(folder / "key.pem"))
    return context


def _get(url: str, context: ssl.SSLContext) -> str:
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        return str(response.read().decode())


def ready_nodes(nodes_json: str) -> int:
    """How many nodes in a `/api/v1/nodes` answer have condition Ready=True."""
    items = json.loads(nodes_json).get("items", [])
    return sum(
        any(
            c.get("type") == "Ready" and c.get("status") == "True"
            for c in n.get("status", {}).get("conditions", [])
        )
        for n in items
    )


def wait_until_ready(props: dict[str, Any]) -> None:
    """Poll until ready, or raise with the last observation."""
    deadline = time.monotonic() + int(props["timeout_seconds"])
    seen = "no answer yet"
    with tempfile.TemporaryDirectory() as folder:
        context = _context(props["ca_pem"], props["client_cert_pem"], props["client_key_pem"], Path(folder))
        while time.monotonic() < deadline:
            try:
                if _get(f"{props['server']}/readyz", context).strip() == "ok":
                    ready = ready_nodes(_get(f"{props['server']}/api/v1/nodes", context))
                    seen = f"{ready} of {props['nodes']} nodes Ready"
                    if ready >= int(props["nodes"]):
                        return
            except (OSError, urllib.error.URLError, ValueError) as error:
                seen = str(error)
            time.sleep(POLL_SECONDS)
    raise TimeoutError(f"cluster at {props['server']} not ready after {props['timeout_seconds']} s: {seen}")


class _ReadinessProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        wait_until_ready(props)
        return CreateResult(id_=props["server"], outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("server", "nodes", "ca_pem")
        return DiffResult(changes=any(olds.get(k) != news.get(k) for k in keys))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        wait_until_ready(news)
        return UpdateResult(outs=news)


class ReadinessGate(Resource):
    """Exists once the cluster at `server` is ready with `nodes` Ready nodes."""

    def __init__(
        self,
        name: str,
        server: pulumi.Input[str],
        nodes: int,
        ca_pem: pulumi.Input[str],
        client_cert_pem: pulumi.Input[str],
        client_key_pem: pulumi.Input[str],
        timeout_seconds: int,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {
            "server": server,
            "nodes": nodes,
            "ca_pem": ca_pem,
            "client_cert_pem": client_cert_pem,
            "client_key_pem": pulumi.Output.secret(client_key_pem),
            "timeout_seconds": timeout_seconds,
        }
        super().__init__(_ReadinessProvider(), name, props, opts)

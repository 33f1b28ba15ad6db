"""Multi-line values (PEM keys, certificates), plain or secret, work on every target: the
preview passes and each target carries the exact value."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.offline.recorder import reveal
from tests.factory import preview

PEM = "-----BEGIN CERTIFICATE-----\nMIIB'x'$y\n-----END CERTIFICATE-----\n"
SPEC = {"app": "certs", "services": {"api": {"image": "example/api:1", "env": {"TLS_CERT": PEM}}}}


@pytest.mark.parametrize("target", ["docker", "vm", "hybrid", "kubernetes"])
def test_a_multi_line_value_previews_and_arrives_whole(tmp_path: Path, target: str) -> None:
    result = preview(tmp_path, SPEC, target=target)
    inputs = [reveal(r.inputs) for r in result.resources]
    if target == "docker":
        (container,) = [i for i in inputs if "envs" in i]
        assert f"TLS_CERT={PEM}" in container["envs"]
    elif target == "vm":
        (disk,) = [i for i in inputs if "userData" in i and "TLS_CERT" in i["userData"]]
        assert "TLS_CERT='-----BEGIN CERTIFICATE-----\n" in disk["userData"].replace("\n      ", "\n")
    else:
        (workload,) = [i for i in inputs if i.get("spec", {}).get("template")]
        env = workload["spec"]["template"]["spec"]["containers"][0]["env"]
        assert {"name": "TLS_CERT", "value": PEM} in env

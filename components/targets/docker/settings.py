"""`docker`: which daemon, where public ports bind, and the sandbox runtime."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator, Field

from ...appspec.base import with_example
from ...appspec.limits import MAX_TEXT
from ...appspec.text import TextForm
from ...settings_section import SettingsSection


def _check_ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value[:60]!r} is not an IP address; use e.g. 127.0.0.1") from None
    return value


DockerHost = Annotated[
    str,
    TextForm(
        r"(?:unix|tcp|ssh|npipe)://\S+",
        title="Docker daemon address",
        rule="use unix://, tcp://, ssh:// or npipe:// followed by the address, without spaces",
        example="unix:///var/run/docker.sock",
        max_length=MAX_TEXT,
    ),
]
RuntimeName = Annotated[
    str,
    TextForm(
        r"[a-z][a-z0-9._-]*",
        title="Docker runtime name",
        rule="use lowercase letters, digits, '.', '_' and '-', starting with a letter",
        example="runsc",
        max_length=255,
    ),
]


class DockerSettings(SettingsSection):
    """`docker`: which daemon, where public ports bind, and the sandbox runtime."""

    key = "docker"
    model_config = with_example(SettingsSection.model_config, {"bind_address": "127.0.0.1"})

    host: DockerHost | None = None
    bind_address: Annotated[str, AfterValidator(_check_ip), Field(examples=["127.0.0.1"])] = "127.0.0.1"
    sandbox_runtime: RuntimeName = "runsc"
    # The address an existing Kubernetes cluster sees this Docker host's traffic come from
    # and reaches its published ports on (only for services placed across the two).
    host_address: Annotated[str, AfterValidator(_check_ip), Field(examples=["192.168.122.1"])] | None = None


SECTIONS = (DockerSettings,)

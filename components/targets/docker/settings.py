"""`docker`: which daemon, where public ports bind, and the sandbox runtime."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator, Field

from ...settings_section import SettingsSection


def _check_ip(value: str) -> str:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address; use e.g. 127.0.0.1") from None
    return value


class DockerSettings(SettingsSection):
    """`docker`: which daemon, where public ports bind, and the sandbox runtime."""

    key = "docker"

    host: Annotated[str, Field(pattern=r"^(unix|tcp|ssh|npipe)://\S+$")] | None = None
    bind_address: Annotated[str, AfterValidator(_check_ip)] = "127.0.0.1"
    sandbox_runtime: Annotated[str, Field(pattern=r"^[a-z][a-z0-9._-]*$")] = "runsc"
    # The address an existing Kubernetes cluster sees this Docker host's traffic come from
    # and reaches its published ports on (only for services placed across the two).
    host_address: Annotated[str, AfterValidator(_check_ip)] | None = None


SECTIONS = (DockerSettings,)

"""Health checks: exactly one probe kind (http, tcp or exec) plus its timing."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from .base import SpecModel
from .units import DurationMs


class HttpProbe(SpecModel):
    """Healthy when `GET path` on `port` answers 2xx/3xx."""

    kind: ClassVar[str] = "http"
    path: Annotated[str, Field(pattern=r"^/\S*$")] = "/"
    port: Annotated[int, Field(ge=1, le=65535)]


class TcpProbe(SpecModel):
    """Healthy when a TCP connection to `port` opens."""

    kind: ClassVar[str] = "tcp"
    port: Annotated[int, Field(ge=1, le=65535)]


class ExecProbe(SpecModel):
    """Healthy when `command` exits 0 inside the service."""

    kind: ClassVar[str] = "exec"
    command: Annotated[list[str], Field(min_length=1)]


Probe = HttpProbe | TcpProbe | ExecProbe


class HealthSpec(SpecModel):
    """A health check; targets map it to their own probes (Docker HEALTHCHECK, k8s probes, systemd)."""

    model_config = SpecModel.model_config | {
        "json_schema_extra": {
            "oneOf": [{"required": ["http"]}, {"required": ["tcp"]}, {"required": ["exec"]}]
        }
    }

    http: HttpProbe | None = None
    tcp: TcpProbe | None = None
    exec: ExecProbe | None = None
    interval: Annotated[DurationMs, Field(gt=0)] = 10_000
    timeout: Annotated[DurationMs, Field(gt=0)] = 3_000
    retries: Annotated[int, Field(ge=1, le=100)] = 3
    start_period: Annotated[DurationMs, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _exactly_one_probe(self) -> HealthSpec:
        kinds = [k for k in ("http", "tcp", "exec") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else "none"
            raise ValueError(f"set exactly one of http, tcp, exec (found: {found})")
        return self

    @property
    def probe(self) -> Probe:
        """The one probe that is set."""
        probe = self.http or self.tcp or self.exec
        assert probe is not None  # guaranteed by _exactly_one_probe
        return probe

"""Health checks: exactly one probe kind (http, tcp or exec) plus its timing."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .base import SpecModel, with_example
from .limits import MAX_URL_PATH_LENGTH
from .names import Command
from .text import TextForm
from .units import DurationMs, durations_between

# Compose writes a health check's command with a first word saying how to run it; here the
# command always runs as a program (`exec`), so that word would be taken for the program.
COMPOSE_PREFIXES = ("CMD", "CMD-SHELL", "NONE")

UrlPath = Annotated[
    str,
    TextForm(
        r"/[!-~]*",
        title="HTTP path",
        rule="start with '/' and use printable ASCII without spaces (percent-encode the rest)",
        example="/healthz",
        max_length=MAX_URL_PATH_LENGTH,
    ),
]


class HttpProbe(SpecModel):
    """Healthy when `GET path` on `port` answers 2xx/3xx."""

    model_config = with_example(SpecModel.model_config, {"path": "/healthz", "port": 8080})
    kind: ClassVar[str] = "http"
    path: UrlPath = "/"
    port: Annotated[int, Field(ge=1, le=65535, examples=[8080])]


class TcpProbe(SpecModel):
    """Healthy when a TCP connection to `port` opens."""

    model_config = with_example(SpecModel.model_config, {"port": 5432})
    kind: ClassVar[str] = "tcp"
    port: Annotated[int, Field(ge=1, le=65535, examples=[5432])]


def _not_compose_prefixed(command: list[str]) -> list[str]:
    if command and command[0] in COMPOSE_PREFIXES:
        raise ValueError(
            f"starts with {command[0]!r} as Compose writes it; here the command always runs as "
            "a program: drop that word, e.g. [pg_isready, -U, postgres], or use [sh, -c, '...'] "
            "for a shell line"
        )
    return command


class ExecProbe(SpecModel):
    """Healthy when `command` exits 0 inside the service."""

    model_config = with_example(SpecModel.model_config, {"command": ["pg_isready", "-U", "postgres"]})
    kind: ClassVar[str] = "exec"
    shape: ClassVar[str] = "a command [program, argument...] or {command: [program, argument...]}"
    command: Annotated[Command, AfterValidator(_not_compose_prefixed)]


def _exec_list_form(value: Any) -> Any:
    """`exec: [pg_isready, -U, postgres]` is `exec: {command: [pg_isready, -U, postgres]}`."""
    return {"command": value} if isinstance(value, list) else value


Probe = HttpProbe | TcpProbe | ExecProbe


class HealthSpec(SpecModel):
    """A health check; targets map it to their own probes (Docker HEALTHCHECK, k8s probes, systemd)."""

    model_config = with_example(
        SpecModel.model_config,
        {"http": {"path": "/healthz", "port": 8080}, "interval": "10s"},
        oneOf=[{"required": ["http"]}, {"required": ["tcp"]}, {"required": ["exec"]}],
    )
    shape: ClassVar[str] = "{http | tcp | exec[, interval, timeout, retries, start_period]}"

    http: HttpProbe | None = None
    tcp: TcpProbe | None = None
    exec: Annotated[
        ExecProbe | None,
        BeforeValidator(_exec_list_form, json_schema_input_type=Command | ExecProbe | None),
        Field(examples=[["pg_isready", "-U", "postgres"]]),
    ] = None
    interval: Annotated[DurationMs, durations_between(1), Field(examples=["10s"])] = 10_000
    timeout: Annotated[DurationMs, durations_between(1), Field(examples=["3s"])] = 3_000
    retries: Annotated[int, Field(ge=1, le=100, examples=[3])] = 3
    start_period: Annotated[DurationMs, Field(examples=["30s"])] = 0

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

"""Name types shared by the spec: app, service, volume and port names, secrets, env vars,
images and users; and the text a service passes to its processes (arguments, env values)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from .limits import MAX_ARG_LENGTH, MAX_ARGS, at_most, text_at_most
from .text import TextForm

DNS_LABEL = r"[a-z](?:[-a-z0-9]*[a-z0-9])?"
SECRET_NAME = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
ENV_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# An IANA service name, as Kubernetes requires of port names: 1-15 lowercase letters, digits
# and '-', at least one letter, no '-' at either end and none next to another.
PORT_NAME = r"(?=[-a-z0-9]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*"
# OCI reference: [registry/]path[:tag][@digest]. As in Docker, a first part is a registry only
# if it has a dot or a port or is localhost; the path is lowercase.
IMAGE_REF = (
    r"(?:(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::[0-9]+)?/|[a-zA-Z0-9-]+:[0-9]+/|localhost/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?"
)
USER = r"[0-9]{1,10}(?::[0-9]{1,10})?"
MAX_ID = 2**32 - 2  # the largest UID/GID Linux gives out (2**32 - 1 means "none")

_DNS_RULE = "use 1-40 lowercase letters, digits and '-', starting with a letter"

AppName = Annotated[
    str, TextForm(DNS_LABEL, title="app name", rule=_DNS_RULE, example="voting", max_length=40)
]
ServiceName = Annotated[
    str, TextForm(DNS_LABEL, title="service name", rule=_DNS_RULE, example="web", max_length=40)
]
VolumeName = Annotated[
    str, TextForm(DNS_LABEL, title="volume name", rule=_DNS_RULE, example="data", max_length=40)
]
PortName = Annotated[
    str,
    TextForm(
        PORT_NAME,
        title="port name",
        rule="use 1-15 lowercase letters, digits and '-', with at least one letter and no '-' "
        "at either end or next to another (Kubernetes takes IANA service names)",
        example="http",
        max_length=15,
    ),
]
SecretName = Annotated[
    str,
    TextForm(
        SECRET_NAME,
        title="secret name",
        rule="use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
        example="db-password",
        max_length=63,
    ),
]


def _not_path(name: str) -> str | None:
    if name == "PATH":
        return (
            "cannot be set: health checks and the image's own programs are found through the "
            "image's PATH; set it in the image instead"
        )
    return None


EnvName = Annotated[
    str,
    TextForm(
        ENV_NAME,
        title="environment variable name",
        rule="use letters, digits and '_', not starting with a digit",
        example="LOG_LEVEL",
        max_length=255,
        also=_not_path,
    ),
]
ImageRef = Annotated[
    str,
    TextForm(
        IMAGE_REF,
        title="image reference",
        rule="use [registry/]name[:tag][@sha256:digest] with a lowercase name",
        example="example/app:1.2.0",
        max_length=255,
    ),
]


def _no_nul(value: str) -> str:
    if "\0" in value:
        raise ValueError("contains a NUL character (\\0), which no process can receive")
    return value


# An argument of `command` or of an exec probe: any text a process can receive.
Arg = Annotated[str, AfterValidator(_no_nul), text_at_most(MAX_ARG_LENGTH)]
Command = Annotated[
    list[Arg],
    Field(min_length=1, examples=[["pg_isready", "-U", "postgres"]]),
    at_most(MAX_ARGS, "arguments"),
]


def _scalar_to_text(value: object) -> object:
    """YAML writes `PORT: 8080` or `DEBUG: true`; env values are text on every target."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if (isinstance(value, int) and value.bit_length() <= 64) or isinstance(value, float):
        return str(value)
    return value


EnvValue = Annotated[
    str,
    BeforeValidator(_scalar_to_text),
    text_at_most(MAX_ARG_LENGTH),
    AfterValidator(_no_nul),
    WithJsonSchema({"type": ["string", "number", "boolean"], "maxLength": MAX_ARG_LENGTH}),
    Field(examples=["info"]),
]


def _ids_in_range(user: str) -> str | None:
    if any(int(part) > MAX_ID for part in user.split(":")):
        return f"is out of range: a UID or GID is at most {MAX_ID}"
    return None


def _number_to_text(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID:
        return str(value)
    return value


UserId = Annotated[
    str,
    BeforeValidator(_number_to_text),
    TextForm(
        USER,
        title="user",
        rule="use a numeric UID or UID:GID",
        example="1000:1000",
        max_length=21,
        also=_ids_in_range,
        json_type=("string", "integer"),
    ),
]

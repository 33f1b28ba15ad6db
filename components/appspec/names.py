"""Name types shared by the spec: app, service, volume and port names, secrets, env vars."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

DNS_LABEL = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
SECRET_NAME = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
PORT_NAME = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
# OCI reference: [registry/]path[:tag][@digest]. As in Docker, a first part is a registry only
# if it has a dot or a port or is localhost; the path is lowercase.
IMAGE_REF = (
    r"^(?:(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::[0-9]+)?/|[a-zA-Z0-9-]+:[0-9]+/|localhost/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$"
)


def _matching(pattern: str, max_length: int, what: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.match(value) or len(value) > max_length:
            raise ValueError(f"{value!r} is not a valid {what}")
        return value

    return check


def _schema(pattern: str, max_length: int) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": pattern, "maxLength": max_length})


_DNS_RULE = "use 1-40 lowercase letters, digits and '-', starting with a letter"
AppName = Annotated[
    str, AfterValidator(_matching(DNS_LABEL, 40, f"app name: {_DNS_RULE}")), _schema(DNS_LABEL, 40)
]
ServiceName = Annotated[
    str,
    AfterValidator(_matching(DNS_LABEL, 40, f"service name: {_DNS_RULE}")),
    _schema(DNS_LABEL, 40),
]
VolumeName = Annotated[
    str,
    AfterValidator(_matching(DNS_LABEL, 40, f"volume name: {_DNS_RULE}")),
    _schema(DNS_LABEL, 40),
]
PortName = Annotated[
    str,
    AfterValidator(_matching(PORT_NAME, 15, "port name: use 1-15 lowercase letters, digits and '-'")),
    _schema(PORT_NAME, 15),
]
SecretName = Annotated[
    str,
    AfterValidator(_matching(SECRET_NAME, 63, "secret name: use 1-63 lowercase letters, digits and '-'")),
    _schema(SECRET_NAME, 63),
]
EnvName = Annotated[
    str,
    AfterValidator(
        _matching(
            ENV_NAME,
            255,
            "environment variable name: use letters, digits and '_', not starting with a digit",
        )
    ),
    _schema(ENV_NAME, 255),
]
ImageRef = Annotated[
    str,
    AfterValidator(
        _matching(
            IMAGE_REF,
            255,
            "image reference: use e.g. example/app:1.2.0 or example/app@sha256:<digest>",
        )
    ),
    _schema(IMAGE_REF, 255),
]


def _scalar_to_text(value: object) -> object:
    """YAML writes `PORT: 8080` or `DEBUG: true`; env values are text on every target."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


EnvValue = Annotated[
    str, BeforeValidator(_scalar_to_text), WithJsonSchema({"type": ["string", "number", "boolean"]})
]


def _check_user(value: str) -> str:
    if not re.fullmatch(r"[0-9]{1,10}(:[0-9]{1,10})?", value):
        raise ValueError(f"{value!r} is not a numeric user; use UID or UID:GID, e.g. 1000:1000")
    return value


UserId = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
    AfterValidator(_check_user),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^[0-9]+(:[0-9]+)?$"}),
]

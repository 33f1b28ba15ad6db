"""How big a spec may be. Each bound is far above any real app and is checked before the
entries are looked at, so an absurd input is refused at once with one line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

MAX_SERVICES = 2000
MAX_PORTS = 256
MAX_VOLUMES = 64
MAX_TMPFS = 64
MAX_ENV = 1000
MAX_SECRET_ENV = 256
MAX_DEPENDS_ON = MAX_SERVICES
MAX_ARGS = 1024  # entries of `command` and of an exec probe
MAX_ARG_LENGTH = 32 * 1024  # characters of one argument or env value
MAX_PATH_LENGTH = 4096  # characters of a mount path (Linux PATH_MAX)
MAX_URL_PATH_LENGTH = 2048  # characters of an HTTP probe's path
MAX_LIST = 256  # entries of any other list in the stack config (hosts, SSH keys)
MAX_TEXT = 4096  # characters of any other text in the stack config
MAX_SECRET_LENGTH = 1024 * 1024  # characters of one secret (a kubeconfig, a certificate)


@dataclass(frozen=True)
class AtMost:
    """`Annotated[list[X], AtMost(256, "ports")]`: a list or mapping of more than `limit`
    entries (or text of more than `limit` characters, with `what="characters"`) is refused
    before any entry is validated, in one line; the JSON Schema gets the same bound."""

    limit: int
    what: str

    def check(self, value: Any) -> Any:
        """`value`, or a ValueError when it is too big."""
        if isinstance(value, str) and self.what == "characters" and len(value) > self.limit:
            raise ValueError(f"must be at most {self.limit} characters (got {len(value)})")
        if isinstance(value, list | dict) and len(value) > self.limit:
            raise ValueError(f"at most {self.limit} {self.what} (got {len(value)})")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        kind = str(json_schema.get("type"))
        keyword = {"object": "maxProperties", "array": "maxItems"}.get(kind, "maxLength")
        return {**json_schema, keyword: self.limit}


def at_most(limit: int, what: str) -> AtMost:
    """Refuse a list or mapping of more than `limit` entries before validating any entry."""
    return AtMost(limit, what)


def text_at_most(limit: int) -> AtMost:
    """Refuse text longer than `limit` characters before anything else looks at it."""
    return AtMost(limit, "characters")

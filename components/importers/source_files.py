"""Reading the files an import starts from: UTF-8 text, one YAML document, errors as lines."""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from ..appspec import Problem, SpecError


class Yaml12Loader(yaml.SafeLoader):
    """YAML as Compose and Score read it (YAML 1.2 core schema, like Go's yaml.v3): `yes`, `on`
    and `22:22` stay text, `0755` is decimal, dates are text, and keys are text (`1:` and
    `true:` are two keys, not one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        self.flatten_mapping(node)
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key: Any = str(key_node.value)
            else:
                key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
                if not isinstance(key, str | int | float | bool | tuple):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a mapping key must be text", key_node.start_mark
                    )
            mapping[key] = self.construct_object(value_node, deep=deep)  # type: ignore[no-untyped-call]
        return mapping


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag.endswith(":null")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(  # type: ignore[no-untyped-call]
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Yaml12Loader.add_implicit_resolver(  # type: ignore[no-untyped-call]
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$"), list("-+0123456789")
)
Yaml12Loader.add_implicit_resolver(  # type: ignore[no-untyped-call]
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0x", "0o")):
        return int(text[2:], 16 if text[1] == "x" else 8)
    return int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def read_text(path: Path, source: str | None = None) -> str:
    """The file's text; unreadable or non-UTF-8 files become a `SpecError` naming the file."""
    name = source or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SpecError(name, [Problem("", f"cannot read the file: {error.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        where = f"byte 0x{raw[error.start]:02x} at line {line}, column {column}"
        raise SpecError(name, [Problem("", f"not UTF-8 text ({where}); save it as UTF-8")]) from None


def read_yaml(path: Path, source: str | None = None) -> Any:
    """The one YAML document in the file; malformed YAML becomes a `SpecError` with its line."""
    name = source or str(path)
    text = read_text(path, name)
    try:
        return yaml.load(text, Loader=Yaml12Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise SpecError(name, [Problem("", f"{where}{reason}")]) from None


def path_join(base: str, key: object) -> str:
    """`services.web` + `ports` -> `services.web.ports`; + 0 -> `services.web.ports[0]`."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else str(key)

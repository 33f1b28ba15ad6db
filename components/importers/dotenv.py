"""`.env` and `env_file` files in Compose's format: `VAR=VAL`, quotes, `#` comments."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_LINE = re.compile(r"^\s*(?:export\s+)?([^=\s]+)\s*(?:=(.*))?$")
_DOUBLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}


@dataclass(frozen=True)
class EnvLine:
    """One variable: `value` None means `VAR` alone (unset); `literal` for single quotes."""

    name: str
    value: str | None
    literal: bool
    line: int


def parse_env_file(text: str) -> tuple[list[EnvLine], list[str]]:
    """The variables of an env file in order, and one message per line that is not `VAR[=[VAL]]`."""
    entries: list[EnvLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(raw)
        if match is None:
            problems.append(f"line {number}: expected VAR=VALUE")
            continue
        name, rest = match.group(1), match.group(2)
        if rest is None:
            entries.append(EnvLine(name, None, False, number))
            continue
        try:
            value, literal = _value(rest.strip())
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        entries.append(EnvLine(name, value, literal, number))
    return entries, problems


def _value(rest: str) -> tuple[str, bool]:
    if rest[:1] in ("'", '"'):
        quote = rest[0]
        end = _closing_quote(rest, quote)
        body = rest[1:end]
        if quote == "'":
            return body.replace("\\'", "'"), True
        return re.sub(r"\\(.)", lambda m: _DOUBLE_ESCAPES.get(m.group(1), "\\" + m.group(1)), body), False
    comment = re.search(r"\s#", rest)
    return (rest[: comment.start()] if comment else rest).rstrip(), False


def _closing_quote(rest: str, quote: str) -> int:
    i = 1
    while i < len(rest):
        if rest[i] == "\\":
            i += 2
            continue
        if rest[i] == quote:
            return i
        i += 1
    raise ValueError(f"the value opens with {quote} but does not close it")


def resolve_env_lines(
    entries: list[EnvLine], expand: Callable[[str], str] | None = None
) -> dict[str, str | None]:
    """Variables in file order, the last one winning; `expand` interpolates non-literal values."""
    values: dict[str, str | None] = {}
    for entry in entries:
        if entry.value is None or entry.literal or expand is None:
            values[entry.name] = entry.value
        else:
            values[entry.name] = expand(entry.value)
    return values

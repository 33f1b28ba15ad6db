"""Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR?error}`, `$$`.

Values come from the `.env` file next to the compose file only, never from the shell that
runs the import: the same files give the same spec on every machine."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class InterpolationError(ValueError):
    """The text is not valid Compose interpolation syntax."""


@dataclass
class Interpolated:
    """The text with variables replaced, and the variables that were not set."""

    text: str
    unset: list[str] = field(default_factory=list)
    defaulted: list[str] = field(default_factory=list)


def interpolate(text: str, env: Mapping[str, str]) -> Interpolated:
    """Replace every variable in `text` with its value from `env`, as Compose does."""
    result = Interpolated("")
    result.text = _expand(text, env, result)
    return result


def _expand(text: str, env: Mapping[str, str], result: Interpolated) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "{":
            end = _closing_brace(text, i + 2)
            out.append(_braced(text[i + 2 : end], env, result))
            i = end + 1
        else:
            match = _NAME.match(text, i + 1)
            if match is None:
                out.append("$")
                i += 1
                continue
            out.append(_lookup(match.group(0), env, result))
            i = match.end()
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise InterpolationError(f"'${{' without a closing '}}' in {text!r}")


def _braced(inner: str, env: Mapping[str, str], result: Interpolated) -> str:
    match = _NAME.match(inner)
    if match is None:
        raise InterpolationError(
            f"'${{{inner}}}' is not a variable; use e.g. ${{NAME}} or ${{NAME:-default}}"
        )
    name, rest = match.group(0), inner[match.end() :]
    if not rest:
        return _lookup(name, env, result)
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise InterpolationError(
            f"'${{{inner}}}' is not supported; Compose allows ${{NAME:-default}}, ${{NAME-default}}, "
            "${NAME:?error}, ${NAME?error}, ${NAME:+alt}, ${NAME+alt}"
        )
    argument = rest[len(operator) :]
    value = env.get(name)
    empty_counts = operator.startswith(":")
    missing = value is None or (empty_counts and value == "")
    if operator.endswith("-"):
        if missing:
            result.defaulted.append(name)
            return _expand(argument, env, result)
        return value or ""
    if operator.endswith("+"):
        return "" if missing else _expand(argument, env, result)
    if missing:  # `?`: required
        result.unset.append(name)
        return ""
    return value or ""


def _lookup(name: str, env: Mapping[str, str], result: Interpolated) -> str:
    value = env.get(name)
    if value is None:
        result.unset.append(name)
        return ""
    return value

"""Validation errors a user can act on: one line per problem, naming the file and field path."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at `path` (e.g. `services.web.ports[0].port`)."""

    path: str
    message: str


class SpecError(Exception):
    """Input (spec file or stack config) is invalid; `lines()` says why, one line per problem."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """`source: path: message` for every problem."""
        return [
            f"{self.source}: {p.path}: {p.message}" if p.path else f"{self.source}: {p.message}"
            for p in self.problems
        ]


def format_path(loc: Sequence[int | str]) -> str:
    """('services', 'web', 'ports', 0, 'port') -> 'services.web.ports[0].port'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            text += f".{part}" if text else str(part)
    return text


def problems_from(error: ValidationError, schema: Any, prefix: str = "") -> list[Problem]:
    """Turn pydantic's errors into `Problem`s with messages that say what is allowed."""
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        path = format_path(loc)
        path = prefix + path
        problems.append(Problem(path, _message(err, schema, loc)))
    return problems


def _message(err: Any, schema: Any, loc: tuple[int | str, ...]) -> str:
    kind, msg, given = err["type"], err["msg"], err.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(schema, loc[:-1])
        return "unknown field" + (f"; allowed: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "too_short":
        least = err.get("ctx", {}).get("min_length", 1)
        return f"must have at least {least} {'entry' if least == 1 else 'entries'}"
    if kind in ("value_error", "assertion_error"):
        return str(msg).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    text = str(msg).replace("Input should be", "must be")
    if isinstance(given, str | int | float | bool) and given is not None:
        text += f" (got {given!r})"
    elif isinstance(given, dict | list):
        text += f" (got a {'mapping' if isinstance(given, dict) else 'list'})"
    return text


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(options) != 1:
                return tp
            tp = options[0]
        else:
            return tp


def _fields_at(schema: Any, loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the model found at `loc` under `schema`, or [] if there is none."""
    tp: Any = schema
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if not (isinstance(part, str) and part in tp.model_fields):
                return []
            tp = tp.model_fields[part].annotation
        elif typing.get_origin(tp) in (list, dict):
            tp = typing.get_args(tp)[-1]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []

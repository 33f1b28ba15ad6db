"""Validation errors a user can act on: one line per problem, naming the file and field path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .messages import message_for
from .quoting import format_key, one_line

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at `path` (e.g. `services.web.ports[0].port`).

    `loc` is the same place as data keys and list indexes, used to list problems in the
    order they appear in the file."""

    path: str
    message: str
    loc: Loc = field(default=(), compare=False, repr=False)


class SpecError(Exception):
    """Input (spec file or stack config) is invalid; `lines()` says why, one line per problem."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """`source: path: message` for every problem, each on exactly one line."""
        lines = [
            f"{self.source}: {p.path}: {p.message}" if p.path else f"{self.source}: {p.message}"
            for p in self.problems
        ]
        return [one_line(line) for line in lines]


def data_loc(loc: Iterable[str | int], data: Any) -> Loc:
    """`loc` as keys and indexes of `data`, the document the user wrote: steps that are not
    in it (a shape the validator converted, like an exec probe's list form) are left out,
    and a key error (`[key]`) points at the key itself."""
    result: list[str | int] = []
    node = data
    for part in loc:
        if part == "[key]":
            break
        if isinstance(node, dict):
            result.append(part)
            node = node.get(part) if _hashable(part) else None
        elif isinstance(node, list) and isinstance(part, int):
            result.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(node, list):
            continue  # a step of a converted shape: the list itself is what the user wrote
        else:
            result.append(part)
            node = None
    return tuple(result)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def format_path(loc: Sequence[str | int], data: Any = None) -> str:
    """('services', 'web', 'ports', 0, 'port') -> 'services.web.ports[0].port'.

    With `data` (the document), an integer is a list index only where the document has a
    list; a mapping key that is a number reads `.1`."""
    text = ""
    node = data
    for part in loc:
        if part == "[key]":
            continue
        index = isinstance(part, int) and not isinstance(part, bool) and not isinstance(node, dict)
        if index:
            text += f"[{part}]"
        else:
            key = format_key(part)
            text += f".{key}" if text else key
        if isinstance(node, dict):
            node = node.get(part) if _hashable(part) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return text


def problem_at(loc: Loc, message: str, data: Any = None, prefix: str = "") -> Problem:
    """A problem at `loc` (keys and indexes), its path formatted for the user."""
    return Problem(prefix + format_path(loc, data), message, loc)


class _Positions:
    """Where a `loc` is in the document, as a sortable tuple (order of keys, list indexes)."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.key_order: dict[int, dict[Any, int]] = {}

    def of(self, loc: Loc) -> tuple[int, ...]:
        position: list[int] = []
        node = self.data
        for part in loc:
            if isinstance(node, dict):
                order = self.key_order.get(id(node))
                if order is None:
                    order = self.key_order[id(node)] = {key: i for i, key in enumerate(node)}
                index = order.get(part, len(order)) if _hashable(part) else len(order)
                position.append(index)
                node = node.get(part) if _hashable(part) else None
            elif isinstance(node, list) and isinstance(part, int):
                position.append(part)
                node = node[part] if 0 <= part < len(node) else None
            else:
                break
        return tuple(position)


def in_file_order(problems: Iterable[Problem], data: Any) -> list[Problem]:
    """`problems` sorted by where they are in `data` (the document as read), stably."""
    positions = _Positions(data)
    return sorted(problems, key=lambda p: positions.of(p.loc))


def problems_from(error: ValidationError, schema: Any, prefix: str = "", data: Any = None) -> list[Problem]:
    """Turn pydantic's errors into `Problem`s with messages that say what is allowed.

    `schema` is the model (or type) that was validated, `data` the input it was given:
    paths then follow the document the user wrote."""
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        where = data_loc(loc, data) if data is not None else loc
        problems.append(problem_at(where, message_for(err, schema, loc), data, prefix))
    return problems

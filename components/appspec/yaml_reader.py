"""Reading a YAML file the user wrote into plain data (mappings, lists, text, numbers,
booleans, null), or one line per problem; never an exception from the parser.

Beyond YAML's own syntax errors it refuses what a safe loader would silently accept or
crash on: a file that is not UTF-8 text, a key written twice in one mapping (YAML keeps
the last one, so the first is lost without a word), nesting deeper than any spec needs,
an alias that contains itself, aliases that expand to far more data than the file holds
(a "billion laughs" document), a number of more than 1,000 digits, and the tags whose
values are not plain data (`!!binary`, `!!set`, `!!omap`, `!!pairs`). Dates and times
stay the text they were written as, as the Pulumi CLI passes them to the program.

It parses with libyaml (`yaml.CSafeLoader`) where PyYAML has it, 3-4 times faster than the
pure-Python loader, and checks the composed document before building Python data from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Loc, Problem, SpecError, format_path

MAX_FILE_BYTES = 16 * 2**20
MAX_DEPTH = 64  # a spec needs 6 levels, a stack file 5
MAX_NUMBER_LENGTH = 1000  # characters of one number literal
# Aliases may repeat data, not multiply it: the document with aliases expanded may hold
# at most this many times the values written, or this floor for small files.
ALIAS_GROWTH = 10
ALIAS_FLOOR = 100_000

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml composes nested collections recursively in C (a stack overflow, not an
# exception, at some 100,000 levels); the pure-Python composer raises RecursionError at
# a few hundred. A document with fewer collection indicators than this cannot nest that
# deep, so only a larger one has its nesting measured first.
_SAFE_TO_COMPOSE = 1000 if _BaseLoader is not yaml.SafeLoader else 200
_INDICATORS = "[{-?:"
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_NOT_PLAIN_DATA = ("binary", "set", "omap", "pairs")


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader, with dates kept as text and non-data tags and huge numbers refused."""

    def construct_long_int(self, node: ScalarNode) -> Any:
        text = self.construct_scalar(node)
        if len(text) > MAX_NUMBER_LENGTH:
            raise ConstructorError(
                None,
                None,
                f"a number of {len(text)} characters; numbers have at most {MAX_NUMBER_LENGTH} "
                "digits (put it in quotes if it is text)",
                node.start_mark,
            )
        return SafeConstructor.construct_yaml_int(self, node)

    def construct_not_plain_data(self, node: Node) -> Any:
        raise ConstructorError(
            None,
            None,
            f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported here; "
            "write plain values (text, numbers, lists, mappings)",
            node.start_mark,
        )


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_long_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
for _tag in _NOT_PLAIN_DATA:
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_not_plain_data)


def load_yaml(path: Path) -> Any:
    """Read one YAML document from `path`; any problem with the file is a `SpecError`."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SpecError(str(path), [Problem("", f"cannot read the file: {reason}")]) from None
    return read_yaml(data, str(path))


def read_yaml(data: bytes | str, source: str) -> Any:
    """One YAML document (bytes of UTF-8 text, or text) as plain data; problems name `source`."""
    if len(data) > MAX_FILE_BYTES:
        raise SpecError(source, [Problem("", f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")])
    text = _decode(data, source) if isinstance(data, bytes) else data
    text = text.removeprefix("\ufeff")
    try:
        if sum(text.count(c) for c in _INDICATORS) > _SAFE_TO_COMPOSE:
            _check_nesting(text, source)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None
            problems = _check_document(root, loader)
            if problems:
                raise SpecError(source, problems)
            return loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise SpecError(source, [Problem("", _describe(error, text))]) from None


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise SpecError(
            source,
            [
                Problem(
                    "",
                    f"line {line}, column {column}: the file is not UTF-8 text (byte 0x{byte:02x}); "
                    "save it as UTF-8",
                )
            ],
        ) from None


def _describe(error: yaml.YAMLError, text: str) -> str:
    """A parser error as `line L, column C: what`."""
    if isinstance(error, yaml.reader.ReaderError):
        position = error.position if isinstance(error.position, int) else 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = (
            error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        )
        return f"line {line}, column {column}: the character U+{character:04X} is not allowed in YAML"
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    reason = getattr(error, "problem", None) or "not valid YAML"
    context = getattr(error, "context", None)
    if context and reason.startswith("but "):
        reason = f"{context}, {reason}"
    return f"{where}{reason}"


def _check_nesting(text: str, source: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` from the event stream, before composing."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, MappingStartEvent | SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise SpecError(source, [_too_deep(event.start_mark)])
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            depth -= 1


def _too_deep(mark: Any) -> Problem:
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return Problem("", f"{where}nested more than {MAX_DEPTH} levels deep")


def _check_document(root: Node, loader: Any) -> list[Problem]:
    """Refuse recursive aliases, nesting deeper than `MAX_DEPTH` (aliases followed),
    alias bombs, and keys written twice in one mapping (with the YAML path and lines).

    One depth-first walk over the composed collections (scalars are counted where they
    are met); an alias is the node it names, so a node met again while it is being
    walked contains itself."""
    depth: dict[int, int] = {}
    expanded: dict[int, int] = {}
    paths: dict[int, Loc] = {id(root): ()}
    duplicates: list[tuple[int, Problem]] = []
    entered: dict[int, list[Node]] = {}  # collection -> its keys and values
    written = 1  # values as the file writes them: an alias counts once, where it is written
    stack: list[Node] = [root]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in depth:
            stack.pop()
            continue
        if isinstance(node, ScalarNode):
            depth[key] = expanded[key] = 1
            stack.pop()
            continue
        kids = entered.get(key)
        if kids is None:
            steps = _children(node)
            entered[key] = [child for _, child in steps]
            written += len(steps)
            path = paths[key]
            if isinstance(node, MappingNode):
                duplicates += _duplicate_keys(node, path, loader)
            for step, child in steps:
                child_key = id(child)
                if child_key in depth or isinstance(child, ScalarNode):
                    continue
                if child_key in entered:
                    return [_recursive(child, paths[child_key])]
                paths.setdefault(child_key, path if step is None else (*path, step))
                stack.append(child)
            continue
        stack.pop()
        deepest, total = 0, 1
        for child in kids:
            child_key = id(child)
            deepest = max(deepest, depth.get(child_key, 1))
            total += expanded.get(child_key, 1)
        depth[key], expanded[key] = deepest + 1, min(total, 2**62)
        if deepest >= MAX_DEPTH:
            return [_too_deep(node.start_mark)]
    budget = max(ALIAS_FLOOR, ALIAS_GROWTH * written)
    if expanded.get(id(root), 1) > budget:
        return [
            Problem(
                "",
                f"aliases expand the {written} values written to more than {budget}; "
                "write the data out or use fewer aliases",
            )
        ]
    return [problem for _, problem in sorted(duplicates, key=lambda item: item[0])]


def _children(node: Node) -> list[tuple[str | int | None, Node]]:
    """(step in the data, child) of a collection node; keys have no step."""
    if isinstance(node, SequenceNode):
        return list(enumerate(node.value))
    if isinstance(node, MappingNode):
        children: list[tuple[str | int | None, Node]] = []
        for key, value in node.value:
            children.append((None, key))
            children.append((key.value if isinstance(key, ScalarNode) else "?", value))
        return children
    return []


def _recursive(node: Node, path: Loc) -> Problem:
    return Problem(
        format_path(path),
        f"line {node.start_mark.line + 1}: an alias refers to the value that contains it "
        "(a recursive alias); YAML data here cannot contain itself",
    )


def _duplicate_keys(node: MappingNode, path: Loc, loader: Any) -> list[tuple[int, Problem]]:
    """Keys written twice in one mapping (merged keys `<<` may be overridden: not counted).
    Text keys compare as written; others (`1`, `0x1`, `1.0`) as the values they stand for."""
    first: dict[Any, Node] = {}
    problems = []
    for key_node, _ in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
            continue
        key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node, deep=True)
        earlier = first.setdefault(key, key_node)
        if earlier is key_node:
            continue
        a, b = earlier.start_mark, key_node.start_mark
        lines = (
            f"lines {a.line + 1} and {b.line + 1}"
            if a.line != b.line
            else f"line {a.line + 1}, columns {a.column + 1} and {b.column + 1}"
        )
        loc = (*path, key_node.value)
        message = f"the key is written twice ({lines}); YAML would keep only the last: write it once"
        problems.append((b.line, Problem(format_path(loc), message, loc)))
    return problems

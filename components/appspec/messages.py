"""What a user reads for each kind of validation error: what is expected where, in words,
with an example taken from the models themselves; never a class name or pydantic's jargon.

Examples come from `Field(examples=[...])`, the `examples` of a type's JSON Schema, or a
model's `model_config["json_schema_extra"]["examples"]`, so the editor's schema and the
error messages show the same ones. A model may set `shape` to describe itself."""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, SecretStr, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .quoting import shown
from .text import TextForm

_COMPARISONS = {
    "greater_than": ("gt", "greater than"),
    "greater_than_equal": ("ge", "greater than or equal to"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "less than or equal to"),
}
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_./@+~*-][A-Za-z0-9_./:@+~*= -]*")
_RESOLVER = Resolver()


def message_for(err: ErrorDetails, schema: Any, loc: tuple[int | str, ...]) -> str:
    """The message for one of pydantic's errors on input validated against `schema`."""
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or "is not valid")
    if kind == "extra_forbidden":
        allowed = fields_at(schema, loc[:-1])
        return "unknown field" + (f"; allowed: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        example = expected_at(schema, loc)[1]
        hint = f"; e.g. {loc[-1]}: {flow(example)}" if example is not None and loc else ""
        return f"required field is missing{hint}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')} (got {got(given)})"
    if kind in _COMPARISONS:
        key, words = _COMPARISONS[kind]
        return f"must be {words} {ctx.get(key)} (got {got(given)})"
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length" if kind == "too_short" else "max_length", 1)
        entries = "entry" if limit == 1 else "entries"
        least_or_most = "at least" if kind == "too_short" else "at most"
        actual = f" (got {ctx['actual_length']})" if "actual_length" in ctx and kind == "too_long" else ""
        return f"must have {least_or_most} {limit} {entries}{actual}"
    if kind == "string_too_short":
        limit = ctx.get("min_length", 1)
        return "must not be empty" if limit == 1 else f"must be at least {limit} characters"
    if kind == "string_too_long":
        length = f" (got {len(given)})" if isinstance(given, str) else ""
        return f"must be at most {ctx.get('max_length')} characters{length}"
    if kind == "invalid_key":
        return f"keys must be text (got {got(given)})"
    if kind == "recursion_loop":
        return "is nested too deeply or refers to itself"
    what, example = expected_at(schema, loc)
    for_example = f", e.g. {flow(example)}" if example is not None else ""
    return f"expected {what}{for_example} (got {got(given)})"


def got(value: object) -> str:
    """What the user gave, as a message names it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return shown(value)


def flow(value: object) -> str:
    """`value` as YAML flow text: {name: http, port: 8080}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, str):
        plain = _PLAIN_TEXT.fullmatch(value) and ": " not in value and _reads_as_text(value)
        return value if plain else json.dumps(value)
    return str(value)


def _reads_as_text(value: str) -> bool:
    """Whether YAML reads `value`, written plain, as text (not a number, date, boolean)."""
    resolve: Any = _RESOLVER.resolve  # untyped in PyYAML's stubs
    return bool(resolve(ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _strip(tp: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """`tp` without `Annotated` and `| None`; the metadata found on the way, outermost first."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp, *more = typing.get_args(tp)
            metadata = [*metadata, *more]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(options) != 1:
                return tp, metadata
            tp = options[0]
        else:
            return tp, metadata


def _example(tp: Any, metadata: list[Any]) -> Any:
    for item in metadata:
        if isinstance(item, TextForm):
            return item.example
        if isinstance(item, FieldInfo) and item.examples:
            return item.examples[0]
        if isinstance(item, WithJsonSchema) and isinstance(item.json_schema, Mapping):
            examples = item.json_schema.get("examples")
            if examples:
                return examples[0]
    if _is_model(tp):
        extra = tp.model_config.get("json_schema_extra")
        if isinstance(extra, Mapping) and extra.get("examples"):
            return extra["examples"][0]
    return None


def _part_of_example(example: Any, part: int | str) -> Any:
    """The example one level down: an item of a list example, a value of a mapping example."""
    if isinstance(example, list) and example:
        return example[0]
    if isinstance(example, dict) and example:
        return next(iter(example)) if part == "[key]" else next(iter(example.values()))
    return None


def _resolve(schema: Any, loc: tuple[int | str, ...]) -> tuple[Any, list[Any], Any]:
    """The type expected at `loc` under `schema`, its metadata and the nearest example."""
    tp, metadata = _strip(schema, [])
    example = _example(tp, metadata)
    for i, part in enumerate(loc):
        if part == "[key]":
            continue  # handled with the key before it
        if _is_model(tp):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                continue  # a step pydantic adds (a union member's tag): not a level of the data
            tp, metadata = _strip(field.annotation, [field, *field.metadata])
            example = _example(tp, metadata)
        elif typing.get_origin(tp) in (list, dict):
            args = typing.get_args(tp)
            of_key = i + 1 < len(loc) and loc[i + 1] == "[key]"
            inner = args[0] if typing.get_origin(tp) is list or of_key else args[-1]
            parent_example = _part_of_example(example, "[key]" if of_key else part)
            tp, metadata = _strip(inner, [])
            example = _example(tp, metadata)
            if example is None:
                example = parent_example
        else:
            continue
    return tp, metadata, example


def expected_at(schema: Any, loc: tuple[int | str, ...]) -> tuple[str, Any]:
    """What is expected at `loc` in words, and an example (None when there is none)."""
    tp, metadata, example = _resolve(schema, loc)
    return describe(tp, metadata), example


def describe(tp: Any, metadata: list[Any] | None = None) -> str:
    """A type in a user's words: `{name, port[, protocol]}`, `a list`, `a whole number`."""
    for item in metadata or []:
        if isinstance(item, TextForm):
            return _a(item.title)
        if isinstance(item, WithJsonSchema) and isinstance(item.json_schema, Mapping):
            title = item.json_schema.get("title")
            if isinstance(title, str):
                return _a(title)
    if _is_model(tp):
        return shape(tp)
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(flow(v) for v in typing.get_args(tp))
    if origin is list or tp is list:
        return "a list"
    if origin is dict or tp is dict:
        return "a mapping"
    words: dict[Any, str] = {
        str: "text",
        SecretStr: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
    }
    return words.get(tp, "a value of another kind")


def _a(title: str) -> str:
    return f"{'an' if title[:1].lower() in 'aeiou' else 'a'} {title}"


def shape(model: type[BaseModel]) -> str:
    """A model's keys: `{name, port[, protocol, public, host_port]}` (optional in brackets)."""
    custom = getattr(model, "shape", None)
    if isinstance(custom, str):
        return custom
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    optional = [name for name, info in model.model_fields.items() if not info.is_required()]
    if not required:
        return f"a mapping with any of {', '.join(optional)}"
    listed = ", ".join(required)
    if optional:
        listed += f"[, {', '.join(optional)}]"
    return "{" + listed + "}"


def fields_at(schema: Any, loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the model found at `loc` under `schema`, or [] if there is none."""
    tp = _resolve(schema, loc)[0]
    return list(tp.model_fields) if _is_model(tp) else []

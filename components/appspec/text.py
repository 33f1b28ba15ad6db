"""Text that must have a form (names, versions, URIs): checked whole, explained in words.

A form is one regular expression, matched against the whole text (`re.fullmatch`: a
trailing newline is not ignored as `$` would), and published in the JSON Schema as a
pattern that is anchored the same way in editors (ECMA-262) and in Python validators.
Errors say what is allowed and give an example; they never quote the expression.

    ServiceName = Annotated[str, TextForm(r"[a-z]...", title="service name",
                                          rule="use 1-40 lowercase ...", example="web")]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .quoting import shown


def schema_pattern(form: str) -> str:
    """A JSON Schema `pattern` matching exactly the texts `re.fullmatch(form)` matches.

    `$` alone would let `name\\n` through Python's `re.search` (what `jsonschema` runs);
    the final look-ahead refuses any character after the end in every regex dialect."""
    return f"^(?:{form})$(?![\\s\\S])"


@dataclass(frozen=True)
class TextForm:
    """`Annotated[str, TextForm(...)]`: text of at most `max_length` characters matching
    `form` whole. `title` names the thing, `rule` says in words what is allowed, `example`
    is a valid value; `also` is an extra check returning a message, or None when fine;
    `json_type` is what the JSON Schema accepts when a number is turned into text first."""

    form: str
    title: str
    rule: str
    example: str
    max_length: int
    also: Callable[[str], str | None] | None = None
    json_type: str | tuple[str, ...] = "string"
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.form))
        if not self.compiled.fullmatch(self.example):
            raise ValueError(f"the example {self.example!r} of {self.title} does not have its form")

    def check(self, value: str) -> str:
        """`value`, or a ValueError saying what is allowed."""
        if len(value) > self.max_length or not self.compiled.fullmatch(value):
            raise ValueError(f"{shown(value)} is not a valid {self.title}: {self.rule}, e.g. {self.example}")
        problem = self.also(value) if self.also else None
        if problem:
            raise ValueError(f"{shown(value)} {problem}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "type": self.json_type if isinstance(self.json_type, str) else list(self.json_type),
            "title": self.title,
            "description": self.rule,
            "pattern": schema_pattern(self.form),
            "maxLength": self.max_length,
            "examples": [self.example],
        }

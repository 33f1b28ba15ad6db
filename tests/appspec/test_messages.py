"""Every message a user can get from a wrong value, for every field of every model (the
spec, the overrides, each stack-config section): one line, what is expected with an
example, never a class name of ours, pydantic's words or a regular expression. And the
JSON Schema editors validate with accepts and refuses what validation does."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from components.appspec import AppSpec, ServiceOverride, SpecError, parse_spec
from components.appspec.base import SpecModel
from components.appspec.errors import problems_from
from components.appspec.messages import expected_at
from components.appspec.text import TextForm, schema_pattern
from components.settings import CoreSettings, sections
from components.settings_section import SettingsModel
from tests.factory import make_app


def _subclasses(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _models() -> list[type[BaseModel]]:
    """Every model a user's input is validated against, reached from the roots."""
    roots: list[type[BaseModel]] = [AppSpec, ServiceOverride, CoreSettings, *sections().values()]
    found: list[type[BaseModel]] = []
    todo = list(roots)
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.append(model)
        for field in model.model_fields.values():
            todo += [
                t for t in _types_in(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)
            ]
    return sorted(found, key=lambda m: m.__name__)


def _types_in(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in typing.get_args(tp):
        yield from _types_in(arg)


MODELS = _models()
OUR_CLASS_NAMES = sorted({m.__name__ for m in [*_subclasses(SpecModel), *_subclasses(SettingsModel)]})
JARGON = re.compile(
    r"Input should|instance of|valid dictionary|Value error|Assertion failed|String should|List should"
    r"|Dictionary should|after validation|pattern|\[key\]|function-|pydantic|NoneType|<class|Traceback"
    r"|int_max_str_digits|regex|\^|\(\?"
)
WRONG_VALUES: list[Any] = [
    [1],
    {"x": 1},
    "text\n",
    "",
    "x" * 5000,
    12345678901234567890,
    -1,
    0,
    1.5,
    float("nan"),
    True,
    None,
]


def _example(model: type[BaseModel]) -> dict[str, Any]:
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict) and extra.get("examples"), f"{model.__name__} has no example"
    example = extra["examples"][0]
    assert isinstance(example, dict)
    return example


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_valid_example_and_every_field_one_too(model: type[BaseModel]) -> None:
    model.model_validate(_example(model))
    for name in model.model_fields:
        what, example = expected_at(model, (name,))
        assert what and not JARGON.search(what), (name, what)
        assert example is not None, f"{model.__name__}.{name} has no example"


def _messages(model: type[BaseModel], data: dict[str, Any]) -> list[str]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [p.message for p in problems_from(error, model, data=data)]
    return []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_message_names_a_class_or_speaks_pydantic(model: type[BaseModel]) -> None:
    messages: list[str] = []
    for name in model.model_fields:
        for wrong in WRONG_VALUES:
            messages += _messages(model, {**_example(model), name: wrong})
    messages += _messages(model, {**_example(model), "unknown_field": 1})
    messages += _messages(model, {**_example(model), 7: 1})
    assert messages
    for message in messages:
        assert len(message.splitlines()) == 1, message
        assert not JARGON.search(message), message
        assert not any(re.search(rf"\b{name}\b", message) for name in OUR_CLASS_NAMES), message


def test_a_wrong_kind_of_value_anywhere_says_what_is_expected() -> None:
    shapes = [
        m
        for model in MODELS
        for name in model.model_fields
        for m in _messages(model, {**_example(model), name: [[["nested"]]]})
    ]
    assert all(m.startswith(("expected ", "must ", "at most ")) or " is not " in m for m in shapes), shapes


def _text_forms() -> Iterator[tuple[str, TextForm]]:
    for model in MODELS:
        for name, field in model.model_fields.items():
            for tp in _types_in(field.annotation):
                for meta in [*typing.get_args(tp)[1:], *(field.metadata if tp is field.annotation else [])]:
                    if isinstance(meta, TextForm):
                        yield f"{model.__name__}.{name}", meta


TEXT_FORMS = sorted({form.title: (where, form) for where, form in _text_forms()}.values(), key=lambda f: f[0])


@pytest.mark.parametrize(("where", "form"), TEXT_FORMS, ids=[w for w, _ in TEXT_FORMS])
def test_the_schema_pattern_accepts_exactly_what_validation_does(where: str, form: TextForm) -> None:
    pattern = re.compile(schema_pattern(form.form))
    corpus = [form.example, form.example + "\n", "\n" + form.example, form.example + " ", f" {form.example}"]
    corpus += [form.example + "\r\n", form.example.upper(), "", "a", "-", "x" * 300, "/", "1", "a:b"]
    for text in corpus:
        try:
            form.check(text)
            valid = True
        except ValueError:
            valid = False
        in_schema = pattern.search(text) is not None and len(text) <= form.max_length
        assert valid == in_schema, (where, text)
    assert not pattern.search(form.example + "\n"), "a trailing newline must not match"


SCHEMA = {**AppSpec.model_json_schema(), "$schema": "https://json-schema.org/draft/2020-12/schema"}
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@pytest.mark.parametrize(
    "probe",
    [
        {"exec": ["pg_isready", "-U", "postgres"]},
        {"exec": {"command": ["pg_isready"]}},
        {"tcp": {"port": 5432}},
    ],
)
def test_the_schema_accepts_both_forms_of_an_exec_probe(probe: dict[str, Any]) -> None:
    data = make_app(db={"health": probe})
    assert list(VALIDATOR.iter_errors(data)) == []
    parse_spec(data, "app.yaml")


@pytest.mark.parametrize(
    "services",
    [
        {"web\n": {"image": "x:1"}},
        {"web": {"image": "x:1\n"}},
        {"web": {"image": "x:1", "ports": [{"name": "http\n", "port": 80}]}},
        {"web": {"image": "x:1", "ports": [{"name": "80", "port": 80}]}},
        {"web": {"image": "x:1", "env": {"A\n": "x"}}},
        {"web": {"image": "x:1", "depends_on": ["db\n"]}, "db": {"image": "x:1"}},
        {"web": {"image": "x:1", "user": "1000\n"}},
        {"web": {"image": "x:1", "tmpfs": ["/tmp:ro"]}},
        {"web": {"image": "x:1", "health": {"exec": "pg_isready"}}},
        {"web": {"image": "x:1", "ports": [{"name": "p", "port": 1}] * 257}},
    ],
)
def test_the_schema_refuses_what_validation_refuses(services: dict[str, Any]) -> None:
    data = {"app": "shop", "services": services}
    assert list(VALIDATOR.iter_errors(data)), "the editor's schema accepts it"
    with pytest.raises(SpecError):
        parse_spec(data, "app.yaml")


def test_the_shipped_spec_is_valid_under_the_schema() -> None:
    import yaml

    from tests.fuzz.documents import SPEC_FILES

    for path in SPEC_FILES:
        assert list(VALIDATOR.iter_errors(yaml.safe_load(path.read_text()))) == [], path

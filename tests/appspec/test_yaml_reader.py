"""Reading YAML the user wrote: one line per problem, with its line, for everything a safe
loader would crash on or silently get wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components.appspec import SpecError, load_spec, load_yaml, read_yaml, yaml_reader


def problems(document: bytes | str, source: str = "app.yaml") -> list[str]:
    with pytest.raises(SpecError) as caught:
        read_yaml(document, source)
    return caught.value.lines()


def test_plain_data_comes_back() -> None:
    assert read_yaml(b"app: shop\nservices: {web: {image: 'x:1', replicas: 2}}\n", "app.yaml") == {
        "app": "shop",
        "services": {"web": {"image": "x:1", "replicas": 2}},
    }
    assert read_yaml(b"", "app.yaml") is None
    assert read_yaml("\ufeffa: 1\n".encode(), "app.yaml") == {"a": 1}  # a byte order mark is fine


def test_it_parses_with_libyaml_where_pyyaml_has_it() -> None:
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(yaml_reader._Loader, yaml.CSafeLoader)


def test_a_file_that_is_not_utf8_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_bytes(b"app: caf\xe9\nservices: {}\n")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert caught.value.lines() == [
        f"{path}: line 1, column 9: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"
    ]


def test_a_key_written_twice_is_refused_with_both_lines() -> None:
    document = "app: shop\nservices:\n  web:\n    image: a:1\n    ports: []\n    ports: [{name: http, port: 80}]\n  web:\n    image: b:1\n"
    assert problems(document) == [
        "app.yaml: services.web.ports: the key is written twice (lines 5 and 6); YAML would keep only the last: write it once",
        "app.yaml: services.web: the key is written twice (lines 3 and 7); YAML would keep only the last: write it once",
    ]
    assert problems("{a: 1, a: 2}") == [
        "app.yaml: a: the key is written twice (line 1, columns 2 and 8); YAML would keep only the last: write it once"
    ]
    assert problems("1: a\n0x1: b\n") == [
        "app.yaml: 0x1: the key is written twice (lines 1 and 2); YAML would keep only the last: write it once"
    ]


def test_merge_keys_may_be_overridden() -> None:
    document = "base: &base {image: a:1, replicas: 1}\nweb:\n  <<: *base\n  replicas: 3\n"
    assert read_yaml(document, "app.yaml")["web"] == {"image": "a:1", "replicas": 3}


@pytest.mark.parametrize(
    "document",
    [
        "a: " + "[" * 65 + "]" * 65,
        "a: " + "{b: " * 65 + "1" + "}" * 65,
        "".join(" " * i + f"k{i}:\n" for i in range(70)) + " " * 70 + "x\n",
        "[" * 100_000 + "]" * 100_000,  # libyaml's composer would overflow the C stack
        "- " * 70 + "x",
    ],
)
def test_nesting_deeper_than_any_spec_needs_is_refused(document: str) -> None:
    lines = problems(document)
    assert len(lines) == 1 and lines[0].endswith("nested more than 64 levels deep"), lines


def test_nesting_through_aliases_counts_too() -> None:
    levels = ["l0: &l0 [1]"] + [f"l{i}: &l{i} [*l{i - 1}]" for i in range(1, 70)]
    assert problems("\n".join(levels))[0].endswith("nested more than 64 levels deep")


@pytest.mark.parametrize("document", ["a: &d {x: *d}", "a: &d [1, [2, *d]]", "&a [&b [*a, *b]]"])
def test_a_recursive_alias_is_refused(document: str) -> None:
    lines = problems(document)
    assert len(lines) == 1 and "an alias refers to the value that contains it" in lines[0], lines


def test_an_alias_bomb_is_refused_and_ordinary_anchors_are_fine() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    assert problems("\n".join(lines)) == [
        "app.yaml: aliases expand the 100 values written to more than 100000; write the data out or use fewer aliases"
    ]
    shared = "x: &common {image: a:1, env: {A: b}}\n" + "".join(f"s{i}: *common\n" for i in range(200))
    assert len(read_yaml(shared, "app.yaml")) == 201


@pytest.mark.parametrize(
    ("number", "length"), [("9" * 5000, 5000), ("0x" + "f" * 4000, 4002), ("-" + "1" * 1001, 1002)]
)
def test_a_number_too_long_for_any_field_is_refused(number: str, length: int) -> None:
    assert problems(f"replicas: {number}") == [
        f"app.yaml: line 1, column 11: a number of {length} characters; numbers have at most 1000 digits (put it in quotes if it is text)"
    ]
    assert read_yaml(f"token: '{number}'", "app.yaml") == {"token": number}


def test_dates_stay_the_text_they_were_written_as() -> None:
    assert read_yaml("a: 2024-01-01\nb: 2001-12-14t21:59:43.10-05:00\n", "x.yaml") == {
        "a": "2024-01-01",
        "b": "2001-12-14t21:59:43.10-05:00",
    }


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]"])
def test_tags_whose_values_are_not_plain_data_are_refused(tag: str) -> None:
    name = tag.split(maxsplit=1)[0]
    assert problems(f"a: {tag}") == [
        f"app.yaml: line 1, column 4: the tag {name} is not supported here; write plain values (text, numbers, lists, mappings)"
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("a: [1, 2", "app.yaml: line 2, column 1: did not find expected ',' or ']'"),
        (
            "a: 1\n---\nb: 2\n",
            "app.yaml: line 2, column 1: expected a single document in the stream, but found another document",
        ),
        ("a: \x07", "app.yaml: line 1, column 4: the character U+0007 is not allowed in YAML"),
        ("a: *nowhere", "app.yaml: line 1, column 4: found undefined alias"),
        (
            "a: !!python/object/apply:os.system [ls]",
            "app.yaml: line 1, column 4: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
    ],
)
def test_yaml_errors_are_one_line_with_the_place(document: str, expected: str) -> None:
    assert problems(document) == [expected]


def test_a_file_too_large_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (16 * 2**20 + 1))
    with pytest.raises(SpecError) as caught:
        load_yaml(path)
    assert caught.value.lines() == [f"{path}: the file is larger than 16 MiB"]


def test_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_yaml(tmp_path)
    assert caught.value.lines() == [f"{tmp_path}: cannot read the file: Is a directory"]

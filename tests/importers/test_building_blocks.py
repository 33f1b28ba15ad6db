"""The importers' small parts: interpolation, env files, names, references, units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.appspec.units import MAX_DURATION_MS, parse_bytes, parse_duration_ms
from components.importers.dotenv import parse_env_file, resolve_env_lines
from components.importers.interpolate import InterpolationError, interpolate
from components.importers.names import dns_label, secret_label, spec_names
from components.importers.references import hosts_in, ports_named, replace_host
from components.importers.secrets import derived_secret_name
from components.importers.units import (
    compose_bytes,
    compose_duration_ms,
    duration_text,
    quantity_bytes,
    size_text,
)

ENV = {"HOST": "db", "EMPTY": "", "PORT": "5432"}


@pytest.mark.parametrize(
    ("text", "expected", "unset"),
    [
        ("$HOST:$PORT", "db:5432", []),
        ("${HOST}x", "dbx", []),
        ("${MISSING}", "", ["MISSING"]),
        ("${MISSING:-d}", "d", []),
        ("${EMPTY:-d}", "d", []),
        ("${EMPTY-d}", "", []),
        ("${MISSING?needed}", "", ["MISSING"]),
        ("${HOST:?needed}", "db", []),
        ("${HOST:+set}|${MISSING:+set}", "set|", []),
        ("${MISSING:-${ALSO:-${HOST}}}", "db", []),
        ("cost: $5 and $$HOME", "cost: $5 and $HOME", []),
        ("trailing $", "trailing $", []),
    ],
)
def test_interpolation(text: str, expected: str, unset: list[str]) -> None:
    result = interpolate(text, ENV)
    assert (result.text, result.unset) == (expected, unset)


@pytest.mark.parametrize("text", ["${}", "${1X}", "${X/a/b}", "${X"])
def test_bad_interpolation_raises(text: str) -> None:
    with pytest.raises(InterpolationError):
        interpolate(text, ENV)


def test_env_file_format() -> None:
    entries, problems = parse_env_file(
        'A=1\n  B = two words \nC=\'single $X\'\nD="esc \\"q\\" \\t"\nE\n=bad\nF=\'open\n'
    )
    values = resolve_env_lines(entries, lambda t: t.replace("$X", "x"))
    assert values == {"A": "1", "B": "two words", "C": "single $X", "D": 'esc "q" \t', "E": None}
    assert problems == ["line 6: expected VAR=VALUE", "line 7: the value opens with ' but does not close it"]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("web", "web"),
        ("My_API", "my-api"),
        ("db.primary", "db-primary"),
        ("1st", "s-1st"),
        ("__", "s"),
        ("a" * 50, "a" * 40),
    ],
)
def test_dns_labels(name: str, label: str) -> None:
    assert dns_label(name) == label


def test_names_built_to_collide_stay_distinct() -> None:
    names = spec_names(["a_b", "a-b", "x", "x-2", "X", "web", "web-0", "Web-0"])
    assert names == {
        "a_b": "a-b-2",
        "a-b": "a-b",
        "x": "x",
        "x-2": "x-2",
        "X": "x-3",
        "web": "web",
        "web-0": "web-0",
        "Web-0": "web-0-2",
    }
    assert len(set(names.values())) == len(names)


@pytest.mark.parametrize(
    ("service", "var", "secret"),
    [
        ("db", "POSTGRES_PASSWORD", "db-postgres-password"),
        ("wordpress", "WORDPRESS_DB_PASSWORD", "wordpress-db-password"),
        ("api", "API", "api"),
    ],
)
def test_secret_names(service: str, var: str, secret: str) -> None:
    assert derived_secret_name(service, var) == secret
    assert secret_label("Some__Secret!!") == "some-secret"


@pytest.mark.parametrize(
    ("var", "value", "hosts"),
    [
        ("DB_HOST", "db", ["db"]),
        ("MODE", "db", []),
        ("ANY", "db:5432", ["db"]),
        ("ANY", "http://api:8080/v1", ["api"]),
        ("ANY", "redis://:pw@cache:6379/0", ["cache"]),
        ("ANY", "amqp://user:pw@mq", ["mq"]),
        ("KAFKA_BROKERS", "k1:9092,k2:9092", ["k1", "k2"]),
        ("ANY", "http://[::1]:80/", []),
        ("ANY", "just text", []),
    ],
)
def test_hosts_in_values(var: str, value: str, hosts: list[str]) -> None:
    assert hosts_in(var, value) == hosts


def test_ports_named_and_host_replaced_only_where_it_is_a_host() -> None:
    assert ports_named("URL", "postgres://my_db:5433/my_db", ["my_db"]) == [("my_db", 5433)]
    assert (
        replace_host("URL", "postgres://u:p@my_db:5433/my_db", "my_db", "my-db")
        == "postgres://u:p@my-db:5433/my_db"
    )
    assert replace_host("DB_HOST", "my_db", "my_db", "my-db") == "my-db"
    assert replace_host("PEERS", "my_db:1, other:2", "my_db", "my-db") == "my-db:1, other:2"


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("512m", 512 * 2**20),
        ("1gb", 2**30),
        ("2048k", 2**21),
        ("300", 300),
        (1024, 1024),
        ("1.5g", 3 * 2**29),
    ],
)
def test_compose_bytes_are_binary(value: object, size: int) -> None:
    assert compose_bytes(value) == size


@pytest.mark.parametrize(
    ("value", "size"),
    [("128M", 128 * 10**6), ("1Gi", 2**30), ("1.5Gi", 3 * 2**29), ("500k", 500_000), ("1K", 1000)],
)
def test_kubernetes_quantities(value: str, size: int) -> None:
    assert quantity_bytes(value) == size


@pytest.mark.parametrize(
    ("value", "ms"), [("1m30s", 90_000), ("500ms", 500), ("10us", 1), ("1h", 3_600_000), ("2.5s", 2500)]
)
def test_compose_durations(value: str, ms: int) -> None:
    assert compose_duration_ms(value) == ms


@given(st.integers(min_value=1, max_value=MAX_DURATION_MS))
def test_written_durations_read_back_the_same(ms: int) -> None:
    assert parse_duration_ms(duration_text(ms)) == ms


@given(st.integers(min_value=1, max_value=2**50))
def test_written_sizes_read_back_the_same(size: int) -> None:
    assert parse_bytes(size_text(size)) == size

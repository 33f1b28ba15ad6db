"""Unit parsing and the conversions targets use."""

from __future__ import annotations

import pytest

from components.appspec.units import (
    cpus_text,
    format_bytes,
    go_duration,
    mib_ceil,
    parse_bytes,
    parse_duration_ms,
    parse_millicpus,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("256Mi", 256 * 2**20),
        ("1Gi", 2**30),
        ("500M", 500_000_000),
        ("1.5Gi", 1536 * 2**20),
        (1024, 1024),
        ("64k", 64_000),
    ],
)
def test_bytes(text: object, expected: int) -> None:
    assert parse_bytes(text) == expected


@pytest.mark.parametrize("bad", ["256MB", "", "-1Gi", True, "1 Gi x", None])
def test_bad_bytes(bad: object) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_bytes(bad)


@pytest.mark.parametrize(("text", "expected"), [(0.5, 500), ("500m", 500), (2, 2000), ("0.25", 250)])
def test_cpus(text: object, expected: int) -> None:
    assert parse_millicpus(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10s", 10_000), ("1m30s", 90_000), ("500ms", 500), (3, 3000), ("1h", 3_600_000)],
)
def test_durations(text: object, expected: int) -> None:
    assert parse_duration_ms(text) == expected


def test_conversions_for_targets() -> None:
    assert mib_ceil(256 * 2**20) == 256
    assert mib_ceil(500_000_000) == 477  # decimal megabytes round up to whole MiB
    assert cpus_text(500) == "0.5" and cpus_text(2000) == "2" and cpus_text(1250) == "1.25"
    assert go_duration(90_000) == "90s" and go_duration(1500) == "1500ms"
    assert format_bytes(10 * 2**30) == "10Gi" and format_bytes(1000) == "1000"


@pytest.mark.parametrize(
    ("parse", "value", "message"),
    [
        (parse_bytes, "9" * 400 + "Mi", "must be at most 1Pi"),
        (parse_bytes, "2Pi", "must be at most 1Pi (got '2Pi')"),
        (parse_bytes, 1.0e308, "must be at most 1Pi (got 1e+308)"),
        (parse_bytes, 10**300, "must be at most 1Pi (got a number of about 300 digits)"),
        (parse_bytes, float("inf"), "inf is not a size; use e.g. 256Mi or 1Gi"),
        (parse_bytes, -5, "-5 is not a size; use e.g. 256Mi or 1Gi"),
        (parse_millicpus, 1.0e308, "must be at most 1024 CPUs (got 1e+308)"),
        (parse_millicpus, "9" * 4000 + "m", "must be at most 1024 CPUs"),
        (parse_millicpus, 1025, "must be at most 1024 CPUs (got 1025)"),
        (parse_millicpus, float("nan"), "nan is not a CPU amount; use e.g. 0.5 or 500m"),
        (parse_millicpus, -1, "-1 is not a CPU amount; use e.g. 0.5 or 500m"),
        (parse_duration_ms, 1.0e308, "must be at most 24h (got 1e+308)"),
        (parse_duration_ms, "9" * 30 + "h", "must be at most 24h"),
        (parse_duration_ms, "24h1ms", "must be at most 24h (got '24h1ms')"),
        (parse_duration_ms, "1" * 10_000 + "s", "is not a duration; use e.g. 10s, 500ms or 1m30s"),
        (parse_duration_ms, -1, "-1 is not a duration; use e.g. 10s, 500ms or 1m30s"),
    ],
)
def test_every_amount_is_bounded_before_it_is_converted(parse: object, value: object, message: str) -> None:
    assert callable(parse)
    with pytest.raises(ValueError) as caught:
        parse(value)
    assert message in str(caught.value) and len(str(caught.value)) < 200


def test_the_largest_amounts_are_allowed_and_exact() -> None:
    assert parse_bytes("1Pi") == 2**50 and parse_bytes(2**50) == 2**50
    assert parse_millicpus(1024) == 1_024_000 and parse_millicpus("1024000m") == 1_024_000
    assert parse_duration_ms("24h") == parse_duration_ms(86400) == 86_400_000
    # Decimal, not float: 0.57 CPUs is 570m, not 571m (0.57 * 1000 == 570.0000000000001).
    assert parse_millicpus(0.57) == 570 and parse_millicpus("0.57") == 570
    assert parse_bytes("0.1Ki") == 103 and parse_duration_ms(0.0015) == 2  # rounded up


def test_durations_print_as_users_write_them() -> None:
    from components.appspec.units import format_duration

    assert [format_duration(ms) for ms in (0, 500, 1000, 90_000, 3_600_000, 86_400_000, 3_723_004)] == [
        "0s", "500ms", "1s", "1m30s", "1h", "24h", "1h2m3s4ms"
    ]  # fmt: skip

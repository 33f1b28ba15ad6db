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

"""Units parsed once, at the spec's edge: memory and disk sizes, CPU shares, durations.

Each parser takes what a user writes in YAML and returns one canonical number
(bytes, milli-CPUs, milliseconds). Targets convert from these with the helpers
below, so no target ever parses a unit string itself.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_DECIMAL = {"k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)")
_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
MIB = 2**20


def parse_bytes(value: object) -> int:
    """`256Mi`, `1Gi`, `500M` or a plain number of bytes -> bytes."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a size; use e.g. 256Mi or 1Gi")
    if isinstance(value, int):
        return value
    match = _QUANTITY.match(str(value).strip()) if isinstance(value, str | float) else None
    if not match:
        raise ValueError(f"{value!r} is not a size; use e.g. 256Mi or 1Gi")
    number, suffix = match.groups()
    scale = _BINARY.get(suffix or "") or _DECIMAL.get(suffix or "") or 1
    return math.ceil(float(number) * scale)


def parse_millicpus(value: object) -> int:
    """`0.5`, `2` or `500m` -> milli-CPUs."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a CPU amount; use e.g. 0.5 or 500m")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a CPU amount; use e.g. 0.5 or 500m")
        return math.ceil(value * 1000)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]+m", text):
            return int(text[:-1])
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
            return math.ceil(float(text) * 1000)
    raise ValueError(f"{value!r} is not a CPU amount; use e.g. 0.5 or 500m")


def parse_duration_ms(value: object) -> int:
    """`10s`, `1m30s`, `500ms`, or a number of seconds -> milliseconds."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; use e.g. 10s, 500ms or 1m30s")
    if isinstance(value, int | float) and math.isfinite(value) and value >= 0:
        return math.ceil(value * 1000)
    if isinstance(value, str):
        text = value.strip()
        parts = _DURATION_PART.findall(text)
        if parts and "".join(n + u for n, u in parts) == text:
            return math.ceil(sum(float(n) * _DURATION_MS[u] for n, u in parts))
    raise ValueError(f"{value!r} is not a duration; use e.g. 10s, 500ms or 1m30s")


def at_least(minimum: int) -> AfterValidator:
    """A size check whose message speaks in the user's units."""

    def check(size: int) -> int:
        if size < minimum:
            raise ValueError(f"must be at least {format_bytes(minimum)} (got {format_bytes(size)})")
        return size

    return AfterValidator(check)


def mib_ceil(size_bytes: int) -> int:
    """Bytes -> whole MiB, rounded up (Docker's `memory`, libvirt's memory in MiB)."""
    return math.ceil(size_bytes / MIB)


def cpus_text(millicpus: int) -> str:
    """Milli-CPUs -> Docker's `cpus` string: 500 -> "0.5", 2000 -> "2"."""
    whole, rest = divmod(millicpus, 1000)
    return str(whole) if rest == 0 else f"{whole}.{rest:03d}".rstrip("0")


def go_duration(ms: int) -> str:
    """Milliseconds -> a Go duration string as Docker wants it: 10000 -> "10s"."""
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


def format_bytes(size_bytes: int) -> str:
    """Bytes -> the shortest exact binary quantity: 268435456 -> "256Mi"."""
    for suffix in ("Ti", "Gi", "Mi", "Ki"):
        if size_bytes % _BINARY[suffix] == 0 and size_bytes >= _BINARY[suffix]:
            return f"{size_bytes // _BINARY[suffix]}{suffix}"
    return str(size_bytes)


def _schema(description: str, examples: list[object]) -> WithJsonSchema:
    return WithJsonSchema({"type": ["string", "number"], "description": description, "examples": examples})


Bytes = Annotated[
    int,
    BeforeValidator(parse_bytes),
    _schema("a size: 256Mi, 1Gi (binary), 500M (decimal) or bytes", ["256Mi", "1Gi"]),
]
MilliCpus = Annotated[
    int,
    BeforeValidator(parse_millicpus),
    _schema("CPUs: 0.5, 2 or 500m", [0.5, "500m"]),
]
DurationMs = Annotated[
    int,
    BeforeValidator(parse_duration_ms),
    _schema("a duration: 10s, 500ms, 1m30s, or seconds", ["10s", "1m30s"]),
]

"""Units parsed once, at the spec's edge: memory and disk sizes, CPU shares, durations.

Each parser takes what a user writes in YAML and returns one canonical number
(bytes, milli-CPUs, milliseconds). Targets convert from these with the helpers
below, so no target ever parses a unit string itself. Every amount is bounded
before it is converted, and exactly (decimal arithmetic, no float rounding), so
an absurd number is a message in the user's units, never an overflow.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from .quoting import shown

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}
_DECIMAL = {"k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15}
_QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?")
_CPUS = re.compile(r"([0-9]+(?:\.[0-9]+)?)(m?)")
_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:ms|h|m|s))+")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)")
_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
_LONGEST_UNIT_TEXT = 4096  # longer text is no size, CPU amount or duration (and is not scanned)

MIB = 2**20
MAX_BYTES = 2**50  # 1Pi
MAX_MILLICPUS = 1024 * 1000  # 1024 CPUs
MAX_DURATION_MS = 24 * _DURATION_MS["h"]  # a day

SIZE_HINT = "use e.g. 256Mi or 1Gi"
CPU_HINT = "use e.g. 0.5 or 500m"
DURATION_HINT = "use e.g. 10s, 500ms or 1m30s"


def _exact(number: str, limit: int) -> Decimal:
    """A decimal number as written; just above `limit` when its digits alone exceed it (a
    number of thousands of digits is never computed with)."""
    whole, _, fraction = number.partition(".")
    if len(whole.lstrip("0")) > len(str(limit)):
        return Decimal(limit + 1)
    return Decimal(f"{whole}.{fraction[:30] or '0'}")


def _bytes_text(text: str) -> Decimal | None:
    match = _QUANTITY.fullmatch(text)
    if not match:
        return None
    number, suffix = match.groups()
    return _exact(number, MAX_BYTES) * (_BINARY.get(suffix or "") or _DECIMAL.get(suffix or "") or 1)


def _millicpus_text(text: str) -> Decimal | None:
    match = _CPUS.fullmatch(text)
    if not match:
        return None
    number, milli = match.groups()
    return _exact(number, MAX_MILLICPUS) * (1 if milli else 1000)


def _duration_text(text: str) -> Decimal | None:
    if not _DURATION.fullmatch(text):
        return None
    parts = _DURATION_PART.findall(text)
    return sum((_exact(number, MAX_DURATION_MS) * _DURATION_MS[unit] for number, unit in parts), Decimal(0))


def at_least(minimum: int) -> AfterValidator:
    """A size check whose message speaks in the user's units."""

    def check(size: int) -> int:
        if size < minimum:
            raise ValueError(f"must be at least {format_bytes(minimum)} (got {format_bytes(size)})")
        return size

    return AfterValidator(check)


def cpus_at_least(minimum: int) -> AfterValidator:
    """A CPU check in CPUs, as the user writes them: 1 -> `at least 0.001 (1m)`."""

    def check(millicpus: int) -> int:
        if millicpus < minimum:
            raise ValueError(
                f"must be at least {cpus_text(minimum)} ({minimum}m) (got {cpus_text(millicpus)})"
            )
        return millicpus

    return AfterValidator(check)


def durations_between(minimum: int, maximum: int = MAX_DURATION_MS) -> AfterValidator:
    """A duration check in durations, as the user writes them: `at least 1m (got 30s)`."""

    def check(ms: int) -> int:
        if ms < minimum:
            raise ValueError(f"must be at least {format_duration(minimum)} (got {format_duration(ms)})")
        if ms > maximum:
            raise ValueError(f"must be at most {format_duration(maximum)} (got {format_duration(ms)})")
        return ms

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


def format_duration(ms: int) -> str:
    """Milliseconds -> the way a user writes it: 90000 -> "1m30s", 500 -> "500ms"."""
    parts = []
    for unit in ("h", "m", "s", "ms"):
        count, ms = divmod(ms, _DURATION_MS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def format_bytes(size_bytes: int) -> str:
    """Bytes -> the shortest exact binary quantity: 268435456 -> "256Mi"."""
    for suffix in ("Pi", "Ti", "Gi", "Mi", "Ki"):
        if size_bytes % _BINARY[suffix] == 0 and size_bytes >= _BINARY[suffix]:
            return f"{size_bytes // _BINARY[suffix]}{suffix}"
    return str(size_bytes)


@dataclass(frozen=True)
class _Unit:
    """One kind of amount: what it is called, how text and plain numbers read, its bound."""

    what: str  # "a size"
    hint: str  # "use e.g. 256Mi or 1Gi"
    limit: int  # in the canonical unit
    limit_text: str  # the limit as users write it: "1Pi"
    per_number: int  # a plain YAML number counts this many canonical units
    from_text: Callable[[str], Decimal | None]  # None: not this unit

    def parse(self, value: object) -> int:
        """Booleans, NaN, infinities and negatives refused; the bound checked before the
        exact amount is rounded up to a whole canonical unit."""
        amount: Decimal | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, int) or math.isfinite(value):
                number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
                amount = number * self.per_number if number >= 0 else None
        elif isinstance(value, str) and len(value) <= _LONGEST_UNIT_TEXT:
            amount = self.from_text(value.strip())
        if amount is None:
            raise ValueError(f"{shown(value)} is not {self.what}; {self.hint}")
        if amount > self.limit:
            raise ValueError(f"must be at most {self.limit_text} (got {shown(value)})")
        return int(amount.to_integral_value(rounding=ROUND_CEILING))


_SIZE = _Unit("a size", SIZE_HINT, MAX_BYTES, format_bytes(MAX_BYTES), 1, _bytes_text)
_CPU = _Unit("a CPU amount", CPU_HINT, MAX_MILLICPUS, f"{MAX_MILLICPUS // 1000} CPUs", 1000, _millicpus_text)
_DURATION_UNIT = _Unit(
    "a duration", DURATION_HINT, MAX_DURATION_MS, format_duration(MAX_DURATION_MS), 1000, _duration_text
)


def parse_bytes(value: object) -> int:
    """`256Mi`, `1Gi`, `500M` or a plain number of bytes -> bytes, at most 1Pi."""
    return _SIZE.parse(value)


def parse_millicpus(value: object) -> int:
    """`0.5`, `2` or `500m` -> milli-CPUs, at most 1024 CPUs."""
    return _CPU.parse(value)


def parse_duration_ms(value: object) -> int:
    """`10s`, `1m30s`, `500ms`, or a number of seconds -> milliseconds, at most a day."""
    return _DURATION_UNIT.parse(value)


def _schema(description: str, examples: list[object]) -> WithJsonSchema:
    return WithJsonSchema({"type": ["string", "number"], "description": description, "examples": examples})


Bytes = Annotated[
    int,
    BeforeValidator(parse_bytes),
    _schema("a size: 256Mi, 1Gi (binary), 500M (decimal) or bytes; at most 1Pi", ["256Mi", "1Gi"]),
]
MilliCpus = Annotated[
    int,
    BeforeValidator(parse_millicpus),
    _schema("CPUs: 0.5, 2 or 500m; at most 1024", [0.5, "500m"]),
]
DurationMs = Annotated[
    int,
    BeforeValidator(parse_duration_ms),
    _schema("a duration: 10s, 500ms, 1m30s, or seconds; at most 24h", ["10s", "1m30s"]),
]

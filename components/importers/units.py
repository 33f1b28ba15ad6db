"""Other tools' units, turned into the spec's: Compose byte values and durations, Kubernetes
quantities (Score). Each parser raises ValueError with a message that says what is allowed."""

from __future__ import annotations

import math
import re

from ..appspec.units import format_bytes, go_duration

_COMPOSE_BYTES = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(b|k|kb|m|mb|g|gb|t|tb)?$", re.IGNORECASE)
_COMPOSE_SCALE = {"b": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(us|µs|ms|ns|h|m|s)")
_DURATION_NS = {"ns": 1, "us": 1000, "µs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$")
_QUANTITY_SCALE = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_QUANTITY_SCALE |= {"k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}


def compose_bytes(value: object) -> int:
    """A Compose byte value (`512m`, `1gb`, `2048k`, or a number of bytes) -> bytes.

    Compose's units are binary, as Docker's: `512m` is 512 MiB."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a byte value; use e.g. 512m or 1g")
    if isinstance(value, int | float) and math.isfinite(value) and value >= 0:
        return math.ceil(value)
    match = _COMPOSE_BYTES.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a byte value; use e.g. 512m or 1g")
    number, unit = match.groups()
    return math.ceil(float(number) * _COMPOSE_SCALE[(unit or "b")[0].lower()])


def compose_duration_ms(value: object) -> int:
    """A Compose duration (`1m30s`, `500ms`, `10us`) -> milliseconds, rounded up."""
    if isinstance(value, str):
        text = value.strip()
        parts = _DURATION_PART.findall(text)
        if parts and "".join(n + u for n, u in parts) == text:
            nanos = sum(float(n) * _DURATION_NS[u] for n, u in parts)
            return math.ceil(nanos / 10**6)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return math.ceil(value / 10**6)  # a bare number is nanoseconds, as in Docker's API
    raise ValueError(f"{value!r} is not a duration; use e.g. 10s, 1m30s or 500ms")


def quantity_bytes(value: object) -> int:
    """A Kubernetes memory quantity (`128M` decimal, `1Gi` binary, `1.5Gi`) -> bytes."""
    match = _QUANTITY.match(str(value).strip()) if isinstance(value, str | int) else None
    if isinstance(value, bool) or not match:
        raise ValueError(f"{value!r} is not a memory quantity; use e.g. 256Mi, 1Gi or 500M")
    number, unit = match.groups()
    return math.ceil(float(number) * _QUANTITY_SCALE.get(unit or "", 1))


def size_text(size_bytes: int) -> str:
    """Bytes as the spec writes them, the shortest exact way: `256Mi`, `128M`, or bytes."""
    candidates = [format_bytes(size_bytes)]
    for suffix, scale in (("T", 10**12), ("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if size_bytes >= scale and size_bytes % scale == 0:
            candidates.append(f"{size_bytes // scale}{suffix}")
            break
    return min(candidates, key=len)


def duration_text(ms: int) -> str:
    """Milliseconds as the spec writes them: `1m30s`, `10s`, `500ms`."""
    if ms % 1000:
        return go_duration(ms)
    minutes, seconds = divmod(ms // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{seconds}s" if seconds or not text else "")


def cpus_value(value: object) -> float | str:
    """Compose `cpus` (`0.5`, `"2"`) or a Kubernetes cpu (`125m`, `"0.24"`) as the spec writes it."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a CPU amount; use e.g. 0.5 or 500m")
    if isinstance(value, int | float) and math.isfinite(value) and value > 0:
        return float(value) if not float(value).is_integer() else int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]+m", text) and int(text[:-1]) > 0:
            return text
        if re.fullmatch(r"[0-9]*\.?[0-9]+", text) and float(text) > 0:
            number = float(text)
            return int(number) if number.is_integer() else number
    raise ValueError(f"{value!r} is not a CPU amount; use e.g. 0.5 or 500m")

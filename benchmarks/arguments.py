"""Command-line arguments and JSON output shared by the benchmark commands."""

from __future__ import annotations

import argparse
import math
from typing import Any

from .runner import TARGETS


def sizes(text: str) -> list[int]:
    """`--n`: service counts separated by commas, each at least 2."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: use numbers separated by commas, e.g. 10,100") from None
    if not values or min(values) < 2:
        raise argparse.ArgumentTypeError(f"{text!r}: every N must be at least 2, e.g. 10,100")
    return values


def targets_arg(text: str) -> list[str]:
    """`--targets`: target names separated by commas."""
    values = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [v for v in values if v not in TARGETS]
    if unknown or not values:
        raise argparse.ArgumentTypeError(
            f"{text!r}: targets are {', '.join(TARGETS)}, e.g. docker,kubernetes"
        )
    return values


def jsonable(value: Any) -> Any:
    """`value` with NaN as None, for `json.dumps`."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value

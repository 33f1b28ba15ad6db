"""Score placeholders: `${metadata.name}`, `${resources.db.host}`, `$${...}` for a literal."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_PLACEHOLDER = re.compile(r"\$\$|\$\{([^}]*)\}")


@dataclass
class Substituted:
    """The text with placeholders replaced, and the ones that could not be (with why)."""

    text: str
    unresolved: list[tuple[str, str]] = field(default_factory=list)


def reference_parts(reference: str) -> list[str]:
    """`resources.db.host` -> [resources, db, host]; `\\.` keeps a dot inside a part."""
    return [p.replace("\0", ".") for p in reference.replace("\\.", "\0").split(".")]


def substitute(text: str, resolve: Callable[[list[str]], str | tuple[None, str]]) -> Substituted:
    """Replace each placeholder with `resolve(parts)`; `(None, why)` leaves it unresolved."""
    result = Substituted("")

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        reference = match.group(1)
        value = resolve(reference_parts(reference))
        if isinstance(value, tuple):
            result.unresolved.append((reference, value[1]))
            return match.group(0)
        return value

    result.text = _PLACEHOLDER.sub(replace, text)
    return result

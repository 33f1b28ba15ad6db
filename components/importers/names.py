"""Names the spec accepts, made from names other tools allow (`My_Service`, `db.primary`)."""

from __future__ import annotations

import re

SERVICE_NAME_MAX = 40
SECRET_NAME_MAX = 63
PORT_NAME_MAX = 15


def dns_label(text: str, max_length: int = SERVICE_NAME_MAX, prefix: str = "s") -> str:
    """Lowercase letters, digits and '-', starting with a letter: `My_DB.1` -> `my-db-1`.

    A name that does not start with a letter gets `prefix-` in front (`1st` -> `s-1st`)."""
    label = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not label:
        label = prefix
    elif not label[0].isalpha():
        label = f"{prefix}-{label}"
    return label[:max_length].rstrip("-")


def secret_label(text: str) -> str:
    """A secret name: lowercase letters, digits and '-', up to 63 characters."""
    label = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "secret"
    return label[:SECRET_NAME_MAX].rstrip("-")


class UniqueNames:
    """Hands out distinct names: a second `a-b` (from `a_b`) becomes `a-b-2`."""

    def __init__(self, max_length: int = SERVICE_NAME_MAX) -> None:
        self.max_length = max_length
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        """`wanted` if it is free, else `wanted-2`, `wanted-3`, ... trimmed to fit."""
        name, n = wanted, 1
        while name in self.taken:
            n += 1
            suffix = f"-{n}"
            name = wanted[: self.max_length - len(suffix)].rstrip("-") + suffix
        self.taken.add(name)
        return name


SPEC_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def spec_names(originals: list[str]) -> dict[str, str]:
    """Original name -> spec service name. Names the spec accepts are kept; the others are made
    DNS-safe (`My_API` -> `my-api`), never taking a name another service already has."""
    unique = UniqueNames()
    names: dict[str, str] = {}
    for original in originals:
        if SPEC_NAME.match(original) and len(original) <= SERVICE_NAME_MAX and original not in unique.taken:
            names[original] = unique.claim(original)
    for original in originals:
        if original not in names:
            names[original] = unique.claim(dns_label(original))
    return {o: names[o] for o in originals}

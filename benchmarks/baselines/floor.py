"""The SDK floor: `count` resources of a custom type with one input and no dependencies.

What registering a resource costs the SDK and the mock engine alone; a program making
`count` resources cannot be cheaper, so its growth from 100 to 1000 services is the
growth the project is allowed ("linear")."""

from __future__ import annotations

import pulumi

TYPE = "bench:index:Trivial"


class Trivial(pulumi.CustomResource):
    """A resource with one input, `value`."""

    def __init__(self, name: str, value: int) -> None:
        super().__init__(TYPE, name, {"value": value})


def program(count: int) -> None:
    """Declare `count` trivial resources."""
    for index in range(count):
        Trivial(f"trivial-{index}", index)

"""The base of every spec model: strict, frozen, unknown keys rejected."""

from pydantic import BaseModel, ConfigDict


class SpecModel(BaseModel):
    """Plain validated data; no Pulumi, no I/O."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

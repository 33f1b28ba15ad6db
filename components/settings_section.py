"""The base of every stack-config section (`docker`, `libvirt`, `cluster`, `kubernetes`, ...).

Each target declares the sections it reads in its own `settings.py`; `components.settings`
composes them. A section names its config key and the fields that must be Pulumi secrets.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict


class SettingsModel(BaseModel):
    """Base of settings models: unknown keys rejected, frozen, no type coercion."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SettingsSection(SettingsModel):
    """A top-level section of the stack config: `hybrid-platform:<key>`."""

    key: ClassVar[str]
    secret_fields: ClassVar[tuple[str, ...]] = ()


Section = TypeVar("Section", bound=SettingsSection)

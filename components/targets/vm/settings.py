"""The stack-config sections the `vm` target reads."""

from __future__ import annotations

from ..libvirt.settings import LibvirtSettings

SECTIONS = (LibvirtSettings,)

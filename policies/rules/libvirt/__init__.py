"""libvirt controls: what a domain, a network or the provider may expose of the host."""

from __future__ import annotations

from ...resource_types import LIBVIRT_DOMAIN

DOMAIN = (LIBVIRT_DOMAIN,)

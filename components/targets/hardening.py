"""The hardening Docker and Podman containers share, stated once (each engine's translator
spells it in its own arguments)."""

from __future__ import annotations

TMPFS_OPTIONS = "rw,nosuid,nodev"
DROP_CAPABILITIES = ("ALL",)
NO_NEW_PRIVILEGES = "no-new-privileges"

"""Logical resource names: the only place that decides them.

Physical names are left to Pulumi's auto-naming (logical name plus a random
suffix), so a replacement can be created before the old resource is deleted.
"""

from __future__ import annotations


def replica_name(app: str, service: str, replica: int) -> str:
    """`voting-api-0`: one replica (container, VM)."""
    return f"{app}-{service}-{replica}"


def volume_name(app: str, service: str, volume: str, replica: int) -> str:
    """`voting-db-data-0`: one persistent volume of one replica."""
    return f"{app}-{service}-{volume}-{replica}"


def network_name(app: str, service: str, role: str) -> str:
    """`voting-db-net`, `voting-web-edge`: a network owned by a service."""
    return f"{app}-{service}-{role}"


def image_name(app: str, image: str) -> str:
    """`voting-image-postgres-16.4-alpine`: one pulled image, shared by the app's services."""
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in image.split("@", maxsplit=1)[0])
    return f"{app}-image-{safe}"

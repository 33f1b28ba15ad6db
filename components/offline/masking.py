"""What the offline preview shows of secret values.

A secret the preview has no value for is a placeholder naming it (`offline-secret:<name>`,
see `components.program.offline_secret`): inside any text it is shown as `[secret:<name>]`,
so a document that carries one (a VM's user-data) stays readable. Any other secret value
(a kubeconfig, a CA key, a join token, a real value given as config) is shown as `[secret]`,
whole, and so is every text that holds one of the run's `secret_values`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ..program import OFFLINE_SECRET_PREFIX
from .recorder import MASK, Secret

# Secret names are lowercase DNS labels (components/appspec/names.py).
_PLACEHOLDER = re.compile(re.escape(OFFLINE_SECRET_PREFIX) + r"([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)")


class SecretView:
    """Shows values as the preview prints them: placeholders named, every other secret masked,
    and no text holding one of `secret_values` (the plain values of secret config and the
    secrets the mock providers made up)."""

    def __init__(self, secret_values: Collection[str]) -> None:
        known = sorted({v for v in secret_values if v}, key=len, reverse=True)
        self._secret = re.compile("|".join(map(re.escape, known))) if known else None

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Secret):
            inside, readable = self._inside_secret(value.value)
            return inside if readable else MASK
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, str):
            # Not a secret, yet holding a secret value: a program bug (the policy pack reports
            # it); the preview still never shows the value.
            return _named(self._secret.sub(MASK, value) if self._secret else value)
        return value

    def _inside_secret(self, value: Any) -> tuple[Any, bool]:
        """(what is shown of a secret's content, whether any of it is readable). A text is
        readable only when the secret is one of its placeholders and it holds no secret value."""
        if isinstance(value, Secret):
            return self._inside_secret(value.value)
        if isinstance(value, dict):
            parts = {k: self._inside_secret(v) for k, v in value.items()}
            return {k: v for k, (v, _) in parts.items()}, any(r for _, r in parts.values())
        if isinstance(value, list):
            items = [self._inside_secret(v) for v in value]
            return [v for v, _ in items], any(r for _, r in items)
        if (
            isinstance(value, str)
            and _PLACEHOLDER.search(value)
            and not (self._secret and self._secret.search(value))
        ):
            return _named(value), True
        return MASK, False


def _named(text: str) -> str:
    if OFFLINE_SECRET_PREFIX not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: f"[secret:{m.group(1)}]", text)

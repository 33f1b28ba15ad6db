"""Image references: one fully qualified form for every target."""

from __future__ import annotations

import pytest

from components.images import normalize

DIGEST = "sha256:" + "0" * 64


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("redis:7", "docker.io/library/redis:7"),
        ("redis", "docker.io/library/redis:latest"),
        ("example/api:2.1.0", "docker.io/example/api:2.1.0"),
        ("docker.io/library/redis:7", "docker.io/library/redis:7"),
        ("ghcr.io/acme/api:1", "ghcr.io/acme/api:1"),
        ("localhost/app:dev", "localhost/app:dev"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("registry:5000/team/app:1", "registry:5000/team/app:1"),
        ("quay.io/a/b/c:1.0", "quay.io/a/b/c:1.0"),
        (f"postgres@{DIGEST}", f"docker.io/library/postgres@{DIGEST}"),
        (f"postgres:16@{DIGEST}", f"docker.io/library/postgres:16@{DIGEST}"),
        ("example/a_b:1", "docker.io/example/a_b:1"),
    ],
)
def test_references_are_fully_qualified_as_docker_reads_them(written: str, normalised: str) -> None:
    assert normalize(written) == normalised


def test_normalising_twice_changes_nothing() -> None:
    for reference in ("redis", "example/api:2", f"x@{DIGEST}", "localhost:5000/app"):
        assert normalize(normalize(reference)) == normalize(reference)

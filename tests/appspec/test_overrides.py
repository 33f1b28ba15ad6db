"""Stack overrides of replicas, resources and image."""

from __future__ import annotations

import pytest

from components.appspec import SpecError, apply_overrides, parse_spec
from tests.factory import make_app

SPEC = parse_spec(make_app(api={"resources": {"cpus": 2, "memory": "1Gi"}}), "app.yaml")


def test_overrides_merge_onto_the_spec() -> None:
    merged = apply_overrides(
        SPEC,
        {"api": {"replicas": 4, "resources": {"memory": "2Gi"}, "image": "example/api:2.0.0"}},
        "Pulumi.dev.yaml",
    )
    api = merged.services["api"]
    assert api.replicas == 4
    assert api.image == "example/api:2.0.0"
    assert api.resources.memory == 2 * 2**30
    assert api.resources.cpus == 2000  # not overridden: kept
    assert merged.services["web"] == SPEC.services["web"]
    assert SPEC.services["api"].replicas == 1  # the original is untouched


def test_no_overrides_is_the_spec() -> None:
    assert apply_overrides(SPEC, None, "Pulumi.dev.yaml") is SPEC


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"nope": {"replicas": 1}},
            "Pulumi.dev.yaml: hybrid-platform:overrides.nope: no such service in the spec; services are: api, cache, db, web, worker",
        ),
        (
            {"api": {"replicas": -2}},
            "Pulumi.dev.yaml: hybrid-platform:overrides.api.replicas: must be greater than or equal to 0 (got -2)",
        ),
        (
            {"api": {"ports": []}},
            "Pulumi.dev.yaml: hybrid-platform:overrides.api.ports: unknown field; allowed: replicas, resources, image",
        ),
        (
            {"api": {"resources": {"memory": "lots"}}},
            "Pulumi.dev.yaml: hybrid-platform:overrides.api.resources.memory: 'lots' is not a size; use e.g. 256Mi or 1Gi",
        ),
        (
            {"api": {"image": "UPPER/case"}},
            "Pulumi.dev.yaml: hybrid-platform:overrides.api.image: 'UPPER/case' is not a valid image reference: use [registry/]name[:tag][@sha256:digest] with a lowercase name, e.g. example/app:1.2.0",
        ),
        (
            [1, 2],
            "Pulumi.dev.yaml: hybrid-platform:overrides: must be a mapping of service name to {replicas, resources, image}",
        ),
    ],
)
def test_bad_overrides_name_the_config_key(data: object, expected: str) -> None:
    with pytest.raises(SpecError) as caught:
        apply_overrides(SPEC, data, "Pulumi.dev.yaml", prefix="hybrid-platform:overrides.")
    assert caught.value.lines() == [expected]

"""Property: any YAML-like input yields an AppSpec or a SpecError, never anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.appspec import AppSpec, SpecError, apply_overrides, parse_spec
from tests.factory import make_app

FIELDS = [
    "app",
    "services",
    "image",
    "command",
    "env",
    "secret_env",
    "ports",
    "replicas",
    "resources",
    "health",
    "volumes",
    "tmpfs",
    "depends_on",
    "egress",
    "isolation",
    "user",
    "read_only_root",
    "name",
    "port",
    "protocol",
    "public",
    "host_port",
    "cpus",
    "memory",
    "http",
    "tcp",
    "exec",
    "path",
    "interval",
    "timeout",
    "retries",
    "start_period",
    "size",
    "web",
    "api",
    "db",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["256Mi", "0.5", "10s", "x:1", "/data", "tcp", "vm", "web", "1Gi", "500m"]),
)
yaml_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELDS), st.text(max_size=6), st.integers()),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


def _check(data: Any) -> None:
    try:
        spec = parse_spec(data, "fuzz.yaml")
    except SpecError as error:
        assert error.lines() and all(line.startswith("fuzz.yaml: ") for line in error.lines())
    else:
        assert isinstance(spec, AppSpec)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like)
def test_arbitrary_documents(data: Any) -> None:
    _check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(make_app()["services"])), st.sampled_from(FIELDS), yaml_like)
def test_one_field_of_a_valid_spec_replaced(service: str, field: str, value: Any) -> None:
    data = make_app()
    data["services"][service][field] = value
    _check(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_like)
def test_arbitrary_overrides(data: Any) -> None:
    spec = parse_spec(make_app(), "app.yaml")
    try:
        merged = apply_overrides(spec, data, "Pulumi.dev.yaml")
    except SpecError as error:
        assert error.lines() and all(line.startswith("Pulumi.dev.yaml: ") for line in error.lines())
    else:
        assert isinstance(merged, AppSpec)

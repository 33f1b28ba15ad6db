"""Rules never raise: missing fields, unknown (None) values, wrong types, NaN and infinity,
random shapes. A rule that cannot read a value cannot judge it."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.catalogue import CONTROLS
from policies.engine import evaluate, strictest
from policies.framework import Resource
from tests.policies.fixtures import compliant

TYPES = sorted({t for c in CONTROLS for t in c.resource_types} | {"kubernetes:core/v1:Namespace"})
KEYS = ["labels", "ports", "securityOpts", "capabilities", "spec", "metadata", "networksAdvanced", "graphics",
        "disks", "networkInterfaces", "volumes", "user", "readOnly", "mode", "uri", "host", "description", "envs",
        "restart", "maxRetryCount", "vcpu", "memory", "handler", "xml", "certPath"]  # fmt: skip
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _nulled(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: None for k in value}
    return None


def test_every_rule_on_empty_and_unknown_props() -> None:
    empty = [Resource(t, "r", f"urn:{t}", {}) for t in TYPES]
    evaluate(empty, strictest())
    unknown = [Resource(r.type, r.name, r.urn, _nulled(dict(r.props))) for r in compliant().values()]
    evaluate(unknown, strictest())


def test_restart_policy_never_raises_on_a_retry_count_that_is_no_number() -> None:
    for count in ("abc", float("nan"), float("inf"), -float("inf"), True, [3], {"n": 1}, "3.5"):
        resources = compliant()
        resources["client"].props["maxRetryCount"] = count
        (found,) = [v for v in evaluate(list(resources.values()), {}) if v.policy == "docker-restart-policy"]
        assert "maxRetryCount between 1 and 5" in found.message, count


def test_resource_caps_never_raise_on_sizes_that_are_no_number() -> None:
    resources = compliant()
    resources["domain"].props.update(vcpu=float("nan"), memory=float("inf"))
    assert not [v for v in evaluate(list(resources.values()), {}) if v.policy == "libvirt-resource-caps"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TYPES), st.dictionaries(st.sampled_from(KEYS), values))
def test_random_props_never_crash(kind: str, props: dict[str, Any]) -> None:
    evaluate([Resource(kind, "r", "urn:r", props)], strictest())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(k for k in compliant())), st.sampled_from(KEYS), values)
def test_one_random_field_in_the_compliant_stack_never_crashes(key: str, field: str, value: Any) -> None:
    resources = compliant()
    resources[key].props[field] = value  # type: ignore[index]
    evaluate(list(resources.values()), strictest())

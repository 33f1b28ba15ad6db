"""Rules never crash: missing fields, unknown (None) values, wrong types, random shapes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.catalogue import CONTROLS
from policies.engine import evaluate
from policies.framework import Resource
from tests.policies.fixtures import compliant

TYPES = sorted({t for c in CONTROLS for t in c.resource_types} | {"kubernetes:core/v1:Namespace"})
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
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
    evaluate(empty, {})
    unknown = [Resource(r.type, r.name, r.urn, _nulled(dict(r.props))) for r in compliant().values()]
    evaluate(unknown, {})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(TYPES),
    st.dictionaries(
        st.sampled_from(
            [
                "labels",
                "ports",
                "securityOpts",
                "capabilities",
                "spec",
                "metadata",
                "networksAdvanced",
                "graphics",
                "disks",
                "networkInterfaces",
                "volumes",
                "user",
                "readOnly",
                "mode",
                "uri",
                "description",
                "envs",
                "restart",
            ]
        ),
        values,
    ),
)
def test_random_props_never_crash(kind: str, props: dict[str, Any]) -> None:  # fmt: skip
    evaluate([Resource(kind, "r", "urn:r", props)], {})

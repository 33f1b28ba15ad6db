"""Reading resources the way the engine sends them, without ever raising: a missing,
unknown (None) or wrongly shaped value reads as None, [] or {}."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from components import vocabulary

from .framework import Resource
from .resource_types import DOCKER_CONTAINER, K8S_POD_TEMPLATES, LIBVIRT_DOMAIN


def get(value: Any, *path: str | int) -> Any:
    """`value[path...]`, or None where any step is missing, unknown or of the wrong kind."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
            value = value[step]
        elif isinstance(value, Mapping):
            value = value.get(step)
        else:
            return None
    return value


def unknown(props: Mapping[str, Any], key: str) -> bool:
    """A key that is set but whose value is not known yet (preview)."""
    return key in props and props[key] is None


def as_list(value: Any) -> list[Any]:
    """A list, or [] for anything else (missing, unknown)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> Mapping[str, Any]:
    """A mapping, or {} for anything else."""
    return value if isinstance(value, Mapping) else {}


def text(value: Any) -> str | None:
    """A string, or None for anything else."""
    return value if isinstance(value, str) else None


def of(resources: list[Resource], *types: str) -> list[Resource]:
    """The resources of these types."""
    return [r for r in resources if r.type in types]


def docker_labels(resource: Resource) -> dict[str, str]:
    """Labels of a Docker resource (a list of `{label, value}`)."""
    found = {}
    for item in as_list(resource.props.get("labels")):
        if isinstance(label := get(item, "label"), str):
            found[label] = str(get(item, "value"))
    return found


def domain_labels(resource: Resource) -> dict[str, str]:
    """Labels of a libvirt domain, carried in its description."""
    return vocabulary.description_labels(resource.props.get("description"))


def pod_template(resource: Resource) -> Mapping[str, Any]:
    """The pod (template) of any kind of Kubernetes workload ({} when unknown)."""
    path = K8S_POD_TEMPLATES.get(resource.type, ())
    return as_dict(get(resource.props, *path)) if path else resource.props


def pod_spec(resource: Resource) -> Mapping[str, Any]:
    """The pod spec inside any kind of Kubernetes workload ({} when unknown)."""
    return as_dict(pod_template(resource).get("spec"))


def containers(
    resource: Resource, kinds: tuple[str, ...] = ("initContainers", "containers", "ephemeralContainers")
) -> Iterator[Mapping[str, Any]]:
    """Every container of a workload (by default also init and ephemeral ones)."""
    pod = pod_spec(resource)
    for kind in kinds:
        for container in as_list(pod.get(kind)):
            if isinstance(container, Mapping):
                yield container


def k8s_labels(resource: Resource) -> dict[str, str]:
    """`metadata.labels` of a Kubernetes object, over a workload's pod template labels."""
    template = (
        as_dict(get(pod_template(resource), "metadata", "labels"))
        if resource.type in K8S_POD_TEMPLATES
        else {}
    )
    own = as_dict(get(resource.props, "metadata", "labels"))
    return {str(k): str(v) for k, v in {**template, **own}.items()}


def labels(resource: Resource) -> dict[str, str]:
    """The labels of a resource on any engine."""
    if resource.type.startswith("docker:"):
        return docker_labels(resource)
    if resource.type == LIBVIRT_DOMAIN:
        return domain_labels(resource)
    return k8s_labels(resource)


ENGINE_TARGETS = {DOCKER_CONTAINER: "docker", LIBVIRT_DOMAIN: "vm"} | dict.fromkeys(
    K8S_POD_TEMPLATES, "kubernetes"
)


def placed_on(resource: Resource) -> str | None:
    """The target a workload's service is placed on: its label, else the one its engine
    implies; None for a resource that is no service's workload (a network, a node VM)."""
    found = labels(resource)
    if resource.type not in ENGINE_TARGETS or vocabulary.SERVICE not in found:
        return None
    return found.get(vocabulary.TARGET, ENGINE_TARGETS[resource.type])

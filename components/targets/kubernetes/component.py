"""`KubernetesApp` (the app as workloads, on any cluster provider) and `ExistingClusterApp`
(the `kubernetes` target: an existing cluster reached with the configured kubeconfig)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from ... import naming, vocabulary
from ...appspec import Problem, SpecError
from ...resolve import Endpoint, ResolvedService
from ...settings import PROJECT
from ...wiring.validate import node_addresses
from ..base import Endpoints, TargetApp, TargetInputs, endpoints_of, output_of
from ..declared import gap_labels
from .network_policies import allow_dns, build_service_policy, default_deny
from .pods import SECRET_NAME
from .services import (
    build_endpoint_slice,
    build_peer_service_spec,
    build_public_service_spec,
    build_service_spec,
    node_port_problems,
)
from .settings import KubernetesSettings
from .workloads import build_deployment_spec, build_pdb_spec, build_statefulset_spec

PSS_LEVEL = "restricted"


class KubernetesApp(pulumi.ComponentResource):
    """A namespace enforcing Pod Security Standards `restricted`, a Secret for the app's
    secrets, per service a Deployment (or a StatefulSet when it has volumes), Services,
    a PodDisruptionBudget when replicas > 1, and NetworkPolicies that allow exactly the
    spec's traffic."""

    endpoints: pulumi.Output[Endpoints]

    def __init__(
        self,
        name: str,
        inputs: TargetInputs,
        provider: k8s.Provider,
        pss_version: str,
        nodes: Sequence[str] = (),
        load_balancer_on_nodes: bool = False,
        depends_on: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`nodes`: the node addresses outside clients reach (empty when unknown);
        `load_balancer_on_nodes`: the cluster's load balancer answers on them (k3s ServiceLB)."""
        super().__init__("hybrid:kubernetes:KubernetesApp", name, None, opts)
        app, services, secrets = inputs.app, inputs.services, inputs.secrets
        self._app, self._settings, self._wiring = app, inputs.section(KubernetesSettings), inputs.wiring
        self._inputs, self.ready = inputs, dict[str, list[pulumi.Resource]]()
        self._nodes, self._lb_on_nodes = tuple(nodes), load_balancer_on_nodes
        if self._settings.public_service_type == "NodePort":
            problems = [
                Problem(f"{PROJECT}:kubernetes.public_service_type", message)
                for s in inputs.placed()
                for message in node_port_problems(s, self._settings.node_ports)
            ]
            if problems:
                raise SpecError(f"Pulumi.{pulumi.get_stack()}.yaml", problems)
        self._namespace = self._settings.namespace or app.name
        self._opts = pulumi.ResourceOptions(parent=self, provider=provider, depends_on=list(depends_on))
        version = pss_version
        namespace = k8s.core.v1.Namespace(
            naming.child(name, "namespace"),
            metadata={
                "name": self._namespace,
                "labels": {
                    **app.labels_for_namespace(),
                    **{
                        f"pod-security.kubernetes.io/{mode}": PSS_LEVEL
                        for mode in ("enforce", "audit", "warn")
                    },
                    **{
                        f"pod-security.kubernetes.io/{mode}-version": version
                        for mode in ("enforce", "audit", "warn")
                    },
                },
            },
            opts=self._opts,
        )
        self._opts = pulumi.ResourceOptions.merge(self._opts, pulumi.ResourceOptions(depends_on=[namespace]))
        used = sorted({s for name_ in services for s in app.services[name_].spec.secret_env.values()})
        if used:
            k8s.core.v1.Secret(
                naming.child(name, "secrets"),
                metadata=self._metadata(SECRET_NAME.format(app=app.name), app.labels_for_namespace()),
                type="Opaque",
                string_data={s: secrets[s] for s in used},
                opts=self._opts,
            )
        deny_name, dns_name = naming.NAMESPACE_POLICIES
        self._policy(deny_name, default_deny(), app.labels_for_namespace())
        self._policy(dns_name, allow_dns(), app.labels_for_namespace())
        self._peer_servers()
        for service in services:
            self._service(app.services[service], list(services))
        self.endpoints = output_of(
            {s: endpoints_of(inputs.target, app.services[s], self._public) for s in services}
        )
        self.register_outputs({"endpoints": self.endpoints, "namespace": self._namespace})

    def _metadata(
        self, name: str | None, labels: Mapping[str, str], annotations: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        metadata: dict[str, Any] = {"namespace": self._namespace, "labels": dict(labels)}
        if annotations:
            metadata["annotations"] = dict(annotations)
        if name is not None:
            metadata["name"] = name
        return metadata

    def _policy(self, name: str, spec: dict[str, Any], labels: Mapping[str, str]) -> None:
        k8s.networking.v1.NetworkPolicy(
            naming.child(self._app.name, "netpol", name),
            metadata=self._metadata(name, labels),
            spec=spec,
            opts=self._opts,
        )

    def _service(self, service: ResolvedService, services: list[str]) -> None:
        app, name, labels = self._app, service.name, service.labels
        logical = naming.child(app.name, name)
        discovered = self._inputs.discovered_here(name)
        peers = name in self._wiring.clients and discovered
        # A service moving here gets its selector Service only when its name leads here
        # (`switch`); before that the name is a peer Service to the copy clients still use.
        if (service.spec.ports or service.spec.volumes) and discovered:
            metadata = self._metadata(name, labels)
            if peers:
                ports = vocabulary.join([f"{p.port}/{p.protocol}" for p in service.spec.ports])
                metadata["annotations"] = {vocabulary.PEER_PORTS: ports, **self._gaps(name)}
            k8s.core.v1.Service(
                naming.child(logical, "service"),
                metadata=metadata,
                spec=build_service_spec(service, app.name, peers),
                opts=self._opts,
            )
        public = build_public_service_spec(
            service, app.name, self._settings.public_service_type, self._settings.node_ports
        )
        if public:
            declared = ",".join(f"{p.port}/{p.protocol}" for p in service.spec.public_ports)
            metadata = {
                **self._metadata(naming.public_service(name), labels),
                "annotations": {vocabulary.PUBLIC_PORTS: declared},
            }
            k8s.core.v1.Service(
                naming.child(logical, "public"), metadata=metadata, spec=public, opts=self._opts
            )
        if service.spec.volumes:
            # A fixed name: the claims `<volume>-<name>-<n>` of a StatefulSet follow its name,
            # so the set can be replaced and still find its data.
            protect = app.protect_data
            workload: pulumi.Resource = k8s.apps.v1.StatefulSet(
                naming.child(logical, "statefulset"),
                metadata=self._metadata(name, labels, self._gaps(name)),
                spec=build_statefulset_spec(service, app.name, self._settings, name),
                opts=pulumi.ResourceOptions.merge(
                    self._opts, pulumi.ResourceOptions(protect=protect, retain_on_delete=protect)
                ),
            )
        else:
            workload = k8s.apps.v1.Deployment(
                naming.child(logical, "deployment"),
                metadata=self._metadata(None, labels, self._gaps(name)),  # auto-named: replaced create-first
                spec=build_deployment_spec(service, app.name, self._settings),
                opts=self._opts,
            )
        self.ready[name] = [workload]  # the provider waits for its rollout to be ready
        if service.spec.replicas > 1:
            k8s.policy.v1.PodDisruptionBudget(
                naming.child(logical, "pdb"),
                metadata=self._metadata(name, labels),
                spec=build_pdb_spec(service, app.name),
                opts=self._opts,
            )
        self._policy(name, build_service_policy(app, name, services, self._wiring), labels)

    def _gaps(self, service: str) -> dict[str, str]:
        """Gap annotations (pair lists are not valid label values)."""
        return gap_labels(self._wiring, service)

    def _peer_servers(self) -> None:
        """A selector-less Service and an EndpointSlice per server on another target, so
        its name leads to its addresses in the namespace."""
        peers = {
            p.service: p
            for ps in self._wiring.servers.values()
            for p in ps
            if p.addresses and p.ports and p.discovered
        }
        for server, peer in sorted(peers.items()):
            labels = {
                **self._app.labels_for_namespace(),
                vocabulary.SERVICE: server,
                vocabulary.TARGET: peer.target,
            }
            # the logical name of a local copy's Service: when the copy becomes the one the
            # name leads to (a move's switch), the same Service gains its selector in place
            logical = naming.child(self._app.name, server, "service")
            after = pulumi.ResourceOptions(depends_on=list(self._inputs.after.get(server, ())))
            opts = pulumi.ResourceOptions.merge(self._opts, after)
            k8s.core.v1.Service(
                logical,
                metadata=self._metadata(server, labels),
                spec=build_peer_service_spec(peer),
                opts=opts,
            )
            slice_labels = {**labels, "kubernetes.io/service-name": server}
            endpoints = build_endpoint_slice(peer)
            k8s.discovery.v1.EndpointSlice(
                naming.child(logical, "endpoints"),
                metadata=self._metadata(naming.peer_endpoints(server), slice_labels),
                address_type=endpoints["addressType"],
                endpoints=endpoints["endpoints"],
                ports=endpoints["ports"],
                opts=opts,
            )

    def _public(self, endpoint: Endpoint) -> list[str] | None:
        """A node port, or a load balancer that answers on the nodes, on every node's address;
        otherwise (a load balancer's own address, a port the cluster picks, nodes not known)
        only the cluster knows."""
        if self._settings.public_service_type == "NodePort":
            port = endpoint.host_port if endpoint.host_port in self._settings.node_ports else None
        else:
            port = (endpoint.host_port or endpoint.port) if self._lb_on_nodes else None
        if port is None or not self._nodes:
            return None
        return [f"{node}:{port}" for node in self._nodes]


class ExistingClusterApp(TargetApp):
    """The `kubernetes` target: the app on a cluster that already exists."""

    type_token = "hybrid:kubernetes:ExistingClusterApp"

    def deploy(self, inputs: TargetInputs) -> pulumi.Input[Endpoints]:
        kube = inputs.section(KubernetesSettings)
        provider = k8s.Provider(
            naming.child(inputs.name, "provider"),
            kubeconfig=pulumi.Output.secret(kube.kubeconfig.get_secret_value()) if kube.kubeconfig else None,
            opts=pulumi.ResourceOptions(parent=self),
        )
        workloads = KubernetesApp(
            naming.child(inputs.name, "app"),
            inputs,
            provider,
            pss_version=kube.pss_version,
            nodes=node_addresses(kube),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.ready = workloads.ready
        return workloads.endpoints


TARGET_APP = ExistingClusterApp

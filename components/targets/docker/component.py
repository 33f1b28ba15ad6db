"""`DockerApp`: the services placed on Docker, as networks, volumes and containers."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_docker as docker

from ... import naming, vocabulary
from ...appspec.units import format_bytes
from ...resolve import ResolvedService
from ..base import Endpoints, TargetApp, TargetInputs, endpoints_of
from .capabilities import limitations
from .container import Attachment, Mount, build_container_args
from .networks import NetworkPlan, plan_networks
from .settings import DockerSettings


def _label_args(values: Mapping[str, str], cls: type) -> list[object]:
    return [cls(label=k, value=v) for k, v in values.items()]


class DockerApp(TargetApp):
    """Networks per the traffic rule, one volume per persistent volume per replica,
    and hardened containers, on the Docker host from the `docker` settings."""

    type_token = "hybrid:docker:DockerApp"

    def deploy(self, inputs: TargetInputs) -> pulumi.Input[Endpoints]:
        app = inputs.app
        self._app, self._settings, self._secrets = app, inputs.section(DockerSettings), inputs.secrets
        provider = docker.Provider(
            naming.child(inputs.name, "provider"), host=self._settings.host, opts=self._child()
        )
        self._opts = self._child(provider=provider)
        self._attachments: dict[str, list[Attachment]] = {s: [] for s in inputs.services}
        self._wiring = inputs.wiring
        for plan in plan_networks(app, inputs.services, inputs.wiring):
            network = self._network(plan)
            for member in plan.members:
                is_server = plan.owner == member and plan.role != "edge"
                self._attachments[member].append(Attachment(network.name, (member,) if is_server else ()))
        self._images: dict[str, docker.RemoteImage] = {}
        containers: dict[str, list[docker.Container]] = {}
        for service in inputs.placed():  # start order: dependencies first
            for warning in limitations(service):
                pulumi.log.warn(warning, resource=self)
            after = [c for dep in service.spec.depends_on for c in containers.get(dep, [])]
            containers[service.name] = self._service(service, after)
        bind = self._settings.bind_address
        return {
            s.name: endpoints_of(s, lambda e: [f"{bind}:{e.host_port}"] if e.host_port else None)
            for s in inputs.placed()
        }

    def _child(self, **kwargs: object) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)  # type: ignore[arg-type]

    def _network(self, plan: NetworkPlan) -> docker.Network:
        return docker.Network(
            plan.logical_name(self._app.name),
            driver="bridge",
            internal=plan.internal,
            options=plan.options or None,
            labels=_label_args(
                {**self._app.services[plan.owner].labels, vocabulary.NETWORK_ROLE: plan.role},
                docker.NetworkLabelArgs,
            ),
            opts=self._opts,
        )

    def _image(self, reference: str) -> docker.RemoteImage:
        if reference not in self._images:
            self._images[reference] = docker.RemoteImage(
                naming.image_name(self._app.name, reference),
                name=reference,
                keep_locally=True,
                opts=self._opts,
            )
        return self._images[reference]

    def _service(self, service: ResolvedService, after: list[docker.Container]) -> list[docker.Container]:
        spec, app = service.spec, self._app
        image = self._image(service.image)
        secret_env = [
            pulumi.Output.concat(env, "=", self._secrets[secret]) for env, secret in spec.secret_env.items()
        ]
        containers = []
        for replica in range(spec.replicas):
            mounts = [
                Mount(self._volume(service, v.name, v.size, replica).name, v.path) for v in spec.volumes
            ]
            args = build_container_args(
                service,
                replica,
                image.image_id,
                self._attachments[service.name],
                mounts,
                secret_env,
                self._settings,
                self._wiring,
            )
            # Two writers on one volume, or two binds of one host port, cannot coexist:
            # such replicas are replaced delete-first; all others create-first.
            binds_host_port = any(p.host_port for p in spec.ports) or service.name in self._wiring.exposed_on
            exclusive = bool(spec.volumes) or (replica == 0 and binds_host_port)
            containers.append(
                docker.Container(
                    naming.replica_name(app.name, service.name, replica),
                    args,
                    opts=pulumi.ResourceOptions.merge(
                        self._opts,
                        pulumi.ResourceOptions(depends_on=after, delete_before_replace=exclusive),
                    ),
                )
            )
        return containers

    def _volume(self, service: ResolvedService, volume: str, size: int, replica: int) -> docker.Volume:
        protect = self._app.protect_data
        return docker.Volume(
            naming.volume_name(self._app.name, service.name, volume, replica),
            driver="local",
            labels=_label_args(
                {
                    **service.labels,
                    vocabulary.VOLUME: volume,
                    vocabulary.SIZE: format_bytes(size),
                },
                docker.VolumeLabelArgs,
            ),
            opts=pulumi.ResourceOptions.merge(
                self._opts,
                pulumi.ResourceOptions(
                    protect=protect,
                    retain_on_delete=protect,
                    aliases=[
                        pulumi.Alias(
                            name=naming.legacy_volume_name(self._app.name, service.name, volume, replica)
                        )
                    ],
                ),
            ),
        )


TARGET_APP = DockerApp

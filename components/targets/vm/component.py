"""`VmApp`: the services placed on libvirt, one VM per replica, on the stack's fabric."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import pulumi
import pulumi_libvirt as libvirt

from ... import naming, vocabulary
from ...cloudinit import meta_data
from ...resolve import Endpoint, ResolvedApp, ResolvedService
from ...wiring.plan import Wiring
from ..base import Endpoints, TargetApp, TargetInputs, endpoints_of
from ..declared import gap_labels, workload_facts
from ..libvirt.domain import data_device, mac_address, memory_mib, vcpus
from ..libvirt.fabric import LibvirtFabric, MachineGroup
from ..libvirt.machine import MachineSpec, build_machine, instance_id
from ..libvirt.readiness import MachineReadiness
from ..libvirt.settings import LibvirtSettings
from .capabilities import limitations
from .firewall import plan_firewall
from .podman import readiness_check
from .user_data import GuestService, service_user_data


class VmApp(TargetApp):
    """Per replica (a `VmReplica`): data disks, then a machine with a static address on the
    stack's fabric and a firewall that admits only its clients."""

    type_token = "hybrid:vm:VmApp"

    @classmethod
    def machine_groups(cls, inputs: TargetInputs) -> list[MachineGroup]:
        """One machine group per service: its replicas, answering to the service's name; in
        the order the spec lists the services, which decides collisions of addresses."""
        order = {name: i for i, name in enumerate(inputs.app.declared)}
        return [
            MachineGroup(
                s.name,
                s.spec.replicas,
                partial(naming.replica_dns, s.name, named=inputs.discovered_here(s.name)),
                f"services.{s.name}.replicas",
            )
            for s in sorted(inputs.placed(), key=lambda s: order[s.name])
        ]

    def deploy(self, inputs: TargetInputs) -> pulumi.Input[Endpoints]:
        lv = inputs.section(LibvirtSettings)
        fabric = self.fabric = inputs.libvirt()
        for service in inputs.placed():
            for warning in limitations(service, lv.network.mode, len(fabric.hosts), lv.guest_agent):
                pulumi.log.warn(warning, resource=self)
            previous: list[pulumi.Resource] = []
            for replica in range(service.spec.replicas):
                copy = VmReplica(
                    inputs.app,
                    service,
                    replica,
                    fabric,
                    inputs.secrets,
                    inputs.wiring,
                    after=previous,
                    opts=pulumi.ResourceOptions(
                        parent=self, provider=fabric.host(service.name, replica).provider
                    ),
                )
                # With the guest agent, replica n+1 is created and replaced only after
                # replica n reports healthy: an update takes one replica down at a time.
                previous = [copy.ready] if copy.ready is not None else []
                self.ready.setdefault(service.name, []).append(copy.ready or copy.domain)
        return {s.name: endpoints_of(inputs.target, s, partial(self._public, s)) for s in inputs.placed()}

    def _public(self, service: ResolvedService, endpoint: Endpoint) -> list[str]:
        """A public port answers on every replica's address (no host port on libvirt)."""
        replicas = range(service.spec.replicas)
        return [f"{self.fabric.placement(service.name, r).address}:{endpoint.port}" for r in replicas]


TARGET_APP = VmApp
BOOT_SECONDS = 1200  # first boot: cloud-init, package step, image pull


class VmReplica(pulumi.ComponentResource):
    """One replica's VM: its data disks (kept across replacements) and its machine."""

    def __init__(
        self,
        app: ResolvedApp,
        service: ResolvedService,
        replica: int,
        fabric: LibvirtFabric,
        secrets: Mapping[str, pulumi.Output[str]],
        wiring: Wiring,
        opts: pulumi.ResourceOptions,
        after: Sequence[pulumi.Resource] = (),
    ) -> None:
        name = naming.replica_name(app.name, service.name, replica)
        super().__init__("hybrid:vm:VmReplica", name, None, opts)
        lv, spec, protect = fabric.settings, service.spec, app.protect_data
        data = [
            libvirt.Volume(
                naming.volume_name(app.name, service.name, volume.name, replica),
                pool=lv.pool,
                format="qcow2",
                size=volume.size,
                opts=pulumi.ResourceOptions(
                    parent=self,
                    protect=protect,
                    retain_on_delete=protect,
                    aliases=[
                        pulumi.Alias(
                            name=naming.legacy_volume_name(app.name, service.name, volume.name, replica)
                        )
                    ],
                ),
            )
            for volume in spec.volumes
        ]
        hostname = naming.replica_hostname(service.name, replica)
        placement = fabric.placement(service.name, replica)
        guest = GuestService(
            service=service.name,
            spec=spec,
            image=service.image,
            health=service.health,
            hostname=hostname,
            labels=service.labels,
            firewall=plan_firewall(
                app,
                service.name,
                fabric.addresses,
                placement.subnet.gateway,
                ssh=bool(lv.ssh_authorized_keys),
                wiring=wiring,
            ),
            data_devices=tuple((v.name, data_device(i)) for i, v in enumerate(spec.volumes)),
            ssh_authorized_keys=tuple(lv.ssh_authorized_keys),
        )
        env_secrets = {env: secrets[secret] for env, secret in spec.secret_env.items()}
        secret_values = pulumi.Output.all(**env_secrets) if env_secrets else pulumi.Output.from_input({})
        user_data = secret_values.apply(lambda values: service_user_data(guest, {**spec.env, **values}))
        machine = MachineSpec(
            name=name,
            group=service.name,
            index=replica,
            labels={
                **service.labels,
                vocabulary.REPLICA: str(replica),
                **workload_facts(service),
                **gap_labels(wiring, service.name),
            },
            mac=mac_address(placement.address),
            vcpu=vcpus(spec.resources.cpus),
            memory_mib=memory_mib(spec.resources.memory, lv),
        )
        meta = instance_id(hostname, user_data).apply(lambda iid: meta_data(iid, hostname))
        self.domain = build_machine(self, fabric, machine, user_data, meta, data, after)
        self.ready: MachineReadiness | None = None
        if lv.guest_agent:
            host = fabric.host(service.name, replica)
            self.ready = MachineReadiness(
                naming.child(name, "ready"),
                uri=lv.host_uris[host.index],
                domain=self.domain.name,
                generation=instance_id(hostname, user_data),
                check=readiness_check(service.name, service.health is not None),
                timeout_seconds=BOOT_SECONDS + (service.health.wait_seconds if service.health else 0),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.domain]),
            )
        self.register_outputs({"address": placement.address})

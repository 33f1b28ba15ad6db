"""`VmApp`: the services placed on libvirt, one VM per replica."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pulumi
import pulumi_libvirt as libvirt

from ... import naming
from ...addressing import Placement, plan_addresses
from ...cloudinit import GuestService, meta_data, service_user_data
from ...resolve import ResolvedApp, ResolvedService
from ...settings import StackSettings
from ..base import Endpoints, TargetApp
from .capabilities import limitations
from .domain import data_device, mac_address, memory_mib, vcpus
from .firewall import plan_firewall
from .hosts import Host, MachineSpec, build_hosts, build_machine, dns_entries


def instance_id(hostname: str, user_data: pulumi.Output[str]) -> pulumi.Output[str]:
    """A new instance-id on every change of user-data, so cloud-init runs its first-boot
    steps on the new VM (and a secret user-data keeps its hash secret too)."""
    return user_data.apply(lambda text: f"{hostname}-{hashlib.sha256(text.encode()).hexdigest()[:12]}")


class VmApp(TargetApp):
    """Per host: a provider, the app's network and the base image volume. Per replica
    (a `VmReplica`): data disks, then a machine with a static address and a firewall
    that admits only its clients."""

    type_token = "hybrid:vm:VmApp"

    def deploy(
        self,
        name: str,
        app: ResolvedApp,
        services: list[str],
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
    ) -> pulumi.Input[Endpoints]:
        lv = settings.libvirt
        self._placements = plan_addresses(
            {s: app.services[s].spec.replicas for s in services}, lv.network.cidr, len(lv.host_uris)
        )
        hosts = build_hosts(self, name, app.name, lv, dns_entries(self._placements))
        for service in services:
            for warning in limitations(app.services[service], lv.network.mode, len(hosts)):
                pulumi.log.warn(warning, resource=self)
            for replica in range(app.services[service].spec.replicas):
                placement = self._placements[(service, replica)]
                host = hosts[placement.subnet.host]
                VmReplica(
                    app,
                    app.services[service],
                    placement,
                    host,
                    settings,
                    secrets,
                    self._placements,
                    opts=pulumi.ResourceOptions(parent=self, provider=host.provider),
                )
        return {s: self._endpoints(app.services[s]) for s in services}

    def _endpoints(self, service: ResolvedService) -> list[dict[str, object]]:
        addresses = [p.address for (s, _), p in sorted(self._placements.items()) if s == service.name]
        return [
            e.describe(
                f"{e.host}:{e.port}", ", ".join(f"{a}:{e.port}" for a in addresses) if e.public else None
            )
            for e in service.endpoints
        ]


TARGET_APP = VmApp


class VmReplica(pulumi.ComponentResource):
    """One replica's VM: its data disks (kept across replacements) and its machine."""

    def __init__(
        self,
        app: ResolvedApp,
        service: ResolvedService,
        placement: Placement,
        host: Host,
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
        placements: dict[tuple[str, int], Placement],
        opts: pulumi.ResourceOptions,
    ) -> None:
        name = naming.replica_name(app.name, service.name, placement.replica)
        super().__init__("hybrid:vm:VmReplica", name, None, opts)
        lv, spec, protect = settings.libvirt, service.spec, app.protect_data
        data = [
            libvirt.Volume(
                naming.volume_name(app.name, service.name, volume.name, placement.replica),
                pool=lv.pool,
                format="qcow2",
                size=volume.size,
                opts=pulumi.ResourceOptions(parent=self, protect=protect, retain_on_delete=protect),
            )
            for volume in spec.volumes
        ]
        hostname = f"{service.name}-{placement.replica}"
        firewall = plan_firewall(
            app, service.name, placements, placement.subnet.gateway, ssh=bool(lv.ssh_authorized_keys)
        )
        guest = GuestService(
            service=service.name,
            spec=spec,
            hostname=hostname,
            labels=service.labels,
            firewall=firewall,
            data_devices=tuple((v.name, data_device(i)) for i, v in enumerate(spec.volumes)),
            ssh_authorized_keys=tuple(lv.ssh_authorized_keys),
        )
        env_secrets = {env: secrets[secret] for env, secret in spec.secret_env.items()}
        secret_values = pulumi.Output.all(**env_secrets) if env_secrets else pulumi.Output.from_input({})
        user_data = secret_values.apply(lambda values: service_user_data(guest, {**spec.env, **values}))
        machine = MachineSpec(
            name=name,
            labels={**service.labels, "hybrid-platform.io/replica": str(placement.replica)},
            mac=mac_address(app.name, service.name, placement.replica),
            vcpu=vcpus(spec.resources.cpus),
            memory_mib=memory_mib(spec.resources.memory, lv),
            address=placement.address,
        )
        meta = instance_id(hostname, user_data).apply(lambda iid: meta_data(iid, hostname))
        build_machine(self, machine, host, user_data, meta, [app.name], data, lv)
        self.register_outputs({"address": placement.address})

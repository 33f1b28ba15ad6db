"""`VmApp`: the services placed on libvirt, one VM per replica."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import pulumi
import pulumi_libvirt as libvirt

from ... import naming
from ...addressing import Placement, plan_addresses, split
from ...cloudinit import GuestService, meta_data, network_config, service_user_data
from ...resolve import ResolvedApp, ResolvedService
from ...settings import StackSettings
from .capabilities import limitations
from .domain import build_domain_args, build_network_args, data_device, mac_address
from .firewall import plan_firewall


class VmApp(pulumi.ComponentResource):
    """Per host: a provider, the app's network and the base image volume. Per replica
    (a `VmReplica`): a root disk over the base image, data disks, a cloud-init disk and
    the domain, with a static address and a firewall that admits only its clients."""

    endpoints: pulumi.Output[dict[str, list[dict[str, object]]]]

    def __init__(
        self,
        name: str,
        app: ResolvedApp,
        services: Sequence[str],
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("hybrid:vm:VmApp", name, None, opts)
        lv = settings.libvirt
        hosts = lv.host_uris
        self._placements = plan_addresses(
            {s: app.services[s].spec.replicas for s in services}, lv.network.cidr, len(hosts)
        )
        dns_hosts = self._dns_hosts()
        subnets = split(lv.network.cidr, len(hosts))
        self._hosts = []
        for index, uri in enumerate(hosts):
            suffix = f"-h{index}" if len(hosts) > 1 else ""
            provider = libvirt.Provider(
                f"{name}-provider{suffix}", uri=uri, opts=pulumi.ResourceOptions(parent=self)
            )
            opts = pulumi.ResourceOptions(parent=self, provider=provider)
            subnet = subnets[index]
            network = libvirt.Network(
                f"{app.name}-network{suffix}",
                build_network_args(app.name, subnet, lv.network.mode, dns_hosts),
                opts=opts,
            )
            base = libvirt.Volume(
                f"{app.name}-base{suffix}", pool=lv.pool, source=lv.base_image, format="qcow2", opts=opts
            )
            self._hosts.append((opts, network, base))
        for service in services:
            for warning in limitations(app.services[service], lv.network.mode, len(hosts)):
                pulumi.log.warn(warning, resource=self)
            for replica in range(app.services[service].spec.replicas):
                placement = self._placements[(service, replica)]
                opts, network, base = self._hosts[placement.subnet.host]
                VmReplica(
                    app,
                    app.services[service],
                    placement,
                    settings,
                    secrets,
                    network,
                    base,
                    self._placements,
                    opts=pulumi.ResourceOptions(parent=self, provider=opts.provider),
                )
        self.endpoints = pulumi.Output.from_input({s: self._endpoints(app.services[s]) for s in services})
        self.register_outputs({"endpoints": self.endpoints})

    def _dns_hosts(self) -> list[tuple[str, str]]:
        """Every replica under its service name (round robin) and its own `<service>-<n>`."""
        entries = []
        for (service, replica), placement in sorted(self._placements.items()):
            entries += [(service, placement.address), (f"{service}-{replica}", placement.address)]
        return entries

    def _endpoints(self, service: ResolvedService) -> list[dict[str, object]]:
        addresses = [p.address for (s, _), p in sorted(self._placements.items()) if s == service.name]
        return [
            {
                "port": e.port_name,
                "address": f"{e.host}:{e.port}",
                "protocol": e.protocol,
                "public": ", ".join(f"{a}:{e.port}" for a in addresses) if e.public else None,
            }
            for e in service.endpoints
        ]


class VmReplica(pulumi.ComponentResource):
    """One replica's VM: root disk, data disks, cloud-init disk, domain."""

    def __init__(
        self,
        app: ResolvedApp,
        service: ResolvedService,
        placement: Placement,
        settings: StackSettings,
        secrets: Mapping[str, pulumi.Output[str]],
        network: libvirt.Network,
        base: libvirt.Volume,
        placements: dict[tuple[str, int], Placement],
        opts: pulumi.ResourceOptions,
    ) -> None:
        name = naming.replica_name(app.name, service.name, placement.replica)
        super().__init__("hybrid:vm:VmReplica", name, None, opts)
        lv, spec, child = settings.libvirt, service.spec, pulumi.ResourceOptions(parent=self)
        protect = app.protect_data
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
        # A new instance-id on every change makes cloud-init run its first-boot steps on the new VM.
        instance_id = user_data.apply(
            lambda text: f"{hostname}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
        )
        cloudinit = libvirt.CloudInitDisk(
            f"{name}-cloudinit",
            pool=lv.pool,
            user_data=user_data,
            meta_data=instance_id.apply(lambda iid: meta_data(iid, hostname)),
            network_config=network_config(
                mac_address(app.name, service.name, placement.replica),
                placement.address,
                placement.subnet.network.prefixlen,
                placement.subnet.gateway,
                [app.name],
            ),
            opts=child,
        )
        # The root disk belongs to one generation of the VM: replaced with its cloud-init disk.
        root = libvirt.Volume(
            f"{name}-root",
            pool=lv.pool,
            base_volume_id=base.id,
            format="qcow2",
            opts=pulumi.ResourceOptions(parent=self, replace_with=[cloudinit]),
        )
        libvirt.Domain(
            name,
            build_domain_args(
                service, placement, app.name, network.id, cloudinit.id, [root.id, *(d.id for d in data)], lv
            ),
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True),
        )
        self.register_outputs({"address": placement.address})

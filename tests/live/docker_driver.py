"""Apply a preview's recorded Docker resources to a real Docker daemon, the way pulumi-docker
would create them, and tear them down again.

Mapping (engine property -> Docker Engine API), as pulumi-docker (the bridged
terraform-provider-docker) creates them:

| resource / property             | Docker API                                                        |
|---------------------------------|-------------------------------------------------------------------|
| Network driver/internal/options | networks.create(driver, internal, options), labels as a dict      |
| Volume driver/labels            | volumes.create(driver, labels)                                    |
| RemoteImage name                | the image must exist locally (no registry: built by images.py)    |
| Container image                 | the RemoteImage's name (the program passes its image id)          |
| command / envs / user           | Cmd / Env (secrets revealed) / User                               |
| memory, memorySwap (MiB)        | Memory, MemorySwap in bytes: value * 1024 * 1024                  |
| cpus ("0.5")                    | NanoCpus: cpus * 1e9                                              |
| readOnly / tmpfs                | ReadonlyRootfs / Tmpfs {path: options}                            |
| capabilities drops/adds         | CapDrop / CapAdd                                                  |
| securityOpts / runtime          | SecurityOpt / Runtime                                             |
| restart / maxRetryCount         | RestartPolicy {Name, MaximumRetryCount}                           |
| healthcheck (Go durations)      | Healthcheck {Test, Interval, Timeout, StartPeriod in ns, Retries} |
| ports {internal, external, ip}  | PortBindings {"internal/proto": [(ip, external)]}                 |
| volumes {volumeName, path}      | Binds "volume:path:rw"                                            |
| networkMode                     | HostConfig.NetworkMode                                            |
| networksAdvanced {name, aliases}| created on the default bridge, disconnected from it, then         |
|                                 | connected to each network with its aliases (as the provider does) |
| wait / waitTimeout              | after start, poll until healthy or the timeout                    |
| labels                          | Labels {label: value}                                             |

Names: the recorded auto-names plus a run suffix, so runs never collide. Resources
are created in dependency order (the recorded `depends_on`)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import docker
from docker.models.containers import Container

from components.offline.recorder import RecordedResource, reveal
from components.offline.runner import PreviewResult

NETWORK = "docker:index/network:Network"
VOLUME = "docker:index/volume:Volume"
IMAGE = "docker:index/remoteImage:RemoteImage"
CONTAINER = "docker:index/container:Container"
LABEL_APP = "hybrid-platform.io/app"
_DURATION = re.compile(r"([0-9.]+)(ms|s|m|h)")
_NS = {"ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


def nanoseconds(duration: str | None) -> int:
    """A Go duration string as nanoseconds."""
    return int(sum(float(n) * _NS[u] for n, u in _DURATION.findall(duration or "0s")))


def _labels(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {i["label"]: i["value"] for i in items or []}


@dataclass
class LiveApp:
    """What the driver created, to look at and to remove."""

    client: docker.DockerClient
    suffix: str
    names: dict[str, str] = field(default_factory=dict)  # recorded physical name -> live name
    containers: dict[str, Container] = field(default_factory=dict)  # recorded logical name -> container
    recorded: dict[str, RecordedResource] = field(default_factory=dict)


class DockerDriver:
    """Creates and removes the Docker resources of a `PreviewResult`."""

    def __init__(self, client: docker.DockerClient, suffix: str) -> None:
        self.client = client
        self.suffix = suffix

    def apply(self, result: PreviewResult) -> LiveApp:
        """Create networks, volumes and containers in dependency order."""
        live = LiveApp(self.client, self.suffix)
        by_urn = {r.urn: r for r in result.resources}
        images = {r.outputs["imageId"]: r.inputs["name"] for r in result.resources if r.type == IMAGE}
        for resource in self._ordered([r for r in result.resources if r.type in (NETWORK, VOLUME)], by_urn):
            live.names[resource.outputs["name"]] = f"{resource.outputs['name']}-{self.suffix}"
            if resource.type == NETWORK:
                self._network(resource, live)
            else:
                self._volume(resource, live)
        for resource in self._ordered([r for r in result.resources if r.type == CONTAINER], by_urn):
            live.recorded[resource.name] = resource
            live.containers[resource.name] = self.create_container(resource, live, images)
        return live

    @staticmethod
    def _ordered(
        resources: list[RecordedResource], by_urn: dict[str, RecordedResource]
    ) -> list[RecordedResource]:
        urns = {r.urn for r in resources}
        done: list[RecordedResource] = []
        pending = list(resources)
        while pending:
            ready = [r for r in pending if all(d not in urns or by_urn[d] in done for d in r.depends_on)]
            if not ready:
                raise RuntimeError("dependency cycle among recorded resources")
            done.append(ready[0])
            pending.remove(ready[0])
        return done

    def _network(self, resource: RecordedResource, live: LiveApp) -> None:
        inputs = resource.inputs
        self.client.networks.create(
            live.names[resource.outputs["name"]],
            driver=inputs.get("driver", "bridge"),
            internal=bool(inputs.get("internal")),
            options=inputs.get("options"),
            labels=_labels(inputs.get("labels")),
        )

    def _volume(self, resource: RecordedResource, live: LiveApp) -> None:
        self.client.volumes.create(
            live.names[resource.outputs["name"]],
            driver=resource.inputs.get("driver", "local"),
            labels=_labels(resource.inputs.get("labels")),
        )

    def create_container(
        self, resource: RecordedResource, live: LiveApp, images: dict[str, str]
    ) -> Container:
        """Create, wire and start one container; wait for health when the program asks."""
        i = reveal(resource.inputs)
        health = i.get("healthcheck")
        restart = i.get("restart")
        host_config = self.client.api.create_host_config(
            mem_limit=i["memory"] * 2**20 if "memory" in i else None,
            memswap_limit=i["memorySwap"] * 2**20 if "memorySwap" in i else None,
            nano_cpus=int(float(i["cpus"]) * 1e9) if "cpus" in i else None,
            read_only=bool(i.get("readOnly")),
            tmpfs=i.get("tmpfs"),
            cap_drop=(i.get("capabilities") or {}).get("drops"),
            cap_add=(i.get("capabilities") or {}).get("adds"),
            security_opt=i.get("securityOpts"),
            runtime=i.get("runtime"),
            restart_policy={"Name": restart, "MaximumRetryCount": i.get("maxRetryCount", 0)}
            if restart
            else None,
            port_bindings={
                f"{p['internal']}/{p.get('protocol', 'tcp')}": (p.get("ip", "0.0.0.0"), p.get("external"))
                for p in i.get("ports", [])
            },
            binds=[f"{live.names[v['volumeName']]}:{v['containerPath']}:rw" for v in i.get("volumes", [])],
            network_mode=i.get("networkMode"),
        )
        created = self.client.api.create_container(
            image=images.get(i["image"], i["image"]),
            command=i.get("command"),
            environment=i.get("envs"),
            user=i.get("user"),
            labels=_labels(i.get("labels")),
            ports=[(p["internal"], p.get("protocol", "tcp")) for p in i.get("ports", [])],
            healthcheck={
                "test": health["tests"],
                "interval": nanoseconds(health.get("interval")),
                "timeout": nanoseconds(health.get("timeout")),
                "start_period": nanoseconds(health.get("startPeriod")),
                "retries": health.get("retries", 0),
            }
            if health
            else None,
            host_config=host_config,
        )
        container = self.client.containers.get(created["Id"])
        if i.get("networksAdvanced"):
            self.client.networks.get("bridge").disconnect(container)
            for attachment in i["networksAdvanced"]:
                network = self.client.networks.get(live.names[attachment["name"]])
                network.connect(container, aliases=attachment.get("aliases"))
        container.start()
        if i.get("wait"):
            self.wait_healthy(container, int(i.get("waitTimeout", 60)))
        return container

    @staticmethod
    def wait_healthy(container: Container, timeout: int) -> None:
        """Poll the container's health as the provider's `wait` does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            container.reload()
            state: dict[str, Any] = container.attrs["State"]
            status = (state.get("Health") or {}).get("Status")
            if status == "healthy":
                return
            if not state.get("Running"):
                raise RuntimeError(f"{container.name} stopped: {container.logs()[-500:]!r}")
            time.sleep(0.5)
        raise TimeoutError(
            f"{container.name} not healthy after {timeout} s: {container.attrs['State'].get('Health')}"
        )

    def replace(self, live: LiveApp, name: str, images: dict[str, str]) -> Container:
        """Replace one container delete-first (as for replicas that own a volume)."""
        live.containers[name].remove(force=True)
        live.containers[name] = self.create_container(live.recorded[name], live, images)
        return live.containers[name]

    def destroy(self, app: str) -> None:
        """Remove every container, network and volume labelled with `app`."""
        selector = {"label": f"{LABEL_APP}={app}"}
        for container in self.client.containers.list(all=True, filters=selector):
            container.remove(force=True)
        for network in self.client.networks.list(filters=selector):
            network.remove()
        for volume in self.client.volumes.list(filters=selector):
            volume.remove(force=True)

"""Apply a preview's recorded Docker resources to a real Docker daemon, the way pulumi-docker
would create them, bring them from one preview's graph to the next as `pulumi up` would,
and tear them down again.

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
| ports {internal, external, ip}  | PortBindings {"internal/proto": [(ip, external), ...]}: one entry |
|                                 | per port, listing every address it is published on (ip defaults   |
|                                 | to 0.0.0.0, no external to a port the daemon picks)               |
| hosts {host, ip}                | ExtraHosts ["host:ip"]: lines of the container's /etc/hosts       |
| volumes {volumeName, path}      | Binds "volume:path:rw"                                            |
| networkMode                     | HostConfig.NetworkMode                                            |
| networksAdvanced {name, aliases}| created on the default bridge, disconnected from it, then         |
|                                 | connected to each network with its aliases (as the provider does) |
| wait / waitTimeout              | after start, poll until healthy or the timeout                    |
| labels                          | Labels {label: value}                                             |

Names: the recorded auto-names plus a run suffix, so runs never collide (a replaced
network or volume gets the step's number too: auto-naming gives a replacement a name of
its own). Containers are auto-named by the daemon.

`apply_step` follows the Pulumi engine's rule for an update (`pulumi up` on a changed
program):
1. Old and new resources are matched by their logical identity, (type, name).
2. A new one is created; one whose inputs did not change stays as it is; one whose inputs
   changed is updated in place when the provider can do that for every changed input
   (pulumi-docker: a container's restart, maxRetryCount, cpuShares, memory, cpuSet and
   memorySwap), and replaced otherwise (every other container input, and any change of a
   network or a volume). A container that names a replaced network or volume is replaced
   with it (the replacement's auto-name differs, so the container's inputs change).
3. Creates, updates and replacements run first, each after what it depends on (the
   recorded `depends_on`, which holds the networks and volumes a container uses). A
   replacement is created before the old resource is deleted, unless the resource says
   `delete_before_replace`: then the old one is deleted just before its replacement is
   created. (The engine also deletes first any dependent it must replace with it;
   nothing in the program's Docker graph refers to a container, the only resource it
   replaces delete-first.)
4. Deletes come last, once the whole new graph exists: the old copies of create-first
   replacements and the resources the new graph no longer has, dependents before what
   they depend on (containers before the networks and volumes they use). A volume the
   program retains on delete (`retain_on_delete`) is left on the daemon.
The engine runs independent steps in parallel; this driver runs them one at a time, in
one of the orders the engine may choose, and records each step in `LiveApp.events`."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
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


def _port_bindings(ports: list[dict[str, Any]]) -> dict[str, list[tuple[str, int | None]]]:
    """{"internal/protocol": [(ip, external), ...]}: a port published on several addresses."""
    bindings: dict[str, list[tuple[str, int | None]]] = {}
    for p in ports:
        key = f"{p['internal']}/{p.get('protocol', 'tcp')}"
        bindings.setdefault(key, []).append((p.get("ip", "0.0.0.0"), p.get("external")))
    return bindings


Key = tuple[str, str]  # a resource's logical identity: (type, name)
Hook = Callable[[str, Container], None]
MANAGED = (NETWORK, VOLUME, CONTAINER)
UPDATABLE = frozenset({"restart", "maxRetryCount", "cpuShares", "memory", "cpuSet", "memorySwap"})
_RANK = {NETWORK: 0, VOLUME: 1, CONTAINER: 2}


def boot_clock() -> float:
    """Seconds since boot: the clock `/proc/uptime` shows inside every container."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


@dataclass(frozen=True)
class Event:
    """One step the driver took: `action` is create, update or delete; `live` the live
    network or volume name, or the container's id; `at` the boot clock when it was done."""

    step: int
    action: str
    type: str
    name: str
    live: str
    at: float


@dataclass
class LiveApp:
    """What the driver created, to look at and to remove."""

    client: docker.DockerClient
    suffix: str
    names: dict[str, str] = field(default_factory=dict)  # recorded physical name -> live name
    containers: dict[str, Container] = field(default_factory=dict)  # recorded logical name -> container
    recorded: dict[str, RecordedResource] = field(default_factory=dict)
    applied: dict[Key, RecordedResource] = field(default_factory=dict)  # the live graph, by identity
    events: list[Event] = field(default_factory=list)
    step: int = 0  # how many graphs were applied


def _key(resource: RecordedResource) -> Key:
    return resource.type, resource.name


def _changed(old: RecordedResource, new: RecordedResource) -> set[str]:
    """The inputs whose values differ (secrets compared by value)."""
    before, after = reveal(old.inputs), reveal(new.inputs)
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def _named(container: RecordedResource) -> set[str]:
    """The recorded names of the networks and volumes a container uses."""
    inputs = container.inputs
    return {n["name"] for n in inputs.get("networksAdvanced", [])} | {
        v["volumeName"] for v in inputs.get("volumes", [])
    }


def dependency_order(resources: Iterable[RecordedResource]) -> list[RecordedResource]:
    """`resources` with each after the ones among them it depends on (recorded
    `depends_on`); ties by kind (networks, volumes, containers), then name."""
    pending = sorted(resources, key=lambda r: (_RANK[r.type], r.name))
    urns = {r.urn for r in pending}
    done: list[RecordedResource] = []
    placed: set[str] = set()
    while pending:
        ready = next((r for r in pending if all(d in placed for d in r.depends_on if d in urns)), None)
        if ready is None:
            raise RuntimeError("dependency cycle among recorded resources")
        done.append(ready)
        placed.add(ready.urn)
        pending.remove(ready)
    return done


class DockerDriver:
    """Creates, updates and removes the Docker resources of a `PreviewResult`.
    `on_created(logical name, container)` runs once a container is created (and healthy,
    when it waits); `before_delete(logical name, container)` just before one is deleted."""

    def __init__(
        self,
        client: docker.DockerClient,
        suffix: str,
        on_created: Hook | None = None,
        before_delete: Hook | None = None,
    ) -> None:
        self.client = client
        self.suffix = suffix
        self.on_created = on_created
        self.before_delete = before_delete

    def apply(self, result: PreviewResult) -> LiveApp:
        """Create networks, volumes and containers in dependency order."""
        return self.apply_step(LiveApp(self.client, self.suffix), result)

    def apply_step(self, live: LiveApp, result: PreviewResult) -> LiveApp:
        """Bring `live` from the graph applied last to `result`'s, as the engine would (the
        rule is in the module docstring)."""
        live.step += 1
        new = {_key(r): r for r in result.resources if r.type in MANAGED}
        old = dict(live.applied)
        images = {r.outputs["imageId"]: r.inputs["name"] for r in result.resources if r.type == IMAGE}
        replaced = self.replacements(old, new)
        gone = [key for key in old if key not in new]
        protected = [key for key in [*replaced, *gone] if old[key].protect]
        if protected:  # the engine refuses before it changes anything
            raise RuntimeError(f"protected resources would be deleted or replaced: {sorted(protected)}")
        to_delete: list[tuple[RecordedResource, str | Container]] = []
        for resource in dependency_order(new.values()):
            key = _key(resource)
            if key in replaced:
                handle = self._handle(live, old[key])
                if resource.delete_before_replace:
                    self._delete(live, old[key], handle)
                else:
                    to_delete.append((old[key], handle))
                self._create(live, resource, images)
            elif key not in old:
                self._create(live, resource, images)
            elif _changed(old[key], resource):
                self._update(live, resource)
            live.applied[key] = resource
        to_delete += [(old[key], self._handle(live, old[key])) for key in gone]
        order = [r.urn for r in dependency_order(old.values())]
        for resource, handle in sorted(to_delete, key=lambda d: order.index(d[0].urn), reverse=True):
            self._delete(live, resource, handle)
        for key in gone:
            del live.applied[key]
            if key[0] == CONTAINER:
                live.containers.pop(key[1], None)
                live.recorded.pop(key[1], None)
        return live

    @staticmethod
    def replacements(old: dict[Key, RecordedResource], new: dict[Key, RecordedResource]) -> set[Key]:
        """The identities an update from `old` to `new` replaces (module docstring, rule 2)."""
        replaced = set()
        for key, resource in new.items():
            changed = _changed(old[key], resource) if key in old else set()
            if changed and not (key[0] == CONTAINER and changed <= UPDATABLE):
                replaced.add(key)
        renamed = {old[k].outputs["name"] for k in replaced if k[0] != CONTAINER}
        return replaced | {
            k for k, r in new.items() if k[0] == CONTAINER and k in old and _named(r) & renamed
        }

    def _handle(self, live: LiveApp, resource: RecordedResource) -> str | Container:
        """What is live for a recorded resource: a network's or volume's live name, or the container."""
        if resource.type == CONTAINER:
            return live.containers[resource.name]
        return live.names[resource.outputs["name"]]

    def _record(
        self, live: LiveApp, action: str, resource: RecordedResource, handle: str | Container
    ) -> None:
        live.events.append(
            Event(live.step, action, resource.type, resource.name,
                  handle if isinstance(handle, str) else str(handle.id), boot_clock())
        )  # fmt: skip

    def _create(self, live: LiveApp, resource: RecordedResource, images: dict[str, str]) -> None:
        if resource.type == CONTAINER:
            container = self.create_container(resource, live, images)
            live.containers[resource.name], live.recorded[resource.name] = container, resource
            self._record(live, "create", resource, container)
            if self.on_created:
                self.on_created(resource.name, container)
            return
        recorded = resource.outputs["name"]
        replacing = recorded in live.names
        live.names[recorded] = f"{recorded}-{self.suffix}" + (f"-{live.step}" if replacing else "")
        if resource.type == NETWORK:
            self._network(resource, live)
        else:
            self._volume(resource, live)
        self._record(live, "create", resource, live.names[recorded])

    def _update(self, live: LiveApp, resource: RecordedResource) -> None:
        """A container's updatable inputs, in place (`docker update`)."""
        i, container = reveal(resource.inputs), live.containers[resource.name]
        restart = i.get("restart")
        self.client.api.update_container(
            container.id,
            mem_limit=i["memory"] * 2**20 if "memory" in i else None,
            memswap_limit=i["memorySwap"] * 2**20 if "memorySwap" in i else None,
            cpu_shares=i.get("cpuShares"),
            cpuset_cpus=i.get("cpuSet"),
            restart_policy={"Name": restart, "MaximumRetryCount": i.get("maxRetryCount", 0)}
            if restart
            else None,
        )
        live.recorded[resource.name] = resource
        self._record(live, "update", resource, container)

    def _delete(self, live: LiveApp, resource: RecordedResource, handle: str | Container) -> None:
        if isinstance(handle, Container):
            if self.before_delete:
                self.before_delete(resource.name, handle)
            handle.remove(force=True)  # as the provider does: force, with anonymous volumes
        else:
            if resource.type == NETWORK:
                self.client.networks.get(handle).remove()
            elif not resource.retain_on_delete:
                self.client.volumes.get(handle).remove()
            if live.names.get(resource.outputs["name"]) == handle:  # not yet replaced by a new one
                del live.names[resource.outputs["name"]]
        self._record(live, "delete", resource, handle)

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
            port_bindings=_port_bindings(i.get("ports", [])),
            extra_hosts=[f"{h['host']}:{h['ip']}" for h in i.get("hosts", [])] or None,
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

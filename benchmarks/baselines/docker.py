"""The app on Docker, written by hand with `pulumi_docker`: what a user would write to get
the project's Docker resources (a network per `depends_on` pair and per public or egress
service, one pulled image per reference, a volume per volume per replica, hardened
containers started after their dependencies)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pulumi_docker as docker
import yaml

BIND = "127.0.0.1"
PREFIX = "hybrid-platform.io"


def mib(size: str) -> int:
    """`256Mi` / `1Gi` -> MiB."""
    return int(size[:-2]) * (1024 if size.endswith("Gi") else 1)


def seconds(duration: str) -> int:
    """`10s` -> 10."""
    return int(duration.rstrip("s"))


def healthcheck(health: dict[str, Any]) -> docker.ContainerHealthcheckArgs:
    """HEALTHCHECK of one service."""
    if "http" in health:
        url = f"http://127.0.0.1:{health['http']['port']}{health['http'].get('path', '/')}"
        test = ["CMD-SHELL", f"wget -q -O /dev/null {url} || curl -fsS -o /dev/null {url} || exit 1"]
    elif "tcp" in health:
        test = ["CMD-SHELL", f"nc -z 127.0.0.1 {health['tcp']['port']} || exit 1"]
    else:
        test = ["CMD", *health["exec"]["command"]]
    return docker.ContainerHealthcheckArgs(
        tests=test,
        interval=health.get("interval", "10s"),
        timeout=health.get("timeout", "3s"),
        retries=health.get("retries", 3),
        start_period=health.get("start_period", "0s"),
    )


def program(stacks_dir: Path) -> None:  # noqa: PLR0915 (written straight down, as users do)
    """Declare the app of the stack's spec on the local Docker host."""
    config = pulumi.Config("hybrid-platform")
    spec = yaml.safe_load((stacks_dir / config.require("spec")).read_text())
    secrets = config.require_secret_object("secrets")
    app, services = spec["app"], spec["services"]
    provider = docker.Provider(f"{app}-docker-provider")
    opts = pulumi.ResourceOptions(provider=provider)

    def labels(name: str, cls: Any, **extra: str) -> list[Any]:
        isolation = services[name].get("isolation", "container")
        values = {f"{PREFIX}/app": app, f"{PREFIX}/managed-by": "hybrid-platform", f"{PREFIX}/service": name}
        values |= {f"{PREFIX}/isolation": isolation, **extra}
        return [cls(label=k, value=v) for k, v in values.items()]

    clients: dict[str, list[str]] = {name: [] for name in services}
    for name, svc in services.items():
        for dep in svc.get("depends_on", []):
            clients[dep].append(name)
    networks: dict[str, list[docker.ContainerNetworksAdvancedArgs]] = {name: [] for name in services}
    for name, svc in services.items():
        for client in sorted(clients[name]):
            network = docker.Network(
                f"{app}-{name}-from-{client}",
                driver="bridge",
                internal=True,
                labels=labels(name, docker.NetworkLabelArgs, **{f"{PREFIX}/network-role": f"from-{client}"}),
                opts=opts,
            )
            networks[name].append(docker.ContainerNetworksAdvancedArgs(name=network.name, aliases=[name]))
            networks[client].append(docker.ContainerNetworksAdvancedArgs(name=network.name))
        public = [p for p in svc.get("ports", []) if p.get("public")]
        if svc.get("egress") or public:
            network = docker.Network(
                f"{app}-{name}-edge",
                driver="bridge",
                internal=False,
                options=None
                if svc.get("egress")
                else {"com.docker.network.bridge.enable_ip_masquerade": "false"},
                labels=labels(name, docker.NetworkLabelArgs, **{f"{PREFIX}/network-role": "edge"}),
                opts=opts,
            )
            networks[name].append(docker.ContainerNetworksAdvancedArgs(name=network.name))

    def secret_env(env: str, secret: str) -> pulumi.Output[str]:
        return secrets.apply(lambda values: f"{env}={values[secret]}")

    images: dict[str, docker.RemoteImage] = {}
    containers: dict[str, list[docker.Container]] = {}

    def deploy(name: str) -> list[docker.Container]:
        if name in containers:
            return containers[name]
        svc = services[name]
        after = [c for dep in svc.get("depends_on", []) for c in deploy(dep)]
        image_ref = svc["image"]
        if image_ref not in images:
            safe = "".join(c if c.isalnum() or c in "-." else "-" for c in image_ref)
            images[image_ref] = docker.RemoteImage(
                f"{app}-image-{safe}", name=image_ref, keep_locally=True, opts=opts
            )
        ports = svc.get("ports", [])
        public = [p for p in ports if p.get("public")]
        envs: list[Any] = [f"{k}={v}" for k, v in svc.get("env", {}).items()]
        envs += [secret_env(e, n) for e, n in svc.get("secret_env", {}).items()]
        health = svc.get("health")
        wait_timeout = None
        if health:
            period = seconds(health.get("interval", "10s")) + seconds(health.get("timeout", "3s"))
            wait_timeout = max(
                60, seconds(health.get("start_period", "0s")) + (health.get("retries", 3) + 1) * period
            )
        extra = {}
        if public:
            extra[f"{PREFIX}/public-ports"] = ",".join(
                f"{p['port']}/{p.get('protocol', 'tcp')}" for p in public
            )
        if svc.get("secret_env"):
            extra[f"{PREFIX}/secret-env"] = ",".join(sorted(svc["secret_env"]))
        made = []
        for replica in range(svc.get("replicas", 1)):
            volumes = [
                docker.Volume(
                    f"{app}-{name}-{v['name']}-{replica}",
                    driver="local",
                    labels=labels(
                        name,
                        docker.VolumeLabelArgs,
                        **{f"{PREFIX}/volume": v["name"], f"{PREFIX}/size": v["size"]},
                    ),
                    opts=opts,
                )
                for v in svc.get("volumes", [])
            ]
            memory = mib(svc["resources"]["memory"])
            made.append(
                docker.Container(
                    f"{app}-{name}-{replica}",
                    image=images[image_ref].image_id,
                    command=svc.get("command"),
                    envs=envs,
                    user=svc.get("user"),
                    labels=labels(
                        name, docker.ContainerLabelArgs, **{f"{PREFIX}/replica": str(replica), **extra}
                    ),
                    memory=memory,
                    memory_swap=memory,
                    cpus=str(svc["resources"]["cpus"]),
                    read_only=True,
                    tmpfs={path: "rw,nosuid,nodev" for path in svc.get("tmpfs", [])} or None,
                    capabilities=docker.ContainerCapabilitiesArgs(drops=["ALL"]),
                    security_opts=["no-new-privileges:true"],
                    runtime="runsc" if svc.get("isolation", "container") != "container" else None,
                    restart="unless-stopped",
                    healthcheck=healthcheck(health) if health else None,
                    wait=health is not None,
                    wait_timeout=wait_timeout,
                    ports=[
                        docker.ContainerPortArgs(
                            internal=p["port"],
                            external=p.get("host_port"),
                            ip=BIND,
                            protocol=p.get("protocol", "tcp"),
                        )
                        for p in public
                        if replica == 0 or "host_port" not in p
                    ]
                    or None,
                    networks_advanced=networks[name] or None,
                    network_mode=None if networks[name] else "none",
                    volumes=[
                        docker.ContainerVolumeArgs(volume_name=vol.name, container_path=v["path"])
                        for vol, v in zip(volumes, svc.get("volumes", []), strict=True)
                    ]
                    or None,
                    opts=pulumi.ResourceOptions(
                        provider=provider,
                        depends_on=after,
                        delete_before_replace=bool(volumes)
                        or (replica == 0 and any("host_port" in p for p in ports)),
                    ),
                )
            )
        containers[name] = made
        return made

    for name in services:
        deploy(name)
    pulumi.export("target", "docker")
    pulumi.export(
        "endpoints",
        {
            name: [
                {"port": p["name"], "address": f"{name}:{p['port']}", "public": None}
                for p in svc.get("ports", [])
            ]
            for name, svc in services.items()
        },
    )

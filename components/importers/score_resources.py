"""What to do about Score resource types the spec does not provision."""

from __future__ import annotations

DEPENDENCY_TYPES = ("service", "service-port")

_DATA_STORES = {
    "postgres", "postgres-instance", "mysql", "mysql-instance", "mariadb", "mongodb", "redis",
    "valkey", "memcached", "amqp", "rabbitmq", "kafka", "kafka-topic", "elasticsearch", "s3",
    "mssql", "nats",
}  # fmt: skip

_ADVICE = {
    "dns": (
        "the spec has no DNS names; public ports are reached "
        "at the target's address (see the endpoints output)"
    ),
    "route": "the spec has no routes; make the port public instead: set public: true and host_port on it",
    "environment": (
        "values of the deploying environment are not read; "
        "set the variables in env, or secret_env for secrets"
    ),
}


def advice_for(kind: str) -> str:
    """The warning for a resource of type `kind` that no spec field provisions."""
    if kind in _DATA_STORES:
        return (
            f"a {kind} resource is not provisioned by the spec; run it as a service of the app (import a "
            "Score or Compose file for it), add it to depends_on and set the variables to its name and port"
        )
    return _ADVICE.get(
        kind,
        f"a {kind} resource has no equivalent in the spec; provide it as a service of the app, or outside "
        "the app and reach it with egress: true",
    )

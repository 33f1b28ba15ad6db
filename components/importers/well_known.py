"""Ports that well-known server images listen on, for services whose Compose file declares none.

In Compose a service on a network is reachable on every port, so files rarely list a
database's port; the spec admits clients only on declared ports, so an import must add them."""

from __future__ import annotations

IMAGE_PORTS: dict[str, int] = {
    "postgres": 5432,
    "postgis": 5432,
    "timescaledb": 5432,
    "redis": 6379,
    "valkey": 6379,
    "keydb": 6379,
    "mysql": 3306,
    "mariadb": 3306,
    "percona": 3306,
    "mongo": 27017,
    "mongodb": 27017,
    "memcached": 11211,
    "rabbitmq": 5672,
    "nats": 4222,
    "elasticsearch": 9200,
    "opensearch": 9200,
    "cassandra": 9042,
    "zookeeper": 2181,
    "kafka": 9092,
    "etcd": 2379,
    "consul": 8500,
    "influxdb": 8086,
    "nginx": 80,
    "httpd": 80,
    "caddy": 80,
    "traefik": 80,
}


def image_port(image: str) -> int | None:
    """The port the image's server listens on by default, if the image is a well-known one."""
    repository = image.split("@", maxsplit=1)[0]
    last = repository.rsplit("/", 1)[-1]
    name = last.split(":")[0]
    return IMAGE_PORTS.get(name)

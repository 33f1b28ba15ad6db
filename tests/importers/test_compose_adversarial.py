"""Input built to break the importer: one line per problem, exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.appspec import SpecError
from components.importers.compose import import_compose
from tests.importers.helpers import WEB, problems


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "- just\n- a list\n",
            ["compose.yaml: a Compose file is a mapping with a `services:` key; this one is not a mapping"],
        ),
        ("", ["compose.yaml: a Compose file is a mapping with a `services:` key; this one is not a mapping"]),
        (
            "services: [web]\n",
            [
                "compose.yaml: services: must be a mapping of service name to service, with at least one service"
            ],
        ),
        (
            "services: {}\n",
            [
                "compose.yaml: services: must be a mapping of service name to service, with at least one service"
            ],
        ),
        (
            "version: '3'\n",
            [
                "compose.yaml: services: must be a mapping of service name to service, with at least one service"
            ],
        ),
        (
            "services:\n  web: {image: nginx:1.27}\nservice_accounts: {}\nfoo: 1\n",
            [
                "compose.yaml: service_accounts: unknown top-level key; Compose allows: version, name, services, volumes, secrets, networks, configs and x-* extensions",
                "compose.yaml: foo: unknown top-level key; Compose allows: version, name, services, volumes, secrets, networks, configs and x-* extensions",
            ],
        ),
        (
            "include: [other.yaml]\nservices:\n  web: {image: nginx:1.27}\n",
            [
                "compose.yaml: include: included files are not imported; flatten them first: docker compose config > flat.yaml"
            ],
        ),
        ("services:\n  web: nginx\n", ["compose.yaml: services.web: must be a mapping with at least image"]),
        (
            "services:\n  web: {ports: ['80']}\n",
            ["compose.yaml: services.web: has neither image nor build; set image, e.g. image: nginx:1.27"],
        ),
        (
            "services:\n  web:\n    image: nginx\n  - oops\n",
            ["compose.yaml: line 4, column 3: expected <block end>, but found '-'"],
        ),
        (
            "services: {web: {image: nginx:1.27, volumes: ['data:/data']}}\nvolumes: [data]\n",
            [
                "compose.yaml: volumes: must be a mapping of name to definition",
                "compose.yaml: services.web.volumes[0]: volume 'data' is not defined under the top-level volumes: (defined: none)",
            ],
        ),
        (
            "services:\n  web: {image: nginx:1.27, extends: {service: base}}\n",
            [
                "compose.yaml: services.web.extends: is not resolved by the import; flatten the file first: docker compose config > flat.yaml"
            ],
        ),
        (
            "services:\n  web: {image: 'Not An Image'}\n",
            [
                "compose.yaml (as imported): services.web.image: 'Not An Image' is not a valid image reference: use [registry/]name[:tag][@sha256:digest] with a lowercase name, e.g. example/app:1.2.0"
            ],
        ),
        (
            "services:\n  web: {image: nginx:1.27, ports: ['99999', 'x:y'], expose: ['-1']}\n",
            [
                "compose.yaml: services.web.ports[0]: '99999': port 99999 is out of range; ports are 1-65535",
                'compose.yaml: services.web.ports[1]: \'x:y\' is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"',
                'compose.yaml: services.web.expose[0]: \'-1\' is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"',
            ],
        ),
        (
            "services:\n  web: {image: nginx:1.27, deploy: {replicas: many}}\n",
            ["compose.yaml: services.web.deploy.replicas: 'many' is not a number of replicas (0-1000)"],
        ),
        (
            "services:\n  web: {image: nginx:1.27, mem_limit: lots}\n",
            [
                "compose.yaml: services.web.deploy.resources.limits.memory: 'lots' is not a byte value; use e.g. 512m or 1g"
            ],
        ),
    ],
)
def test_bad_files_are_one_line_per_problem(tmp_path: Path, text: str, lines: list[str]) -> None:
    assert problems(tmp_path, text) == lines


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_bytes(b"services:\n  web:\n    image: caf\xe9\n")
    with pytest.raises(SpecError) as caught:
        import_compose(path, source="compose.yaml")
    assert caught.value.lines() == [
        "compose.yaml: not UTF-8 text (byte 0xe9 at line 3, column 15); save it as UTF-8"
    ]


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        import_compose(tmp_path / "nope.yaml", source="nope.yaml")
    assert caught.value.lines() == ["nope.yaml: cannot read the file: No such file or directory"]


def test_colliding_names_never_collide_in_the_spec(tmp_path: Path) -> None:
    from tests.importers.helpers import imported

    compose = {"services": {name: WEB for name in ("a_b", "a-b", "A-B", "a.b", "a-b-2", "1st")}}
    spec, _ = imported(tmp_path, compose)
    assert list(spec["services"]) == ["a-b-3", "a-b", "a-b-4", "a-b-5", "a-b-2", "s-1st"]


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.text(max_size=12))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
KEYS = st.sampled_from(
    ["image", "command", "entrypoint", "environment", "env_file", "ports", "expose", "deploy", "healthcheck",
     "volumes", "tmpfs", "user", "read_only", "depends_on", "secrets", "networks", "runtime", "links", "x"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    services=st.dictionaries(
        st.sampled_from(["web", "db", "Web_1"]),
        st.dictionaries(KEYS, VALUES, max_size=6),
        min_size=1,
        max_size=3,
    )
)
def test_any_shape_is_a_spec_or_error_lines(tmp_path: Path, services: dict[str, Any]) -> None:
    import yaml

    path = tmp_path / "compose.yaml"
    path.write_text(
        yaml.safe_dump({"services": services, "volumes": {"data": None}, "secrets": {"s": {"file": "x"}}})
    )
    try:
        result = import_compose(path, source="compose.yaml")
    except SpecError as error:
        assert error.lines() and all(line.startswith("compose.yaml") for line in error.lines())
        return
    assert result.spec["services"]


def test_keys_are_text_as_in_compose(tmp_path: Path) -> None:
    from tests.importers.helpers import imported

    spec, _ = imported(tmp_path, "services:\n  1: {image: nginx:1.27}\n  true: {image: nginx:1.27}\n")
    assert list(spec["services"]) == ["s-1", "true"]

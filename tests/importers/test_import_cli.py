"""`hybrid import`, run as a user runs it: spec on stdout or in a file, warnings on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.importers.helpers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent.parent


def hybrid(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_compose_to_stdout_with_warnings_and_secrets_on_stderr(tmp_path: Path) -> None:
    run = hybrid("import", "compose", "voting/compose.yaml", cwd=FIXTURES)
    assert run.returncode == 0, run.stderr
    spec = yaml.safe_load(run.stdout)
    assert list(spec["services"]) == ["vote", "result", "worker", "redis", "db"]
    errors = run.stderr.splitlines()
    assert errors[0].startswith("warning: voting/compose.yaml: services.vote.networks: ")
    assert errors[-2:] == [
        "set these secrets in each stack (add --stack NAME); the values are not in the spec:",
        "  pulumi config set --secret --path 'secrets.db-postgres-password' '<value>'   # the value of services.db.environment.POSTGRES_PASSWORD in voting/compose.yaml",
    ]
    assert "v0te-s3cret" not in run.stdout + run.stderr


def test_compose_to_a_file_that_previews_on_a_target(tmp_path: Path) -> None:
    out = tmp_path / "app.yaml"
    run = hybrid(
        "import", "compose", str(FIXTURES / "wordpress" / "compose.yaml"), "-o", str(out), "--app", "blog"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"wrote {out}: app blog, 2 services\n"
    assert yaml.safe_load(out.read_text())["app"] == "blog"
    shown = hybrid("preview", "blog", "--spec", str(out), "--target", "kubernetes")
    assert shown.returncode in (0, 1), shown.stderr  # 1: a mandatory control found the images' own weaknesses
    assert "Traceback" not in shown.stdout + shown.stderr


def test_an_existing_output_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "app.yaml"
    out.write_text("mine\n")
    run = hybrid("import", "compose", str(FIXTURES / "gopg" / "compose.yaml"), "-o", str(out))
    assert run.returncode == 2
    assert run.stderr == f"error: {out}: already exists; pass --force to replace it\n"
    assert out.read_text() == "mine\n"
    forced = hybrid("import", "compose", str(FIXTURES / "gopg" / "compose.yaml"), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert yaml.safe_load(out.read_text())["app"] == "gopg"


def test_bad_input_is_exit_2_with_one_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "compose.yaml"
    bad.write_text("services:\n  web: {image: nginx:1.27, ports: ['80:80:80:80', 'x']}\nfoo: 1\n")
    run = hybrid("import", "compose", str(bad))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        f"error: {bad}: foo: unknown top-level key; Compose allows: version, name, services, volumes, secrets, networks, configs and x-* extensions",
        f'error: {bad}: services.web.ports[0]: \'80:80:80:80\' is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"',
        f'error: {bad}: services.web.ports[1]: \'x\' is not a port mapping; use e.g. "80", "8080:80", "127.0.0.1:8080:80/udp"',
    ]
    assert "Traceback" not in run.stderr


def test_a_bad_app_name_and_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    run = hybrid("import", "compose", str(FIXTURES / "gopg" / "compose.yaml"), "--app", "Bad_Name")
    assert run.returncode == 2
    assert (
        run.stderr
        == "error: --app: 'Bad_Name' is not an app name: use 1-40 lowercase letters, digits and '-', e.g. shop\n"
    )
    binary = tmp_path / "compose.yaml"
    binary.write_bytes(b"\xff\xfe")
    run = hybrid("import", "compose", str(binary))
    assert run.returncode == 2
    assert (
        run.stderr == f"error: {binary}: not UTF-8 text (byte 0xff at line 1, column 1); save it as UTF-8\n"
    )


def test_score_files_to_one_app(tmp_path: Path) -> None:
    out = tmp_path / "shop.yaml"
    run = hybrid(
        "import", "score", "score/frontend.score.yaml", "score/backend.score.yaml", "--app", "shop", "-o", str(out),
        cwd=FIXTURES,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    spec = yaml.safe_load(out.read_text())
    assert list(spec["services"]) == ["frontend", "backend"]
    warnings = run.stderr.splitlines()[:-2]
    assert warnings and all(line.startswith("warning: score/") for line in warnings)

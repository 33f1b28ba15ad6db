"""hybrid-platform as users install it: the wheel built from this tree, installed into a fresh
virtual environment (dependencies from the package index), used from an app made from the
template, far from this checkout. One build, one install: slow, so everything is checked on it.

Without the package index the test skips, saying why; under CI it fails instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from components import __version__, cli
from tests.ecosystem.readme import commands
from tests.ecosystem.template import PROJECT, ROOT, instantiate
from tests.engines import unavailable

# What uv says when it cannot reach the index (no DNS, no route, refused, timed out).
OFFLINE_SIGNS = ("failed to fetch", "dns error", "error sending request", "connection refused", "timed out")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path  # the virtual environment's scripts
    app: Path  # a user's app, made from the template


def uv() -> list[str]:
    """uv: the one running the tests (`uv run` says which in UV), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if found is None:
        unavailable("uv is not installed: the test builds the wheel and installs it with uv")
    return [str(found)]


def clean_env() -> dict[str, str]:
    """The environment without this checkout's virtual environment or import path."""
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT")
    return {k: v for k, v in os.environ.items() if k not in drop}


def run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("package")
    build = run([*uv(), "build", "--wheel", "--out-dir", str(work / "dist"), str(ROOT)], cwd=work)
    if build.returncode != 0 and any(sign in build.stderr.lower() for sign in OFFLINE_SIGNS):
        unavailable(
            f"the package index is unreachable, so the build backend cannot be fetched: {build.stderr}"
        )
    assert build.returncode == 0, build.stderr
    [wheel] = (work / "dist").glob("*.whl")
    venv = work / "venv"
    created = run([*uv(), "venv", "--python", sys.executable, str(venv)], cwd=work)
    assert created.returncode == 0, created.stderr
    install = run([*uv(), "pip", "install", "--python", str(venv / "bin" / "python"), str(wheel)], cwd=work)
    if install.returncode != 0 and any(sign in install.stderr.lower() for sign in OFFLINE_SIGNS):
        unavailable(
            f"the package index is unreachable, so the dependencies cannot be installed: {install.stderr}"
        )
    assert install.returncode == 0, install.stderr
    return Installed(wheel, venv / "bin", instantiate(work / "user" / PROJECT))


def test_the_wheel_carries_the_code_and_what_it_reads(installed: Installed) -> None:
    assert installed.wheel.name == f"hybrid_platform-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert {f"policies/config/{env}.json" for env in ("dev", "staging", "prod", "hybrid")} <= names
    assert {"policies/PulumiPolicy.yaml", "components/provider.py", "components/cli.py"} <= names
    assert {name.split("/")[0] for name in names if not name.startswith("hybrid_platform-")} == {
        "components",
        "policies",
    }
    entry_points = zipfile.ZipFile(installed.wheel).read(
        f"hybrid_platform-{__version__}.dist-info/entry_points.txt"
    )
    assert "hybrid = components.cli:main" in entry_points.decode()


def test_the_installed_packages_are_the_ones_used(installed: Installed) -> None:
    code = "import components, policies.engine; print(components.__file__); print(policies.engine.CONFIG_DIR)"
    found = run([str(installed.bin / "python"), "-c", code], cwd=installed.app)
    assert found.returncode == 0, found.stderr
    package, config_dir = (Path(line) for line in found.stdout.splitlines())
    site = installed.bin.parent / "lib"
    assert package.is_relative_to(site) and config_dir.is_relative_to(site)
    assert sorted(p.name for p in config_dir.glob("*.json")) == [
        "dev.json",
        "hybrid.json",
        "prod.json",
        "staging.json",
    ]


def test_hybrid_version(installed: Installed) -> None:
    version = run([str(installed.bin / "hybrid"), "--version"], cwd=installed.app)
    assert (version.returncode, version.stdout) == (0, f"hybrid-platform {__version__}\n")


def test_hybrid_schema_is_the_published_one(installed: Installed) -> None:
    schema = run([str(installed.bin / "hybrid"), "schema"], cwd=installed.app)
    assert schema.returncode == 0, schema.stderr
    assert schema.stdout == cli.schema_text() == (ROOT / "schema" / "app.schema.json").read_text()


def test_preview_dev_in_the_users_app(installed: Installed) -> None:
    preview = run([str(installed.bin / "hybrid"), "preview", "dev", "--json"], cwd=installed.app)
    assert preview.returncode == 0, preview.stderr
    document = json.loads(preview.stdout)
    assert document["stack_file"] == "stacks/Pulumi.dev.yaml"  # the app's, not the package's
    assert document["policy_config"] == "policies/config/dev.json" and document["violations"] == []
    assert set(document["outputs"]["endpoints"]) == {"web", "api", "db"}
    assert any(r["type"] == "hybrid:app:Application" and r["name"] == PROJECT for r in document["resources"])


def test_preview_prod_from_a_subfolder_with_the_apps_levels(installed: Installed) -> None:
    levels = installed.app / "policy-pack" / "config" / "prod.json"
    preview = run(
        [str(installed.bin / "hybrid"), "preview", "prod", "--policy-config", str(levels)],
        cwd=installed.app / "policy-pack",
    )
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert preview.stdout.splitlines()[0].startswith("stack prod  (")
    assert f"policies ({levels}): 0 violations, 0 mandatory" in preview.stdout


def test_the_readme_hybrid_commands_work_as_written_in_the_users_app(installed: Installed) -> None:
    written = commands("Start a new app", "hybrid")
    assert len(written) >= 3
    for command in written:
        done = run([str(installed.bin / command[0]), *command[1:]], cwd=installed.app)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stdout}{done.stderr}"

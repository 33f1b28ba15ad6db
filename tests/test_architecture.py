"""The shape of the import graph of `components` and `policies`.

- No import cycle, read from the source (every import statement: under `if TYPE_CHECKING:`
  and inside functions too; relative imports resolved; a package's `__init__` is a module
  of its own) and seen at runtime (no module imports one that is still executing).
- The target registry imports nothing from the project, so reading it loads no target.
- The shared vocabulary, the capability declarations and every target's settings import no
  provider SDK, so the policy pack and config validation never load one.

`from package import name` imports `package.name` when that is a module, else the package
itself. A submodule importing a sibling (`from .health import X`) does not count as
importing its own package: Python has already started that package before the submodule.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("components", "policies")
SDKS = frozenset({"pulumi_docker", "pulumi_libvirt", "pulumi_kubernetes", "pulumi_random", "pulumi_tls"})


def modules_under(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of `packages` below `root`."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> set[str]:
    """The absolute names of every module `name` imports, by any import statement."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules else source)
    found.discard("__future__")
    return found


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    return {name: imports_of(name, path, modules) & set(modules) - {name} for name, path in modules.items()}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One chain (`a -> b -> a`) per import that closes a cycle, found depth first."""
    found: list[list[str]] = []
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> None:
        path.append(module)
        for target in sorted(graph[module]):
            if target in path:
                found.append([*path[path.index(target) :], target])
            elif target not in done:
                visit(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module)
    return found


MODULES = modules_under(ROOT)
GRAPH = import_graph(MODULES)


def test_the_graph_is_read_from_every_kind_of_import_statement() -> None:
    assert len(MODULES) > 150 and "components.targets" in MODULES and "policies" in MODULES
    assert "components.appspec" in GRAPH["components.resolve"]  # `from .appspec import ...`: the package
    assert "components.vocabulary" in GRAPH["components.targets.declared"]  # `from .. import vocabulary`
    assert "components.resolve" in GRAPH["components.targets.docker.capabilities"]  # under TYPE_CHECKING
    assert "components.offline.runner" in GRAPH["components.cli"]  # inside a function
    assert "components.appspec.health" in GRAPH["components.appspec"]  # `__init__` re-exports


def test_the_import_graph_has_no_cycle_in_the_source() -> None:
    found = cycles(GRAPH)
    assert found == [], "\n".join(" -> ".join(chain) for chain in found)


def test_a_cycle_is_found_through_type_checking_function_local_and_package_imports(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from .a import A\n",
        "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub.b import B\nA = 1\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/b.py": "def f():\n    from .. import c\n",
        "pkg/c.py": "from . import A\n",  # the package, which imports a
        "pkg/d.py": "from .sub import b\nimport pkg.c\n",  # imports into the cycle, not part of it
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    modules = modules_under(tmp_path, ["pkg"])
    graph = import_graph(modules)
    assert graph["pkg.d"] == {"pkg.sub.b", "pkg.c"}
    assert cycles(graph) == [["pkg", "pkg.a", "pkg.sub.b", "pkg.c", "pkg"]]


RUNTIME_PROBE = r"""
import builtins, importlib, importlib.abc, importlib.machinery, importlib.util, json, sys

modules = set(json.load(sys.stdin))
executing = []  # project modules whose code is running, outermost first
found = []


class Traced(importlib.abc.Loader):
    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        executing.append(module.__name__)
        try:
            self.inner.exec_module(module)
        finally:
            executing.pop()


class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = Traced(spec.loader)
        return spec


real_import = builtins.__import__


def traced_import(name, globals=None, locals=None, fromlist=(), level=0):
    if executing:
        package = (globals or {}).get("__package__") or ""
        source = importlib.util.resolve_name("." * level + name, package) if level else name
        names = [f"{source}.{n}" if f"{source}.{n}" in modules else source for n in fromlist or ()]
        for target in names or [source]:
            if target in executing and target != executing[-1]:
                found.append([*executing[executing.index(target):], target])
    return real_import(name, globals, locals, fromlist, level)


sys.meta_path.insert(0, Finder())
builtins.__import__ = traced_import
errors = []
for name in sorted(modules):
    try:
        importlib.import_module(name)
    except Exception as error:  # a cycle that breaks an import shows here, after its chain
        errors.append(f"{name}: {error!r}")
print(json.dumps({"cycles": found, "errors": errors}))
"""


def run_probe(modules: list[str], cwd: Path) -> dict[str, list[Any]]:
    """The import cycles seen while importing `modules`, and the imports that failed."""
    run = subprocess.run(
        [sys.executable, "-c", RUNTIME_PROBE],
        input=json.dumps(modules),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, list[Any]] = json.loads(run.stdout.splitlines()[-1])
    return result


def test_no_module_imports_one_that_is_still_executing() -> None:
    """Every module imported in one fresh interpreter, watching each import statement as it
    runs (entry points, which run the CLI and the policy pack, excepted)."""
    names = sorted(name for name in MODULES if not name.endswith(".__main__"))
    seen = run_probe(names, ROOT)
    assert seen["cycles"] == [], "\n".join(" -> ".join(chain) for chain in seen["cycles"])
    assert seen["errors"] == []


def test_the_runtime_probe_sees_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "__init__.py").write_text("")
    (tmp_path / "loop" / "a.py").write_text("from . import b\n")
    (tmp_path / "loop" / "b.py").write_text("from loop import a\n")
    assert run_probe(["loop", "loop.a", "loop.b"], tmp_path) == {
        "cycles": [["loop.a", "loop.b", "loop.a"]],
        "errors": [],
    }


def test_the_target_registry_imports_nothing_from_the_project() -> None:
    path = MODULES["components.targets"]
    assert imports_of("components.targets", path, MODULES) == set()


def sdk_free_modules() -> list[str]:
    targets = ROOT / "components" / "targets"
    declared = [*targets.glob("*/settings.py"), *targets.glob("*/capabilities.py")]
    names = {f"components.targets.{path.parent.name}.{path.stem}" for path in declared}
    return sorted({"components.vocabulary", "components.targets.capabilities", *names})


def reachable(start: str) -> set[str]:
    """`start` and every project module it imports, directly or not."""
    seen, todo = {start}, [start]
    while todo:
        for target in GRAPH[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_every_target_declares_settings_or_capabilities_to_check() -> None:
    names = sdk_free_modules()
    for target in ("docker", "vm", "hybrid", "kubernetes"):
        assert f"components.targets.{target}.settings" in names
        assert f"components.targets.{target}.capabilities" in names
    assert "components.targets.libvirt.settings" in names


@pytest.mark.parametrize("module", sdk_free_modules())
def test_no_provider_sdk_in_the_vocabulary_capabilities_or_settings(module: str) -> None:
    """Neither the module nor anything it imports from the project, by any statement."""
    sdks = {
        (source, imported)
        for source in reachable(module)
        for imported in imports_of(source, MODULES[source], MODULES)
        if imported.split(".")[0] in SDKS
    }
    assert sdks == set()


def test_importing_them_all_loads_no_provider_sdk() -> None:
    probe = "import importlib, json, sys\n" + "".join(
        f"importlib.import_module({name!r})\n" for name in sdk_free_modules()
    )
    probe += "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi'))))"
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert set(json.loads(run.stdout)) & SDKS == set()

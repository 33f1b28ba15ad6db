"""One measurement in a process of its own: `python -m benchmarks.measure KIND ...`.

Prints one JSON object: the CPU and wall time of the evaluation alone (everything is
imported and every SDK module the program touches is loaded before the clock starts),
the CPU spent before it (imports), the process's peak RSS, and the recorded graph's size
and critical path. KIND is `project` (the offline preview's own entry point,
`run_preview`: stack file, spec, resolve, resources), `baseline` (reading the same stack
file, then the hand-written program under the same mock runtime) or `floor` (`--count`
trivial resources under the same mock runtime).
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The SDK classes each target's programs use: some SDKs load a module on first attribute
# access, which must not be timed as evaluation.
SDK_CLASSES: dict[str, tuple[str, ...]] = {
    "docker": ("pulumi_docker:Provider,Network,Volume,RemoteImage,Container",),
    "kubernetes": (
        "pulumi_kubernetes:Provider",
        "pulumi_kubernetes.core.v1:Namespace,Secret,Service",
        "pulumi_kubernetes.apps.v1:Deployment,StatefulSet",
        "pulumi_kubernetes.networking.v1:NetworkPolicy",
        "pulumi_kubernetes.policy.v1:PodDisruptionBudget",
        "pulumi_kubernetes.node.v1:RuntimeClass",
    ),
    "vm": ("pulumi_libvirt:Provider,Network,Volume,CloudInitDisk,Domain",),
}
SDK_CLASSES["hybrid"] = (
    *SDK_CLASSES["vm"],
    *SDK_CLASSES["kubernetes"],
    "pulumi_random:RandomPassword",
    "pulumi_tls:PrivateKey,SelfSignedCert,CertRequest,LocallySignedCert",
    "pulumi.dynamic:Resource",
)


def load_sdk(target: str) -> None:
    """Import every SDK module and class a program for `target` uses."""
    for entry in SDK_CLASSES[target]:
        module, _, names = entry.partition(":")
        loaded = importlib.import_module(module)
        for name in names.split(","):
            getattr(loaded, name)


def _timed(run: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    # Through a C function nothing else calls, so callgrind can count the evaluation alone
    # (`benchmarks.instructions` dumps on entering and leaving it); tracing stays off.
    result = sys.call_tracing(run, ())
    return result, time.process_time() - cpu, time.perf_counter() - wall


def measure(kind: str, directory: Path | None, target: str | None, count: int) -> dict[str, Any]:
    """Run one evaluation of `kind` and describe it (see the module docstring)."""
    from benchmarks.graph import critical_path
    from benchmarks.harness import run_program
    from components.offline.runner import run_preview, stack_config
    from components.targets import module_path

    stack = "bench"
    if kind == "project":
        assert directory is not None and target is not None
        importlib.import_module(module_path(target, "component"))
        load_sdk(target)
        setup = time.process_time()
        preview, cpu, wall = _timed(lambda: run_preview(directory, stack))
    elif kind == "baseline":
        assert directory is not None and target is not None
        from benchmarks.baselines import BASELINES

        program = BASELINES[target]
        load_sdk(target)
        setup = time.process_time()
        preview, cpu, wall = _timed(
            lambda: run_program(lambda: program(directory), stack, stack_config(directory, stack, None, None))
        )
    else:
        from benchmarks.baselines import floor
        from components.offline.stackfile import StackConfig

        setup = time.process_time()
        preview, cpu, wall = _timed(
            lambda: run_program(lambda: floor.program(count), stack, StackConfig({}, set()))
        )
    path = critical_path(preview.resources)
    return {
        "kind": kind,
        "target": target,
        "resources": len(preview.resources),
        "custom": sum(r.custom for r in preview.resources),
        "eval_cpu": cpu,
        "eval_wall": wall,
        "setup_cpu": setup,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "critical_path": path.steps,
        "chain": list(path.chain),
        "warnings": len(preview.warnings),
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    parser.add_argument("kind", choices=("project", "baseline", "floor"))
    parser.add_argument("--dir", type=Path, help="stacks directory with app.yaml and Pulumi.bench.yaml")
    parser.add_argument("--target")
    parser.add_argument("--count", type=int, default=0, help="trivial resources (floor)")
    args = parser.parse_args(argv)
    result = measure(args.kind, args.dir, args.target, args.count)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

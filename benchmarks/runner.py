"""The series: every measurement in a process of its own, interleaved, then aggregated.

For each repeat, each N and each target, in this order: the project's evaluation, the SDK
floor with as many resources as the project made (the median of FLOOR_RUNS runs), the
baseline's evaluation (docker and kubernetes) and the whole `hybrid preview --json`
command. Neighbours in that order ran under the same load, so ratios are taken pair by
pair and their median reported; this machine's speed drifts by a fifth over minutes, so
each round measures every N in turn and the repeats of one N are spread over the whole
series; in each round, sizes up to 100 services (runs of seconds, the noisiest) are
measured three times. Before the series, the same kinds run on a 1-service app (floor:
0 resources): their peak RSS, which is mostly imports, is subtracted to give memory per
resource.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from .specgen import STACK, Workdir, generate_spec, write_workdir

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("docker", "vm", "hybrid", "kubernetes")
# Targets with a hand-written baseline (`baselines.BASELINES`, not imported here: see `runner_rss_kb`).
BASELINE_TARGETS = ("docker", "kubernetes")
TIMEOUT = 3600
Progress = Callable[[str], None]


# Runs of a few seconds or less are the noisiest: sizes up to SMALL_N run this many times
# the repeats asked for.
SMALL_N, SMALL_REPEAT_FACTOR = 100, 3
# The floor's CPU per resource varies from run to run by about a tenth either way, even
# between neighbours and within one process (1,000 resources: 630 to 840 us each in 24
# runs back to back), more than the project's: each pair takes the median of this many.
FLOOR_RUNS = 3


class MeasurementError(RuntimeError):
    """A measured process failed; the message says which and how."""


@dataclass
class Series:
    """Every raw measurement of a run, in the order taken."""

    measurements: list[dict[str, Any]] = field(default_factory=list)

    def of(self, kind: str, target: str | None, n: int) -> list[dict[str, Any]]:
        """The measurements of one kind, target and N, by repeat."""
        return [m for m in self.measurements if m["kind"] == kind and m["target"] == target and m["n"] == n]


def _hybrid_command() -> str:
    return str(Path(sys.executable).with_name("hybrid"))


def run_measure(
    args: list[str], wrapper: Sequence[str] = (), env: dict[str, str] | None = None, timeout: int = TIMEOUT
) -> dict[str, Any]:
    """One `benchmarks.measure ARGS` process (run under `wrapper`, if any): what it printed."""
    done = subprocess.run(
        [*wrapper, sys.executable, "-m", "benchmarks.measure", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise MeasurementError(f"measure {' '.join(args)} exited {done.returncode}: {tail}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_eval(kind: str, workdir: Workdir) -> dict[str, Any]:
    """The project's (`kind="project"`) or the baseline's evaluation of `workdir`."""
    return run_measure([kind, "--dir", str(workdir.directory), "--target", workdir.target])


def measure_floor(count: int, runs: int = 1) -> dict[str, Any]:
    """`count` trivial resources under the mock runtime, in `runs` processes: the run of median
    evaluation CPU, with every run's CPU in the order taken (`eval_cpu_runs`)."""
    taken = [run_measure(["floor", "--count", str(count)]) for _ in range(runs)]
    chosen = sorted(taken, key=lambda run: run["eval_cpu"])[(runs - 1) // 2]
    return {**chosen, "eval_cpu_runs": [run["eval_cpu"] for run in taken]}


def run_timed(
    command: list[str], output: Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run `command` with stdout into `output`; its exit code, wall time, and from the
    kernel's accounting of that one child, CPU time (user + system) and peak RSS."""
    with output.open("wb") as out, tempfile.TemporaryFile() as err:
        wall = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - wall
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return {
        "exit": process.returncode,
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "maxrss_kb": usage.ru_maxrss,
        "stderr": stderr,
    }


def measure_command(workdir: Workdir) -> dict[str, Any]:
    """The whole `hybrid preview STACK --spec F --target T --json`, as a user runs it.
    Exit 0 or 1 (a mandatory control failed) are results; anything else is an error."""
    output = workdir.directory / "preview.json"
    command = [_hybrid_command(), "preview", workdir.stack, "--spec", str(workdir.spec)]
    command += ["--target", workdir.target, "--json", "--stacks-dir", str(workdir.directory)]
    result = run_timed(command, output)
    if result["exit"] not in (0, 1):
        tail = (result["stderr"].strip().splitlines() or ["no output"])[-1]
        raise MeasurementError(f"hybrid preview ({workdir.target}) exited {result['exit']}: {tail}")
    counts = output.with_suffix(".count")
    counted = run_timed([sys.executable, "-c", COUNT_DOCUMENT, str(output)], counts)
    if counted["exit"] != 0:
        raise MeasurementError(f"hybrid preview ({workdir.target}) --json printed no document it can read")
    resources, violations = json.loads(counts.read_text())
    output.unlink()
    counts.unlink()
    result.pop("stderr")
    return {**result, "resources": resources, "violations": violations}


# Counts what a `--json` document holds, in a process of its own: the documents of large
# apps would raise the runner's peak RSS, which every process it starts then reports.
COUNT_DOCUMENT = (
    "import json, sys; d = json.load(open(sys.argv[1])); "
    "print(json.dumps([len(d['resources']), len(d.get('violations', []))]))"
)


# What any program of the dev stack imports before its first resource: the SDK and its
# Docker provider, with the same deferred SDK modules as the project.
SDK_IMPORTS = (
    "from components.offline.lazy_sdk import defer_unused_sdk_modules; defer_unused_sdk_modules(); "
    "import pulumi, pulumi_docker; pulumi_docker.Container"
)


def measure_dev_stack(repeat: int) -> list[dict[str, Any]]:
    """`hybrid preview dev` of the shipped stacks, each run next to a process that only
    imports what any program for that stack must (`sdk_import_cpu`: the floor under it).
    One run before them writes the bytecode, as a user's first run does (even where
    PYTHONDONTWRITEBYTECODE is set, as in this machine's image)."""
    writing = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [_hybrid_command(), "preview", "dev"]
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "out.txt"
        run_timed(command, output, env=writing)
        run_timed([sys.executable, "-c", SDK_IMPORTS], output, env=writing)
        runs = []
        for _ in range(repeat):
            run = run_timed(command, output)
            floor = run_timed([sys.executable, "-c", SDK_IMPORTS], output)
            if floor["exit"] != 0:
                raise MeasurementError(f"importing the SDK exited {floor['exit']}: {floor['stderr'].strip()}")
            runs.append({**run, "sdk_import_cpu": floor["cpu"]})
    for run in runs:
        run.pop("stderr")
    return runs


def runner_rss_kb() -> int:
    """This process's peak RSS. Linux carries a process's peak RSS across fork and exec, so a
    child reports at least its parent's: the runner imports no SDK to stay below every child,
    and the report says when a child did not (its figure would then be the runner's)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _loadavg() -> float:
    return os.getloadavg()[0]


def run_series(
    ns: Iterable[int],
    targets: Iterable[str],
    repeat: int,
    progress: Progress,
    dev_stack: bool = True,
    small_factor: int = SMALL_REPEAT_FACTOR,
    floor_runs: int = FLOOR_RUNS,
) -> tuple[Series, list[dict[str, Any]]]:
    """Measure everything (see the module docstring); the series and the dev stack's runs.
    Sizes up to SMALL_N are measured `repeat * small_factor` times, the others `repeat`;
    each floor is the median of `floor_runs` runs."""
    series = Series()
    ns, targets = list(ns), list(targets)

    def record(kind: str, target: str | None, n: int, repeat_index: int, result: dict[str, Any]) -> None:
        entry = {
            **result,
            "kind": kind,
            "target": target,
            "n": n,
            "repeat": repeat_index,
            "loadavg": _loadavg(),
        }
        series.measurements.append(entry)
        cpu = result.get("eval_cpu", result.get("cpu", 0.0))
        where = f"{kind:<8} {target or '-':<10} N={n:<5} #{repeat_index}"
        progress(f"{where} {cpu:8.3f} s cpu  {result.get('resources')} res")

    with tempfile.TemporaryDirectory(prefix="hybrid-bench-") as scratch:
        root = Path(scratch)
        workdirs = {
            (target, n): write_workdir(root / f"{target}-{n}", generate_spec(n), target, STACK)
            for n in [1, *ns]
            for target in targets
        }
        for repeat_index in range(repeat):
            for target in targets:  # the 1-service apps: what every process costs before the work
                base = workdirs[(target, 1)]
                record("project", target, 1, repeat_index, measure_eval("project", base))
                if target in BASELINE_TARGETS:
                    record("baseline", target, 1, repeat_index, measure_eval("baseline", base))
                record("command", target, 1, repeat_index, measure_command(base))
            record("floor", None, 0, repeat_index, measure_floor(0))
        for round_index in range(repeat):
            for n in ns:
                runs = small_factor if n <= SMALL_N else 1
                for repeat_index, target in product(
                    range(round_index * runs, (round_index + 1) * runs), targets
                ):
                    workdir = workdirs[(target, n)]
                    project = measure_eval("project", workdir)
                    record("project", target, n, repeat_index, project)
                    floor = measure_floor(project["resources"], floor_runs)
                    record("floor", target, n, repeat_index, floor)
                    if target in BASELINE_TARGETS:
                        record("baseline", target, n, repeat_index, measure_eval("baseline", workdir))
                    record("command", target, n, repeat_index, measure_command(workdir))
    dev = measure_dev_stack(repeat) if dev_stack else []
    for run in dev:
        progress(
            f"dev stack  {run['cpu']:.3f} s cpu  exit {run['exit']}"
            f"  (SDK imports alone {run['sdk_import_cpu']:.3f} s)"
        )
    return series, dev


def median(values: Iterable[float]) -> float:
    """The median (NaN for no values)."""
    found = list(values)
    return statistics.median(found) if found else float("nan")

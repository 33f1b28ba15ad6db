"""Benchmarks of the program against hand-written Pulumi programs (issue 16).

Not tests: `uv run python -m benchmarks --help`. The parts:
- `specgen`: deterministic specs of N services (and a fixed-depth variant);
- `harness`: runs any program function under the project's mock runtime;
- `baselines`: the same resources made by hand with the provider SDKs (docker,
  kubernetes), and the SDK floor (trivial resources);
- `graph`: the critical path of a recorded resource graph;
- `measure`: one measurement, in a process of its own;
- `runner` and `report`: the interleaved series, the table and the JSON;
- `instructions`: executed instructions per resource (callgrind), which decide the
  linear goal where CPU time is too noisy;
- `arguments`: command-line arguments both commands share;
- `profile`: cProfile and tracemalloc of one project run, for finding hot spots.
"""

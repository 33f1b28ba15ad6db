"""Hostile documents for fuzzing: the shipped specs and stack files mutated as text (bytes
inserted, deleted, flipped; lines repeated, so keys are written twice; YAML syntax, odd
unicode and binary junk spliced in) and as data (any value replaced by another: huge
numbers, dates, NaN, long or strange text, deep nesting; keys added and removed), plus the
classic attacks (alias bombs, recursive aliases, deep nesting, numbers of thousands of
digits) and plain binary junk.

Hypothesis draws one seed per document and a `random.Random` does the rest: drawing each
byte through hypothesis costs more than reading and validating the document, and 10,000
documents have to run in seconds. Tests `note()` the document, so a failure prints it.
"""

from __future__ import annotations

import copy
import datetime
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SPEC_FILES = [ROOT / "stacks" / "app.yaml", ROOT / "tests" / "fixtures" / "insecure-app.yaml"]
STACK_FILES = [
    *sorted((ROOT / "stacks").glob("Pulumi.*.yaml")),
    ROOT / "tests" / "fixtures" / "Pulumi.insecure.yaml",
]
SPEC_TEXTS = [p.read_bytes() for p in SPEC_FILES]
STACK_TEXTS = [p.read_bytes() for p in STACK_FILES]
SPEC_DATA = [yaml.safe_load(t) for t in SPEC_TEXTS]
STACK_DATA = [yaml.safe_load(t) for t in STACK_TEXTS]
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

ODD_TEXT = [
    "\ufeff",  # a byte order mark, here in the middle
    "\u200b",  # zero width space
    "\u202e",  # right-to-left override
    "\u2028",  # line separator
    "\x85",  # next line
    "\u00e9",
    "e\u0301",  # a combining accent
    "\U0001f600",
    "\t",
    "\r\n",
    "\\",
    "\x00",
    "\x1b[31m",
    "\ud800",  # a lone surrogate: not encodable as UTF-8 unless forced
]
YAML_SYNTAX = [
    ": ", "- ", "? ", "&a ", "*a", "<<: *a\n", "!!binary ", "!!set ", "!!omap ", "!!timestamp ",
    "!!python/object/apply:os.system ", "!custom ", "---\n", "...\n", "%YAML 1.1\n", "{", "}", "[",
    "]", '"', "'", "#", "|\n", ">-\n", ",", "\n", "  ", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
    "0x1F", "0o17", "1_000", "1:30", ".nan", "-.inf", "1e400", "~", "null", "yes", "on",
]  # fmt: skip
WORDS = [
    "256Mi", "0.5", "10s", "x:1", "/data", "//data", "/var//log/", "/a/../b", "tcp", "udp", "vm",
    "web", "db", "api", "redis", "1Gi", "500m", "0", "-1", "PATH", "CMD-SHELL", "app\n", "http",
    "80", "a--b", "1000:1000", "v1.33.2+k3s1", "qemu:///system", "10.77.0.0/24", "0.0.0.0",
    "https://get.k3s.io", "docker", "hybrid", "kubernetes", "LoadBalancer", "ssh-ed25519 AAAA x",
]  # fmt: skip
KEYS = [
    "image", "command", "env", "secret_env", "ports", "replicas", "resources", "health", "volumes",
    "tmpfs", "depends_on", "egress", "isolation", "user", "read_only_root", "exec", "http", "tcp",
    "interval", "name", "port", "path", "size", "cpus", "memory", "host_port", "public", "app",
    "services", "config", "hybrid-platform:target", "hybrid-platform:cluster", "hybrid-platform:libvirt",
    "hybrid-platform:kubernetes", "hybrid-platform:docker", "hybrid-platform:secrets",
    "hybrid-platform:overrides", "hybrid-platform:spec", "secure",
]  # fmt: skip


def huge_number(rnd: random.Random) -> str:
    """A number literal from large to absurd."""
    kind = rnd.randrange(4)
    if kind == 0:
        return "9" * rnd.choice([20, 300, 1001, 4301, 6000])
    if kind == 1:
        return "0x" + "f" * rnd.choice([16, 500, 4000])
    if kind == 2:
        return rnd.choice(["1.0e+308", "1e308", "-1.0e+308", "1e999", "1.5e300", "-0.0"])
    unit = rnd.choice(["Mi", "Gi", "Pi", "m", "s", "h", "ms", ""])
    return "9" * rnd.choice([5, 19, 40, 400]) + unit


def deep_nesting(rnd: random.Random) -> str:
    depth = rnd.choice([63, 65, 100, 1000, 5000])
    kind = rnd.randrange(4)
    if kind == 0:
        return "[" * depth + "]" * depth
    if kind == 1:
        return "{a: " * depth + "1" + "}" * depth
    depth = min(depth, 300)
    if kind == 2:
        return (
            "\n" + "".join(" " * (2 * i) + f"  k{i}:\n" for i in range(depth)) + " " * (2 * depth + 2) + "x\n"
        )
    return "- " * depth + "x"


def alias_bomb(rnd: random.Random) -> str:
    if rnd.random() < 0.3:
        return rnd.choice(["&d {x: *d}", "&d [*d]", "&d {x: [1, {y: *d}]}", "&a [&b [*a, *b]]"])
    levels, width = rnd.randint(2, 12), rnd.randint(2, 12)
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n" + "\n".join(f"  {line}" for line in lines) + "\n"


def junk(rnd: random.Random) -> bytes:
    """A fragment to splice into a document."""
    kind = rnd.randrange(8)
    if kind == 0:
        return rnd.randbytes(rnd.randint(1, 8))
    text = [
        lambda: rnd.choice(YAML_SYNTAX),
        lambda: rnd.choice(ODD_TEXT),
        lambda: rnd.choice(WORDS),
        lambda: huge_number(rnd),
        lambda: deep_nesting(rnd),
        lambda: alias_bomb(rnd),
        lambda: "".join(chr(rnd.randrange(0x20, 0x3000)) for _ in range(rnd.randint(1, 6))),
    ][kind - 1]()
    return text.encode("utf-8", "surrogatepass")


def text_mutation(rnd: random.Random, texts: list[bytes]) -> bytes:
    """A shipped file with a few byte-level edits."""
    doc = bytearray(rnd.choice(texts))
    for _ in range(rnd.randint(1, 4)):
        position = rnd.randint(0, len(doc))
        edit = rnd.randrange(5)
        if edit == 0:
            doc[position:position] = junk(rnd)
        elif edit == 1:
            doc[position : position + rnd.randint(1, 12)] = junk(rnd)
        elif edit == 2:
            del doc[position : position + rnd.randint(1, 40)]
        elif edit == 3:  # a line repeated: a key written twice, or an entry listed twice
            start = doc.rfind(b"\n", 0, position) + 1
            end = doc.find(b"\n", position)
            end = len(doc) if end < 0 else end + 1
            doc[start:start] = doc[start:end]
        elif position < len(doc):
            doc[position] ^= rnd.randint(1, 255)
    return bytes(doc)


# Pieces of text values; a lone surrogate only goes into text mutations (it cannot be dumped).
TEXT_PIECES = [*(t for t in ODD_TEXT if t != "\ud800"), "a", "-", ".", "/", ":", " ", "Z"]


def scalar(rnd: random.Random) -> Any:
    """A YAML scalar as data: the kinds a loader can produce, and some it should not."""
    makers: list[Callable[[], Any]] = [
        lambda: None,
        lambda: rnd.random() < 0.5,
        lambda: rnd.randint(-5, 70000),
        lambda: rnd.choice([0, 1, -1, 2**31, 2**63, 2**64 + 1, 10**30, 65536, 1025]),
        lambda: rnd.choice([0.0, 0.5, -0.5, 1e-9, 1e308, float("inf"), float("-inf"), float("nan")]),
        lambda: rnd.choice(WORDS),
        lambda: "".join(rnd.choice(TEXT_PIECES) for _ in range(rnd.randint(0, 8))),
        lambda: rnd.choice(["x" * 41, "y" * 5000, "z" * 40000, ""]),
        lambda: datetime.date(2024, 1, 1),
        lambda: datetime.datetime(2001, 12, 14, 21, 59, 43),
        lambda: huge_number(rnd),
    ]
    return rnd.choice(makers)()


def value(rnd: random.Random, depth: int = 0) -> Any:
    """Any data: a scalar, or a small list or mapping of values."""
    kind = rnd.random()
    if depth >= 3 or kind < 0.6:
        return scalar(rnd)
    if kind < 0.8:
        return [value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return {rnd.choice([*KEYS, "x", 1, True]): value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, item in data.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            found += _paths(item, (*prefix, i))
    return found


def data_mutation(rnd: random.Random, documents: list[Any]) -> bytes:
    """A shipped file as data with values replaced, keys added or removed, dumped as YAML."""
    doc = copy.deepcopy(rnd.choice(documents))
    for _ in range(rnd.randint(1, 3)):
        path = rnd.choice(_paths(doc))
        if not path:
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        edit = rnd.randrange(4)
        if edit <= 1:
            parent[path[-1]] = value(rnd)
        elif edit == 2:
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rnd.choice(KEYS)] = value(rnd)
        else:
            parent.append(value(rnd))
    text = yaml.dump(doc, Dumper=DUMPER, allow_unicode=rnd.random() < 0.5)
    return text.encode("utf-8", "surrogatepass")


def attack(rnd: random.Random, head: bytes) -> bytes:
    """A small valid head, then one of the classic attacks as the value of a key."""
    payload = rnd.choice([deep_nesting, alias_bomb, huge_number])(rnd)
    return head + b"x: " + payload.encode("utf-8")


def document(rnd: random.Random, texts: list[bytes], data: list[Any], head: bytes) -> bytes:
    """Any hostile variant of the shipped documents."""
    kind = rnd.random()
    if kind < 0.4:
        return text_mutation(rnd, texts)
    if kind < 0.8:
        return data_mutation(rnd, data)
    if kind < 0.9:
        return attack(rnd, head)
    if kind < 0.95:
        return rnd.randbytes(rnd.randint(0, 64))
    return rnd.choice(texts)


spec_documents = st.randoms(use_true_random=True).map(
    lambda rnd: document(rnd, SPEC_TEXTS, SPEC_DATA, b"app: x\nservices: {a: {image: x}}\n")
)
stack_documents = st.randoms(use_true_random=True).map(
    lambda rnd: document(rnd, STACK_TEXTS, STACK_DATA, b"config:\n  hybrid-platform:target: docker\n")
)

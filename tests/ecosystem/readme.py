"""The README's sections for users of the package, as code blocks a test can run or check."""

from __future__ import annotations

import re
import shlex

from tests.ecosystem.template import ROOT

README = ROOT / "README.md"


def section(title: str) -> str:
    """The text of the `## title` section, up to the next `## ` heading."""
    text = README.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def code_blocks(title: str, language: str) -> list[str]:
    """The fenced code blocks of a language in a section."""
    return re.findall(rf"```{language}\n(.*?)```", section(title), flags=re.DOTALL)


def commands(title: str, program: str) -> list[list[str]]:
    """Each command line of `program` in the section's shell blocks, without its comment."""
    found = []
    for block in code_blocks(title, "sh"):
        for line in block.splitlines():
            if line.startswith(f"{program} "):
                found.append(shlex.split(line, comments=True))
    return found

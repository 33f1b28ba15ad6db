"""What an import could not keep, and what it needs from the user, collected per input file."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..appspec import Problem, SpecError


@dataclass(frozen=True)
class SecretToSet:
    """A secret the imported spec names; the value stays with the user, never in the spec."""

    name: str
    command: str
    origin: str


@dataclass
class Report:
    """Warnings (kept going) and problems (bad input: exit 2) about one input file."""

    source: str
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def warn(self, path: str, message: str) -> None:
        """Something the spec cannot keep, at `path` in the input, with what to do."""
        self.warnings.append(Problem(path, message))

    def error(self, path: str, message: str) -> None:
        """Input that cannot be imported at all."""
        self.problems.append(Problem(path, message))

    def warning_lines(self) -> list[str]:
        """`warning: FILE: path: message`, one per warning, in the order found."""
        return [
            f"warning: {self.source}: {w.path}: {w.message}"
            if w.path
            else f"warning: {self.source}: {w.message}"
            for w in self.warnings
        ]

    def sort_by_service(self, services: list[str]) -> None:
        """Order warnings by their service's place in the file (file-level ones first), keeping
        the order found within a service."""
        position = {f"services.{name}": i for i, name in enumerate(services)}

        def key(warning: Problem) -> int:
            parts = warning.path.split(".")
            return position.get(".".join(parts[:2]).split("[")[0], -1)

        self.warnings.sort(key=key)

    def raise_if_problems(self) -> None:
        """Stop with every problem found so far, one line each."""
        if self.problems:
            raise SpecError(self.source, self.problems)

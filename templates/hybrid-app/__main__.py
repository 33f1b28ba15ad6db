"""The Pulumi program of ${PROJECT}: the app in stacks/app.yaml, deployed where each stack
file in stacks/ says. All of it lives in the installed hybrid-platform package."""

from pathlib import Path

from components.program import pulumi_main

pulumi_main(Path(__file__).resolve().parent / "stacks")

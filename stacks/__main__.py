"""The Pulumi program of hybrid-platform; all of it lives in `components`."""

from pathlib import Path

from components.program import pulumi_main

pulumi_main(Path(__file__).resolve().parent)

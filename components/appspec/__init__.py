"""The application spec: plain validated data, no Pulumi. See README.md for the reference."""

from .app import AppSpec
from .errors import Problem, SpecError
from .health import ExecProbe, HealthSpec, HttpProbe, Probe, TcpProbe
from .load import load_spec, parse_spec
from .overrides import ServiceOverride, apply_overrides
from .ports import PortSpec
from .resources import ResourcesSpec
from .service import ISOLATION_STRENGTH, Isolation, ServiceSpec
from .volumes import VolumeSpec
from .yaml_reader import load_yaml, read_yaml

__all__ = [
    "ISOLATION_STRENGTH",
    "AppSpec",
    "ExecProbe",
    "HealthSpec",
    "HttpProbe",
    "Isolation",
    "PortSpec",
    "Probe",
    "Problem",
    "ResourcesSpec",
    "ServiceOverride",
    "ServiceSpec",
    "SpecError",
    "TcpProbe",
    "VolumeSpec",
    "apply_overrides",
    "load_spec",
    "load_yaml",
    "parse_spec",
    "read_yaml",
]

"""The Docker target: the app as containers on one Docker host."""

from .capabilities import CAPABILITIES
from .component import DockerApp

__all__ = ["CAPABILITIES", "DockerApp"]

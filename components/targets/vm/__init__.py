"""The VM target: the app on libvirt, one VM per replica, each with its own kernel."""

from .capabilities import CAPABILITIES
from .component import VmApp

__all__ = ["CAPABILITIES", "VmApp"]

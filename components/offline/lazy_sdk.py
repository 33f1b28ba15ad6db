"""Parts of the Pulumi SDK a preview rarely uses, loaded on first use instead of with `pulumi`.

`import pulumi` imports `pulumi.dynamic` (which loads `dill` and `multiprocessing`) and
`pulumi.automation` eagerly, a fifth of the SDK's import time, though only stacks with a
readiness gate use the first and only the live tests the second. Registered here before
`pulumi` is imported, each is a module whose code runs on the first access to a name it
defines, so every program and test sees it unchanged. (`importlib.util.LazyLoader` cannot
serve: on Python 3.11 the import system reads `__spec__` of a module found in `sys.modules`,
which loads a lazy module at once.) Where `pulumi` is already imported (under `pulumi up`,
the language host imports it first) this does nothing.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading
import types

DEFERRED = ("pulumi.dynamic", "pulumi.automation")
_LOCK = threading.RLock()
_LOADING = "__deferred_loading__"


class _Deferred(types.ModuleType):
    """A module whose code has not run yet; the first missing name runs it (once)."""

    def __getattr__(self, name: str) -> object:
        with _LOCK:
            if type(self) is _Deferred and not self.__dict__.get(_LOADING):
                self.__dict__[_LOADING] = True
                try:
                    assert self.__spec__ is not None and self.__spec__.loader is not None
                    self.__spec__.loader.exec_module(self)
                finally:
                    del self.__dict__[_LOADING]
                    self.__class__ = types.ModuleType  # type: ignore[assignment]
        if name in self.__dict__:
            return self.__dict__[name]
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")


def defer_unused_sdk_modules() -> None:
    """Register `DEFERRED` as modules loaded on first use, unless `pulumi` is already imported."""
    if "pulumi" in sys.modules:
        return
    package = importlib.util.find_spec("pulumi")  # finds, does not import, a top-level package
    if package is None or not package.submodule_search_locations:
        return
    for name in DEFERRED:
        if name in sys.modules:
            continue
        spec = importlib.machinery.PathFinder.find_spec(name, list(package.submodule_search_locations))
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _Deferred
        sys.modules[name] = module

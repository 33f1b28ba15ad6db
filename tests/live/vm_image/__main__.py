"""Build (or find) the VM tests' base image and print its path: `.ci/run`'s image phase."""

from __future__ import annotations

import sys
import time

from tests.live.vm_image import ImageUnavailable, base_image

started = time.monotonic()
try:
    path = base_image()
except ImageUnavailable as error:
    print(f"vm image: {error}", file=sys.stderr)
    sys.exit(1)
print(f"vm image: {path} ({time.monotonic() - started:.0f} s)")

"""Building the test guests of guests/ (always this repository's, never a student's)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .lock import exclusive
from .scenario import GUESTS, Scenario, resolve_linux, uses_linux

LINUX_BUILD = GUESTS / "linux" / "build.py"
LINUX_BUILD_TIMEOUT_S = 3600


class GuestBuildError(RuntimeError):
    pass


def build_guests(arch: str) -> None:
    """make -C guests ARCH=arch; quick when nothing changed."""
    with exclusive(GUESTS / "build" / f".{arch}.lock"):
        done = subprocess.run(["make", "-s", "-C", str(GUESTS), f"ARCH={arch}"],
                              capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise GuestBuildError(f"the test guests do not build:\n{done.stdout}{done.stderr}")


def build_linux(arch: str, quiet: bool = False) -> Path:
    """The Linux guest's Image, built (minutes, the first time) or taken from the cache."""
    cmd = ["/usr/bin/python3", str(LINUX_BUILD), "--arch", arch, "--print-path"]
    if quiet:
        cmd.append("--quiet")
    # Progress goes to stderr, where the person waiting can see it.
    done = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE if quiet else None, text=True,
                          timeout=LINUX_BUILD_TIMEOUT_S)
    if done.returncode != 0:
        raise GuestBuildError("the Linux guest does not build"
                              + (f":\n{done.stderr[-3000:]}" if quiet and done.stderr else
                                 " (see above)"))
    image = Path(done.stdout.strip().splitlines()[-1])
    if not image.is_file():
        raise GuestBuildError(f"guests/linux/build.py named {image}, which does not exist")
    return image


def prepare_guests(scenario: Scenario, arch: str, quiet: bool = False) -> None:
    """Builds what the scenario's VMs run: the test guests, and Linux if one asks for it."""
    build_guests(arch)
    if uses_linux(scenario):
        resolve_linux(scenario, build_linux(arch, quiet))

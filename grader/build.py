"""Building the tree under test: once per grading session, its failure reported as BUILD-ERROR."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .outcomes import BuildError, InfraError

from hvlab.lock import exclusive

BUILD_TIMEOUT_S = 600
# Lines worth showing a student from a failed build: the compiler's and linker's own.
DIAGNOSTIC = re.compile(r"(error|undefined reference|multiple definition|No rule to make)",
                        re.I)


@dataclass(frozen=True)
class Image:
    tree: Path
    arch: str
    bin: Path    # what QEMU loads
    elf: Path    # the same with symbols, for GDB and address checks


def _diagnostics(output: str, limit: int = 30) -> str:
    lines = output.splitlines()
    keep: list[int] = []
    for i, line in enumerate(lines):
        if DIAGNOSTIC.search(line):
            keep.extend(range(max(0, i - 1), min(len(lines), i + 3)))
    chosen = sorted(set(keep))[:limit] or list(range(max(0, len(lines) - limit), len(lines)))
    return "\n".join("    " + lines[i] for i in chosen)


def build_tree(tree: Path, arch: str, repo: Path, log_path: Path) -> Image:
    """Runs the tree's own Makefile with this repository's tools (ROOT=repo)."""
    if not (tree / "Makefile").is_file():
        raise InfraError(f"{tree} has no Makefile: is it a hypervisor tree?")
    if not (tree / "arch" / arch).is_dir():
        raise BuildError(f"{tree} has no arch/{arch}: this tree does not support ARCH={arch}")
    cmd = ["make", "-C", str(tree), f"ARCH={arch}", f"ROOT={repo}", "all"]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with exclusive(tree / "build" / f".{arch}.lock"):
            done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, errors="replace", timeout=BUILD_TIMEOUT_S)
    except FileNotFoundError:
        raise InfraError("make is not installed (tools/deps.sh installs it)") from None
    except subprocess.TimeoutExpired:
        raise BuildError(f"the build took longer than {BUILD_TIMEOUT_S} s") from None
    log_path.write_text(f"$ {' '.join(cmd)}\n{done.stdout}")
    if done.returncode != 0:
        raise BuildError(f"the tree does not build (make exited with {done.returncode}); "
                         f"the compiler said:\n{_diagnostics(done.stdout)}\n"
                         f"full build log: {log_path}")
    out = tree / "build" / arch
    image = Image(tree=tree, arch=arch, bin=out / "hvlab.bin", elf=out / "hvlab.elf")
    if not image.bin.is_file():
        raise BuildError(f"make succeeded but {image.bin} was not produced")
    return image

"""Small helpers that turn a failed check into a message a student can act on."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .outcomes import GradeFailure, InfraError
from .runner import QemuRun


def check(condition: bool, run: QemuRun | None, expected: str, got: str) -> None:
    """Fails the test with 'expected ... got ...' and the log's last lines."""
    if condition:
        return
    msg = f"expected: {expected}\ngot:      {got}"
    if run is not None:
        msg += f"\nlast lines of the serial log ({run.log_path}):\n{run.tail()}"
    raise GradeFailure(msg)


def elf_symbols(elf: Path, nm: str) -> dict[str, int]:
    """Symbol name -> address, from the arch's nm."""
    try:
        out = subprocess.run([nm, str(elf)], capture_output=True, text=True,
                             check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise InfraError(f"cannot read the symbols of {elf}: {e}") from None
    symbols = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            symbols[parts[2]] = int(parts[0], 16)
    return symbols

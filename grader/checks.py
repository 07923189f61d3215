"""Small helpers that turn a failed check into a message a student can act on."""
from __future__ import annotations

import re
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


# When several VMs share the console, each guest line starts with its VM's label (lab 5:
# solutions/core/console_mux.c); a lone VM's lines, and every lab before 5, have none.
GUEST_LABEL = r"(?:vm\d+\| )?"
# A test guest's verdict on one check (guests/include/hvtest.h).
VERDICT = re.compile(rf"^{GUEST_LABEL}hvtest: (\S+) (PASS|FAIL)(?: (.*))?$", re.M)


def guest_verdicts(run: QemuRun, guest: str, expected: list[str], status: int = 0) -> None:
    """Waits for the guest to finish and checks its verdict lines: every name in
    `expected` passed at least once, nothing failed, and the VM shut down with `status`."""
    done = run.expect(rf"^vm0 \({re.escape(guest)}\): (shutdown, status (-?\d+)|stopped.*)$",
                      what=f"vm0 ({guest}) to shut down ('vm0 ({guest}): shutdown, status N')")
    verdicts = VERDICT.findall(run.output)
    failed = [f"{name}: {detail}" for name, outcome, detail in verdicts if outcome == "FAIL"]
    check(not failed, run, "no failed check inside the guest", "; ".join(failed))
    passed = {name for name, outcome, _ in verdicts if outcome == "PASS"}
    missing = [name for name in expected if name not in passed]
    check(not missing, run, f"PASS lines for {', '.join(expected)}",
          f"no PASS for {', '.join(missing)}")
    check(done.group(2) is not None and int(done.group(2)) == status, run,
          f"vm0 ({guest}): shutdown, status {status}", done.group(0))
    run.expect_exit(0 if status == 0 else None,
                    "QEMU's exit status to say " + ("success" if status == 0 else "failure"))


def vms_verdicts(run: QemuRun, names: list[str], expected: list[str]) -> None:
    """Several VMs run the same test guest: waits until all have stopped and checks that
    each shut down with status 0, that no check failed, and that every name in `expected`
    passed once in each VM."""
    run.expect(r"^hvlab: every virtual machine has", what="every VM to finish and stop")
    verdicts = VERDICT.findall(run.output)
    failed = [f"{name}: {detail}" for name, outcome, detail in verdicts if outcome == "FAIL"]
    check(not failed, run, f"every check to pass in all {len(names)} VMs", "; ".join(failed))
    for vm_id, name in enumerate(names):
        ends = rf"^vm{vm_id} \({re.escape(name)}\): (shutdown, status -?\d+|stopped.*)$"
        done = re.findall(ends, run.output, re.M)
        check(done == ["shutdown, status 0"], run, f"vm{vm_id} ({name}): shutdown, status 0",
              "; ".join(done) or "no such line")
    for want in expected:
        passes = sum(1 for name, outcome, _ in verdicts if name == want and outcome == "PASS")
        check(passes == len(names), run, f"{want} PASS in each of the {len(names)} VMs",
              f"{passes} PASS lines")
    run.expect_exit(0, "a clean power-off")


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

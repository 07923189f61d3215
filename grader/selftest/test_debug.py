"""make qemu-gdb + make gdb: GDB attaches on a free port, loads symbols, and a breakpoint
at the C entry point hits."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from grader.selftest.helpers import PYTHON, REPO, SOLUTIONS, arches

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="needs solutions/")


@pytest.mark.parametrize("arch", arches())
def test_breakpoint_at_hv_main(arch: str, tmp_path: Path) -> None:
    port_file = tmp_path / "gdbport"  # not the tree's .gdbport: a student may be debugging
    # make qemu-gdb, exactly as a student runs it (stdin is not a terminal here).
    build = tmp_path / "build"  # its own: other tests may be building the tree meanwhile
    qemu = subprocess.Popen(["make", "-s", "-C", str(SOLUTIONS), "qemu-gdb", f"ARCH={arch}",
                             f"BUILD={build}", f"GDBPORT={port_file}"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not port_file.exists():
            assert qemu.poll() is None, qemu.stdout.read().decode()
            assert time.monotonic() < deadline, "make qemu-gdb never wrote .gdbport"
            time.sleep(0.1)
        time.sleep(0.5)
        # make gdb's script, with batch commands added.
        gdb = subprocess.run(
            [PYTHON, str(REPO / "tools" / "hvgdb.py"), "--arch", arch, "--elf",
             str(build / "hvlab.elf"), "--port-file", str(port_file),
             "--batch", "--ex", "break hv_main", "--ex", "continue", "--ex", "info registers pc",
             "--ex", "kill"],
            capture_output=True, text=True, timeout=120)
        out = gdb.stdout + gdb.stderr
        assert "Breakpoint 1 at 0x" in out, out          # symbols loaded
        assert "Breakpoint 1, hv_main" in out, out        # and the breakpoint hit
        assert "boot_cpu_hwid=" in out and "fdt_addr=" in out, out  # with its arguments
    finally:
        try:
            os.killpg(qemu.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        qemu.wait()

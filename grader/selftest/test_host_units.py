"""Unit tests of the hypervisor's pure library code, compiled for the build machine with
AddressSanitizer and UBSan: the FDT reader (real, broken and mutated blobs) and printf."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from grader.selftest.helpers import REPO, SOLUTIONS
from hvlab.qemu import QemuSpec, dump_dtb_command

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="needs solutions/")

SOURCES = ["lib/fdt.c", "lib/printf.c", "lib/string.c", "lib/errno.c"]


def test_fdt_and_printf_on_the_host(tmp_path: Path) -> None:
    dtb = tmp_path / "virt.dtb"
    spec = QemuSpec(arch="riscv64", kernel=SOLUTIONS / "Makefile", smp=2, append="hello=world")
    subprocess.run(dump_dtb_command(spec, dtb), check=True, capture_output=True, timeout=60)
    exe = tmp_path / "host_test"
    compile_cmd = ["gcc", "-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                   "-Wno-unused-parameter", "-fno-builtin", "-fsanitize=address,undefined",
                   "-fno-sanitize-recover=all", f"-I{SOLUTIONS / 'include'}",
                   str(REPO / "grader" / "unit" / "host_test.c"),
                   *[str(SOLUTIONS / s) for s in SOURCES], "-o", str(exe)]
    built = subprocess.run(compile_cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    done = subprocess.run([str(exe), str(dtb)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", 0 failed" in done.stdout

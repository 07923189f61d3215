"""Unit tests of the hypervisor's pure library code, compiled for the build machine with
AddressSanitizer and UBSan: the FDT reader (real, broken and mutated blobs) and printf, the
stage-2 tables of both arches, the MMIO decoders and the virtual PLIC."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from grader.selftest.helpers import REPO, SOLUTIONS
from hvlab.qemu import QemuSpec, dump_dtb_command

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="needs solutions/")

SOURCES = ["lib/fdt.c", "lib/printf.c", "lib/string.c", "lib/errno.c"]
HOST_FLAGS = ["gcc", "-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
              "-Wno-unused-parameter", "-fno-builtin", "-fsanitize=address,undefined",
              "-fno-sanitize-recover=all", f"-I{SOLUTIONS / 'include'}"]


def arch_dir(arch: str) -> Path:
    return SOLUTIONS / "arch" / arch


def compile_and_run(tmp_path: Path, name: str, sources: list[Path], args: list[str],
                    extra_flags: tuple[str, ...] = ()) -> str:
    exe = tmp_path / name
    built = subprocess.run([*HOST_FLAGS, *extra_flags, *map(str, sources), "-o", str(exe)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", 0 failed" in done.stdout
    return done.stdout


def test_fdt_and_printf_on_the_host(tmp_path: Path) -> None:
    dtb = tmp_path / "virt.dtb"
    spec = QemuSpec(arch="riscv64", kernel=SOLUTIONS / "Makefile", smp=2, append="hello=world")
    subprocess.run(dump_dtb_command(spec, dtb), check=True, capture_output=True, timeout=60)
    compile_and_run(tmp_path, "host_test",
                    [REPO / "grader" / "unit" / "host_test.c", *(SOLUTIONS / s for s in SOURCES)],
                    [str(dtb)])


@pytest.mark.parametrize("arch", ["riscv64", "arm64"])
def test_stage2_tables_on_the_host(tmp_path: Path, arch: str) -> None:
    """core/stage2.c over Sv39x4 or VMSAv8-64 entries (the arch's asm/stage2.h): map,
    unmap (with block splits), translate, walk, errors, no leaked tables; arm64's device
    memory."""
    compile_and_run(tmp_path, "stage2_test",
                    [REPO / "grader" / "unit" / "stage2_test.c", SOLUTIONS / "core" / "stage2.c"],
                    [], (f"-I{arch_dir(arch) / 'include'}",))


def test_mmio_decoder_on_the_host(tmp_path: Path) -> None:
    """Loads and stores of every width: plain, compressed, and htinst's transformed form."""
    arch = arch_dir("riscv64")
    compile_and_run(tmp_path, "insn_test",
                    [REPO / "grader" / "unit" / "insn_test.c", arch / "insn.c"], [],
                    (f"-I{arch}",))


def test_arm64_mmio_decoder_on_the_host(tmp_path: Path) -> None:
    """ESR_EL2's syndrome (ISV = 1), and the A64 pre/post-index loads and stores and the
    register pairs it cannot describe, assembled by binutils; everything else refused."""
    arch = arch_dir("arm64")
    compile_and_run(tmp_path, "arm64_insn_test",
                    [REPO / "grader" / "unit" / "arm64_insn_test.c", arch / "insn.c"], [],
                    (f"-I{arch}", f"-I{arch / 'include'}"))


def test_vplic_model_on_the_host(tmp_path: Path) -> None:
    """The virtual PLIC: claim order, thresholds, in-service hold, completion, contexts."""
    compile_and_run(tmp_path, "vplic_test",
                    [REPO / "grader" / "unit" / "vplic_test.c", SOLUTIONS / "vdev" / "vplic.c"],
                    [])

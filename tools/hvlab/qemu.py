"""QEMU and GDB command lines for every architecture hvlab targets.

This is the one place that knows how to start a machine: `make qemu`, `make run`,
`make qemu-gdb` and the grader all build their command lines here.
"""
from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ArchInfo:
    qemu: str               # the QEMU binary
    machine: str            # -M
    cpu: str                # -cpu, by default
    firmware: Path | None   # -bios, or None when the hypervisor is entered directly
    gdb_arch: str           # gdb's "set architecture"
    nm: str                 # lists the symbols of the arch's ELF files
    min_memory_mib: int = 128
    # Options that let the hypervisor end QEMU with a failure status, where the machine
    # has no device for that (riscv64: the sifive,test0 device does it, no option needed).
    exit_status: tuple[str, ...] = ()


ARCHES: dict[str, ArchInfo] = {
    # OpenSBI from Debian's opensbi package runs in M-mode and enters the hypervisor in
    # HS-mode at 0x80200000; the H extension is on by default in QEMU's rv64 CPU.
    "riscv64": ArchInfo(
        qemu="qemu-system-riscv64",
        machine="virt",
        cpu="rv64",
        firmware=Path("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"),
        gdb_arch="riscv:rv64",
        nm="riscv64-linux-gnu-nm",
    ),
    # QEMU enters the hypervisor at EL2 directly (no firmware) and offers PSCI itself.
    # Its virt machine has no device to exit with a status, so the grader turns on Arm
    # semihosting, whose SYS_EXIT does (arch/arm64/platform.c); interactive runs do
    # without it: semihosting lets any code at EL1 or above call into QEMU.
    "arm64": ArchInfo(
        qemu="qemu-system-aarch64",
        machine="virt,virtualization=on,gic-version=3",
        cpu="cortex-a72",
        firmware=None,
        gdb_arch="aarch64",
        nm="aarch64-linux-gnu-nm",
        exit_status=("-semihosting-config", "enable=on,target=native"),
    ),
    # No firmware, and QEMU 7.2's virt needs at least 1 GiB of RAM.
    "loongarch64": ArchInfo(
        qemu="qemu-system-loongarch64",
        machine="virt",
        cpu="la464",
        firmware=None,
        gdb_arch="Loongarch64",
        nm="llvm-nm-16",
        min_memory_mib=1024,
    ),
}


class UnknownArch(ValueError):
    pass


def arch_info(arch: str) -> ArchInfo:
    try:
        return ARCHES[arch]
    except KeyError:
        raise UnknownArch(f"unknown ARCH '{arch}' (known: {', '.join(ARCHES)})") from None


@dataclass
class QemuSpec:
    """One machine to boot. Defaults give the machine the labs use."""

    arch: str
    kernel: Path
    memory_mib: int = 256
    smp: int = 1
    cpu: str | None = None           # None: the arch's default CPU
    machine: str | None = None       # None: the arch's machine (-M)
    append: str = ""                 # the boot command line (/chosen/bootargs)
    dtb: Path | None = None          # replace QEMU's generated device tree
    initrd: Path | None = None
    gdb_port: int | None = None      # serve GDB on this port, stopped before the first instruction
    interactive: bool = False        # serial and monitor on the terminal (Ctrl-A X quits)
    serial_file: Path | None = None  # the serial port into this file, never blocking
    disks: list[Path] = field(default_factory=list)  # raw images, as virtio-mmio block devices
    extra: list[str] = field(default_factory=list)


def qemu_command(spec: QemuSpec) -> list[str]:
    info = arch_info(spec.arch)
    memory = max(spec.memory_mib, info.min_memory_mib)
    cmd = [
        info.qemu,
        "-M", spec.machine or info.machine,
        "-cpu", spec.cpu or info.cpu,
        "-m", f"{memory}M",
        "-smp", str(spec.smp),
    ]
    if info.firmware:
        cmd += ["-bios", str(info.firmware)]
    cmd += ["-kernel", str(spec.kernel)]
    if spec.append:
        cmd += ["-append", spec.append]
    if spec.dtb:
        cmd += ["-dtb", str(spec.dtb)]
    if spec.initrd:
        cmd += ["-initrd", str(spec.initrd)]
    if spec.serial_file:
        # A file never pushes back: the guest's console writes cost the same every run.
        cmd += ["-display", "none", "-serial", f"file:{spec.serial_file}", "-monitor", "none"]
    elif spec.interactive:
        cmd += ["-nographic"]
    else:
        # The grader talks to the serial port through a pipe; no monitor to escape into.
        cmd += ["-display", "none", "-serial", "stdio", "-monitor", "none"]
    if not spec.interactive:
        cmd += list(info.exit_status)
    # A reboot request ends QEMU instead of starting over: a test sees it as an exit. No
    # network card: nothing uses one (and arm64's default one wants a ROM file Debian's
    # qemu-system-arm does not bring).
    cmd += ["-no-reboot", "-nic", "none"]
    if spec.gdb_port is not None:
        cmd += ["-gdb", f"tcp:127.0.0.1:{spec.gdb_port}", "-S"]
    # On riscv64's virt the first one takes the last virtio-mmio slot (0x10008000, irq 8).
    for i, disk in enumerate(spec.disks):
        cmd += ["-drive", f"file={disk},if=none,format=raw,id=disk{i}",
                "-device", f"virtio-blk-device,drive=disk{i}"]
    return cmd + list(spec.extra)


def dump_dtb_command(spec: QemuSpec, out: Path) -> list[str]:
    """The command that writes the device tree QEMU would give this machine to `out`."""
    cmd = qemu_command(spec)
    at = cmd.index("-M") + 1
    cmd[at] = f"{cmd[at]},dumpdtb={out}"
    return cmd


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_command(arch: str, elf: Path, port: int, commands: list[str] | None = None,
                batch: bool = False) -> list[str]:
    """gdb-multiarch with the hypervisor's symbols, attached to QEMU's GDB server."""
    cmd = ["gdb-multiarch", "-q", "-nx"]
    if batch:
        cmd.append("-batch")
    cmd += [
        "-ex", f"set architecture {arch_info(arch).gdb_arch}",
        "-ex", f"file {elf}",
        "-ex", f"target remote 127.0.0.1:{port}",
    ]
    for c in commands or []:
        cmd += ["-ex", c]
    return cmd

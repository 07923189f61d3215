"""The device tree a Linux guest boots with, generated from its VM's scenario entry.

It describes what the hypervisor gives the VM: its RAM, one RISC-V hart per vCPU (no H
and no Sstc in its ISA string: the guest's timer goes through SBI), the virtual PLIC at
QEMU virt's address with two contexts per hart (M-mode, which Linux skips, then S-mode),
the emulated 16550A UART (lab 5) as the stdout-path, and the passed-through devices with
their interrupts.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .scenario import VPLIC_SOURCES, VmSpec

VPLIC_BASE = 0x0C00_0000     # solutions/arch/riscv64/include/asm/vm.h: ARCH_VPLIC_BASE
VPLIC_SIZE = 0x400_0000
TIMEBASE_HZ = 10_000_000     # QEMU virt's
GUEST_ISA = "rv64imafdc_zicsr_zifencei"
# Passed-through devices the guest's device tree can describe, by host address on QEMU's
# virt machine (guests/linux's kernel has no RTC driver; other guests may): the RTC and
# the eight virtio-mmio slots (a -device virtio-...-device fills them from the last).
KNOWN_DEVICES = {0x101000: "google,goldfish-rtc",
                 **{0x1000_1000 + 0x1000 * i: "virtio,mmio" for i in range(8)}}
UART_CLOCK_HZ = 3_686_400    # what QEMU's virt machine says of its 16550's clock


class GuestDtError(RuntimeError):
    pass


def _cells(v: int) -> str:
    return f"0x{v >> 32:x} 0x{v & 0xffffffff:x}"


def guest_dts(vm: VmSpec) -> str:
    cpus = []
    for i in range(vm.vcpus):
        cpus.append(f"""\t\tcpu{i}: cpu@{i} {{
\t\t\tdevice_type = "cpu";
\t\t\treg = <{i}>;
\t\t\tcompatible = "riscv";
\t\t\triscv,isa = "{GUEST_ISA}";
\t\t\tmmu-type = "riscv,sv39";
\t\t\tstatus = "okay";
\t\t\tcpu{i}_intc: interrupt-controller {{
\t\t\t\t#interrupt-cells = <1>;
\t\t\t\tinterrupt-controller;
\t\t\t\tcompatible = "riscv,cpu-intc";
\t\t\t}};
\t\t}};""")
    contexts = " ".join(f"&cpu{i}_intc 11 &cpu{i}_intc 9" for i in range(vm.vcpus))
    memory = "\n".join(f"""\tmemory@{r.base:x} {{
\t\tdevice_type = "memory";
\t\treg = <{_cells(r.base)} {_cells(r.size)}>;
\t}};""" for r in vm.memory)
    devices = []
    stdout = ""
    for dev in vm.devices:
        irq = (f"\n\t\t\tinterrupt-parent = <&plic>;\n\t\t\tinterrupts = <{dev.irq}>;"
               if dev.irq else "")
        if dev.type == "uart":
            devices.append(f"""\t\tserial@{dev.base:x} {{
\t\t\tcompatible = "ns16550a";
\t\t\treg = <{_cells(dev.base)} 0x0 0x100>;
\t\t\tclock-frequency = <{UART_CLOCK_HZ}>;{irq}
\t\t}};""")
            stdout = f'\n\t\tstdout-path = "/soc/serial@{dev.base:x}";'
        elif dev.type == "passthrough" and dev.base in KNOWN_DEVICES:
            devices.append(f"""\t\tdevice@{dev.base:x} {{
\t\t\tcompatible = "{KNOWN_DEVICES[dev.base]}";
\t\t\treg = <{_cells(dev.base)} {_cells(dev.size)}>;{irq}
\t\t}};""")
    bootargs = vm.bootargs.replace("\\", "\\\\").replace('"', '\\"')
    return f"""/dts-v1/;

/ {{
\t#address-cells = <2>;
\t#size-cells = <2>;
\tcompatible = "hvlab,guest";
\tmodel = "hvlab guest {vm.name}";

\tchosen {{
\t\tbootargs = "{bootargs}";{stdout}
\t}};

\tcpus {{
\t\t#address-cells = <1>;
\t\t#size-cells = <0>;
\t\ttimebase-frequency = <{TIMEBASE_HZ}>;
{chr(10).join(cpus)}
\t}};

{memory}

\tsoc {{
\t\t#address-cells = <2>;
\t\t#size-cells = <2>;
\t\tcompatible = "simple-bus";
\t\tranges;

\t\tplic: interrupt-controller@{VPLIC_BASE:x} {{
\t\t\tcompatible = "sifive,plic-1.0.0", "riscv,plic0";
\t\t\treg = <{_cells(VPLIC_BASE)} {_cells(VPLIC_SIZE)}>;
\t\t\t#address-cells = <0>;
\t\t\t#interrupt-cells = <1>;
\t\t\tinterrupt-controller;
\t\t\triscv,ndev = <{VPLIC_SOURCES}>;
\t\t\tinterrupts-extended = <{contexts}>;
\t\t}};
{chr(10).join(devices)}
\t}};
}};
"""


def build_guest_dtb(vm: VmSpec, out: Path) -> Path:
    dts = guest_dts(vm)
    out.with_suffix(".dts").write_text(dts)
    done = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out)], input=dts,
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise GuestDtError(f"dtc could not build {vm.name}'s device tree: {done.stderr.strip()}")
    return out

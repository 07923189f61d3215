"""Lab 5 (I/O): the emulated 16550A UART, one console for several VMs, and a disk passed
through to Linux."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

from grader.checks import check, guest_verdicts
from grader.outcomes import InfraError
from grader.plugin import Machine
from grader.runner import QemuRun

from hvlab.disk import DiskError, make_ext2, read_ext2_file
from hvlab.scenario import (UART, Device, Region, Scenario, guest_scenario, guest_vm,
                            linux_scenario)

# The first virtio-mmio slot QEMU fills on riscv64's virt (tools/hvlab/qemu.py: disks).
VIRTIO_BLK = Device("passthrough", 0x1000_8000, 0x1000, irq=8)
CTRL_T = "\x14"    # solutions/include/console_mux.h: CONSOLE_MUX_ESCAPE
SHELL = r"^hvlab-init: shell on /dev/ttyS0$"


def test_uart_registers(machine: Machine) -> None:
    """Every 16550 register Linux uses, loopback, THR-empty and receive interrupts."""
    run = machine.boot_scenario(guest_scenario("uart", machine.grading.arch, identity=False,
                                               devices=[UART]))
    run.expect(r"^uart: transmitted through THR$",
               what="the line the guest wrote byte by byte to THR")
    run.expect(r"^uart: waiting for input$", what="the guest to wait for typed input")
    run.send("hvlab-uart\r")
    run.expect(r"^uart: received 'hvlab-uart'$",
               what="the guest to echo the typed line ('uart: received ...')")
    guest_verdicts(run, "uart", [
        "uart.scratch", "uart.divisor_latch", "uart.ier_bits", "uart.iir_fifo_bits",
        "uart.lsr_idle", "uart.loopback_modem_lines", "uart.loopback_data", "uart.fifo_clear",
        "uart.overrun", "uart.modem_lines", "uart.msr_deltas_clear", "uart.iir_priority",
        "uart.thre_interrupt", "uart.thre_reasserted",
        "uart.receive_interrupt", "uart.rx_drained", "uart.no_stray_interrupt"])


SERIAL_BOOTARGS = "console=ttyS0 earlycon=sbi"


def shell_command(run: QemuRun, command: str, answer: str, what: str) -> re.Match[str]:
    """Types a command at the Linux shell and waits for a line of its output."""
    run.send(command + "\r")
    return run.expect(answer, what=what, timeout_s=60)


def interrupts_of(run: QemuRun, name: str) -> int:
    """How many interrupts /proc/interrupts counts for `name`."""
    m = shell_command(run, f"grep {name} /proc/interrupts",
                      rf"^\s*\d+:\s+(\d+)\s+.*\s{name}$",
                      f"the /proc/interrupts line of {name}")
    return int(m.group(1))


def test_linux_serial(machine: Machine) -> None:
    """Linux runs the emulated UART as ttyS0 with interrupts; its shell answers typing."""
    run = machine.boot_scenario(linux_scenario(machine.grading.arch, SERIAL_BOOTARGS,
                                               devices=[UART]),
                                wall_s=300, idle_s=60)
    # (The type in this line comes from the device tree's "ns16550a"; the uart guest
    # checks the registers Linux's probing would.)
    run.expect(r"ttyS0 at MMIO 0x10000000 \(irq = \d+, base_baud = \d+\)",
               what="Linux's 8250 driver to find the UART")
    run.expect(SHELL, what="init's shell on the UART ('hvlab-init: shell on /dev/ttyS0')")
    shell_command(run, "echo hv$((6*7))lab", r"^hv42lab$", "the shell to answer 'hv42lab'")
    before = interrupts_of(run, "ttyS0")
    check(before > 0, run, "ttyS0 interrupts counted (the driver is not polling)",
          f"{before}")
    shell_command(run, "echo typed-more-input", r"^typed-more-input$", "a second answer")
    after = interrupts_of(run, "ttyS0")
    check(after > before, run, "more ttyS0 interrupts after more typing",
          f"{before} then {after}")
    run.send("poweroff\r")
    run.expect(r"^vm0 \(linux\): shutdown, status 0$", what="Linux to power off")
    run.expect_exit(0, "a clean power-off")


def make_disk(tmp: Path, token: str) -> Path:
    try:
        return make_ext2(tmp / "disk.img", {"hvlab/token.txt": token + "\n"})
    except DiskError as e:
        raise InfraError(str(e)) from None


def test_passthrough_disk(machine: Machine, tmp_path: Path) -> None:
    """Linux mounts a passed-through virtio disk, reads the test's file, writes one back."""
    token, written = secrets.token_hex(8), secrets.token_hex(8)
    disk = make_disk(tmp_path, token)
    scenario = linux_scenario(machine.grading.arch, SERIAL_BOOTARGS, identity=True,
                              devices=[UART, VIRTIO_BLK])
    scenario.disks = [disk]
    run = machine.boot_scenario(scenario, wall_s=300, idle_s=60)
    run.expect(r"^vm0 \(linux\): device hvlab,passthrough at 0x10008000$",
               what="the hypervisor to give the VM the virtio-mmio device")
    run.expect(r"virtio_blk virtio0: \[vda\]", what="Linux to find the disk (vda)")
    run.expect(SHELL, what="init's shell on the UART")
    shell_command(run, "mkdir -p /m && mount -t ext2 /dev/vda /m && echo mounted",
                  r"^mounted$", "the ext2 file system to mount")
    m = shell_command(run, "cat /m/hvlab/token.txt", r"^([0-9a-f]{16})$",
                      "the file's contents")
    check(m.group(1) == token, run, f"the token the test wrote ({token})", m.group(1))
    check(interrupts_of(run, "virtio0") > 0, run, "virtio0 interrupts (through the vPLIC)",
          "none")
    shell_command(run, f"echo {written} > /m/w.txt && umount /m && echo unmounted",
                  r"^unmounted$", "the write and the unmount")
    run.send("poweroff\r")
    run.expect(r"^vm0 \(linux\): shutdown, status 0$", what="Linux to power off")
    run.expect_exit(0, "a clean power-off")
    back = read_ext2_file(disk, "w.txt")
    check(back is not None and back.strip() == written, run,
          f"the disk image to hold w.txt = {written} (Linux's write, by DMA)", repr(back))


def test_passthrough_rules(machine: Machine) -> None:
    """Passthrough needs identity RAM (DMA, no IOMMU); a device and an irq have one owner."""
    arch = machine.grading.arch
    stray = guest_vm("hello", arch, identity=False, devices=[VIRTIO_BLK])
    run = machine.boot_scenario(Scenario(path=None, vms=[stray]))
    m = run.expect(r"^FATAL: (.*)$", what="a FATAL line refusing passthrough to a VM "
                   "whose RAM is not identity-mapped")
    check("identity" in m.group(1) and "DMA" in m.group(1), run,
          "a refusal that says identity mapping is needed, because of DMA", m.group(1))
    run.expect_exit(None, "a failure exit status")
    first = guest_vm("hello", arch, identity=True, name="first", devices=[VIRTIO_BLK])
    second = guest_vm("hello", arch, identity=True, name="second", devices=[VIRTIO_BLK],
                      memory=[Region(0x8600_0000, 16 << 20)], load=0x8600_0000,
                      entry=0x8600_0000)
    run = machine.boot_scenario(Scenario(path=None, vms=[first, second]), check=False)
    m = run.expect(r"^FATAL: (.*)$", what="a FATAL line refusing a device to a second VM")
    check("vm1" in m.group(1) and "already given" in m.group(1), run,
          "a refusal naming vm1 and the device already given", m.group(1))
    run.expect_exit(None, "a failure exit status")
    # The emulated UART and the disk on one source of the VM's PLIC: refused.
    clash = guest_vm("hello", arch, identity=True,
                     devices=[Device("uart", UART.base, UART.size, irq=VIRTIO_BLK.irq),
                              VIRTIO_BLK])
    run = machine.boot_scenario(Scenario(path=None, vms=[clash]))
    m = run.expect(r"^FATAL: (.*)$", what="a FATAL line refusing two devices on one interrupt")
    check(f"interrupt {VIRTIO_BLK.irq}" in m.group(1), run,
          f"a refusal naming interrupt {VIRTIO_BLK.irq}", m.group(1))
    run.expect_exit(None, "a failure exit status")


def test_console_mux(machine: Machine) -> None:
    """Two VMs on one console: labelled lines, Ctrl-T moves the input to the other VM."""
    arch = machine.grading.arch
    vms = [guest_vm("echo", arch, identity=False, name=name, devices=[UART])
           for name in ("alpha", "beta")]
    run = machine.boot_scenario(Scenario(path=None, vms=vms))
    ready = {run.expect(r"^vm(\d)\| echo: ready$", what="both VMs' labelled 'echo: ready'")
             .group(1) for _ in range(2)}
    check(ready == {"0", "1"}, run, "'vm0| echo: ready' and 'vm1| echo: ready'", str(ready))
    check(re.search(r"^hvlab: console input goes to vm0 \(alpha\)", run.output, re.M)
          is not None, run, "the hypervisor to say that vm0 has the input first", "no such line")
    run.send(CTRL_T + "1")
    run.expect(r"^hvlab: console input goes to vm1 \(beta\)", what="Ctrl-T 1 to move the focus")
    run.send("to-beta\r")
    run.expect(r"^vm1\| echo: got 'to-beta'$", what="vm1 to get what was typed for it")
    run.expect(r"^vm1 \(beta\): shutdown, status 0$", what="vm1 to finish (unlabelled line)")
    run.send(CTRL_T + "?")
    run.expect(r"^hvlab: \* vm1 \(beta\): stopped$", what="Ctrl-T ? to list the VMs")
    # Typing for a VM that has stopped: the input moves on to one that runs.
    run.send("to-alpha\r")
    run.expect(r"^hvlab: console input goes to vm0 \(alpha\)",
               what="the input to move on from the stopped vm1 to vm0")
    run.expect(r"^vm0\| echo: got 'to-alpha'$", what="vm0 to get only what was typed for it")
    run.expect(r"^vm0 \(alpha\): shutdown, status 0$", what="vm0 to finish")
    run.expect_exit(0, "a clean power-off")
    unlabelled = [line for line in run.output.splitlines()
                  if re.match(r"^(echo|hvtest):", line)]
    check(not unlabelled, run, "every guest line labelled", "; ".join(unlabelled[:3]))
    verdicts = re.findall(r"^vm(\d)\| hvtest: echo\.line PASS$", run.output, re.M)
    check(sorted(verdicts) == ["0", "1"], run, "echo.line PASS from both VMs", str(verdicts))

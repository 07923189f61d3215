"""Lab 4 (interrupts): timer, software and external interrupts, the virtual PLIC,
preemption between vCPUs, and a Linux guest."""
from __future__ import annotations

import re

from grader.checks import GUEST_LABEL, check, guest_verdicts, vms_verdicts
from grader.plugin import Machine

from hvlab.scenario import Device, Scenario, guest_scenario, guest_vm, layout, linux_scenario

# QEMU virt's goldfish RTC: its MMIO page and its interrupt, given to the VM.
RTC = Device("passthrough", 0x101000, 0x1000, irq=11)


def test_timer(machine: Machine) -> None:
    """SBI set_timer interrupts arrive on time (not early, at most 100 ms late) and re-arm."""
    run = machine.boot_scenario(guest_scenario("timer", machine.grading.arch, identity=False))
    guest_verdicts(run, "timer", ["timer.set_timer", "timer.fired", "timer.on_time",
                                  "timer.pending_while_masked", "timer.rearm_clears"])


def test_ipi(machine: Machine) -> None:
    """SBI send_ipi to the guest's own hart raises VSSIP; bad hart masks are refused."""
    run = machine.boot_scenario(guest_scenario("ipi", machine.grading.arch, identity=False))
    guest_verdicts(run, "ipi", ["ipi.self", "ipi.all_harts", "ipi.bad_hart",
                                "ipi.pending_while_masked", "ipi.taken_when_enabled",
                                "ipi.rfence_i", "ipi.rfence_sfence_vma"])


def test_vplic(machine: Machine) -> None:
    """The virtual PLIC: priority order, thresholds, claim/complete, per-context enables."""
    arch = machine.grading.arch
    scenario = guest_scenario("vplic", arch, identity=False,
                              devices=[Device("testdev", layout(arch).testdev_base)])
    run = machine.boot_scenario(scenario)
    guest_verdicts(run, "vplic", ["vplic.idle", "vplic.pending", "vplic.priority_order",
                                  "vplic.threshold_masks", "vplic.threshold_lowered",
                                  "vplic.claim", "vplic.in_service_holds",
                                  "vplic.complete_rearms", "vplic.completed_quiet",
                                  "vplic.enable_per_context", "vplic.enable_s_context",
                                  "vplic.delivered", "vplic.masked_not_delivered",
                                  "vplic.delivered_when_unmasked"])


def test_device_irq(machine: Machine) -> None:
    """A passed-through device's interrupt (the RTC alarm) reaches the guest; unowned: masked."""
    # Passthrough wants identity-mapped RAM (lab 5 insists: a device could do DMA).
    scenario = guest_scenario("device_irq", machine.grading.arch, identity=True,
                              devices=[RTC])
    run = machine.boot_scenario(scenario, idle_s=15)
    guest_verdicts(run, "device_irq", ["device_irq.rtc_reachable", "device_irq.delivered",
                                       "device_irq.not_early", "device_irq.no_storm"])
    # A reboot inside the handler, nothing completed: after it both interrupts work again.
    arch = machine.grading.arch
    scenario = guest_scenario("irq_reboot", arch, identity=True,
                              devices=[RTC, Device("testdev", layout(arch).testdev_base)])
    run = machine.boot_scenario(scenario, idle_s=15)
    run.expect(r"^hvtest: irq_reboot\.boot 1$", what="the irq_reboot guest's first boot")
    run.expect(r"^vm0 \(irq_reboot\): reboot$", what="'vm0 (irq_reboot): reboot' from its handler")
    run.expect(r"^hvtest: irq_reboot\.boot 2$", what="the irq_reboot guest's second boot")
    guest_verdicts(run, "irq_reboot", ["irq_reboot.device_line", "irq_reboot.rtc"])
    second = run.output[run.output.index("irq_reboot.boot 2"):]
    for name in ("irq_reboot.nothing_pending", "irq_reboot.device_line", "irq_reboot.rtc"):
        check(f"hvtest: {name} PASS" in second, run, f"{name} PASS after the reboot",
              "no such line after 'irq_reboot.boot 2'")
    # The same device without its interrupt: the host interrupt has no owner.
    scenario = guest_scenario("rtc_unowned", machine.grading.arch, identity=True,
                              devices=[Device("passthrough", RTC.base, RTC.size)])
    run = machine.boot_scenario(scenario, idle_s=15)
    guest_verdicts(run, "rtc_unowned", ["rtc_unowned.survived"])
    reports = re.findall(r"^irq: host interrupt (\d+) has no owner", run.output, re.M)
    check(reports == [str(RTC.irq)], run,
          f"one report that host interrupt {RTC.irq} has no owner (then it is masked)",
          f"{len(reports)} reports: {reports}")
    # What the hypervisor keeps is never passed through: its UART, QEMU's power-off device.
    for base, why in ((0x10000000, "UART"), (0x100000, "power-off")):
        scenario = guest_scenario("hello", machine.grading.arch, identity=True,
                                  devices=[Device("passthrough", base, 0x1000)])
        run = machine.boot_scenario(scenario)
        m = run.expect(r"^FATAL: (.*)$", what=f"a FATAL line refusing to pass through {base:#x}")
        check(why in m.group(1), run, f"a refusal that names the {why} device", m.group(1))
        run.expect_exit(None, "a failure exit status")


def test_preemption(machine: Machine) -> None:
    """Two VMs that never yield share the hart: the timer slice makes them take turns."""
    arch = machine.grading.arch
    vms = [guest_vm("spinner", arch, identity=False, name=name) for name in ("left", "right")]
    run = machine.boot_scenario(Scenario(path=None, vms=vms))
    # Either may finish first: wait for the end, then look for both.
    run.expect(r"^hvlab: every virtual machine has", what="both VMs to finish and stop")
    run.expect_exit(0, "a clean power-off")
    for vm_id, name in enumerate(("left", "right")):
        check(re.search(rf"^vm{vm_id} \({name}\): shutdown, status 0$", run.output, re.M)
              is not None, run, f"vm{vm_id} ({name}): shutdown, status 0", "no such line")
    lines = run.output.splitlines()
    ticks = [i for i, line in enumerate(lines)
             if re.match(rf"{GUEST_LABEL}hvtest: spinner tick", line)]
    check(len(ticks) == 10, run, "ten tick lines, five from each VM", f"{len(ticks)}")
    left_done = next(i for i, line in enumerate(lines) if line.startswith("vm0 (left): shutdown"))
    before = sum(1 for t in ticks if t < left_done)
    check(before > 5, run, "ticks of both VMs before the first one finished (preemption)",
          f"{before} ticks before vm0 shut down: one VM ran to the end before the other")
    # Taking turns, neither VM may see the other's CPU state: each keeps writing every
    # supervisor CSR it can and checks that its own values stay.
    names = ["csr_a", "csr_b"]
    vms = [guest_vm("csr_isolation", arch, identity=False, name=name) for name in names]
    run = machine.boot_scenario(Scenario(path=None, vms=vms))
    vms_verdicts(run, names, [f"csr_isolation.{csr}" for csr in CSRS] +
                 ["csr_isolation.took_turns"])


# Every supervisor CSR a guest can write (guests/tests/riscv64/csr_isolation.c).
CSRS = ["sscratch", "sepc", "scause", "stval", "stvec", "sie", "sip", "sstatus", "scounteren",
        "senvcfg", "fcsr"]


LINUX_BOOTARGS = "console=hvc0 earlycon=sbi hvlab.init=poweroff"


# Lines that mean Linux found something missing in the hypervisor's SBI.
SBI_COMPLAINTS = re.compile(r"(SBI.*(not available|unavailable|not supported|failed)|"
                            r"remote fence extension)", re.I)


def test_linux_boot(machine: Machine) -> None:
    """Linux boots under the hypervisor to its init, which reports what it sees; no SBI gaps."""
    run = machine.boot_scenario(linux_scenario(machine.grading.arch, LINUX_BOOTARGS),
                                wall_s=300, idle_s=60)
    run.expect(r"^hvlab-init: started", what="Linux to start its init ('hvlab-init: started')")
    m = run.expect(r"^hvlab-init: uname (\S+) (\S+) (\S+)", what="init's 'uname' line")
    check(m.group(1) == "Linux" and m.group(3) == "riscv64", run, "Linux ... riscv64",
          m.group(0))
    m = run.expect(r"^hvlab-init: cpus (\S+)", what="init's 'cpus' line")
    check(m.group(1) == "1", run, "cpus 1 (the VM has one vCPU)", m.group(0))
    m = run.expect(r"^hvlab-init: memtotal_kb (\S+)", what="init's 'memtotal_kb' line")
    check(m.group(1).isdigit() and 64 * 1024 < int(m.group(1)) <= 128 * 1024, run,
          "between 64 and 128 MiB of memory (the VM has 128 MiB)", m.group(0))
    m = run.expect(r"^hvlab-init: timer_irqs (\S+)", what="init's 'timer_irqs' line")
    check(m.group(1).isdigit() and int(m.group(1)) > 0, run,
          "Linux to have taken timer interrupts (SBI set_timer, VSTIP)", m.group(0))
    run.expect(r"^hvlab-init: check done", what="the end of init's check")
    run.expect(r"^vm0 \(linux\): shutdown, status 0$",
               what="Linux to power its VM off (SBI SRST) after the check")
    run.expect_exit(0, "a clean power-off")
    complaints = [line for line in run.output.splitlines() if SBI_COMPLAINTS.search(line)]
    check(not complaints, run, "no complaint from Linux about missing SBI functions",
          "; ".join(complaints[:3]))

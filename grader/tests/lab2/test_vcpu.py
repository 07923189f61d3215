"""Lab 2 (vcpu): a guest runs in its own privilege level (RISC-V VS-mode, arm64 EL1), and
the hypervisor serves its firmware calls (SBI; PSCI and SMCCC)."""
from __future__ import annotations

import dataclasses
import re

from grader.checks import check, guest_verdicts, vms_verdicts
from grader.outcomes import QemuTimeout
from grader.plugin import Machine

from hvlab.scenario import Region, Scenario, guest_scenario, guest_vm, layout

# What the hello guest prints on each arch: its lines and its verdicts.
HELLO = {
    "riscv64": ([(r"^hello from the legacy console$", "the guest's legacy-console line"),
                 (r"^hello from DBCN$", "the guest's DBCN line (SBI debug console write)")],
                ["hello.legacy", "hello.dbcn_write", "hello.dbcn_write_byte"]),
    "arm64": ([(r"^hello from the console putc call$", "the guest's line through hvlab's putc"),
               (r"^hello from the console write call$",
                "the guest's line through hvlab's console write")],
              ["hello.putc", "hello.write", "hello.smc"]),
}


def test_hello(machine: Machine) -> None:
    """A guest prints through both of the firmware's console calls, and shuts down with status 0."""
    lines, verdicts = HELLO[machine.grading.arch]
    run = machine.boot_guest("hello")
    for pattern, what in lines:
        run.expect(pattern, what=what)
    guest_verdicts(run, "hello", verdicts)


def test_sbi_base(machine: Machine) -> None:
    """SBI Base: spec version 2.0, implementation ids, and a truthful probe_extension."""
    run = machine.boot_guest("sbi_base")
    guest_verdicts(run, "sbi_base", ["sbi_base.spec_version", "sbi_base.impl_id",
                                     "sbi_base.machine_ids", "sbi_base.probe_required",
                                     "sbi_base.probe_truthful"])


def test_gprs(machine: Machine) -> None:
    """Every register but the call's results (a0, a1; x0-x3 on arm64) survives a firmware call."""
    run = machine.boot_guest("gprs")
    guest_verdicts(run, "gprs", ["gprs.preserved"])


def test_delegation(machine: Machine) -> None:
    """Breakpoint, illegal instruction and misaligned AMO reach the guest's own handler."""
    run = machine.boot_guest("delegation")
    guest_verdicts(run, "delegation", ["delegation.breakpoint",
                                       "delegation.illegal_instruction",
                                       "delegation.misaligned_amo", "delegation.survived"])


WFI = {"riscv64": ["wfi.returns", "wfi.user_mode_illegal"],
       "arm64": ["wfi.returns", "wfi.wfe_returns"]}


def test_wfi(machine: Machine) -> None:
    """WFI traps to the hypervisor and the guest goes on (RISC-V: in VU-mode it is illegal)."""
    run = machine.boot_guest("wfi", idle_s=10)
    guest_verdicts(run, "wfi", WFI[machine.grading.arch])


def test_virtual_instruction(machine: Machine) -> None:
    """A hypervisor CSR read from VS-mode becomes an illegal instruction in the guest."""
    run = machine.boot_guest("virtual_inst", idle_s=10)
    guest_verdicts(run, "virtual_inst", ["virtual_inst.trapped", "virtual_inst.illegal_injected",
                                         "virtual_inst.tval_is_instruction"])


def test_unknown_sbi(machine: Machine) -> None:
    """Unknown SBI extensions and functions answer NOT_SUPPORTED; bad buffers are refused."""
    run = machine.boot_guest("sbi_unknown")
    guest_verdicts(run, "sbi_unknown", ["sbi_unknown.extension", "sbi_unknown.function",
                                        "sbi_unknown.dbcn_bad_address",
                                        "sbi_unknown.hsm_own_status",
                                        "sbi_unknown.hsm_bad_hart"])


def test_srst(machine: Machine) -> None:
    """SRST: a failure shutdown reaches the grader as status 1; a reboot restarts the VM."""
    run = machine.boot_guest("srst_failure")
    guest_verdicts(run, "srst_failure", ["srst.reserved_reason", "srst.bad_type",
                                         "srst.upper_bits_reason"], status=1)

    _expect_reboots(machine)


def _expect_reboots(machine: Machine) -> None:
    """The reboot guest reboots three times, each time from a fresh image."""
    run = machine.boot_guest("reboot", idle_s=10)
    for boot in (1, 2, 3):
        run.expect(r"^hvtest: reboot\.boot (\d+)$", what=f"the guest's boot number {boot}")
        if boot < 3:
            run.expect(r"^vm0 \(reboot\): reboot$", what="'vm0 (reboot): reboot'")
    run.close()
    boots = re.findall(r"^hvtest: reboot\.boot (\d+)$", run.output, re.M)
    check(set(boots[:3]) == {"1"}, run, "every boot to start from a fresh image (boot 1)",
          f"boot numbers {boots[:3]}")


def test_bad_guest(machine: Machine) -> None:
    """A guest's access fault stops its VM with a report; the hypervisor powers off cleanly."""
    run = machine.boot_guest("bad_access")
    m = run.expect(r"^vm0 \(bad_access\): stopped by the hypervisor: (.*)$",
                   what="'vm0 (bad_access): stopped by the hypervisor: <why>'")
    # Lab 2 sees a load access fault; with stage-2 (lab 3) it is a load guest-page fault.
    check(re.search(r"load (access|guest-page) fault", m.group(1)) is not None
          and "0x10000000000" in m.group(1), run,
          "a report naming the load fault and the address 0x10000000000", m.group(1))
    run.expect(r"^hvlab: .*powering off", what="the hypervisor to power off by itself")
    run.expect_exit(None, "a failure exit status (a VM did not shut down with status 0)")


def test_runaway_guest(machine: Machine) -> None:
    """A guest that loops forever ends as a TIMEOUT of its machine, with its log kept."""
    run = machine.boot_guest("runaway", idle_s=3, wall_s=30)
    run.expect(r"^hvtest: runaway looping forever$", what="the runaway guest to start")
    try:
        run.wait_exit()
    except QemuTimeout as timeout:
        check("no output" in str(timeout), run, "the no-output budget to end the machine",
              str(timeout).splitlines()[1])
    else:
        check(False, run, "the machine to run until the grader stops it",
              f"it exited by itself (status {run.returncode})")
    run.close()
    check(run.log_path.is_file() and "runaway looping forever" in run.log_path.read_text(),
          run, "the serial log kept on disk", str(run.log_path))


def test_bad_bundle(machine: Machine) -> None:
    """A malformed VM bundle stops the boot with an error naming the VM and the property."""
    arch = machine.grading.arch
    good = guest_scenario("hello", arch)
    vm = good.vms[0]
    ram = vm.memory[0]
    cases = [
        ("missing vcpus", good, {0: frozenset({"vcpus"})}, r"vcpus"),
        ("missing kernel", good, {0: frozenset({"kernel"})}, r"kernel"),
        ("overlapping regions",
         dataclasses.replace(good, vms=[dataclasses.replace(vm, memory=[
             ram, dataclasses.replace(ram, base=ram.base + 4096)])]), None, r"overlap"),
        ("kernel larger than its region",
         dataclasses.replace(good, vms=[dataclasses.replace(vm, load=ram.end - 64)]), None,
         r"does not fit"),
        ("entry outside RAM",
         dataclasses.replace(good, vms=[dataclasses.replace(vm, entry=ram.end + 0x1000)]), None,
         r"entry"),
    ]
    for what, scenario, omit, pattern in cases:
        run = machine.boot_scenario(scenario, check=False, omit=omit)
        m = run.expect(r"^FATAL: (.*)$", what=f"a FATAL line for a bundle with {what}")
        line = m.group(1)
        check("vm@0" in line and "(hello)" in line and re.search(pattern, line) is not None,
              run, f"for {what}: a message naming vm@0 (hello) and /{pattern}/", line)
        run.expect_exit(None, "a failure exit status")


# -- arm64 -----------------------------------------------------------------------------

def test_psci_base(machine: Machine) -> None:
    """PSCI 1.1 and SMCCC 1.1 through HVC and a trapped SMC, a truthful PSCI_FEATURES."""
    run = machine.boot_guest("psci_base")
    guest_verdicts(run, "psci_base", ["psci_base.version", "psci_base.smccc_version",
                                      "psci_base.features", "psci_base.unsupported_calls",
                                      "psci_base.migrate_info_type", "psci_base.arch_features",
                                      "psci_base.vendor_calls", "psci_base.smc_trapped",
                                      "psci_base.smc_version"])


def test_sysregs(machine: Machine) -> None:
    """Two VMs in turn: each finds its EL1, FP and GIC registers fresh and keeps its own."""
    arch = machine.grading.arch
    first = layout(arch).guest_ram
    # The same guest linked 32 MiB higher: lab 2's VMs are identity-mapped, so apart.
    second = Region(first.base + (32 << 20), first.size)
    vms = [guest_vm("sysregs", arch),
           guest_vm("sysregs_b", arch, memory=[second], load=second.base, entry=second.base)]
    run = machine.boot_scenario(Scenario(path=None, vms=vms))
    vms_verdicts(run, ["sysregs", "sysregs_b"],
                 ["sysregs.fresh", "sysregs.fp_fresh", "sysregs.mpidr", "sysregs.kept",
                  "sysregs.fp_kept"])


def test_guest_exceptions(machine: Machine) -> None:
    """BRK, UDF, an alignment fault and SVC reach the guest's own EL1 vectors, not EL2."""
    run = machine.boot_guest("guest_exceptions")
    guest_verdicts(run, "guest_exceptions", ["guest_exceptions.brk", "guest_exceptions.udf",
                                             "guest_exceptions.alignment",
                                             "guest_exceptions.svc",
                                             "guest_exceptions.survived"])


def test_undefined_injection(machine: Machine) -> None:
    """A trapped register the hypervisor does not emulate is an undefined instruction in the guest."""
    run = machine.boot_guest("undefined_injection")
    guest_verdicts(run, "undefined_injection", ["undefined_injection.actlr",
                                                "undefined_injection.pmu",
                                                "undefined_injection.debug_regs_raz"])


def test_unknown_calls(machine: Machine) -> None:
    """Unknown calls answer NOT_SUPPORTED; bad buffers, CPUs and levels are refused."""
    run = machine.boot_guest("unknown_calls")
    guest_verdicts(run, "unknown_calls", [
        "unknown_calls.service", "unknown_calls.function", "unknown_calls.smc",
        "unknown_calls.hvc_immediate", "unknown_calls.write_bad_address",
        "unknown_calls.write_past_ram", "unknown_calls.write_nothing",
        "unknown_calls.affinity_own", "unknown_calls.affinity_bad_cpu",
        "unknown_calls.affinity_bad_level"])


def test_system_power(machine: Machine) -> None:
    """A failure shutdown reaches the grader as status 1; PSCI SYSTEM_RESET restarts the VM."""
    run = machine.boot_guest("power_failure")
    guest_verdicts(run, "power_failure", ["system_power.reset2", "system_power.suspend"],
                   status=1)
    _expect_reboots(machine)


def test_psci_cpus(machine: Machine) -> None:
    """PSCI CPU_ON, CPU_OFF and AFFINITY_INFO for a VM's two vCPUs, with the errors PSCI defines."""
    run = machine.boot_scenario(guest_scenario("psci_cpus", machine.grading.arch, vcpus=2))
    guest_verdicts(run, "psci_cpus", ["psci_cpus.second_off", "psci_cpus.bad_cpu",
                                      "psci_cpus.bad_entry", "psci_cpus.cpu_on",
                                      "psci_cpus.already_on", "psci_cpus.second_on",
                                      "psci_cpus.context", "psci_cpus.mpidr",
                                      "psci_cpus.first_off"])

"""Lab 2 (vcpu): a guest runs in VS-mode, and the hypervisor serves its SBI calls."""
from __future__ import annotations

import dataclasses
import re

from grader.checks import check, guest_verdicts
from grader.outcomes import QemuTimeout
from grader.plugin import Machine

from hvlab.scenario import guest_scenario

def test_hello(machine: Machine) -> None:
    """A guest prints through the legacy console and DBCN, and shuts down with status 0."""
    run = machine.boot_guest("hello")
    run.expect(r"^hello from the legacy console$", what="the guest's legacy-console line")
    run.expect(r"^hello from DBCN$", what="the guest's DBCN line (SBI debug console write)")
    guest_verdicts(run, "hello", ["hello.legacy", "hello.dbcn_write", "hello.dbcn_write_byte"])


def test_sbi_base(machine: Machine) -> None:
    """SBI Base: spec version 2.0, implementation ids, and a truthful probe_extension."""
    run = machine.boot_guest("sbi_base")
    guest_verdicts(run, "sbi_base", ["sbi_base.spec_version", "sbi_base.impl_id",
                                     "sbi_base.machine_ids", "sbi_base.probe_required",
                                     "sbi_base.probe_truthful"])


def test_gprs(machine: Machine) -> None:
    """Every register but a0 and a1 survives an SBI call (the guest fills all 31)."""
    run = machine.boot_guest("gprs")
    guest_verdicts(run, "gprs", ["gprs.preserved"])


def test_delegation(machine: Machine) -> None:
    """Breakpoint, illegal instruction and misaligned AMO reach the guest's own handler."""
    run = machine.boot_guest("delegation")
    guest_verdicts(run, "delegation", ["delegation.breakpoint",
                                       "delegation.illegal_instruction",
                                       "delegation.misaligned_amo", "delegation.survived"])


def test_wfi(machine: Machine) -> None:
    """WFI traps to the hypervisor (hstatus.VTW), the guest goes on; in VU-mode it is illegal."""
    run = machine.boot_guest("wfi", idle_s=10)
    guest_verdicts(run, "wfi", ["wfi.returns", "wfi.user_mode_illegal"])


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

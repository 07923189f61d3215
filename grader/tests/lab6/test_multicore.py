"""Lab 6 (multicore): the hypervisor on every hart, SMP guests (SBI HSM, IPIs, remote
fences), vCPUs pinned or sharing a hart, and SMP Linux - one VM, and two at once."""
from __future__ import annotations

import re

from grader.checks import check, guest_verdicts
from grader.plugin import Machine
from grader.runner import QemuRun

from hvlab.scenario import UART, Scenario, guest_scenario, guest_vm, linux_vm

LINUX_BOOTARGS = "console=hvc0 earlycon=sbi hvlab.init=poweroff"


def smp_guest(guest: str, arch: str, smp: int, vcpus: int,
              cpus: list[int] | None = None) -> Scenario:
    """Test guest `guest` with `vcpus` vCPUs in a machine of `smp` harts; cpus pins them
    (None: the hypervisor deals them out to the CPUs in turn)."""
    scenario = guest_scenario(guest, arch, identity=False, vcpus=vcpus, affinity=cpus)
    scenario.smp = smp
    return scenario


def placement(run: QemuRun, vm: str) -> dict[int, tuple[set[int], int]]:
    """vCPU -> (the CPUs that ran it, its exits), from the hypervisor's report at shutdown."""
    found = re.findall(rf"^{re.escape(vm)}: vCPU (\d+) ran on CPU ([\d ]+|none), (\d+) exits$",
                       run.output, re.M)
    return {int(v): ({int(c) for c in cpus.split()} if cpus != "none" else set(), int(exits))
            for v, cpus, exits in found}


def check_online(run: QemuRun, harts: int) -> None:
    """Every secondary hart came up in the hypervisor."""
    online = set(int(c) for c in re.findall(r"^smp: cpu (\d+) \(hart \d+\) online$",
                                            run.output, re.M))
    check(online == set(range(1, harts)), run,
          f"'smp: cpu N (hart N) online' for CPUs 1-{harts - 1}", f"online: {sorted(online)}")


def test_smp_boot(machine: Machine) -> None:
    """Every hart runs the hypervisor; 4 vCPUs pinned 1:1 start (HSM) and run where pinned."""
    arch = machine.grading.arch
    run = machine.boot_scenario(smp_guest("hsm", arch, smp=4, vcpus=4, cpus=[0, 1, 2, 3]))
    guest_verdicts(run, "hsm", ["hsm.start", "hsm.started_args", "hsm.concurrent"])
    check_online(run, 4)
    ran = placement(run, "vm0 (hsm)")
    check(sorted(ran) == [0, 1, 2, 3], run, "a placement report for vCPUs 0-3 at shutdown",
          f"vCPUs reported: {sorted(ran)}")
    for vcpu, (cpus, exits) in ran.items():
        check(cpus == {vcpu} and exits > 0, run, f"vCPU {vcpu} ran on CPU {vcpu} alone",
              f"it ran on CPU(s) {sorted(cpus)} with {exits} exits")
    # A bundle that pins a vCPU to a hart the machine does not have is refused.
    bad = smp_guest("hsm", arch, smp=4, vcpus=2, cpus=[0, 4])
    run = machine.boot_scenario(bad, check=False)
    line = run.expect(r"^FATAL: (.*)$", what="a FATAL line for an affinity to CPU 4 of 0-3")
    check("vm@0" in line.group(1) and "affinity" in line.group(1), run,
          "a message naming vm@0 and its property 'affinity'", line.group(1))
    run.expect_exit(None, "a failure exit status")


def test_hsm(machine: Machine) -> None:
    """HSM start/stop/status/suspend transitions and the spec's errors; 3 vCPUs on 2 harts."""
    run = machine.boot_scenario(smp_guest("hsm", machine.grading.arch, smp=2, vcpus=3,
                                          cpus=[0, 1, 1]))
    guest_verdicts(run, "hsm", [
        "hsm.status_stopped", "hsm.status_bad_hart", "hsm.start_bad_hart",
        "hsm.start_bad_address", "hsm.start", "hsm.started_args", "hsm.already_available",
        "hsm.status_started", "hsm.concurrent", "hsm.stop", "hsm.restart",
        "hsm.suspend_retentive", "hsm.suspend_non_retentive", "hsm.suspend_bad_type"])


def test_ipi_pingpong(machine: Machine) -> None:
    """IPIs between vCPUs on two harts: every round trip arrives (latency goes to make bench)."""
    run = machine.boot_scenario(smp_guest("ipi_pingpong", machine.grading.arch, smp=2,
                                          vcpus=2, cpus=[0, 1]))
    run.expect(r"^bench: ipi_round_trip \d+ instructions per round trip",
               what="the guest's round-trip figure ('bench: ipi_round_trip N ...')")
    guest_verdicts(run, "ipi_pingpong", ["ipi_pingpong.round_trips"])
    ran = placement(run, "vm0 (ipi_pingpong)")
    check(ran.get(1, (set(), 0))[0] == {1}, run, "vCPU 1 on CPU 1 (a physical IPI each way)",
          f"{ran}")


def test_smp_stress(machine: Machine) -> None:
    """4 vCPUs on 2 harts: IPIs and remote fences, none lost, no deadlock, no stale TLB."""
    run = machine.boot_scenario(smp_guest("smp_stress", machine.grading.arch, smp=2, vcpus=4),
                                wall_s=240, idle_s=90)
    guest_verdicts(run, "smp_stress", ["smp_stress.ipis_delivered", "smp_stress.fences",
                                       "smp_stress.tlb_fresh_after_remote_fence",
                                       "smp_stress.finished"])
    ran = placement(run, "vm0 (smp_stress)")
    shared = {cpu for cpus, _ in ran.values() for cpu in cpus}
    check(len(ran) == 4 and shared == {0, 1} and all(len(c) == 1 for c, _ in ran.values()),
          run, "the 4 vCPUs dealt out to CPUs 0 and 1, each staying on its own",
          f"{ran}")


def test_bad_smp_guest(machine: Machine) -> None:
    """A vCPU faulting on one hart stops its VM on every hart; the other VM runs on."""
    arch = machine.grading.arch
    vms = [guest_vm("smp_crash", arch, identity=False, vcpus=2, affinity=[0, 1]),
           guest_vm("spinner", arch, identity=False, affinity=[1])]
    run = machine.boot_scenario(Scenario(path=None, smp=2, vms=vms))
    m = run.expect(r"^vm0 \(smp_crash\): stopped by the hypervisor: (.*)$",
                   what="the faulting VM to be stopped with a report")
    check(m.group(1).startswith("vCPU 1:") and "0x40000000" in m.group(1), run,
          "a report naming vCPU 1 and the GPA 0x40000000", m.group(1))
    run.expect(r"^vm1 \(spinner\): shutdown, status 0$",
               what="the other VM to run to its end ('vm1 (spinner): shutdown, status 0')")
    run.expect_exit(None, "a failure exit status (one VM did not shut down cleanly)")
    check("survived" not in run.output, run, "no line from vCPU 1 after its fault",
          "vCPU 1 went on after the load")
    ran = placement(run, "vm0 (smp_crash)")
    check(ran.get(0, (set(), 0))[0] == {0} and ran.get(1, (set(), 0))[0] == {1}, run,
          "vCPU 0 on CPU 0, vCPU 1 on CPU 1", f"{ran}")


def test_smp_reboot(machine: Machine) -> None:
    """A reboot from vCPU 1 takes vCPU 0 off its hart too; the VM restarts with vCPU 0 alone."""
    run = machine.boot_scenario(smp_guest("smp_reboot", machine.grading.arch, smp=2, vcpus=2,
                                          cpus=[0, 1]), idle_s=30)
    boot = r"^smp_reboot: boot (\d+), vCPU 1 was in state (-?\d+) \(error (-?\d+)\), " \
           r"start error (-?\d+)$"
    for n in (1, 2, 3):
        m = run.expect(boot, what=f"the guest's report of boot {n}")
        check(m.groups() == ("1", "1", "0", "0"), run,
              "boot 1 of a fresh image, vCPU 1 STOPPED (1), started again (error 0)", m.group(0))
        if n < 3:
            run.expect(r"^vm0 \(smp_reboot\): reboot$", what="'vm0 (smp_reboot): reboot'")
    run.close()
    check("the reboot call returned" not in run.output, run, "no reboot call that returned",
          "vCPU 1's reboot call returned")


def linux_report(run: QemuRun, label: str, cpus: int) -> None:
    """One Linux VM's init report: all its CPUs online, its own memory, clean power-off."""
    prefix = re.escape(label)
    m = run.expect(rf"^{prefix}hvlab-init: cpus (\S+)$",
                   what=f"{label or 'the'} VM's init report of its CPUs", timeout_s=600)
    check(m.group(1) == str(cpus), run,
          f"{label}cpus {cpus} (processor lines of /proc/cpuinfo: every vCPU online)",
          m.group(0))
    m = run.expect(rf"^{prefix}hvlab-init: memtotal_kb (\S+)$", what="init's memtotal line")
    check(m.group(1).isdigit() and 64 * 1024 < int(m.group(1)) <= 128 * 1024, run,
          "between 64 and 128 MiB of memory (the VM has 128 MiB)", m.group(0))


def boot_smp_linux(machine: Machine, harts: int, cpus: list[int]) -> QemuRun:
    """One Linux VM with a vCPU per entry of cpus, pinned there, in a machine of `harts`:
    all its CPUs come online, each vCPU runs where it is pinned, and it powers off."""
    arch = machine.grading.arch
    scenario = Scenario(path=None, memory_mib=512, smp=harts,
                        vms=[linux_vm(arch, LINUX_BOOTARGS, vcpus=len(cpus), affinity=cpus)])
    run = machine.boot_scenario(scenario, wall_s=600, idle_s=120)
    linux_report(run, "", len(cpus))
    run.expect(r"^vm0 \(linux\): shutdown, status 0$", what="Linux to power its VM off")
    run.expect_exit(0, "a clean power-off")
    check_online(run, harts)
    ran = placement(run, "vm0 (linux)")
    check(all(ran.get(v, (set(), 0))[0] == {cpu} for v, cpu in enumerate(cpus)), run,
          f"vCPU k on CPU {cpus}[k]", f"{ran}")
    check(not re.search(r"CPU\d+: failed to come online|failed to start", run.output), run,
          "no CPU that failed to start", "Linux reported one")
    return run


def test_linux_smp(machine: Machine) -> None:
    """Linux with 4 vCPUs on 4 harts: all CPUs come online (/proc/cpuinfo)."""
    boot_smp_linux(machine, 4, [0, 1, 2, 3])


def test_linux_shared_harts(machine: Machine) -> None:
    """Linux with 4 vCPUs on 2 harts, two vCPUs per hart under round-robin: all come online."""
    boot_smp_linux(machine, 2, [0, 1, 0, 1])


def test_two_linux_smp(machine: Machine) -> None:
    """Two SMP Linux VMs at once, 2 vCPUs each on separate harts, each with its own UART."""
    arch = machine.grading.arch
    vms = [linux_vm(arch, "console=ttyS0 hvlab.init=poweroff", name=name, vcpus=2,
                    affinity=cpus, devices=[UART])
           for name, cpus in (("left", [0, 1]), ("right", [2, 3]))]
    run = machine.boot_scenario(Scenario(path=None, memory_mib=512, smp=4, vms=vms),
                                wall_s=600, idle_s=120)
    run.expect(r"^hvlab: every virtual machine has shut down", what="both VMs to power off",
               timeout_s=600)
    run.expect_exit(0, "a clean power-off")
    for vm_id, (name, cpus) in enumerate((("left", {0, 1}), ("right", {2, 3}))):
        label = f"vm{vm_id}| "
        for line in (f"{label}hvlab-init: cpus 2", f"{label}hvlab-init: poweroff"):
            check(re.search(rf"^{re.escape(line)}$", run.output, re.M) is not None, run,
                  f"the line '{line}' (its own console, its own 2 CPUs)", "missing")
        mem = re.search(rf"^{re.escape(label)}hvlab-init: memtotal_kb (\d+)$", run.output, re.M)
        check(mem is not None and 64 * 1024 < int(mem.group(1)) <= 128 * 1024, run,
              f"{label}memtotal_kb of its own 128 MiB", mem.group(0) if mem else "missing")
        ran = placement(run, f"vm{vm_id} ({name})")
        on = {cpu for c, _ in ran.values() for cpu in c}
        check(len(ran) == 2 and on == cpus, run, f"vm{vm_id}'s vCPUs on CPUs {sorted(cpus)}",
              f"{ran}")

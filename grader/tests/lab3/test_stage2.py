"""Lab 3 (stage2): two-stage address translation, isolation between VMs, and MMIO traps."""
from __future__ import annotations

from grader.checks import check, guest_verdicts, vms_verdicts
from grader.plugin import Machine

from hvlab.scenario import Device, Region, Scenario, guest_scenario, guest_vm, layout

STAGE2_LINE = (r"^vm(\d+) \({name}\): stage-2 0x([0-9a-f]+)-0x([0-9a-f]+) -> 0x([0-9a-f]+) "
               r"([r-][w-][x-]), (\d+) x (\d+) KiB$")


# Where each arch's stray_load and stray_store guests reach (outside their VM's RAM: in
# the host's RAM, and below it), and what the hypervisor calls the fault.
STRAY = {
    "riscv64": ([("stray_load", 0x90000000, "load"), ("stray_store", 0x7ff00008, "store")],
                "guest-page fault"),
    "arm64": ([("stray_load", 0x4c000000, "load"), ("stray_store", 0x3ff00008, "store")],
              "stage-2 abort"),
}
# What the mmio guest checks on each arch: every width, sign and instruction form.
MMIO = {
    "riscv64": ["mmio.id_64", "mmio.id_32", "mmio.store_widths", "mmio.lb_sign", "mmio.lbu_zero",
                "mmio.lh_sign", "mmio.lhu_zero", "mmio.lw_sign", "mmio.lwu_zero", "mmio.ld",
                "mmio.compressed_64", "mmio.compressed_32_sign", "mmio.id_read_only",
                "mmio.device_saw_accesses"],
    "arm64": ["mmio.id_64", "mmio.id_32", "mmio.store_widths", "mmio.ldrb_zero",
              "mmio.ldrsb_x", "mmio.ldrsb_w", "mmio.ldrh_zero", "mmio.ldrsh_x",
              "mmio.ldr_w_zero", "mmio.ldrsw", "mmio.xzr", "mmio.ldp", "mmio.stp",
              "mmio.ldp_w", "mmio.ldpsw", "mmio.post_index", "mmio.pre_index",
              "mmio.id_read_only", "mmio.device_saw_accesses"],
}


# The hello guest's first verdict (grader/tests/lab2: HELLO).
HELLO_FIRST = {"riscv64": ["hello.legacy"], "arm64": ["hello.putc"]}


def translated(guest: str, arch: str, **vm: object) -> Scenario:
    """One VM whose RAM is wherever the hypervisor puts it (not identity-mapped)."""
    return guest_scenario(guest, arch, identity=False, **vm)


def test_guest_paging(machine: Machine) -> None:
    """The guest turns on its own paging and reads and writes data through both stages."""
    run = machine.boot_scenario(translated("paging", machine.grading.arch))
    guest_verdicts(run, "paging", ["paging.enabled", "paging.read_through_both_stages",
                                   "paging.write_through_both_stages", "paging.own_page_fault"])


def test_stray_access(machine: Machine) -> None:
    """A load or store outside the VM's RAM stops it with a report naming the exact GPA."""
    arch = machine.grading.arch
    strays, fault = STRAY[arch]
    for guest, gpa, kind in strays:
        run = machine.boot_scenario(translated(guest, arch))
        m = run.expect(rf"^vm0 \({guest}\): stopped by the hypervisor: (.*)$",
                       what=f"'vm0 ({guest}): stopped by the hypervisor: ...' after a stray {kind}")
        report = m.group(1)
        check(f"0x{gpa:x}" in report and kind in report and fault in report,
              run, f"a report with the {kind}, '{fault}' and GPA 0x{gpa:x}", report)
        run.expect(r"^hvlab: .*powering off", what="the hypervisor to go on and power off")
        run.expect_exit(None, "a failure exit status")
    # With fault = "inject" the guest gets the access fault itself and goes on.
    run = machine.boot_scenario(translated("isolation", arch, inject_faults=True))
    guest_verdicts(run, "isolation", ["isolation.hypervisor_unreachable",
                                      "isolation.store_refused"])


def test_isolation(machine: Machine) -> None:
    """Two VMs at the same guest addresses: each sees only its own memory, never the host's."""
    arch = machine.grading.arch
    ram = layout(arch).guest_ram
    vms = [guest_vm("isolation", arch, identity=False, inject_faults=True, name=name)
           for name in ("isolation", "isolation2")]
    run = machine.boot_scenario(Scenario(path=None, vms=vms))
    for vm_id, name in enumerate(("isolation", "isolation2")):
        m = run.expect(rf"^vm{vm_id} \({name}\): stage-2 0x{ram.base:x}-0x{ram.end:x} -> "
                       r"0x([0-9a-f]+)", what=f"vm{vm_id}'s stage-2 mapping of 0x{ram.base:x}")
        if vm_id == 0:
            first_hpa = int(m.group(1), 16)
        else:
            check(int(m.group(1), 16) != first_hpa, run, "the two VMs in different host memory",
                  f"both at 0x{first_hpa:x}")
    # From lab 4 on the VMs take turns: either may finish first.
    vms_verdicts(run, ["isolation", "isolation2"],
                 ["isolation.own_memory", "isolation.write", "isolation.hypervisor_unreachable",
                  "isolation.store_refused"])


def test_mmio_widths(machine: Machine) -> None:
    """MMIO loads and stores of 1, 2, 4 and 8 bytes, signed and unsigned, in every form the arch has."""
    arch = machine.grading.arch
    scenario = translated("mmio", arch, devices=[Device("testdev", layout(arch).testdev_base)])
    run = machine.boot_scenario(scenario)
    guest_verdicts(run, "mmio", MMIO[arch])


def test_superpages(machine: Machine) -> None:
    """A 2 MiB-aligned RAM region is mapped with 2 MiB leaves, an unaligned one with 4 KiB."""
    arch = machine.grading.arch
    big_want = layout(arch).guest_ram
    # 192 MiB past it: a GPA that is 4 KiB- but not 2 MiB-aligned, where no RAM was.
    small_want = Region(big_want.base + (192 << 20) + 0x1000, 64 << 10)
    run = machine.boot_scenario(translated("hello", arch, memory=[big_want, small_want]))
    runs = []
    for _ in range(2):
        m = run.expect(STAGE2_LINE.format(name="hello"), what="the stage-2 dump lines "
                       "'vm0 (hello): stage-2 <gpa>-<end> -> <hpa> rwx, N x S KiB'")
        runs.append((int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16),
                     int(m.group(6)), int(m.group(7))))
    big, small = runs
    check(big[:2] == (big_want.base, big_want.end) and big[3:] == (8, 2048)
          and big[2] % (2 << 20) == 0, run,
          f"0x{big_want.base:x}-0x{big_want.end:x} as 8 x 2048 KiB leaves on a 2 MiB-aligned "
          "host address", f"{big}")
    check(small[:2] == (small_want.base, small_want.end) and small[3:] == (16, 4), run,
          f"0x{small_want.base:x}-0x{small_want.end:x} as 16 x 4 KiB leaves", f"{small}")
    guest_verdicts(run, "hello", HELLO_FIRST[arch])


def test_vmids(machine: Machine) -> None:
    """Every live VM has a VMID of its own."""
    arch = machine.grading.arch
    vms = [guest_vm("hello", arch, identity=False, name=f"vm{i}") for i in range(3)]
    run = machine.boot_scenario(Scenario(path=None, vms=vms))
    vmids = []
    for i in range(3):
        m = run.expect(rf"^vm{i} \(vm{i}\): VMID (\d+)", what=f"'vm{i} (vm{i}): VMID <n>'")
        vmids.append(int(m.group(1)))
    check(len(set(vmids)) == 3, run, "three different VMIDs", f"{vmids}")
    vms_verdicts(run, [f"vm{i}" for i in range(3)], HELLO_FIRST[arch])

"""Lab 1 (boot): the hypervisor boots, knows its machine, manages pages and reports traps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.checks import check, elf_symbols
from grader.devicetree import add_node, dtb_to_dts, dts_to_dtb, remove_node, set_property
from grader.plugin import Machine

from hvlab.qemu import arch_info
from hvlab.scenario import layout

# A 256 MiB machine whose RAM is two device-tree memory nodes, 127 and 129 MiB: the second
# starts at an address that is not 2 MiB-aligned.
TWO_NODES = dict(memory_mib=256, smp=2, extra=[
    "-object", "memory-backend-ram,id=ram0,size=127M", "-numa", "node,memdev=ram0,cpus=0",
    "-object", "memory-backend-ram,id=ram1,size=129M", "-numa", "node,memdev=ram1,cpus=1"])
PAGE = 4096
RISCV_ABI_NAMES = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
                   "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
                   "s9", "s10", "s11", "t3", "t4", "t5", "t6"]


@dataclass(frozen=True)
class Arch:
    """What lab 1's tests expect of an arch's trap report and of a CPU without
    virtualization."""

    cause: str                    # regex of the cause line: group 1 the code (hex), 2 its name
    pc_addr: str                  # regex: group 1 the trapping pc, group 2 the faulting address
    load_fault: tuple[int, str]   # the code and name of a load past the end of RAM
    illegal: tuple[int, str]      # ... and of an instruction that does not exist
    more: list[tuple[str, str]]   # further report lines: (regex, what it is)
    registers: list[str]          # every register's label, in the report's order
    sp: str                       # the label of the stack pointer
    no_virt: dict                 # a QEMU machine whose CPU cannot virtualize ...
    no_virt_words: list[str]      # ... and the words its FATAL line must hold (regexes)


ARCH = {
    "riscv64": Arch(
        cause=r"^scause\s+0x([0-9a-f]+) \(([^)]*)\)",
        pc_addr=r"^sepc\s+0x([0-9a-f]{16})\s+stval\s+0x([0-9a-f]{16})",
        load_fault=(5, "load access fault"), illegal=(2, "illegal instruction"),
        more=[(r"^htval\s+0x[0-9a-f]{16}\s+htinst\s+0x[0-9a-f]{16}",
               "'htval 0x<16 digits>  htinst 0x<16 digits>'")],
        registers=[f"x{n}/{RISCV_ABI_NAMES[n]}" for n in range(1, 32)], sp="x2/sp",
        no_virt=dict(cpu="rv64,h=false"), no_virt_words=[r"\bH\b", "extension", "-cpu"]),
    # EC 0x25: a data abort taken at EL2 itself; 0x00: "unknown reason", what UDF raises
    # (Arm ARM D17.2.37, ESR_EL2).
    "arm64": Arch(
        cause=r"^esr\s+0x[0-9a-f]{16} \(EC 0x([0-9a-f]+): ([^)]*)\)",
        pc_addr=r"^elr\s+0x([0-9a-f]{16})\s+far\s+0x([0-9a-f]{16})",
        load_fault=(0x25, "data abort from EL2"), illegal=(0x00, "unknown reason"),
        more=[(r"^spsr\s+0x[0-9a-f]{16}\s+hpfar\s+0x[0-9a-f]{16}",
               "'spsr 0x<16 digits>  hpfar 0x<16 digits>'")],
        registers=[f"x{n}" for n in range(29)] + ["x29/fp", "x30/lr", "sp"], sp="sp",
        no_virt=dict(machine="virt,gic-version=3"), no_virt_words=["EL2", "virtualization=on"]),
}


def test_banner(machine: Machine) -> None:
    """The banner names hvlab, its version and the architecture; the machine powers off cleanly."""
    run = machine.boot()
    m = run.expect(r"^hvlab (\d+\.\d+\.\d+) \(([\w-]+)\)",
                   what="the banner line 'hvlab X.Y.Z (<arch>) ...'")
    check(m.group(2) == machine.grading.arch, run,
          f"the banner to name the architecture '{machine.grading.arch}'",
          f"'{m.group(2)}'")
    run.expect(r"^hvlab: no virtual machine to run; powering off",
               what="'hvlab: no virtual machine to run; powering off' at the end of the boot")
    run.expect_exit(0, "a clean power-off through the firmware (QEMU exit status 0)")


def test_memory_size(machine: Machine) -> None:
    """The RAM found in the device tree is reported exactly, for several -m sizes."""
    base = layout(machine.grading.arch).ram_base
    for mib in (128, 384, 1000):
        run = machine.boot(memory_mib=mib)
        end = base + mib * 1024 * 1024
        run.expect(rf"^memory: 0x{base:016x}-0x{end:016x} \({mib} MiB\)",
                   what=f"'memory: 0x{base:016x}-0x{end:016x} ({mib} MiB)' "
                        f"for a machine started with -m {mib}M")
        total = run.expect(r"^memory total: (\d+) MiB", what="'memory total: N MiB'")
        check(int(total.group(1)) == mib, run, f"memory total: {mib} MiB",
              total.group(0))
        run.expect_exit(0, "a clean power-off")

    # Two memory nodes: both ranges, in the order the device tree lists them (QEMU lists
    # arm64's backwards).
    run = machine.boot(**TWO_NODES)
    run.expect(r"^memory total: 256 MiB", what="'memory total: 256 MiB'")
    split = base + (127 << 20)
    for start, end, mib in ((base, split, 127), (split, base + (256 << 20), 129)):
        line = f"memory: 0x{start:016x}-0x{end:016x} ({mib} MiB)"
        check(re.search(rf"^{re.escape(line)}$", run.output, re.M) is not None, run,
              f"'{line}' for a machine with two memory nodes", "no such line")
    run.expect_exit(0, "a clean power-off")


def test_cpu_count(machine: Machine) -> None:
    """The number of CPUs is read from /cpus, for several -smp values."""
    for smp in (1, 3, 4):
        run = machine.boot(smp=smp)
        m = run.expect(r"^cpus: (\d+) \(boot: \w+ (\d+)\)",
                       what="'cpus: N (boot: <hart|mpidr> B)'")
        check(int(m.group(1)) == smp, run, f"cpus: {smp} (QEMU ran with -smp {smp})",
              m.group(0))
        check(int(m.group(2)) < smp, run, f"a boot CPU id below {smp}", m.group(0))
        run.expect_exit(0, "a clean power-off")


def _palloc_run(machine: Machine, mib: int, initrd: Path | None = None,
                two_nodes: bool = False) -> int:
    """Boots with the allocator self-test and checks its figures; returns the free pages."""
    layout = TWO_NODES if two_nodes else dict(memory_mib=mib)
    run = machine.boot(append="hvlab.test=palloc", initrd=initrd, **layout)
    ram_pages = mib * 1024 * 1024 // PAGE
    initrd_pages = 0
    if initrd:
        m = run.expect(r"^initrd: 0x([0-9a-f]+)-0x([0-9a-f]+)$",
                       what="'initrd: 0x<start>-0x<end>' (QEMU was given -initrd)")
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        check(end - start == initrd.stat().st_size, run,
              f"an initrd of {initrd.stat().st_size} bytes", m.group(0))
        initrd_pages = (end - 1) // PAGE - start // PAGE + 1
    m = run.expect(r"^page allocator: (\d+) pages of RAM, (\d+) free",
                   what="the boot line 'page allocator: N pages of RAM, F free'")
    check(int(m.group(1)) == ram_pages, run,
          f"{ram_pages} pages of RAM for -m {mib}M", m.group(0))
    free = int(m.group(2))
    # Firmware, hypervisor and device tree take some pages, but not megabytes of them.
    lost = ram_pages - free - initrd_pages
    check(0 < lost < (2 * 1024 * 1024) // PAGE, run,
          "between 1 page and 2 MiB excluded (firmware, hypervisor image, device tree)"
          + (f" besides the initrd's {initrd_pages} pages" if initrd else ""),
          f"{lost} pages excluded" + (" besides the initrd" if initrd else ""))
    m = run.expect(r"^palloc-test: ram (\d+) pages, free (\d+) pages",
                   what="the self-test's first line 'palloc-test: ram N pages, free F pages'")
    check((int(m.group(1)), int(m.group(2))) == (ram_pages, free), run,
          f"ram {ram_pages} pages, free {free} pages", m.group(0))
    for order in (0, 1, 4, 9):
        m = run.expect(rf"^palloc-test: order {order}: allocated (\d+) blocks until "
                       r"exhausted, (\d+) pages left",
                       what=f"the self-test's order-{order} line")
        blocks, left = int(m.group(1)), int(m.group(2))
        check(blocks * (1 << order) + left == free, run,
              f"order-{order} blocks x {1 << order} pages + pages left = {free} free pages",
              m.group(0))
        if order == 0:
            check(left == 0, run, "every free page handed out one at a time", m.group(0))
        if order == 9:
            # Only the 2 MiB blocks touched by exclusions (or by the seam between two
            # memory nodes) may be missing.
            want = (mib // 2 - 4 - (initrd_pages * PAGE) // (2 << 20) - (2 if initrd else 0)
                    - (1 if two_nodes else 0))
            check(blocks >= want, run, f"at least {want} aligned 2 MiB blocks out of {mib // 2}",
                  m.group(0))
    run.expect(r"^palloc-test: PASS", what="'palloc-test: PASS'")
    run.expect_exit(0, "a clean power-off after the self-test")
    return free


def test_page_allocator(machine: Machine, tmp_path: Path) -> None:
    """The page allocator hands out every free page once, and aligned blocks; never the initrd."""
    free = {mib: _palloc_run(machine, mib) for mib in (128, 512)}
    # Blocks are aligned by physical address, not by their index in a memory range.
    _palloc_run(machine, 256, two_nodes=True)
    initrd = tmp_path / "initrd.img"
    initrd.write_bytes(bytes(range(256)) * (3 * 4096 + 7))   # a little over 3 MiB
    with_initrd = _palloc_run(machine, 128, initrd)
    expected = (initrd.stat().st_size + PAGE - 1) // PAGE
    check(free[128] - with_initrd in (expected, expected + 1), None,
          f"{expected} (or {expected + 1}) fewer free pages with a "
          f"{initrd.stat().st_size}-byte initrd", f"{free[128] - with_initrd} fewer")


def _report_registers(run, arch: Arch, symbols: dict[str, int]) -> None:
    values = {}
    for label in arch.registers:
        m = run.expect(rf"{re.escape(label)}\s+0x([0-9a-f]{{16}})",
                       what=f"register {label} in the report, as '{label} 0x<16 hex digits>'")
        values[label] = int(m.group(1), 16)
    lo, hi = symbols["_start_image"], symbols["_end_image"]
    sp = values[arch.sp]
    check(lo <= sp < hi, run, f"sp ({arch.sp}) inside the hypervisor image [{lo:#x}, {hi:#x})",
          f"sp = {sp:#x}")


def _expect_cause(run, arch: Arch, want: tuple[int, str], what: str) -> None:
    m = run.expect(arch.cause, what=f"the cause line in the trap report ({arch.cause})")
    check(int(m.group(1), 16) == want[0] and m.group(2) == want[1], run,
          f"cause 0x{want[0]:x} ({want[1]}) for {what}", m.group(0))


def test_trap_report(machine: Machine) -> None:
    """An unexpected trap prints a decoded report (cause, its registers, all registers) and fails."""
    arch = ARCH[machine.grading.arch]
    symbols = elf_symbols(machine.image.elf, arch_info(machine.grading.arch).nm)
    lo, hi = symbols["_start_image"], symbols["_end_image"]
    mib = 256
    end_of_ram = layout(machine.grading.arch).ram_base + mib * 1024 * 1024

    run = machine.boot(memory_mib=mib, append="hvlab.fault=load")
    _expect_cause(run, arch, arch.load_fault, "a load past the end of RAM")
    m = run.expect(arch.pc_addr, what=f"the trapping pc and address ({arch.pc_addr})")
    pc, addr = int(m.group(1), 16), int(m.group(2), 16)
    check(lo <= pc < hi, run, f"the pc inside the hypervisor [{lo:#x}, {hi:#x})", f"{pc:#x}")
    check(addr == end_of_ram, run, f"the faulting address {end_of_ram:#x}", f"{addr:#x}")
    for pattern, what in arch.more:
        run.expect(pattern, what=what)
    _report_registers(run, arch, symbols)
    run.expect(r"^PANIC: ", what="a PANIC line after the report")
    run.expect_exit(None, "a failure exit status after the panic")

    run = machine.boot(append="hvlab.fault=illegal")
    _expect_cause(run, arch, arch.illegal, "an instruction that does not exist")
    run.expect(r"^PANIC: ", what="a PANIC line after the report")
    run.expect_exit(None, "a failure exit status after the panic")


def test_no_virtualization(machine: Machine) -> None:
    """A CPU that cannot virtualize stops the hypervisor with a message naming the QEMU option."""
    arch = ARCH[machine.grading.arch]
    run = machine.boot(**arch.no_virt)
    m = run.expect(r"^FATAL: (.*)$", what="a FATAL line saying the CPU cannot virtualize")
    line = m.group(1)
    check(all(re.search(word, line) for word in arch.no_virt_words), run,
          f"a FATAL line that names {', '.join(arch.no_virt_words)}", line)
    run.expect_exit(None, "a failure exit status")


def _bad_trees(arch: str, dts: str, base: int) -> list[tuple[str, str, list[str]]]:
    """Broken device trees: (what is wrong, the tree, words the FATAL line must hold)."""
    if arch == "arm64":
        # QEMU's arm boot code replaces every /memory@... node of a -dtb it is given with
        # its own (hw/arm/boot.c), so the broken memory is a node of another name that
        # says it is memory (device_type), as the binding allows.
        node = "ram@60000000"
        memory = {"device_type": '"memory"'}
        return [("an empty memory range",
                 add_node(dts, node, {**memory, "reg": "<0x00 0x60000000 0x00 0x00>"}),
                 [node, "empty"]),
                # Three cells where #address-cells = 2 and #size-cells = 2 need four.
                ("a malformed memory reg",
                 add_node(dts, node, {**memory, "reg": "<0x00 0x60000000 0x00>"}),
                 [node, "reg"])]
    node = f"memory@{base:x}"
    return [("no memory node", remove_node(dts, node), ["memory"]),
            ("a malformed memory reg", set_property(dts, node, "reg", f"<0x00 {base:#x} 0x00>"),
             [node, "reg"])]


def test_bad_device_tree(machine: Machine, tmp_path) -> None:
    """A device tree without usable memory, or with a malformed memory reg, stops with a clear error."""
    arch = machine.grading.arch
    mib = 256
    dts = dtb_to_dts(machine.dump_dtb(tmp_path / "qemu.dtb", memory_mib=mib))
    for i, (what, bad, words) in enumerate(_bad_trees(arch, dts, layout(arch).ram_base)):
        run = machine.boot(memory_mib=mib, dtb=dts_to_dtb(bad, tmp_path / f"bad-{i}.dtb"))
        m = run.expect(r"^FATAL: (.*)$", what=f"a FATAL line for a device tree with {what}")
        check(all(w in m.group(1) for w in words), run,
              f"for a device tree with {what}: a FATAL line that names {', '.join(words)}",
              m.group(0))
        run.expect_exit(None, "a failure exit status")

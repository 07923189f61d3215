"""Scenarios: small TOML files that describe a machine and the VMs it runs.

    [machine]                    # optional: the QEMU machine
    memory = "256M"
    smp = 1
    append = ""                  # the hypervisor's boot arguments
    disks = ["disk.img"]         # raw disk images: virtio-mmio block devices of the
                                 # machine (the first at 0x10008000, irq 8), to pass through

    [[vm]]
    name = "hello"
    kernel = "guest:hello"       # a test guest of guests/, or a file (relative to the scenario)
    vcpus = 1
    cpus = [0]                   # the physical CPU (hart) of each vCPU (lab 6); default:
                                 # the vCPUs of all VMs are dealt out to the CPUs in turn
    memory = [{ base = 0x84000000, size = "16M" }]
    identity = true              # GPA = HPA: the region is the host's own RAM
    entry = 0x84000000           # default: where the kernel is loaded
    load = 0x84000000            # default: the first memory region's base
    bootargs = ""
    fault = "stop"               # or "inject": a stray access faults in the guest (lab 3)
    devices = [{ type = "testdev", base = 0x10010000 },            # emulated (lab 3)
               { type = "passthrough", base = 0x101000, irq = 11 },  # a host device (lab 4)
               { type = "uart", base = 0x10000000, irq = 10 }]       # a 16550A (lab 5)
    dtb = true                   # give the guest a generated device tree (Linux, lab 4)

kernel = "linux" is the Linux guest guests/linux/build.py makes.

A scenario is checked completely before anything starts; every problem is reported with
the file, the VM and the key.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GUESTS = REPO / "guests"
MAX_VMS = 4
MAX_VCPUS = 8
MAX_CPUS = 8        # harts the hypervisor can use (MACHINE_MAX_HARTS)
MAX_REGIONS = 4
MAX_DEVICES = 4
TESTDEV_SIZE = 0x1000


# kernel = "linux": the guest kernel guests/linux/build.py makes (a placeholder path until
# resolve_linux() replaces it with the built Image).
LINUX_IMAGE = Path("<linux>")


class ScenarioError(ValueError):
    """A scenario that cannot run; the message names the file, the VM and the key."""


@dataclass
class Region:
    base: int
    size: int

    @property
    def end(self) -> int:
        return self.base + self.size


@dataclass
class Device:
    type: str       # "testdev", "uart" (emulated) or "passthrough" (a host device)
    base: int
    size: int = 0x1000
    irq: int = 0    # passthrough: the host interrupt routed to the VM; uart: its own


DEVICE_TYPES = {"testdev": "hvlab,testdev", "passthrough": "hvlab,passthrough",
                "uart": "ns16550a"}
# The guest's UART where QEMU's virt machine has its own, with the same interrupt.
UART = Device("uart", 0x1000_0000, 0x1000, irq=10)
VPLIC_SOURCES = 96   # sources of a VM's PLIC: solutions/arch/riscv64/include/asm/vm.h
PASSTHROUGH_NEEDS_IDENTITY = (
    "passthrough needs the VM's RAM identity-mapped (identity = true): the device does DMA "
    "to guest-physical addresses and QEMU's virt machine has no IOMMU to translate them")


@dataclass
class VmSpec:
    name: str
    kernel: Path
    vcpus: int
    memory: list[Region]
    identity: bool
    load: int
    entry: int
    bootargs: str = ""
    devices: list[Device] = field(default_factory=list)
    inject_faults: bool = False     # fault = "inject": stray accesses fault in the guest
    dtb: bool = False               # give the guest a generated device tree (Linux)
    affinity: list[int] | None = None  # cpus = [...]: the physical CPU of each vCPU


@dataclass
class Scenario:
    path: Path | None
    memory_mib: int = 256
    smp: int = 1
    append: str = ""
    disks: list[Path] = field(default_factory=list)
    vms: list[VmSpec] = field(default_factory=list)


_SIZE = re.compile(r"^(\d+)\s*([KMG]?)i?B?$", re.I)


def parse_size(value: object, where: str) -> int:
    """An int, or a string like "16M", "512K", "1G"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        m = _SIZE.match(value.strip())
        if m:
            return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2).upper()]
    raise ScenarioError(f"{where}: '{value}' is not a size (use a number of bytes or '16M')")


def guest_image(name: str, arch: str) -> Path:
    """The binary of test guest `name` (built by guests/Makefile)."""
    return GUESTS / "build" / arch / f"{name}.bin"


def _int(value: object, where: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ScenarioError(f"{where}: expected an integer >= {minimum}, got {value!r}")
    return value


def _vm(entry: dict, index: int, where: str, base_dir: Path, arch: str) -> VmSpec:
    known = {"name", "kernel", "vcpus", "cpus", "memory", "identity", "entry", "load",
             "bootargs", "devices", "fault", "dtb"}
    unknown = set(entry) - known
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "kernel", "memory"):
        if key not in entry:
            raise ScenarioError(f"{where}: missing key '{key}'")
    name = entry["name"]
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]{1,31}", name):
        raise ScenarioError(f"{where}: name {name!r} must be 1-31 letters, digits, . _ -")
    where = f"{where} ({name})"
    kernel_ref = entry["kernel"]
    if not isinstance(kernel_ref, str):
        raise ScenarioError(f"{where}: kernel must be a string")
    if kernel_ref.startswith("guest:"):
        kernel = guest_image(kernel_ref[len("guest:"):], arch)
    elif kernel_ref == "linux":
        kernel = LINUX_IMAGE   # resolved (and built) by resolve_linux() before use
    else:
        kernel = (base_dir / kernel_ref).resolve()
    vcpus = _int(entry.get("vcpus", 1), f"{where}: vcpus", 1)
    if vcpus > MAX_VCPUS:
        raise ScenarioError(f"{where}: vcpus = {vcpus}, at most {MAX_VCPUS}")
    affinity = entry.get("cpus")
    if affinity is not None:
        if (not isinstance(affinity, list) or len(affinity) != vcpus
                or not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0
                           for c in affinity)):
            raise ScenarioError(f"{where}: cpus must list one CPU number (0, 1, ...) per vCPU "
                                f"({vcpus})")
    regions_in = entry["memory"]
    if not isinstance(regions_in, list) or not regions_in:
        raise ScenarioError(f"{where}: memory must be a list of {{ base, size }} tables")
    if len(regions_in) > MAX_REGIONS:
        raise ScenarioError(f"{where}: more than {MAX_REGIONS} memory regions")
    regions = []
    for i, r in enumerate(regions_in):
        rw = f"{where}: memory[{i}]"
        if not isinstance(r, dict) or set(r) != {"base", "size"}:
            raise ScenarioError(f"{rw}: expected {{ base = ..., size = ... }}")
        region = Region(_int(r["base"], f"{rw}.base"), parse_size(r["size"], f"{rw}.size"))
        if region.base % 4096 or region.size % 4096 or region.size == 0:
            raise ScenarioError(f"{rw}: base and size must be non-zero multiples of 4 KiB")
        regions.append(region)
    regions.sort(key=lambda r: r.base)
    for a, b in zip(regions, regions[1:]):
        if b.base < a.end:
            raise ScenarioError(f"{where}: memory regions {a.base:#x}+{a.size:#x} and "
                                f"{b.base:#x}+{b.size:#x} overlap")
    load = _int(entry.get("load", regions[0].base), f"{where}: load")
    entry_pc = _int(entry.get("entry", load), f"{where}: entry")
    bootargs = entry.get("bootargs", "")
    if not isinstance(bootargs, str):
        raise ScenarioError(f"{where}: bootargs must be a string")
    identity = entry.get("identity", False)
    if not isinstance(identity, bool):
        raise ScenarioError(f"{where}: identity must be true or false")
    fault = entry.get("fault", "stop")
    if fault not in ("stop", "inject"):
        raise ScenarioError(f"{where}: fault must be \"stop\" or \"inject\", not {fault!r}")
    devices = []
    for i, d in enumerate(entry.get("devices", [])):
        dw = f"{where}: devices[{i}]"
        if not isinstance(d, dict) or d.get("type") not in DEVICE_TYPES or "base" not in d:
            raise ScenarioError(f"{dw}: expected {{ type = one of {sorted(DEVICE_TYPES)}, "
                                "base = ... }")
        unknown = set(d) - {"type", "base", "size", "irq"}
        if unknown:
            raise ScenarioError(f"{dw}: unknown key(s) {', '.join(sorted(unknown))}")
        dev = Device(d["type"], _int(d["base"], f"{dw}.base"),
                     parse_size(d.get("size", 0x1000), f"{dw}.size"),
                     _int(d.get("irq", 0), f"{dw}.irq"))
        if dev.base % 4096 or dev.size % 4096 or not dev.size:
            raise ScenarioError(f"{dw}: base and size must be non-zero multiples of 4 KiB")
        if dev.type == "testdev" and (dev.size != TESTDEV_SIZE or dev.irq):
            raise ScenarioError(f"{dw}: a testdev is {TESTDEV_SIZE:#x} bytes and has no irq")
        if dev.type == "uart" and (dev.size != UART.size or not 1 <= dev.irq <= VPLIC_SOURCES):
            raise ScenarioError(f"{dw}: a uart is {UART.size:#x} bytes with an irq between 1 and "
                                f"{VPLIC_SOURCES}")
        if dev.type == "uart" and any(d.type == "uart" for d in devices):
            raise ScenarioError(f"{dw}: a VM has one uart (its console is one line)")
        if dev.type == "passthrough" and not identity:
            raise ScenarioError(f"{dw}: {PASSTHROUGH_NEEDS_IDENTITY}")
        if any(dev.base < r.end and r.base < dev.base + dev.size for r in regions):
            raise ScenarioError(f"{dw}: {dev.type} at {dev.base:#x} overlaps the VM's memory")
        if dev.irq and any(d.irq == dev.irq for d in devices):
            raise ScenarioError(f"{dw}: irq {dev.irq} belongs to another device of the VM")
        if any(dev.base < d.base + d.size and d.base < dev.base + dev.size for d in devices):
            raise ScenarioError(f"{dw}: {dev.type} at {dev.base:#x} overlaps another device")
        devices.append(dev)
    if len(devices) > MAX_DEVICES:
        raise ScenarioError(f"{where}: more than {MAX_DEVICES} devices")
    dtb = entry.get("dtb", False)
    if not isinstance(dtb, bool):
        raise ScenarioError(f"{where}: dtb must be true or false")
    return VmSpec(name=name, kernel=kernel, vcpus=vcpus, memory=regions, identity=identity,
                  load=load, entry=entry_pc, bootargs=bootargs, devices=devices,
                  inject_faults=fault == "inject", dtb=dtb, affinity=affinity)


@dataclass(frozen=True)
class GuestLayout:
    """Where an arch's QEMU virt machine has its RAM, where its test guests live (they
    are linked there: guests/arch/<arch>/guest.ld) and where their test device sits."""

    ram_base: int          # the host's RAM starts here
    guest_ram: Region      # the test guests' RAM: in lab 2's identity-mapped VMs free host
                           # RAM of a 256 MiB machine, clear of the firmware, the hypervisor
                           # and the bundle QEMU loads half-way into RAM
    testdev_base: int      # the MMIO test device of lab 3's guests (guests/tests/<arch>/mmio.c)


LAYOUTS = {
    "riscv64": GuestLayout(0x8000_0000, Region(0x8400_0000, 16 << 20), 0x1001_0000),
    # 0x0b000000 is free on QEMU's virt: past the virtio-mmio slots, before the platform bus.
    "arm64": GuestLayout(0x4000_0000, Region(0x4400_0000, 16 << 20), 0x0b00_0000),
}


def layout(arch: str) -> GuestLayout:
    try:
        return LAYOUTS[arch]
    except KeyError:
        raise ScenarioError(f"no test guests for ARCH={arch} (have: {', '.join(LAYOUTS)})") from None


def guest_vm(guest: str, arch: str, identity: bool = True, **changes: object) -> VmSpec:
    """A VM running test guest `guest` of guests/tests/<arch>/ in its 16 MiB (layout()):
    the host's own RAM at that address (identity, lab 2), or anywhere (lab 3's stage-2)."""
    ram = layout(arch).guest_ram
    vm = VmSpec(name=guest, kernel=guest_image(guest, arch), vcpus=1,
                memory=[Region(ram.base, ram.size)], identity=identity, load=ram.base,
                entry=ram.base)
    for key, value in changes.items():
        setattr(vm, key, value)
    return vm


def guest_scenario(guest: str, arch: str, memory_mib: int = 256, **vm: object) -> Scenario:
    """One VM running test guest `guest` (see guest_vm for the VM's options)."""
    return Scenario(path=None, memory_mib=memory_mib, vms=[guest_vm(guest, arch, **vm)])


# The Linux guest's VM: 128 MiB with the kernel 2 MiB in, in a 512 MiB machine. Translated
# RAM sits at 0x80000000; identity-mapped RAM (passthrough, lab 5) at 0x90000000, clear of
# the firmware and the hypervisor, which occupy the start of host RAM.
LINUX_RAM = 128 << 20
LINUX_BASE = 0x8000_0000
LINUX_IDENTITY_BASE = 0x9000_0000
LINUX_MACHINE_MIB = 512


def linux_vm(arch: str, bootargs: str, identity: bool = False, **changes: object) -> VmSpec:
    """A VM running the Linux guest with a generated device tree (see guest_vm for the
    other options)."""
    base = LINUX_IDENTITY_BASE if identity else LINUX_BASE
    return guest_vm("linux", arch, identity=identity, kernel=LINUX_IMAGE, load=base + (2 << 20),
                    entry=base + (2 << 20), bootargs=bootargs, dtb=True,
                    memory=[Region(base, LINUX_RAM)], **changes)


def linux_scenario(arch: str, bootargs: str, **vm: object) -> Scenario:
    """One Linux VM (see linux_vm) in a machine of LINUX_MACHINE_MIB."""
    return Scenario(path=None, memory_mib=LINUX_MACHINE_MIB,
                    vms=[linux_vm(arch, bootargs, **vm)])


def uses_linux(scenario: Scenario) -> bool:
    return any(vm.kernel == LINUX_IMAGE for vm in scenario.vms)


def resolve_linux(scenario: Scenario, image: Path) -> None:
    """Points every kernel = "linux" VM at the built Linux Image."""
    for vm in scenario.vms:
        if vm.kernel == LINUX_IMAGE:
            vm.kernel = image


def dtb_address(vm: VmSpec) -> int:
    """Where a VM's device tree goes: the last 2 MiB-aligned 2 MiB of its first region."""
    r = vm.memory[0]
    return (r.end - (2 << 20)) & ~((2 << 20) - 1)


def check_images(scenario: Scenario) -> None:
    """Checks what needs the images: they exist, fit their region, and entry is in RAM."""
    where = str(scenario.path or "scenario")
    for i, vm in enumerate(scenario.vms):
        at = f"{where}: vm[{i}] ({vm.name})"
        if not vm.kernel.is_file():
            raise ScenarioError(f"{at}: kernel {vm.kernel} does not exist")
        size = vm.kernel.stat().st_size
        holder = next((r for r in vm.memory if r.base <= vm.load < r.end), None)
        if holder is None:
            raise ScenarioError(f"{at}: load address {vm.load:#x} is outside the VM's memory")
        if vm.load + size > holder.end:
            raise ScenarioError(f"{at}: kernel {vm.kernel.name} ({size} bytes at "
                                f"{vm.load:#x}) does not fit in its memory region "
                                f"{holder.base:#x}+{holder.size:#x}")
        if not any(r.base <= vm.entry < r.end for r in vm.memory):
            raise ScenarioError(f"{at}: entry {vm.entry:#x} is outside the VM's memory")


def load_scenario(path: Path, arch: str) -> Scenario:
    try:
        doc = tomllib.loads(path.read_text())
    except OSError as e:
        raise ScenarioError(f"{path}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: {e}") from None
    return scenario_from_dict(doc, path, arch)


def scenario_from_dict(doc: dict, path: Path | None, arch: str) -> Scenario:
    where = str(path or "scenario")
    unknown = set(doc) - {"machine", "vm"}
    if unknown:
        raise ScenarioError(f"{where}: unknown section(s) {', '.join(sorted(unknown))}")
    machine = doc.get("machine", {})
    unknown = set(machine) - {"memory", "smp", "append", "disks"}
    if unknown:
        raise ScenarioError(f"{where}: [machine]: unknown key(s) {', '.join(sorted(unknown))}")
    scenario = Scenario(path=path)
    if "memory" in machine:
        scenario.memory_mib = parse_size(machine["memory"], f"{where}: [machine] memory") >> 20
    scenario.smp = _int(machine.get("smp", 1), f"{where}: [machine] smp", 1)
    if scenario.smp > MAX_CPUS:
        raise ScenarioError(f"{where}: [machine] smp = {scenario.smp}, at most {MAX_CPUS} harts")
    scenario.append = machine.get("append", "")
    base_dir = path.parent if path else Path.cwd()
    disks = machine.get("disks", [])
    if not isinstance(disks, list) or not all(isinstance(d, str) for d in disks):
        raise ScenarioError(f"{where}: [machine] disks must be a list of file names")
    scenario.disks = [(base_dir / d).resolve() for d in disks]
    for disk in scenario.disks:
        if not disk.is_file():
            raise ScenarioError(f"{where}: [machine] disks: {disk} does not exist")
    vms = doc.get("vm", [])
    if not isinstance(vms, list) or len(vms) > MAX_VMS:
        raise ScenarioError(f"{where}: [[vm]] must be a list of at most {MAX_VMS} VMs")
    for i, entry in enumerate(vms):
        scenario.vms.append(_vm(entry, i, f"{where}: vm[{i}]", base_dir, arch))
    for i, vm in enumerate(scenario.vms):
        for cpu in vm.affinity or []:
            if cpu >= scenario.smp:
                raise ScenarioError(f"{where}: vm[{i}] ({vm.name}): cpus names CPU {cpu}, but "
                                    f"the machine has {scenario.smp} (smp = {scenario.smp})")
    names = [vm.name for vm in scenario.vms]
    if len(set(names)) != len(names):
        raise ScenarioError(f"{where}: two VMs share a name")
    given = [(vm, d) for vm in scenario.vms for d in vm.devices if d.type == "passthrough"]
    for i, (vm_a, a) in enumerate(given):
        for vm_b, b in given[i + 1:]:
            if vm_a is not vm_b and a.base < b.base + b.size and b.base < a.base + a.size:
                raise ScenarioError(f"{where}: VMs {vm_a.name} and {vm_b.name} are both given "
                                    f"the host device at {a.base:#x}: a device belongs to "
                                    "one VM")
    identity = [(vm, r) for vm in scenario.vms if vm.identity for r in vm.memory]
    for i, (vm_a, a) in enumerate(identity):
        for vm_b, b in identity[i + 1:]:
            if vm_a is not vm_b and a.base < b.end and b.base < a.end:
                raise ScenarioError(f"{where}: VMs {vm_a.name} and {vm_b.name} claim the same "
                                    f"host memory ({a.base:#x}+{a.size:#x} and "
                                    f"{b.base:#x}+{b.size:#x}, both identity-mapped)")
    return scenario

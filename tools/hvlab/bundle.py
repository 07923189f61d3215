"""The VM bundle: one flattened device tree that describes every VM of a scenario and
carries its images, built with dtc and handed to the hypervisor as QEMU's -initrd.

    / {
        compatible = "hvlab,bundle-v1";
        #address-cells = <2>; #size-cells = <2>;
        vm@0 {
            compatible = "hvlab,vm";
            label = "hello";            (the name; "name" is reserved in DT)
            vcpus = <1>;
            memory = <gpa-hi gpa-lo size-hi size-lo ...>;
            identity;                       (GPA = HPA)
            kernel = /incbin/("hello.bin");
            kernel-addr = <hi lo>;
            entry = <hi lo>;
            bootargs = "...";
            inject-access-faults;           (optional: stray accesses fault in the guest)
            dtb = /incbin/("vm0.dtb");      (optional: the guest's device tree, for Linux,
            dtb-addr = <hi lo>;              loaded there and handed over in a1)
            testdev@10010000 {              (emulated devices: compatible and reg)
                compatible = "hvlab,testdev";
                reg = <0x0 0x10010000 0x0 0x1000>;
            };
            passthrough@101000 {            (a host device: same address, its interrupt)
                compatible = "hvlab,passthrough";
                reg = <0x0 0x101000 0x0 0x1000>;
                interrupts = <11>;
            };
            uart@10000000 {                 (an emulated 16550A; its own source of the
                compatible = "ns16550a";     VM's PLIC)
                reg = <0x0 0x10000000 0x0 0x1000>;
                interrupts = <10>;
            };
        };
    };
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .guest_dt import build_guest_dtb
from .scenario import DEVICE_TYPES, Scenario, VmSpec, dtb_address

BUNDLE_COMPATIBLE = "hvlab,bundle-v1"


def _cells(value: int) -> str:
    return f"0x{value >> 32:x} 0x{value & 0xffffffff:x}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def vm_node(index: int, vm: VmSpec, omit: frozenset[str] = frozenset(),
            dtb: Path | None = None) -> str:
    props = {
        "compatible": '"hvlab,vm"',
        "label": _quote(vm.name),
        "vcpus": f"<{vm.vcpus}>",
        "memory": "<" + " ".join(f"{_cells(r.base)} {_cells(r.size)}" for r in vm.memory) + ">",
        "kernel": f'/incbin/({_quote(str(vm.kernel))})',
        "kernel-addr": f"<{_cells(vm.load)}>",
        "entry": f"<{_cells(vm.entry)}>",
        "bootargs": _quote(vm.bootargs),
    }
    if vm.affinity is not None:
        props["affinity"] = "<" + " ".join(str(c) for c in vm.affinity) + ">"
    if dtb:
        props["dtb"] = f'/incbin/({_quote(str(dtb))})'
        props["dtb-addr"] = f"<{_cells(dtb_address(vm))}>"
    lines = [f"\tvm@{index} {{", "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;"]
    for key, value in props.items():
        if key not in omit:
            lines.append(f"\t\t{key} = {value};")
    if vm.identity and "identity" not in omit:
        lines.append("\t\tidentity;")
    if vm.inject_faults:
        lines.append("\t\tinject-access-faults;")
    for dev in vm.devices:
        lines += [f"\t\t{dev.type}@{dev.base:x} {{",
                  f'\t\t\tcompatible = "{DEVICE_TYPES[dev.type]}";',
                  f"\t\t\treg = <{_cells(dev.base)} {_cells(dev.size)}>;"]
        if dev.irq:
            lines.append(f"\t\t\tinterrupts = <{dev.irq}>;")
        lines.append("\t\t};")
    lines.append("\t};")
    return "\n".join(lines)


def bundle_dts(scenario: Scenario, omit: dict[int, frozenset[str]] | None = None,
               dtbs: dict[int, Path] | None = None) -> str:
    """The bundle's source. `omit` drops properties of some VMs (tests of the
    hypervisor's own checks)."""
    omit = omit or {}
    nodes = "\n".join(vm_node(i, vm, omit.get(i, frozenset()), (dtbs or {}).get(i))
                      for i, vm in enumerate(scenario.vms))
    return ("/dts-v1/;\n\n/ {\n"
            f'\tcompatible = "{BUNDLE_COMPATIBLE}";\n'
            "\t#address-cells = <2>;\n\t#size-cells = <2>;\n"
            f"{nodes}\n}};\n")


class BundleError(RuntimeError):
    pass


def build_bundle(scenario: Scenario, out: Path,
                 omit: dict[int, frozenset[str]] | None = None) -> Path:
    """Compiles the bundle to `out` (the .dts is kept beside it for reading)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    dtbs = {i: build_guest_dtb(vm, out.with_name(f"{out.stem}-vm{i}.dtb"))
            for i, vm in enumerate(scenario.vms) if vm.dtb}
    dts = bundle_dts(scenario, omit, dtbs)
    out.with_suffix(".dts").write_text(dts)
    try:
        done = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out)],
                              input=dts, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise BundleError("dtc is not installed (tools/deps.sh installs "
                          "device-tree-compiler)") from None
    if done.returncode != 0:
        raise BundleError(f"dtc could not build the bundle: {done.stderr.strip()}")
    return out

#!/usr/bin/env python3
"""hvrun - boot a hypervisor image in QEMU, interactively (make qemu, make qemu-gdb, make run)."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hvlab.bundle import BundleError, build_bundle  # noqa: E402
from hvlab.guests import GuestBuildError, prepare_guests  # noqa: E402
from hvlab.qemu import QemuSpec, arch_info, free_port, qemu_command  # noqa: E402
from hvlab.scenario import (ScenarioError, check_images, guest_scenario,  # noqa: E402
                            load_scenario)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--arch", default="riscv64")
    ap.add_argument("--kernel", type=Path, required=True, help="the hypervisor image")
    ap.add_argument("--scenario", type=Path,
                    help="a scenario (TOML): its VMs are bundled and given as the initrd")
    ap.add_argument("--guest", help="run one test guest of guests/tests/<arch>/ (e.g. hello)")
    ap.add_argument("--mem", type=int, help="RAM in MiB (default: the scenario's, or 256)")
    ap.add_argument("--smp", type=int, help="number of CPUs (default: the scenario's, or 1)")
    ap.add_argument("--cpu", help="QEMU -cpu (default: the arch's, with virtualization)")
    ap.add_argument("--append", default="", help="boot arguments, e.g. hvlab.test=palloc")
    ap.add_argument("--dtb", type=Path)
    ap.add_argument("--initrd", type=Path)
    ap.add_argument("--gdb-port-file", type=Path,
                    help="wait for GDB on a free port, written to this file for make gdb")
    ap.add_argument("--dry-run", action="store_true", help="print the command, run nothing")
    args = ap.parse_args()

    info = arch_info(args.arch)
    if not args.kernel.is_file():
        sys.exit(f"hvrun: {args.kernel} does not exist; build it first (make)")
    if not shutil.which(info.qemu):
        sys.exit(f"hvrun: {info.qemu} is not installed (tools/deps.sh installs it)")

    spec = QemuSpec(arch=args.arch, kernel=args.kernel, cpu=args.cpu, append=args.append,
                    dtb=args.dtb, initrd=args.initrd, interactive=True)
    if args.scenario or args.guest:
        try:
            scenario = (load_scenario(args.scenario, args.arch) if args.scenario
                        else guest_scenario(args.guest, args.arch))
            prepare_guests(scenario, args.arch)
            check_images(scenario)
            name = args.scenario.stem if args.scenario else f"guest-{args.guest}"
            bundle = args.kernel.parent / "bundles" / f"{name}.dtb"
            spec.initrd = build_bundle(scenario, bundle)
        except (ScenarioError, BundleError, GuestBuildError) as e:
            sys.exit(f"hvrun: {e}")
        spec.memory_mib, spec.smp = scenario.memory_mib, scenario.smp
        spec.disks = scenario.disks
        spec.append = " ".join(a for a in (scenario.append, args.append) if a)
    if args.mem:
        spec.memory_mib = args.mem
    if spec.memory_mib < info.min_memory_mib:
        print(f"hvrun: {args.arch} needs at least {info.min_memory_mib} MiB; using that",
              flush=True)
        spec.memory_mib = info.min_memory_mib
    if args.smp:
        spec.smp = args.smp
    if args.gdb_port_file:
        spec.gdb_port = free_port()
        args.gdb_port_file.write_text(f"{spec.gdb_port}\n")
        print(f"hvrun: QEMU waits for GDB on port {spec.gdb_port}; "
              "run 'make gdb' in another terminal", flush=True)
    cmd = qemu_command(spec)
    print("hvrun: " + " ".join(cmd), flush=True)
    if args.dry_run:
        return 0
    print("hvrun: quit QEMU with Ctrl-A then X", flush=True)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    sys.exit(main())

"""make bench: the hypervisor's costs as exact instruction counts.

Timing QEMU in seconds measures the emulator, not the design. With -icount shift=0 every
guest instruction advances a virtual clock by the same amount, so counters read inside a
guest (rdinstret) give the same figure on every run and every machine. Each measure runs
twice and must come out identical; the table goes to the terminal and results/bench.json.

    python3 -m grader.bench [--tree DIR] [--arch A]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .build import build_tree
from .outcomes import GradeError
from .rubric import REPO
from .runner import QemuRun

sys.path.insert(0, str(REPO / "tools"))
from hvlab.bundle import build_bundle  # noqa: E402
from hvlab.guests import build_guests  # noqa: E402
from hvlab.qemu import QemuSpec, qemu_command  # noqa: E402
from hvlab.scenario import TESTDEV_BASE, Device, check_images, guest_scenario  # noqa: E402


@dataclass(frozen=True)
class Measure:
    name: str       # row of the table
    guest: str      # test guest that measures it
    pattern: str    # its report line; group 1 is the figure
    unit: str
    testdev: bool = False   # the guest needs the MMIO test device


MEASURES = [
    Measure("SBI null call, guest -> hypervisor -> guest", "bench_sbi",
            r"^bench: sbi_null_call (\d+) instructions per round trip", "instructions"),
    Measure("emulated device interrupt: raise -> guest handler", "bench_irq",
            r"^bench: device_irq (\d+) instructions from raise to handler", "instructions",
            testdev=True),
]


def run_measure(measure: Measure, image: Path, arch: str, work: Path, run_no: int) -> int:
    devices = [Device("testdev", TESTDEV_BASE)] if measure.testdev else []
    scenario = guest_scenario(measure.guest, arch, identity=False, devices=devices)
    check_images(scenario)
    bundle = build_bundle(scenario, work / f"{measure.guest}.dtb")
    spec = QemuSpec(arch=arch, kernel=image, memory_mib=scenario.memory_mib, initrd=bundle,
                    extra=["-icount", "shift=0"])
    log = REPO / "results" / "bench" / f"{measure.guest}-{run_no}.log"
    with QemuRun(qemu_command(spec), log, wall_s=120, idle_s=60) as run:
        figure = int(run.expect(measure.pattern, what=f"the {measure.guest} report").group(1))
        run.wait_exit()
    return figure


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="exact instruction counts of hvlab's paths")
    ap.add_argument("--tree", type=Path, default=REPO / "solutions")
    ap.add_argument("--arch", default="riscv64")
    args = ap.parse_args(argv)
    try:
        image = build_tree(args.tree.resolve(), args.arch, REPO,
                           REPO / "results" / "bench" / "build.log")
        build_guests(args.arch)
        rows = []
        with tempfile.TemporaryDirectory(prefix="hvlab-bench-") as tmp:
            for m in MEASURES:
                first, second = (run_measure(m, image.bin, args.arch, Path(tmp), n)
                                 for n in (1, 2))
                if first != second:
                    print(f"bench: {m.name}: {first} then {second}: the count is not "
                          "deterministic", file=sys.stderr)
                    return 1
                rows.append({"measure": m.name, "value": first, "unit": m.unit})
    except (GradeError, RuntimeError, ValueError) as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    width = max(len(r["measure"]) for r in rows)
    print(f"hvlab bench: {args.tree} ({args.arch}), QEMU -icount shift=0, each run twice")
    print(f"{'measure':<{width}}  {'value':>10}  unit")
    for r in rows:
        print(f"{r['measure']:<{width}}  {r['value']:>10}  {r['unit']}")
    out = REPO / "results" / "bench.json"
    out.write_text(json.dumps({"arch": args.arch, "tree": str(args.tree), "measures": rows},
                              indent=2) + "\n")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

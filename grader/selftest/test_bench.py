"""make bench prints exact, repeatable instruction counts."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from grader.selftest.helpers import REPO, SOLUTIONS

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="needs solutions/")


def _bench(arch: str) -> tuple[str, dict]:
    done = subprocess.run(["make", "-s", "bench", f"ARCH={arch}"], cwd=REPO,
                          capture_output=True, text=True, timeout=2400)  # a cold Linux build
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, json.loads((REPO / "results" / f"bench-{arch}.json").read_text())


def _figure(out: str, row: str) -> int:
    m = re.search(rf"^{row}.*?\s(\d+)\s+instructions$", out, re.M)
    assert m, out
    return int(m.group(1))


def test_bench_reports_exact_counts() -> None:
    out, report = _bench("riscv64")
    # A world switch and an SBI dispatch cost more than a few instructions, and far
    # less than a page of them.
    sbi = _figure(out, "SBI null call")
    assert 50 < sbi < 5000
    assert 100 < _figure(out, "emulated device interrupt") < 50000, out
    # Linux costs more under the hypervisor than natively, but not absurdly more.
    ratio = re.search(r"^Linux to init, under hvlab / natively\s+([\d.]+)\s+ratio$", out, re.M)
    assert ratio and 1.0 < float(ratio.group(1)) < 20, out
    assert report["measures"][0]["value"] == sbi


def test_bench_arm64() -> None:
    out, report = _bench("arm64")
    hvc = _figure(out, "HVC null call")
    assert 50 < hvc < 5000
    # An emulated load is a stage-2 abort, a syndrome decode and the device: more than a
    # null call, less than many.
    assert hvc < _figure(out, "emulated MMIO load") < 50000, out
    assert report["measures"][0]["value"] == hvc


def test_lab_trees_measure_what_their_lab_has() -> None:
    from grader.bench import FINISHED, MEASURES, tree_lab

    assert tree_lab(SOLUTIONS) == FINISHED
    assert [tree_lab(REPO / "labs" / d) for d in ("02-vcpu", "04-interrupts")] == [2, 4]
    assert {m.guest for m in MEASURES["riscv64"] if m.lab <= 4} == {"bench_sbi", "bench_irq"}
    # A lab-2 tree runs no translated VM: refused before anything is built.
    done = subprocess.run(["make", "-s", "bench", "TREE=labs/02-vcpu"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "bench: nothing to measure in a lab-2 tree: the first measures need lab 3" in \
        done.stderr, done.stderr


def test_repeatable_needs_two_runs_that_agree() -> None:
    from grader.bench import repeatable

    def runs(*values: int):
        calls: list[int] = []

        def measure_once(n: int) -> int:
            calls.append(n)
            return values[n - 1]
        return measure_once, calls

    once, calls = runs(7, 7, 9)
    assert repeatable(once, "m") == 7 and calls == [1, 2]
    once, calls = runs(7, 8, 8)
    assert repeatable(once, "m") == 8 and calls == [1, 2, 3]
    once, _ = runs(7, 8, 9)
    with pytest.raises(RuntimeError, match="no two runs agree"):
        repeatable(once, "m")

"""Release checks, on every arch: the solution scores 100 %, every lab tree scores exactly
its baseline, the trees are in sync with solutions/, the rubric is consistent, and the
student export builds and grades on its own."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from grader.rubric import load_labs
from grader.selftest.helpers import PYTHON, REPO, SOLUTIONS, arches, grade

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="a student repository has no solutions/ to check")

LABS = load_labs()
ARCHES = arches()
# (arch, lab) for every lab each arch has.
ARCH_LABS = [(arch, n) for arch in ARCHES for n in sorted(load_labs(arch))]
# A lab's skeleton fails its own tests cleanly: the hypervisor stops or answers wrongly,
# but the grader never crashes and nothing runs into a budget.
CLEAN_FAILURES = {"FAIL", "PANIC"}


def test_trees_in_sync() -> None:
    done = subprocess.run([PYTHON, "tools/labgen.py", "check"], cwd=REPO, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rubric_matches_tests(tmp_path: Path) -> None:
    """Every rubric entry has a test and every test an entry (the plugin checks at
    collection); totals add up (load_labs checks)."""
    for arch in ARCHES:
        done = subprocess.run([PYTHON, "-m", "grader", "--collect-only", "--arch", arch],
                              cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        collected = {line.split("::")[-1].removeprefix("test_")
                     for line in done.stdout.splitlines() if "::" in line}
        listed = {test for lab in load_labs(arch).values() for test in lab.points}
        assert collected == listed, arch
    for arch in ARCHES:
        for lab in load_labs(arch).values():
            assert sum(lab.points.values()) == lab.total, (arch, lab.number)


@pytest.mark.parametrize("arch", ARCHES)
def test_solution_scores_everything(arch: str, tmp_path: Path) -> None:
    run = grade(SOLUTIONS, "all", tmp_path, arch=arch)
    assert run.status == 0, run.output[-4000:]
    for n, lab in load_labs(arch).items():
        assert run.score(n) == (lab.total, lab.total), run.output[-4000:]
        assert f"lab {n} ({lab.name}): {lab.total}/{lab.total}" in run.output
    assert set(run.outcomes().values()) == {"PASS"}


@pytest.mark.parametrize("arch,lab", ARCH_LABS, ids=lambda v: str(v))
def test_lab_tree_baseline(arch: str, lab: int, tmp_path: Path) -> None:
    """Lab N's tree passes every test of the labs before it and fails each of its own."""
    labs = load_labs(arch)
    tree = REPO / "labs" / labs[lab].dir
    run = grade(tree, str(lab), tmp_path, arch=arch)
    assert "Traceback" not in run.output, run.output[-4000:]
    for n in range(1, lab):
        assert run.score(n) == (labs[n].total, labs[n].total), run.output[-4000:]
    own = run.outcomes(lab)
    assert set(own) == {f"lab{lab}.{t}" for t in labs[lab].points}
    unclean = {t: o for t, o in own.items() if o not in CLEAN_FAILURES}
    assert not unclean, f"lab {lab}'s skeleton should fail every own test cleanly: {unclean}"
    assert run.score(lab) == (0, labs[lab].total)


@pytest.mark.parametrize("arch", ARCHES)
def test_every_tree_builds(arch: str, tmp_path: Path) -> None:
    """Every lab tree builds for every arch it exists for; the others refuse by name."""
    for lab in LABS.values():
        done = subprocess.run(["make", "-s", "-C", str(REPO / "labs" / lab.dir),
                               f"ARCH={arch}", f"BUILD={tmp_path / lab.dir}"],
                              capture_output=True, text=True)
        if arch in lab.arches:
            assert done.returncode == 0, done.stdout + done.stderr
        else:
            assert done.returncode != 0 and "does not exist for" in done.stderr, done.stderr


def test_student_export(tmp_path: Path) -> None:
    """make dist writes a repository without solutions that builds and grades by itself."""
    dest = tmp_path / "student"
    done = subprocess.run(["make", "-s", "dist", f"DEST={dest}"], cwd=REPO, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (dest / "solutions").exists()
    for part in ("labs", "grader", "tools", "Makefile", "README.md", "docs"):
        assert (dest / part).exists(), f"the export lacks {part}"
    assert not (dest / "grader" / "hidden").exists()
    trees = [str(dest / "labs" / lab.dir) for lab in LABS.values()]
    leaked = subprocess.run(["grep", "-rlE", "@(lab|since) [0-9]", *trees],
                            capture_output=True, text=True).stdout
    assert not leaked, f"solution markers leaked into the export: {leaked}"

    first = 1
    tree = dest / "labs" / LABS[first].dir
    built = subprocess.run(["make", "-s", "-C", str(tree)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    # Graded by the export's own grader, found from the lab directory as a student would.
    report = tmp_path / "export.json"
    graded = subprocess.run(["make", "-s", "-C", str(tree), "grade",
                             f"JSON={report}"], capture_output=True, text=True)
    assert "Traceback" not in graded.stdout + graded.stderr
    assert f"lab {first} ({LABS[first].name}): 0/{LABS[first].total}" in graded.stdout, \
        graded.stdout[-3000:]
    assert str(dest) in report.read_text()

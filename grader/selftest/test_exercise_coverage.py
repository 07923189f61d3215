"""No exercise goes untested, on any arch: a tree with every exercise of its lab solved but
one must fail at least one of that lab's tests (labgen.py one-open writes such trees). An
exercise under arch/<arch>/ is checked on that arch; one elsewhere (core/, vdev/, ...) on
every arch its lab exists for."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from grader.rubric import lab_arches
from grader.selftest.helpers import PYTHON, REPO, SOLUTIONS, grade

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="needs solutions/")


def list_exercises() -> list[tuple[str, int, str]]:
    """(arch, lab, exercise) for every exercise and every arch that must catch it."""
    if not (SOLUTIONS / "Makefile").is_file():
        return []
    out = subprocess.run([PYTHON, "tools/labgen.py", "exercises"], cwd=REPO, check=True,
                         capture_output=True, text=True).stdout
    arches = lab_arches()
    cases = []
    for line in out.splitlines():
        lab, exercise = int(line.split()[0]), line.split()[1]
        parts = exercise.split("/")
        for arch in arches[lab]:
            if parts[0] != "arch" or parts[1] == arch:
                cases.append((arch, lab, exercise))
    return cases


@pytest.mark.parametrize("arch,lab,exercise", list_exercises(), ids=lambda v: str(v))
def test_open_exercise_is_caught(arch: str, lab: int, exercise: str, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    subprocess.run([PYTHON, "tools/labgen.py", "one-open", "--exercise", exercise,
                    "--out", str(tree)], cwd=REPO, check=True, capture_output=True)
    run = grade(tree, str(lab), tmp_path, only=True, arch=arch)
    assert "Traceback" not in run.output, run.output[-3000:]
    own = run.outcomes(lab)
    assert own, run.output[-3000:]
    failed = sorted(t for t, o in own.items() if o != "PASS")
    assert failed, f"every lab {lab} test passes on {arch} with {exercise} left undone"
    # A half-done tree may hang (TIMEOUT is a fair verdict then), but it must build and
    # the grader must not trip over it.
    assert not {o for o in own.values()} & {"BUILD-ERROR", "INFRA"}, own

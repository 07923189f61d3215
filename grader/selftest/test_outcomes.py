"""Outcomes a student sees: BUILD-ERROR with the compiler's message, and the JSON report."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.selftest.helpers import SOLUTIONS, grade

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "Makefile").is_file(),
                                reason="needs solutions/")


def copy_tree(dest: Path) -> Path:
    shutil.copytree(SOLUTIONS, dest, ignore=shutil.ignore_patterns("build", ".gdbport"))
    return dest


def test_build_error_shows_the_compiler(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path / "broken")
    main_c = tree / "core" / "main.c"
    lines = main_c.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("void hv_main("))
    lines.insert(at, "int this_is_not_c = ;")
    main_c.write_text("\n".join(lines) + "\n")

    run = grade(tree, "1", tmp_path)
    assert run.status != 0
    assert set(run.outcomes().values()) == {"BUILD-ERROR"}
    # The compiler's own words, pointing at the tree's file and line.
    assert f"core/main.c:{at + 1}" in run.output and "error:" in run.output
    assert "Traceback" not in run.output
    assert "lab 1 (boot): 0/" in run.output


def test_json_report_fields(tmp_path: Path) -> None:
    run = grade(SOLUTIONS, "1", tmp_path)
    tests = run.report["tests"]
    assert tests, run.output[-2000:]
    for t in tests:
        assert set(t) >= {"id", "lab", "outcome", "points", "max_points", "duration_s", "logs"}
        assert t["outcome"] == "PASS" and t["points"] == t["max_points"] > 0
        assert t["duration_s"] > 0
        for log in t["logs"]:
            assert Path(log).is_file() and "hvlab" in Path(log).read_text()
    assert run.report["labs"][0]["lab"] == 1

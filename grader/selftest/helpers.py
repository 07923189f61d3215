"""Shared by the grader's self-tests: run the grader on a tree and read its JSON."""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = "/usr/bin/python3"
SOLUTIONS = REPO / "solutions"


@dataclass
class GradeRun:
    status: int
    output: str
    report: dict

    def outcomes(self, lab: int | None = None) -> dict[str, str]:
        return {t["id"]: t["outcome"] for t in self.report.get("tests", [])
                if lab is None or t["lab"] == lab}

    def score(self, lab: int) -> tuple[int, int]:
        for entry in self.report.get("labs", []):
            if entry["lab"] == lab:
                return entry["score"], entry["total"]
        raise AssertionError(f"lab {lab} is not in the report:\n{self.output[-3000:]}")


def grade(tree: Path, lab: str, tmp: Path, repo: Path = REPO, timeout: int = 2400,
          only: bool = False, arch: str = "riscv64") -> GradeRun:
    """Runs `python3 -m grader` of `repo` on `tree` for `arch`, as make grade does (only:
    just lab's own tests)."""
    report = tmp / "report.json"
    cmd = [PYTHON, "-m", "grader", "--tree", str(tree), "--lab", lab, "--arch", arch,
           "--json", str(report), "--results", str(tmp / "results")]
    cmd += ["--only-lab", lab] if only else []
    done = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    doc = json.loads(report.read_text()) if report.is_file() else {}
    return GradeRun(done.returncode, output, doc)


def arches() -> list[str]:
    """Every arch that has labs (tools/labs.toml), riscv64 first."""
    from grader.rubric import load_labs
    found = {a for lab in load_labs().values() for a in lab.arches}
    return sorted(found, key=lambda a: (a != "riscv64", a))

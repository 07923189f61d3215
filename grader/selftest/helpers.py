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
          only: bool = False) -> GradeRun:
    """Runs `python3 -m grader` of `repo` on `tree`, as make grade does (only: just lab's
    own tests)."""
    report = tmp / "report.json"
    cmd = [PYTHON, "-m", "grader", "--tree", str(tree), "--lab", lab, "--json", str(report),
           "--results", str(tmp / "results")] + (["--only-lab", lab] if only else [])
    done = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    doc = json.loads(report.read_text()) if report.is_file() else {}
    return GradeRun(done.returncode, output, doc)


def lab_numbers() -> list[int]:
    from grader.rubric import load_labs
    return sorted(load_labs())

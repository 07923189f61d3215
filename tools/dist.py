#!/usr/bin/env python3
"""dist - write the student repository: everything but the solutions.

    tools/dist.py DEST

Copies the labs, grader, guests, tools, docs, the top Makefile and README into DEST (a
new or empty directory), leaving out solutions/, the instructors' CI, hidden tests and
build output, and makes DEST a git repository with one commit when git is available.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Top-level entries that stay with the instructors.
EXCLUDED_TOP = {"solutions", ".ci", "results", ".git"}
# Anywhere in the tree.
EXCLUDED_DIRS = {"build", "__pycache__", ".pytest_cache"}
EXCLUDED_PATHS = {Path("grader/hidden")}   # tests the students must not see


def repo_files() -> list[Path]:
    """The files of the repository: git's view when it is a checkout, else a walk."""
    try:
        out = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True).stdout
        files = [Path(p) for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = [p.relative_to(REPO) for p in REPO.rglob("*") if p.is_file()]
    return sorted(f for f in files if (REPO / f).is_file())


def exported(path: Path) -> bool:
    if path.parts[0] in EXCLUDED_TOP:
        return False
    if any(part in EXCLUDED_DIRS for part in path.parts):
        return False
    return not any(path == p or p in path.parents for p in EXCLUDED_PATHS)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    dest = Path(argv[0]).resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        print(f"dist: {dest} exists and is not an empty directory; refusing to write there",
              file=sys.stderr)
        return 2
    if dest == REPO or REPO in dest.parents:
        print(f"dist: {dest} is inside the repository; choose a directory outside it",
              file=sys.stderr)
        return 2
    files = [f for f in repo_files() if exported(f)]
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    print(f"dist: wrote {len(files)} files to {dest} (no solutions/)")
    if shutil.which("git"):
        git = ["git", "-C", str(dest), "-c", "user.name=hvlab", "-c", "user.email=hvlab@localhost"]
        subprocess.run(git[:3] + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", "hvlab student repository"], check=True)
        print(f"dist: {dest} is a git repository with one commit")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

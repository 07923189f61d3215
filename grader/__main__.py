"""python3 -m grader [--tree DIR] [--lab N] [--arch A] [--json FILE] [pytest options]

Grades a hypervisor tree: builds it, boots it in QEMU for every test of labs 1..N and
prints a scoreboard. Exit status 0 when every test passed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent / "tests"


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
    args = ["-p", "grader.plugin", "-p", "no:cacheprovider", "-q", "-rN",
            "--rootdir", str(TESTS.parent.parent), str(TESTS), *argv]
    return int(pytest.main(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

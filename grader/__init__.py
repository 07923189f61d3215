"""hvlab's grader: boots the hypervisor under test in QEMU and scores each lab.

The launcher's modules (tools/hvlab: QEMU command lines, scenarios, bundles, guests) are
shared with `make qemu`; importing the grader package makes them importable as `hvlab`.
"""
import sys
from pathlib import Path

_TOOLS = str(Path(__file__).resolve().parent.parent / "tools")
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)

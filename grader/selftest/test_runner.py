"""The QEMU runner: patterns, budgets, input, and no process left behind on any path."""
from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from grader.outcomes import GradeFailure, HypervisorPanic, QemuTimeout
from grader.runner import QemuRun
from grader.selftest.helpers import PYTHON, REPO, SOLUTIONS
from hvlab.qemu import QemuSpec, qemu_command


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def processes_with(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if marker in line and "ps -eo" not in line]


@pytest.fixture(scope="module")
def image() -> Path:
    if not (SOLUTIONS / "Makefile").is_file():
        pytest.skip("needs solutions/ for a hypervisor image")
    subprocess.run(["make", "-s", "-C", str(SOLUTIONS)], check=True, capture_output=True)
    return SOLUTIONS / "build" / "riscv64" / "hvlab.bin"


def stopped_qemu(image: Path, name: str) -> list[str]:
    """A QEMU that waits for a debugger forever: no output, no exit."""
    return qemu_command(QemuSpec(arch="riscv64", kernel=image, gdb_port=0,
                                 extra=["-name", name]))


def test_expect_and_exit(image: Path, tmp_path: Path) -> None:
    with QemuRun(qemu_command(QemuSpec(arch="riscv64", kernel=image)), tmp_path / "a.log") as run:
        m = run.expect(r"^hvlab (\S+)")
        assert m.group(1)
        assert run.wait_exit() == 0
    log = (tmp_path / "a.log").read_text()
    assert "hvlab" in log and (tmp_path / "a.cmd").read_text().startswith("qemu-system-riscv64")


def test_input_is_typed(tmp_path: Path) -> None:
    # The runner drives any console program; cat echoes what is typed.
    with QemuRun(["cat"], tmp_path / "cat.log") as run:
        run.send("hello from the grader\n")
        run.expect(r"^hello from the grader$")


def test_exit_before_pattern_is_a_failure(tmp_path: Path) -> None:
    with QemuRun(["sh", "-c", "echo one; exit 3"], tmp_path / "x.log") as run:
        with pytest.raises(GradeFailure, match=r"QEMU exited \(status 3\)"):
            run.expect("two")


def test_panic_line_is_recognized(tmp_path: Path) -> None:
    with QemuRun(["sh", "-c", "echo 'PANIC: boom'; sleep 30"], tmp_path / "p.log") as run:
        with pytest.raises(HypervisorPanic, match="PANIC: boom"):
            run.expect("never printed")


def test_silence_times_out_and_kills_qemu(image: Path, tmp_path: Path) -> None:
    name = f"hvlab-selftest-{uuid.uuid4().hex[:8]}"
    run = QemuRun(stopped_qemu(image, name), tmp_path / "idle.log", wall_s=30, idle_s=1.5)
    with run:
        pgid = run.proc.pid
        started = time.monotonic()
        with pytest.raises(QemuTimeout, match="no output at all"):
            run.expect("hvlab")
        assert time.monotonic() - started < 10
    assert not group_alive(pgid)
    assert processes_with(name) == []


def test_wall_clock_budget(tmp_path: Path) -> None:
    # Output keeps coming, so only the wall-clock budget can end this.
    with QemuRun(["sh", "-c", "while true; do echo tick; sleep 0.2; done"],
                 tmp_path / "w.log", wall_s=2, idle_s=30) as run:
        with pytest.raises(QemuTimeout, match="budget 2 s"):
            run.expect("never")
        pgid = run.proc.pid
    assert not group_alive(pgid)


INTERRUPTED_TEST = """
from pathlib import Path
from grader.runner import QemuRun

def test_hangs():
    with QemuRun({cmd!r}, Path({log!r}), wall_s=600, idle_s=600) as run:
        Path({ready!r}).write_text(str(run.proc.pid))
        run.expect("never printed")
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_interrupted_grader_leaves_no_qemu(image: Path, tmp_path: Path, sig: int) -> None:
    """A grader stopped by Ctrl-C, kill or kill -9 takes its QEMU with it."""
    name = f"hvlab-selftest-{uuid.uuid4().hex[:8]}"
    ready = tmp_path / "ready"
    test_file = tmp_path / "test_hang.py"
    test_file.write_text(INTERRUPTED_TEST.format(cmd=stopped_qemu(image, name),
                                                 log=str(tmp_path / "hang.log"),
                                                 ready=str(ready)))
    grader = subprocess.Popen([PYTHON, "-m", "pytest", "-q", "-p", "grader.plugin",
                               "-p", "no:cacheprovider", str(test_file)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert grader.poll() is None, grader.stdout.read().decode()
            assert time.monotonic() < deadline, "the hanging test never started QEMU"
            time.sleep(0.1)
        time.sleep(0.3)
        assert processes_with(name), "QEMU should be running now"
        grader.send_signal(sig)
        grader.wait(30)
        deadline = time.monotonic() + 10
        while processes_with(name) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_with(name) == [], f"QEMU outlived the grader ({sig!r})"
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
        for line in processes_with(name):
            os.kill(int(line.split()[0]), signal.SIGKILL)

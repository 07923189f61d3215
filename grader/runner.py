"""The one QEMU runner every test uses.

A QemuRun starts QEMU in its own process group, copies everything the serial port says
into a per-test log, waits for patterns under a wall-clock budget and a no-output
budget, types console input, and ends the whole process group on every path out:
normal exit, failure, timeout, an interrupt of the grader (the `with` block and the
registry below) and even a killed grader (the kernel's parent-death signal).
"""
from __future__ import annotations

import codecs
import ctypes
import os
import re
import shlex
import signal
import subprocess
import threading
import time
from pathlib import Path

from .outcomes import GradeFailure, HypervisorPanic, InfraError, QemuTimeout

# Lines with which the hypervisor announces that it stopped itself.
STOP_LINE = re.compile(r"^(PANIC|FATAL): [^\n]*\n", re.M)

# Budgets are generous for a loaded 2-core machine; HVLAB_TIMEOUT_SCALE stretches them.
TIMEOUT_SCALE = float(os.environ.get("HVLAB_TIMEOUT_SCALE", "1"))
DEFAULT_WALL_S = 60.0
DEFAULT_IDLE_S = 20.0

_live: set["QemuRun"] = set()
_live_lock = threading.Lock()


def kill_all_live() -> None:
    """Ends every QEMU still running (the grader is exiting)."""
    with _live_lock:
        runs = list(_live)
    for run in runs:
        run.close()


def _die_with_parent() -> None:
    # PR_SET_PDEATHSIG = 1: SIGKILL this child when the grader dies, however it dies.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def log_tail(text: str, lines: int = 15) -> str:
    tail = text.rstrip("\n").splitlines()[-lines:]
    return "\n".join("    | " + line for line in tail) if tail else "    | (no output at all)"


class QemuRun:
    def __init__(self, cmd: list[str], log_path: Path, *, wall_s: float = DEFAULT_WALL_S,
                 idle_s: float = DEFAULT_IDLE_S, stop_on_panic: bool = True) -> None:
        self.cmd = cmd
        self.log_path = log_path
        self.wall_s = wall_s * TIMEOUT_SCALE
        self.idle_s = idle_s * TIMEOUT_SCALE
        self.stop_on_panic = stop_on_panic
        self.proc: subprocess.Popen[bytes] | None = None
        self._text = ""
        self._cursor = 0          # expect() searches from here
        self._cond = threading.Condition()
        self._exited = False
        self._started = 0.0
        self._last_output = 0.0
        self._reader: threading.Thread | None = None

    # -- lifetime ---------------------------------------------------------------------

    def start(self) -> "QemuRun":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.with_suffix(".cmd").write_text(shlex.join(self.cmd) + "\n")
        try:
            self.proc = subprocess.Popen(
                self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_die_with_parent)
        except FileNotFoundError as e:
            raise InfraError(f"cannot start {self.cmd[0]}: {e.strerror} "
                             "(tools/deps.sh installs QEMU)") from None
        with _live_lock:
            _live.add(self)
        self._started = self._last_output = time.monotonic()
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        return self

    def close(self) -> None:
        """Ends QEMU's whole process group (idempotent) and waits for the log."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            for sig, wait_s in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait_s)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._reap_group(proc.pid)
        if self._reader:
            self._reader.join(5)
        if proc.stdin:
            try:
                proc.stdin.close()
            except OSError:
                pass
        with _live_lock:
            _live.discard(self)

    @staticmethod
    def _reap_group(pgid: int, wait_s: float = 5.0) -> None:
        """Kills whatever is left in the process group (helpers QEMU started) and waits
        until the group is gone."""
        end = time.monotonic() + wait_s
        while time.monotonic() < end:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def __enter__(self) -> "QemuRun":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_output(self) -> None:
        assert self.proc and self.proc.stdout
        fd = self.proc.stdout.fileno()
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        with open(self.log_path, "wb") as log:
            while True:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
                log.write(data)
                log.flush()
                text = decoder.decode(data).replace("\r", "")
                with self._cond:
                    self._text += text
                    self._last_output = time.monotonic()
                    self._cond.notify_all()
        self.proc.wait()
        with self._cond:
            self._exited = True
            self._cond.notify_all()

    # -- reading ----------------------------------------------------------------------

    @property
    def output(self) -> str:
        with self._cond:
            return self._text

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.proc and self._exited else None

    def tail(self, lines: int = 15) -> str:
        return log_tail(self.output, lines)

    def _explain(self, expected: str, got: str) -> str:
        return (f"expected: {expected}\n"
                f"got:      {got}\n"
                f"last lines of the serial log ({self.log_path}):\n{self.tail()}")

    def expect(self, pattern: str | re.Pattern[str], what: str | None = None,
               timeout_s: float | None = None) -> re.Match[str]:
        """Waits for pattern (a regex, multi-line mode) in the complete lines after the
        previous match: a half-printed line is matched only once it is finished."""
        rx = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        what = what or f"output matching /{rx.pattern}/"
        give_up = self._started + self.wall_s
        if timeout_s is not None:
            give_up = min(give_up, time.monotonic() + timeout_s * TIMEOUT_SCALE)
        with self._cond:
            while True:
                complete = len(self._text) if self._exited else self._text.rfind("\n") + 1
                m = rx.search(self._text, self._cursor, max(complete, self._cursor))
                if m:
                    self._cursor = m.end()
                    return m
                stop = STOP_LINE.search(self._text, self._cursor)
                if stop and self.stop_on_panic:
                    self._cond.release()
                    try:
                        self._settle()
                    finally:
                        self._cond.acquire()
                    raise HypervisorPanic(self._explain(
                        what, f"the hypervisor stopped: {stop.group(0).strip()}"))
                if self._exited:
                    raise GradeFailure(self._explain(
                        what, f"QEMU exited (status {self.proc.returncode}) before that"))
                now = time.monotonic()
                if now >= give_up:
                    raise QemuTimeout(self._explain(
                        what, f"nothing like it within {now - self._started:.0f} s "
                              f"(budget {self.wall_s:.0f} s)"))
                if now - self._last_output >= self.idle_s:
                    raise QemuTimeout(self._explain(
                        what, f"no output at all for {self.idle_s:.0f} s: "
                              "the machine hangs or loops silently"))
                self._cond.wait(min(0.5, give_up - now))

    def _settle(self, wait_s: float = 2.0) -> None:
        """Gives a stopping machine a moment to print its last lines and exit."""
        if self.proc:
            try:
                self.proc.wait(wait_s)
            except subprocess.TimeoutExpired:
                pass
        if self._reader:
            self._reader.join(1.0)

    def wait_exit(self, timeout_s: float | None = None) -> int:
        """Waits for QEMU to end by itself; returns its exit status."""
        budget = self.wall_s - (time.monotonic() - self._started)
        if timeout_s is not None:
            budget = min(budget, timeout_s * TIMEOUT_SCALE)
        with self._cond:
            end = time.monotonic() + max(budget, 0)
            while not self._exited:
                now = time.monotonic()
                if now >= end:
                    raise QemuTimeout(self._explain(
                        "the machine to power off", "it was still running when the "
                        f"budget ran out ({self.wall_s:.0f} s)"))
                if now - self._last_output >= self.idle_s:
                    raise QemuTimeout(self._explain(
                        "the machine to power off",
                        f"no output for {self.idle_s:.0f} s and no power-off"))
                self._cond.wait(min(0.5, end - now))
        assert self.proc
        return self.proc.returncode

    def expect_exit(self, status: int | None, what: str) -> int:
        """Waits for the exit; status 0 means success, None means any failure status."""
        code = self.wait_exit()
        if status is None and code == 0:
            raise GradeFailure(self._explain(what, "QEMU exited with status 0 (success)"))
        if status is not None and code != status:
            raise GradeFailure(self._explain(what, f"QEMU exited with status {code}"))
        return code

    # -- writing ----------------------------------------------------------------------

    def send(self, text: str) -> None:
        """Types text on the serial console."""
        assert self.proc and self.proc.stdin
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise GradeFailure(self._explain(f"to type {text!r}",
                                             "QEMU had already exited")) from None

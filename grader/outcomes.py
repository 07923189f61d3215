"""The outcomes a graded test can have, and the exceptions that produce them.

PASS         the test's checks held
FAIL         a check did not hold (an AssertionError or a GradeFailure)
TIMEOUT      the machine ran past its wall-clock or no-output budget
PANIC        the hypervisor stopped with PANIC: or FATAL: where the test expected progress
BUILD-ERROR  the tree under test does not build
INFRA        the grader itself could not run the test (missing tool, a grader bug)
"""
from __future__ import annotations

PASS = "PASS"
FAIL = "FAIL"
TIMEOUT = "TIMEOUT"
PANIC = "PANIC"
BUILD_ERROR = "BUILD-ERROR"
INFRA = "INFRA"
SKIP = "SKIP"

ALL = (PASS, FAIL, TIMEOUT, PANIC, BUILD_ERROR, INFRA, SKIP)


class GradeError(Exception):
    """A test ended with an outcome other than PASS; str() is the message for the student."""

    outcome = FAIL


class GradeFailure(GradeError, AssertionError):
    outcome = FAIL


class QemuTimeout(GradeError):
    outcome = TIMEOUT


class HypervisorPanic(GradeError):
    outcome = PANIC


class BuildError(GradeError):
    outcome = BUILD_ERROR


class InfraError(GradeError):
    outcome = INFRA


def outcome_of(exc: BaseException | None) -> str:
    if exc is None:
        return PASS
    if isinstance(exc, GradeError):
        return exc.outcome
    if isinstance(exc, AssertionError):
        return FAIL
    return INFRA

"""The grader's pytest plugin: options, fixtures, outcomes, points, scoreboard and JSON.

Loaded by `python3 -m grader` (-p grader.plugin). Graded tests live in
grader/tests/lab<N>/; their points come from rubric.toml.
"""
from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from . import outcomes
from .build import Image, build_tree
from .outcomes import GradeError, InfraError
from .rubric import REPO, Lab, RubricError, load_labs
from .runner import DEFAULT_IDLE_S, DEFAULT_WALL_S, QemuRun, kill_all_live

from hvlab.bundle import BundleError, build_bundle
from hvlab.guests import GuestBuildError, prepare_guests
from hvlab.qemu import QemuSpec, dump_dtb_command, qemu_command
from hvlab.scenario import Scenario, ScenarioError, check_images, guest_scenario

TESTS_DIR = Path(__file__).resolve().parent / "tests"
LAB_DIR = re.compile(r"^lab(\d+)$")


@dataclass
class TestRecord:
    id: str                 # "lab1.banner"
    lab: int
    title: str
    max_points: int
    outcome: str = outcomes.INFRA
    points: int = 0
    duration_s: float = 0.0
    message: str = ""
    logs: list[str] = field(default_factory=list)


@dataclass
class Grading:
    """What is being graded, and where its results go."""

    tree: Path
    arch: str
    max_lab: int | None
    results: Path
    labs: dict[int, Lab]
    records: dict[str, TestRecord] = field(default_factory=dict)
    image: Image | None = None
    build_failure: GradeError | None = None

    def log_path(self, test_id: str) -> Path:
        base = self.results / "logs" / test_id
        n = 1
        while base.with_name(f"{base.name}-{n}.log").exists():
            n += 1
        return base.with_name(f"{base.name}-{n}.log")


GRADING = pytest.StashKey[Grading]()
RECORD = pytest.StashKey[TestRecord]()


def graded_test_id(item: pytest.Item) -> tuple[int, str] | None:
    """(lab, id) for a test under grader/tests/lab<N>/, None for any other test."""
    path = Path(str(item.path)).resolve()
    try:
        rel = path.relative_to(TESTS_DIR)
    except ValueError:
        return None
    m = LAB_DIR.match(rel.parts[0]) if len(rel.parts) > 1 else None
    if not m:
        return None
    name = getattr(item, "originalname", item.name)
    return int(m.group(1)), name.removeprefix("test_")


# -- options and setup ----------------------------------------------------------------

def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("hvlab")
    g.addoption("--tree", default=None,
                help="the hypervisor tree to grade (default: solutions/, or in a student "
                     "repository the tree of --lab)")
    g.addoption("--arch", default="riscv64", help="architecture (default riscv64)")
    g.addoption("--lab", default="all", help="grade labs 1..N (default: all)")
    g.addoption("--only-lab", type=int, default=None,
                help="run only lab N's tests (quick checks; the scoreboard says so)")
    g.addoption("--json", dest="hvlab_json", help="write the results as JSON to this file")
    g.addoption("--results", help="folder for logs (default: results/<tree>/<arch>)")


def default_tree(labs: dict[int, Lab], max_lab: int | None) -> Path:
    if (REPO / "solutions" / "Makefile").is_file():
        return REPO / "solutions"
    if max_lab is None:
        raise pytest.UsageError("this repository has no solutions/: say which lab to grade "
                                "(make grade LAB=N, or --tree DIR)")
    return REPO / "labs" / labs[max_lab].dir


def pytest_configure(config: pytest.Config) -> None:
    arch = config.getoption("--arch")
    lab = config.getoption("--lab")
    try:
        every_lab = load_labs()
        labs = load_labs(arch)
    except RubricError as e:
        raise pytest.UsageError(f"rubric: {e}") from None
    if not labs:
        known = sorted({a for info in every_lab.values() for a in info.arches})
        raise pytest.UsageError(f"--arch {arch}: no lab exists for it (arches with labs: "
                                f"{', '.join(known)})")
    if lab == "all":
        max_lab = None
    elif lab.isdigit() and int(lab) in labs:
        max_lab = int(lab)
    elif lab.isdigit() and int(lab) in every_lab:
        raise pytest.UsageError(f"lab {lab} ({every_lab[int(lab)].name}) does not exist for "
                                f"{arch} yet: the {arch} track has labs "
                                f"{', '.join(map(str, sorted(labs)))}")
    else:
        raise pytest.UsageError(f"--lab {lab}: expected one of {sorted(labs)} or 'all'")
    tree_opt = config.getoption("--tree")
    tree = Path(tree_opt).resolve() if tree_opt else default_tree(labs, max_lab)
    if not tree.is_dir():
        raise pytest.UsageError(f"--tree {tree}: no such directory")
    results = config.getoption("--results")
    results_dir = Path(results) if results else REPO / "results" / tree.name / arch
    config.stash[GRADING] = Grading(tree=tree, arch=arch, max_lab=max_lab,
                                    results=results_dir.resolve(), labs=labs)
    # Logs of an earlier grading of the same tree would only confuse.
    shutil.rmtree(results_dir / "logs", ignore_errors=True)
    # A polite kill of the grader ends its machines too (Ctrl-C does already).
    signal.signal(signal.SIGTERM, _on_sigterm)


def _on_sigterm(signum: int, frame: object) -> None:
    kill_all_live()
    raise KeyboardInterrupt


def pytest_unconfigure(config: pytest.Config) -> None:
    kill_all_live()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    grading = config.stash[GRADING]
    every_lab = load_labs()
    seen: set[tuple[int, str]] = set()
    keep, drop = [], []
    for item in items:
        ident = graded_test_id(item)
        if ident is None:
            keep.append(item)
            continue
        lab, test = ident
        if lab not in every_lab or test not in every_lab[lab].all_tests:
            raise pytest.UsageError(f"{item.nodeid}: lab{lab}.{test} has no points in "
                                    "grader/rubric.toml")
        if ident in seen:
            raise pytest.UsageError(f"{item.nodeid}: lab{lab}.{test} is defined twice")
        seen.add(ident)
        only = config.getoption("--only-lab")
        other_arch = lab not in grading.labs or test not in grading.labs[lab].points
        if (other_arch or (grading.max_lab is not None and lab > grading.max_lab)
                or (only and lab != only)):
            drop.append(item)
            continue
        doc = (getattr(item, "function", None).__doc__ or "").strip().splitlines()
        item.stash[RECORD] = TestRecord(id=f"lab{lab}.{test}", lab=lab,
                                        title=doc[0] if doc else test,
                                        max_points=grading.labs[lab].points[test])
        keep.append(item)
    if any(graded_test_id(i) for i in items):
        for n, lab_info in every_lab.items():
            for test in lab_info.all_tests:
                if (n, test) not in seen:
                    raise pytest.UsageError(f"rubric lists lab{n}.{test}, but no test "
                                            f"grader/tests/lab{n}/test_*.py::test_{test} exists")
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


# -- fixtures -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def grading(request: pytest.FixtureRequest) -> Grading:
    return request.config.stash[GRADING]


@pytest.fixture(scope="session")
def hv_image(grading: Grading) -> Image:
    """The tree under test, built once; a build failure fails every test as BUILD-ERROR."""
    if grading.build_failure is not None:
        # The first test showed the compiler's message; the others point to it.
        raise type(grading.build_failure)(
            "the tree does not build: see the first BUILD-ERROR above, "
            f"or {grading.results / 'build.log'}")
    if grading.image is None:
        try:
            grading.image = build_tree(grading.tree, grading.arch, REPO,
                                       grading.results / "build.log")
        except GradeError as e:
            grading.build_failure = e
            raise
    return grading.image


class Machine:
    """Boots the image under test; every machine is closed when the test ends."""

    def __init__(self, grading: Grading, image: Image, record: TestRecord | None,
                 test_id: str) -> None:
        self.grading = grading
        self.image = image
        self.record = record
        self.test_id = test_id
        self.runs: list[QemuRun] = []

    def spec(self, **kw: object) -> QemuSpec:
        return QemuSpec(arch=self.grading.arch, kernel=self.image.bin, **kw)  # type: ignore[arg-type]

    def boot(self, *, wall_s: float = DEFAULT_WALL_S, idle_s: float = DEFAULT_IDLE_S,
             stop_on_panic: bool = True, **spec: object) -> QemuRun:
        log = self.grading.log_path(self.test_id)
        run = QemuRun(qemu_command(self.spec(**spec)), log, wall_s=wall_s, idle_s=idle_s,
                      stop_on_panic=stop_on_panic)
        self.runs.append(run)
        if self.record:
            self.record.logs.append(str(log))
        return run.start()

    def bundle(self, scenario: Scenario, out: Path, check: bool = True,
               omit: dict[int, frozenset[str]] | None = None) -> Path:
        """The scenario's VM bundle. check=False skips the launcher's own checks, so
        that a malformed bundle reaches the hypervisor (tests of its checks)."""
        try:
            prepare_guests(scenario, self.grading.arch, quiet=True)
        except GuestBuildError as e:
            raise InfraError(str(e)) from None
        try:
            if check:
                check_images(scenario)
            return build_bundle(scenario, out, omit)
        except (ScenarioError, BundleError) as e:
            raise InfraError(f"the grader's scenario is broken: {e}") from None

    def boot_scenario(self, scenario: Scenario, *, check: bool = True,
                      omit: dict[int, frozenset[str]] | None = None, **kw: object) -> QemuRun:
        """Boots the hypervisor with the scenario's VMs as its bundle."""
        log_dir = self.grading.results / "bundles"
        name = (f"{self.test_id}-{len(self.runs) + 1}-"
                + "-".join(vm.name for vm in scenario.vms))
        initrd = self.bundle(scenario, log_dir / f"{name}.dtb", check, omit)
        kw.setdefault("memory_mib", scenario.memory_mib)
        kw.setdefault("smp", scenario.smp)
        kw.setdefault("disks", scenario.disks)
        if scenario.append:
            kw.setdefault("append", scenario.append)
        return self.boot(initrd=initrd, **kw)

    def boot_guest(self, guest: str, **kw: object) -> QemuRun:
        """Boots one test guest of guests/tests/<arch>/ in a VM of its own."""
        return self.boot_scenario(guest_scenario(guest, self.grading.arch), **kw)

    def dump_dtb(self, out: Path, **spec: object) -> Path:
        """The device tree QEMU builds for such a machine, written to out."""
        cmd = dump_dtb_command(self.spec(**spec), out)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or not out.is_file():
            raise InfraError(f"QEMU could not dump its device tree: {done.stderr.strip()}")
        return out

    def close(self) -> None:
        for run in self.runs:
            run.close()


@pytest.fixture
def machine(request: pytest.FixtureRequest, grading: Grading, hv_image: Image):
    record = request.node.stash.get(RECORD, None)
    m = Machine(grading, hv_image, record, record.id if record else request.node.name)
    try:
        yield m
    finally:
        m.close()


# -- outcomes, points, reports --------------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    result = yield
    report: pytest.TestReport = result.get_result()
    record = item.stash.get(RECORD, None)
    if record is None:
        return
    if report.when == "call" or (report.failed and report.when == "setup"):
        exc = call.excinfo.value if call.excinfo else None
        if report.skipped:
            record.outcome = outcomes.SKIP
        else:
            record.outcome = outcomes.outcome_of(exc)
        record.points = record.max_points if record.outcome == outcomes.PASS else 0
        record.duration_s += report.duration
        if exc is not None and record.outcome != outcomes.SKIP:
            record.message = str(exc)
            if isinstance(exc, GradeError):
                # The message says it all; a Python traceback would only distract.
                report.longrepr = f"{record.outcome}: {exc}"
        item.config.stash[GRADING].records[record.id] = record
    elif report.when == "setup":
        record.duration_s += report.duration


def _scores(grading: Grading) -> list[tuple[Lab, int, list[TestRecord]]]:
    rows = []
    for n, lab in sorted(grading.labs.items()):
        recs = [r for r in grading.records.values() if r.lab == n]
        if recs:
            rows.append((lab, sum(r.points for r in recs), recs))
    return rows


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    grading = config.stash[GRADING]
    rows = _scores(grading)
    if not rows:
        return
    tr = terminalreporter
    tr.section(f"hvlab scoreboard: {grading.tree} ({grading.arch})")
    for lab, score, recs in rows:
        tr.write_line(f"lab {lab.number} ({lab.name})")
        for r in recs:
            tr.write_line(f"  {r.outcome:<11} {r.points:>3}/{r.max_points:<3} "
                          f"{r.id.split('.', 1)[1]:<18} {r.title}")
    tr.write_line("")
    for lab, score, recs in rows:
        partial = "" if len(recs) == len(lab.points) else f" (of the {len(recs)} tests run)"
        tr.write_line(f"lab {lab.number} ({lab.name}): {score}/{lab.total}{partial}")
    tr.write_line(f"logs: {grading.results / 'logs'}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    kill_all_live()
    config = session.config
    path = config.getoption("hvlab_json", None)
    if not path:
        return
    grading = config.stash[GRADING]
    doc = {
        "tree": str(grading.tree),
        "arch": grading.arch,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "labs": [{"lab": lab.number, "name": lab.name, "score": score, "total": lab.total}
                 for lab, score, _ in _scores(grading)],
        "tests": [asdict(r) for r in grading.records.values()],
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(doc, indent=2) + "\n")

"""Tests of tools/labgen.py on small synthetic solution trees."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import labgen  # noqa: E402

LABS_TOML = """\
[[lab]]
number = 1
dir = "01-boot"
name = "boot"
title = "Booting"

[[lab]]
number = 2
dir = "02-vcpu"
name = "vcpu"
title = "vCPUs"

[[lab]]
number = 3
dir = "03-stage2"
name = "stage2"
title = "Stage-2"
"""
DIRS = {1: "01-boot", 2: "02-vcpu", 3: "03-stage2"}

FDT_C = """\
#include "fdt.h"

int fdt_scan(struct info *info)
{
\tint n = 0;

\t/* @lab 1 begin: Walk every /memory node and record its reg ranges
\t * in info->mem[]; return -EINVAL when a node has no reg. */
\tn = walk_memory(info);
\tif (n < 0)
\t\treturn -EINVAL;
\t/* @lab 1 stub: (void)info; */
\t/* @lab 1 stub: return -ENOSYS; */
\t/* @lab 1 end */
\t// @lab 2 begin: Count the cpus.
\tn += count_cpus(info);
\t// @lab 2 stub: return -ENOSYS;
\t// @lab 2 end
\treturn n;
}
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def src(self) -> Path:
        return self.root / "solutions"

    @property
    def out(self) -> Path:
        return self.root / "labs"

    def write(self, rel: str, text: str | bytes, executable: bool = False) -> Path:
        path = self.src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        path.chmod(0o755 if executable else 0o644)
        return path

    def run(self, command: str) -> Result:
        self.capsys.readouterr()
        argv = [command, "--src", "solutions", "--labs", "labs.toml"]
        if command != "lint":
            argv += ["--out", "labs"]
        code = labgen.main(argv)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def generate(self) -> Result:
        result = self.run("generate")
        assert result.code == 0, result.err
        return result

    def tree(self, lab: int, rel: str) -> str:
        return (self.out / DIRS[lab] / rel).read_text()

    def exists(self, lab: int, rel: str) -> bool:
        return (self.out / DIRS[lab] / rel).exists()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> Project:
    (tmp_path / "labs.toml").write_text(LABS_TOML)
    (tmp_path / "solutions").mkdir()
    monkeypatch.chdir(tmp_path)  # so that messages show short relative paths
    return Project(tmp_path, capsys)


# --- the transformation ---------------------------------------------------------------


def test_exercise_becomes_todo_and_stubs_in_its_own_lab(project: Project) -> None:
    project.write("core/fdt.c", FDT_C)
    project.generate()
    assert project.tree(1, "core/fdt.c") == """\
#include "fdt.h"

int fdt_scan(struct info *info)
{
\tint n = 0;

\t/* TODO(lab 1): Walk every /memory node and record its reg ranges
\t * in info->mem[]; return -EINVAL when a node has no reg. See README.md. */
\t(void)info;
\treturn -ENOSYS;
\treturn n;
}
"""


def test_exercise_is_solved_in_later_labs_and_absent_in_earlier(project: Project) -> None:
    project.write("core/fdt.c", FDT_C)
    project.generate()
    lab2 = project.tree(2, "core/fdt.c")
    assert "\tn = walk_memory(info);\n\tif (n < 0)\n\t\treturn -EINVAL;\n" in lab2
    assert "\t// TODO(lab 2): Count the cpus. See README.md.\n\treturn -ENOSYS;\n" in lab2
    assert "count_cpus" not in lab2 and "(void)info" not in lab2
    assert "count_cpus" not in project.tree(1, "core/fdt.c")
    assert project.tree(3, "core/fdt.c") == """\
#include "fdt.h"

int fdt_scan(struct info *info)
{
\tint n = 0;

\tn = walk_memory(info);
\tif (n < 0)
\t\treturn -EINVAL;
\tn += count_cpus(info);
\treturn n;
}
"""


def test_solutions_is_never_modified(project: Project) -> None:
    path = project.write("core/fdt.c", FDT_C)
    project.generate()
    assert path.read_text() == FDT_C


def test_multiline_statement_with_closing_line_of_its_own(project: Project) -> None:
    project.write("a.c", "  /* @lab 1 begin:\n   * First line,\n   *   indented detail.\n"
                         "   */\n  x();\n  /* @lab 1 end */\n")
    project.generate()
    assert project.tree(1, "a.c") == ("  /* TODO(lab 1): First line,\n"
                                      "   *   indented detail. See README.md. */\n")


def test_multiline_statement_in_line_comments(project: Project) -> None:
    project.write("Makefile", "# @lab 1 begin: Add the page allocator's object file.\n"
                              "# Keep the list sorted.\nobjs += core/page_alloc.o\n"
                              "# @lab 1 end\n\nall:\n\techo $(objs)\n")
    project.write("b.c", "\t// @lab 2 begin: Do this\n\t// and that.\n\t// ordinary comment\n"
                         "\tdo_it();\n\t// @lab 2 end\n")
    project.generate()
    assert project.tree(1, "Makefile") == ("# TODO(lab 1): Add the page allocator's object "
                                           "file.\n# Keep the list sorted. See README.md.\n"
                                           "\nall:\n\techo $(objs)\n")
    assert project.tree(2, "Makefile").startswith("objs += core/page_alloc.o\n\nall:")
    # consecutive comment lines after the begin line belong to the statement
    assert project.tree(2, "b.c") == ("\t// TODO(lab 2): Do this\n\t// and that.\n"
                                      "\t// ordinary comment See README.md.\n")
    assert project.tree(3, "b.c") == "\tdo_it();\n"


def test_stub_lines_in_hash_files_keep_marker_indentation(project: Project) -> None:
    project.write("run.sh", "#!/bin/sh\nmain() {\n    # @lab 1 begin: Start QEMU.\n"
                            "    exec qemu \"$@\"\n    # @lab 1 stub: echo 'not yet' >&2\n"
                            "    # @lab 1 stub: exit 1\n    # @lab 1 end\n}\n",
                  executable=True)
    project.generate()
    assert project.tree(1, "run.sh") == ("#!/bin/sh\nmain() {\n    # TODO(lab 1): Start "
                                         "QEMU. See README.md.\n    echo 'not yet' >&2\n"
                                         "    exit 1\n}\n")
    assert "exec qemu" in project.tree(2, "run.sh") and "not yet" not in project.tree(2, "run.sh")


def test_assembly_linker_script_and_python(project: Project) -> None:
    project.write("arch/entry.S", "_start:\n\t/* @lab 1 begin: Set up the stack. */\n"
                                  "\tla sp, stack_top\n\t// @lab 1 stub: wfi\n"
                                  "\t/* @lab 1 end */\n\tcall main\n")
    project.write("hv.ld", "SECTIONS {\n  /* @since 2 begin */\n  .vcpu : { *(.vcpu) }\n"
                           "  /* @since 2 end */\n}\n")
    project.write("tool.py", "def f() -> int:\n    # @lab 3 begin: Return 3.\n    return 3\n"
                             "    # @lab 3 stub: raise NotImplementedError\n    # @lab 3 end\n")
    project.generate()
    assert project.tree(1, "arch/entry.S") == ("_start:\n\t/* TODO(lab 1): Set up the stack. "
                                               "See README.md. */\n\twfi\n\tcall main\n")
    assert project.tree(1, "hv.ld") == "SECTIONS {\n}\n"
    assert project.tree(2, "hv.ld") == "SECTIONS {\n  .vcpu : { *(.vcpu) }\n}\n"
    assert project.tree(2, "tool.py") == "def f() -> int:\n"
    assert project.tree(3, "tool.py") == ("def f() -> int:\n    # TODO(lab 3): Return 3. "
                                          "See README.md.\n    raise NotImplementedError\n")


def test_since_file_marker(project: Project) -> None:
    project.write("arch/vcpu.c", "/* @since 2 */\n/* vcpu.c: the vCPU. */\nint vcpu;\n")
    project.write("vcpu.mk", "# @since 3\nobjs += vcpu.o\n")
    project.generate()
    assert not project.exists(1, "arch/vcpu.c")
    assert not project.exists(1, "arch")  # no empty directory either
    assert project.tree(2, "arch/vcpu.c") == "/* vcpu.c: the vCPU. */\nint vcpu;\n"
    assert not project.exists(2, "vcpu.mk")
    assert project.tree(3, "vcpu.mk") == "objs += vcpu.o\n"


def test_nested_regions(project: Project) -> None:
    project.write("n.c", "a;\n/* @since 2 begin */\nb;\n/* @since 3 begin */\nc;\n"
                         "/* @lab 3 begin: Do c2. */\nc2;\n/* @lab 3 stub: s3; */\n"
                         "/* @lab 3 end */\n/* @since 3 end */\n/* @lab 2 begin: Do b2. */\n"
                         "b2;\n/* @lab 2 stub: s2; */\n/* @lab 2 end */\n/* @since 2 end */\nz;\n")
    project.generate()
    assert project.tree(1, "n.c") == "a;\nz;\n"
    assert project.tree(2, "n.c") == "a;\nb;\n/* TODO(lab 2): Do b2. See README.md. */\ns2;\nz;\n"
    assert project.tree(3, "n.c") == ("a;\nb;\nc;\n/* TODO(lab 3): Do c2. See README.md. */\n"
                                      "s3;\nb2;\nz;\n")


def test_crlf_and_other_text_copied_byte_for_byte(project: Project) -> None:
    project.write("w.c", b"x;\r\n  /* @lab 1 begin: Do y. */\r\n  y;\r\n  /* @lab 1 stub: s; */"
                         b"\r\n  /* @lab 1 end */\r\nlatin1 \xe9\r\n")
    project.write("notes.txt", "plain @lab text\n")
    project.write("logo.png", b"\x89PNG\x00\x01\xff")
    project.generate()
    lab1 = project.out / DIRS[1]
    assert (lab1 / "w.c").read_bytes() == (b"x;\r\n  /* TODO(lab 1): Do y. See README.md. */"
                                           b"\r\n  s;\r\nlatin1 \xe9\r\n")
    assert (lab1 / "notes.txt").read_text() == "plain @lab text\n"
    assert (lab1 / "logo.png").read_bytes() == b"\x89PNG\x00\x01\xff"


# --- files and trees ------------------------------------------------------------------


def test_lab_mk_written_and_solutions_lab_mk_not_copied(project: Project) -> None:
    project.write("lab.mk", "LAB := 0\n")
    project.generate()
    for number, name in ((1, "boot"), (2, "vcpu"), (3, "stage2")):
        text = project.tree(number, "lab.mk")
        assert text.startswith("# Generated")
        assert f"\nLAB := {number}\nLAB_NAME := {name}\n" in text


def test_handout_is_preserved_and_stale_files_removed(project: Project) -> None:
    project.write("README.md", "reference notes\n")
    project.write("old/gone.c", "int gone;\n")
    project.generate()
    handout = project.out / DIRS[1] / "README.md"
    assert not handout.exists()  # solutions/README.md is not copied
    handout.write_text("# Lab 1 handout\n")
    (project.src / "old/gone.c").unlink()
    result = project.generate()
    assert handout.read_text() == "# Lab 1 handout\n"
    assert not project.exists(1, "old")
    assert "removed" in result.out


def test_build_output_is_neither_copied_nor_deleted(project: Project) -> None:
    project.write("a.c", "int a;\n")
    for rel in ("a.o", "a.d", "hv.elf", "hv.bin", ".gdbport", "build/x.c", "tools/__pycache__/t.pyc",
                "secret/answer.c", "notes.tmp"):
        project.write(rel, "junk\n")
    project.write(".labgen-ignore", "# instructor-only files\nsecret/\n*.tmp\n")
    project.generate()
    files = sorted(str(p) for p in labgen.walk_files(project.out / DIRS[1],
                                                     labgen.IgnoreRules(())))
    assert files == ["a.c", "lab.mk"]
    student_build = project.out / DIRS[1] / "build" / "a.o"
    student_build.parent.mkdir()
    student_build.write_text("object\n")
    project.generate()
    assert student_build.exists()
    assert project.run("check").code == 0


def test_executable_bit_preserved(project: Project) -> None:
    project.write("run.sh", "#!/bin/sh\n", executable=True)
    project.write("plain.sh", "echo\n")
    project.generate()
    assert os.stat(project.out / DIRS[1] / "run.sh").st_mode & stat.S_IXUSR
    assert not os.stat(project.out / DIRS[1] / "plain.sh").st_mode & stat.S_IXUSR


def test_output_is_deterministic(project: Project) -> None:
    project.write("core/fdt.c", FDT_C)
    project.write("z/y.c", "/* @since 2 */\ny;\n")
    project.write("a.mk", "x := 1\n")
    project.generate()
    first = snapshot(project.out)
    result = project.generate()
    assert "(0 files written, 0 removed)" in result.out
    (project.root / "labs").rename(project.root / "labs.old")
    project.generate()
    assert snapshot(project.out) == first


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_only_listed_labs_get_trees(project: Project) -> None:
    project.write("a.c", "int a;\n")
    project.generate()
    assert sorted(p.name for p in project.out.iterdir()) == sorted(DIRS.values())


# --- errors ---------------------------------------------------------------------------

ERROR_CASES = {
    "begin without end": ("a.c", "x;\n/* @lab 1 begin: Do. */\ny;\n", 2, "never closed"),
    "end without begin": ("a.c", "x;\n/* @lab 1 end */\n", 2, "without a matching"),
    "wrong nesting": ("a.c", "/* @since 2 begin */\n/* @lab 2 begin: Do. */\n"
                             "/* @since 2 end */\n/* @lab 2 end */\n", 3, "reverse order"),
    "lab inside lab": ("a.c", "/* @lab 1 begin: A. */\n/* @lab 2 begin: B. */\n"
                              "/* @lab 2 end */\n/* @lab 1 end */\n", 2, "cannot nest"),
    "unknown word": ("a.c", "/* @lab 1 started: A. */\n", 1, "unknown marker word 'started'"),
    "unknown since word": ("a.mk", "# @since 2 stub: x\n", 1, "unknown marker word 'stub'"),
    "lab not listed": ("Makefile", "# @lab 7 begin: A.\n# @lab 7 end\n", 1, "lab 7 is not listed"),
    "since not listed": ("a.py", "x = 1\n# @since 9 begin\n# @since 9 end\n", 2,
                         "lab 9 is not listed"),
    "stub outside region": ("a.c", "int a;\n// @lab 1 stub: x;\n", 2, "outside"),
    "stub of another lab": ("a.c", "/* @lab 1 begin: A. */\n/* @lab 2 stub: x; */\n"
                                   "/* @lab 1 end */\n", 2, "belongs to its own lab"),
    "stub inside since": ("a.c", "/* @lab 1 begin: A. */\n/* @since 1 begin */\n"
                                 "/* @lab 1 stub: x; */\n/* @since 1 end */\n/* @lab 1 end */\n",
                          3, "directly inside"),
    "file since not on line 1": ("a.c", "int a;\n/* @since 2 */\n", 2, "must be on line 1"),
    "marker in unknown file": ("notes.md", "text\n@since 2 begin\n", 2, "unknown kind"),
    "marker after code": ("a.c", "x; /* @lab 1 stub: y; */\n", 1, "outside a marker"),
    "marker in wrong comment syntax": ("a.S", "# @lab 1 begin: A.\n", 1, "outside a marker"),
    "missing colon": ("a.c", "/* @lab 1 begin Do it. */\n/* @lab 1 end */\n", 1, "expected ':'"),
    "empty statement": ("a.c", "/* @lab 1 begin: */\n/* @lab 1 end */\n", 1, "task statement"),
    "unclosed end comment": ("a.c", "/* @lab 1 begin: A. */\n/* @lab 1 end\n", 2,
                             "close the marker's comment"),
    "text after comment": ("a.c", "/* @lab 1 begin: A. */ x;\n/* @lab 1 end */\n", 1,
                           "text after '*/'"),
    "unterminated statement": ("a.c", "/* @lab 1 begin: A.\n * more\n", 1, "never closed"),
    "no lab number": ("a.c", "/* @lab one begin: A. */\n", 1, "expected a lab number"),
    "exercise inside later since": ("a.c", "/* @since 3 begin */\n/* @lab 2 begin: A. */\n"
                                           "/* @lab 2 end */\n/* @since 3 end */\n", 2,
                                    "would never show it"),
    "exercise in later file": ("a.c", "/* @since 3 */\n/* @lab 2 begin: A. */\n"
                                      "/* @lab 2 end */\n", 2, "only from lab 3"),
    "marker text in statement": ("a.c", "/* @lab 1 begin: A,\n * unlike @since 2 begin. */\n"
                                        "/* @lab 1 end */\n", 2, "outside a marker"),
}


@pytest.mark.parametrize("case", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_errors_are_reported_and_nothing_is_written(
        project: Project, case: tuple[str, str, int, str]) -> None:
    rel, text, line, message = case
    project.write(rel, text)
    project.write("good.c", "int good;\n")
    for command in ("generate", "lint", "check"):
        result = project.run(command)
        assert result.code == 2
        prefix = f"{os.path.join('solutions', rel)}:{line}: error: "
        assert any(ln.startswith(prefix) and message in ln for ln in result.err.splitlines()), \
            result.err
    assert not project.out.exists()


def test_every_error_is_reported(project: Project) -> None:
    project.write("a.c", "/* @lab 1 end */\n/* @lab 8 begin: A. */\n/* @lab 8 end */\n")
    project.write("b/c.mk", "x\n# @since 2\n")
    result = project.run("generate")
    assert result.code == 2
    errors = [ln for ln in result.err.splitlines() if ": error: " in ln]
    assert [e.split(": error:")[0] for e in errors] == ["solutions/a.c:1", "solutions/a.c:2",
                                                         "solutions/a.c:3", "solutions/b/c.mk:2"]
    assert "4 errors, nothing written" in result.err


def test_errors_leave_existing_trees_untouched(project: Project) -> None:
    project.write("a.c", "int a;\n")
    project.generate()
    before = snapshot(project.out)
    project.write("a.c", "int b;\n/* @lab 1 end */\n")
    assert project.run("generate").code == 2
    assert snapshot(project.out) == before


def test_labs_toml_errors(project: Project) -> None:
    (project.root / "labs.toml").write_text(LABS_TOML.replace('dir = "02-vcpu"', 'dir = "01-boot"'))
    result = project.run("generate")
    assert result.code == 2 and "labs.toml: error: dir '01-boot' is used twice" in result.err
    (project.root / "labs.toml").write_text("[[lab]]\nnumber = 1\n")
    result = project.run("lint")
    assert result.code == 2 and "'dir' must be a non-empty string" in result.err


def test_lint_counts_markers(project: Project) -> None:
    project.write("core/fdt.c", FDT_C)
    result = project.run("lint")
    assert result.code == 0
    assert result.out.strip() == "labgen: 1 files, 7 markers, no errors"


# --- check ----------------------------------------------------------------------------


@pytest.fixture
def synced(project: Project) -> Project:
    project.write("core/fdt.c", FDT_C)
    project.write("run.sh", "#!/bin/sh\n", executable=True)
    project.generate()
    (project.out / DIRS[1] / "README.md").write_text("# Handout\n")
    return project


def test_check_in_sync(synced: Project) -> None:
    result = synced.run("check")
    assert result.code == 0
    assert result.out.strip() == "labs: 3 trees in sync"


def test_check_detects_modified_file(synced: Project) -> None:
    path = synced.out / DIRS[3] / "core/fdt.c"
    path.write_text(path.read_text().replace("count_cpus", "count_harts"))
    result = synced.run("check")
    assert result.code == 1
    assert "labs/03-stage2/core/fdt.c: differs" in result.err
    assert "run 'make labs'" in result.err
    assert "+++ labs/03-stage2/core/fdt.c (generated from solutions/)" in result.err
    assert "-\tn += count_harts(info);\n+\tn += count_cpus(info);" in result.err


def test_check_detects_stale_tree_after_solution_edit(synced: Project) -> None:
    synced.write("core/fdt.c", FDT_C.replace("walk_memory", "walk_mem"))
    result = synced.run("check")
    assert result.code == 1
    assert "-\tn = walk_memory(info);\n+\tn = walk_mem(info);" in result.err
    assert "labs/01-boot/core/fdt.c" not in result.err  # lab 1 shows only the TODO


def test_check_detects_extra_and_missing_files(synced: Project) -> None:
    (synced.out / DIRS[3] / "core/new.c").write_text("int x;\n")
    (synced.out / DIRS[1] / "lab.mk").unlink()
    result = synced.run("check")
    assert result.code == 1
    assert "labs/03-stage2/core/new.c: extra file" in result.err
    assert "labs/01-boot/lab.mk: missing" in result.err


def test_check_detects_missing_tree(synced: Project) -> None:
    shutil.rmtree(synced.out / DIRS[3])
    result = synced.run("check")
    assert result.code == 1 and "labs/03-stage2/core/fdt.c: missing" in result.err


def test_check_detects_mode_change(synced: Project) -> None:
    (synced.out / DIRS[2] / "run.sh").chmod(0o644)
    result = synced.run("check")
    assert result.code == 1 and "labs/02-vcpu/run.sh: executable bit differs" in result.err


def test_check_detects_surviving_marker(synced: Project) -> None:
    (synced.out / DIRS[1] / "README.md").write_text("Handout\n\nsee /* @lab 1 begin */\n")
    result = synced.run("check")
    assert result.code == 1
    assert "labs/01-boot/README.md:3: marker text '@lab 1' left in a lab tree" in result.err
    assert "run 'make labs'" in result.err


def test_real_labs_toml_loads() -> None:
    labs = labgen.load_labs(labgen.DEFAULT_LABS_TOML)
    assert labs[0] == labgen.Lab(1, "01-boot", "boot",
                                 "Booting a hypervisor: device tree, page allocator, traps",
                                 arches=("riscv64", "arm64"))
    assert labs[1].scenario == "hello.toml"
    assert [lab.number for lab in labs] == sorted({lab.number for lab in labs})

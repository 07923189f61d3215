#!/usr/bin/env python3
"""Generate the student lab trees labs/<dir>/ from the reference solution in solutions/.

Instructors edit only solutions/, the finished hypervisor. This tool derives one tree per
lab listed in tools/labs.toml: in lab N's tree the exercises of lab N are replaced by a TODO
comment and a stub, the exercises of earlier labs are solved, and the code of later labs is
absent. The trees are committed, so `make labs` regenerates them and `make check-labs`
verifies that they are in sync.

The marker language
-------------------
A marker is a comment of the file's own comment syntax that starts with `@lab` or `@since`
and stands alone on its line (only indentation before it). N is a lab number from labs.toml.

  @lab N begin: <task statement>   starts an exercise of lab N. The statement may continue:
                                   in a /* */ comment, up to the closing */; in a // or #
                                   comment, on the comment lines right below that are not
                                   markers themselves.
  @lab N stub: <code>              a line of code that exists only in lab N's tree, at the
                                   marker's indentation. Directly inside a `@lab N` region.
  @lab N end                       ends the exercise.
  @since N begin ... @since N end  code that exists from lab N on.
  @since N                         on a file's first line: the whole file exists from lab N on.

Example (solutions/core/fdt_scan.c):

	/* @lab 1 begin: Walk every /memory node and record its reg ranges
	 * in info->mem[]; return -EINVAL when a node has no reg. */
	...solution code...
	/* @lab 1 stub: return -ENOSYS; */
	/* @lab 1 end */

In solutions/ these are plain comments (a stub is commented out), so the solution builds as
is. In the tree of lab L:

  * a `@lab M` region with M < L keeps its code; its markers and stubs are dropped;
  * with M == L it becomes `TODO(lab L): <statement> See README.md.` in the same comment
    syntax and indentation, followed by its stub lines;
  * with M > L it is absent, stubs included;
  * a `@since M` region is kept without its markers when L >= M, absent otherwise;
  * a file marked `@since M` on line 1 is absent when L < M, otherwise that line is dropped;
  * every other byte is copied unchanged, and no `#line` directive is ever added, so that
    compiler messages point at the tree's own files and lines.

`@lab` regions may sit inside `@since` regions and `@since` regions inside each other; they
must close in reverse order of opening. A `@lab` region inside another `@lab` region is an
error, and so is any marker text the generator cannot place: it would survive in a tree.

Comment syntax by file: .c .h .S use /* */ and //; .s .ld .lds use /* */; Makefile, *.mk,
*.py, *.sh, *.toml, *.cfg use #. Other files (and binary files) are copied as they are; a
marker in them is an error.

Files: everything under solutions/ is copied except build output (build/, __pycache__/,
*.o, *.d, *.elf, *.bin, .gdbport) and the glob patterns listed in solutions/.labgen-ignore
(one per line; `dir/` matches directories, a pattern with a `/` matches the whole path).
At a tree's root, README.md is the hand-written handout: never written nor deleted, and
solutions/README.md is not copied. lab.mk (LAB, LAB_NAME, LAB_ARCHES, SCENARIO) is
written by the generator; solutions/lab.mk is not copied. Every other file of a tree is
generator output: files that solutions/ no longer produces are deleted. The same ignore
patterns protect build output in the trees.

Commands (exit status 0 = fine, 1 = trees out of sync, 2 = errors in markers or labs.toml):

  labgen.py generate [--src solutions] [--out labs]   regenerate every tree
  labgen.py check    [--src solutions] [--out labs]   compare trees with a fresh generation
  labgen.py lint     [--src solutions]                only parse the markers
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import stat
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Callable, Collection, Union

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LABS_TOML = REPO / "tools" / "labs.toml"
DEFAULT_SRC = REPO / "solutions"
DEFAULT_OUT = REPO / "labs"

HANDOUT = PurePosixPath("README.md")  # hand-written, at the root of each tree
LAB_MK = PurePosixPath("lab.mk")  # generated, at the root of each tree
IGNORE_FILE = ".labgen-ignore"
DEFAULT_IGNORES = (
    "build/", "__pycache__/", "*.o", "*.d", "*.elf", "*.bin", ".gdbport", "/" + IGNORE_FILE,
)
TODO_TAIL = " See README.md."
MAX_DIFFS = 3  # unified diffs shown by `check`
MAX_DIFF_LINES = 40

# Any text that looks like a marker; it must never reach a tree.
MARKER_TEXT = re.compile(r"@(?:lab|since)[ \t]+\d")
MARKER_BYTES = re.compile(rb"@(?:lab|since)[ \t]+\d")

# A comment that starts with a marker word, alone on its line.
_MARKER_LINE = re.compile(
    r"(?P<indent>[ \t]*)(?P<opener>/\*|//|#)[ \t]*@(?P<kind>lab|since)\b(?P<rest>.*)")
_NUMBER = re.compile(r"[ \t]+(?P<number>\d+)\b(?P<rest>.*)")
_WORD = re.compile(r"[ \t]*(?P<word>[A-Za-z]*)(?P<rest>.*)")
_MARKER_WORDS = {"lab": ("begin", "end", "stub"), "since": ("begin", "end", "")}


# ---------------------------------------------------------------------------------------
# labs.toml


@dataclass(frozen=True)
class Lab:
    number: int
    dir: str
    name: str
    title: str
    scenario: str = ""  # what `make qemu` runs: a file of guests/scenarios/<arch>/
    arches: tuple[str, ...] = ()  # the architectures the lab exists for (all when empty)


class ConfigError(Exception):
    """labs.toml cannot be used; the message is ready to print."""


def load_labs(path: Path) -> list[Lab]:
    """Read and validate the list of labs."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{show(path)}: error: file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{show(path)}: error: {e}") from None
    entries = data.get("lab")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{show(path)}: error: no [[lab]] entries")
    labs = [_lab_from_entry(path, i, entry) for i, entry in enumerate(entries, 1)]
    _check_lab_list(path, labs)
    return labs


def _lab_from_entry(path: Path, index: int, entry: object) -> Lab:
    def fail(message: str) -> ConfigError:
        return ConfigError(f"{show(path)}: error: [[lab]] entry {index}: {message}")

    if not isinstance(entry, dict):
        raise fail("not a table")
    number = entry.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise fail("'number' must be a positive integer")
    for key in ("dir", "name", "title"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f"'{key}' must be a non-empty string")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", entry["dir"]):
        raise fail(f"'dir' must be a plain directory name, not {entry['dir']!r}")
    arches = entry.get("arches", [])
    if not isinstance(arches, list) or not all(isinstance(a, str) and a for a in arches):
        raise fail("'arches' must be a list of architecture names")
    scenario = entry.get("scenario", "")
    if not isinstance(scenario, str) or "/" in scenario:
        raise fail("'scenario' must be a file name of guests/scenarios/<arch>/")
    scenarios = path.resolve().parent.parent / "guests" / "scenarios"
    for arch in arches if scenario else []:
        if not (scenarios / arch / scenario).is_file():
            raise fail(f"scenario guests/scenarios/{arch}/{scenario} does not exist")
    return Lab(number, entry["dir"], entry["name"], entry["title"], scenario, tuple(arches))


def _check_lab_list(path: Path, labs: list[Lab]) -> None:
    for before, after in zip(labs, labs[1:]):
        if after.number <= before.number:
            raise ConfigError(f"{show(path)}: error: lab {after.number} listed after lab "
                              f"{before.number}: list the labs in increasing order")
    for key in ("dir", "name"):
        values = [getattr(lab, key) for lab in labs]
        for value in values:
            if values.count(value) > 1:
                raise ConfigError(f"{show(path)}: error: {key} {value!r} is used twice")


# ---------------------------------------------------------------------------------------
# Markers


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: error: {self.message}"


@dataclass(frozen=True)
class CommentStyle:
    line_openers: tuple[str, ...]  # "//" or "#"
    block: bool  # /* ... */

    @property
    def openers(self) -> tuple[str, ...]:
        return self.line_openers + (("/*",) if self.block else ())


C_STYLE = CommentStyle(("//",), True)
ASM_LD_STYLE = CommentStyle((), True)
HASH_STYLE = CommentStyle(("#",), False)
_STYLE_BY_NAME = {"Makefile": HASH_STYLE, "makefile": HASH_STYLE, "GNUmakefile": HASH_STYLE}
_STYLE_BY_SUFFIX = {
    ".c": C_STYLE, ".h": C_STYLE, ".S": C_STYLE,
    ".s": ASM_LD_STYLE, ".ld": ASM_LD_STYLE, ".lds": ASM_LD_STYLE,
    ".mk": HASH_STYLE, ".py": HASH_STYLE, ".sh": HASH_STYLE, ".toml": HASH_STYLE,
    ".cfg": HASH_STYLE,
}


def comment_style(rel: PurePosixPath) -> CommentStyle | None:
    """The comment syntax of a file, or None when labgen copies it untouched."""
    return _STYLE_BY_NAME.get(rel.name) or _STYLE_BY_SUFFIX.get(rel.suffix)


class MarkerSyntaxError(Exception):
    """A marker line that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Marker:
    kind: str  # "lab" or "since"
    number: int
    word: str  # "begin", "end", "stub", or "" for a file-level @since
    text: str  # task statement (begin) or code (stub)
    indent: str
    opener: str  # "/*", "//" or "#"
    closed: bool  # False when a /* comment goes on below the marker line

    def __str__(self) -> str:
        return f"'@{self.kind} {self.number}{' ' + self.word if self.word else ''}'"


def split_eol(line: str) -> tuple[str, str]:
    """Split a line into its content and its line ending."""
    content = line.rstrip("\r\n")
    return content, line[len(content):]


def parse_marker(content: str, style: CommentStyle) -> Marker | None:
    """Parse one line; None when it is not a marker comment."""
    m = _MARKER_LINE.fullmatch(content)
    if not m or m["opener"] not in style.openers:
        return None
    kind, opener = m["kind"], m["opener"]
    number = _NUMBER.match(m["rest"])
    if not number:
        raise MarkerSyntaxError(f"expected a lab number after '@{kind}'")
    word, tail = _split_word(kind, int(number["number"]), number["rest"])
    closed = True
    if opener == "/*":
        tail, closed = strip_block_end(tail)
    text = _marker_text(kind, int(number["number"]), word, tail)
    if not closed and not (kind == "lab" and word == "begin"):
        raise MarkerSyntaxError("close the marker's comment on the same line ('*/')")
    return Marker(kind, int(number["number"]), word, text, m["indent"], opener, closed)


def _split_word(kind: str, number: int, rest: str) -> tuple[str, str]:
    m = _WORD.match(rest)
    assert m is not None  # every part of _WORD is optional
    allowed = _MARKER_WORDS[kind]
    if m["word"] not in allowed:
        expected = ("'begin', 'end' or 'stub'" if kind == "lab"
                    else "'begin', 'end', or nothing on a file's first line")
        found = repr(m["word"]) if m["word"] else "nothing"
        raise MarkerSyntaxError(f"unknown marker word {found} after '@{kind} {number}' "
                                f"(expected {expected})")
    return m["word"], m["rest"]


def _marker_text(kind: str, number: int, word: str, tail: str) -> str:
    """The text after `begin:` or `stub:`; other markers take no text."""
    if word in ("begin", "stub") and kind == "lab":
        tail = tail.strip()
        if not tail.startswith(":"):
            raise MarkerSyntaxError(f"expected ':' after '@lab {number} {word}'")
        return tail[1:].strip()
    if tail.strip():
        name = f"@{kind} {number}{' ' + word if word else ''}"
        raise MarkerSyntaxError(f"unexpected text {tail.strip()!r} after '{name}'")
    return ""


def strip_block_end(text: str) -> tuple[str, bool]:
    """Remove a closing */ (nothing may follow it); say whether there was one."""
    end = text.find("*/")
    if end < 0:
        return text, False
    if text[end + 2:].strip():
        raise MarkerSyntaxError("text after '*/' on a marker line")
    return text[:end], True


def block_statement_line(content: str) -> tuple[str, bool]:
    """The statement text of a line inside a /* */ begin comment, and whether it closes it."""
    text, closed = strip_block_end(content)
    text = text.strip()
    if text.startswith("*"):
        text = text[1:]
        if text.startswith(" "):
            text = text[1:]
    return text.rstrip(), closed


def line_statement_line(content: str, opener: str) -> str | None:
    """The statement text of a `//` or `#` continuation line, or None if it is not one."""
    stripped = content.lstrip(" \t")
    if not stripped.startswith(opener):
        return None
    text = stripped[len(opener):]
    if text.startswith(" "):
        text = text[1:]
    return text.rstrip()


def is_marker_attempt(content: str, style: CommentStyle) -> bool:
    try:
        return parse_marker(content, style) is not None
    except MarkerSyntaxError:
        return True


# ---------------------------------------------------------------------------------------
# Parsing a file into text lines and regions


@dataclass
class Stub:
    indent: str
    code: str
    eol: str


@dataclass
class Region:
    kind: str  # "lab" or "since"
    number: int
    line: int  # line of the begin marker
    indent: str = ""
    opener: str = ""
    eol: str = "\n"
    statement: list[str] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)

    @property
    def opening(self) -> str:
        return f"'@{self.kind} {self.number} begin'"

    def __str__(self) -> str:
        return f"{self.opening} (line {self.line})"


Node = Union[str, Stub, Region]  # a str is a source line, with its line ending


@dataclass
class ParsedFile:
    since: int  # first lab whose tree holds the file; 0 = every lab
    body: list[Node]
    markers: int


class FileParser:
    """Turns one file's lines into a tree of regions, collecting every error."""

    def __init__(self, path: str, text: str, style: CommentStyle, known_labs: Collection[int]):
        self.path = path
        self.lines = text.splitlines(keepends=True)
        self.style = style
        self.known_labs = sorted(known_labs)
        self.errors: list[Diagnostic] = []
        self.root: list[Node] = []
        self.stack: list[Region] = []
        self.since = 0
        self.markers = 0
        self.index = 0  # next line to read

    def parse(self) -> ParsedFile:
        while self.index < len(self.lines):
            self._parse_line()
        for region in reversed(self.stack):
            self._error(region.line, f"{region.opening} is never closed: "
                                     f"add '@{region.kind} {region.number} end'")
        self.errors.sort(key=lambda d: d.line)
        return ParsedFile(self.since, self.root, self.markers)

    def _error(self, line: int, message: str) -> None:
        self.errors.append(Diagnostic(self.path, line, message))

    def _body(self) -> list[Node]:
        return self.stack[-1].body if self.stack else self.root

    def _parse_line(self) -> None:
        lineno = self.index + 1
        raw = self.lines[self.index]
        self.index += 1
        content, eol = split_eol(raw)
        try:
            marker = parse_marker(content, self.style)
        except MarkerSyntaxError as e:
            self._error(lineno, str(e))
            return
        if marker is None:
            self._check_no_marker_text(lineno, content)
            self._body().append(raw)
            return
        self.markers += 1
        self._check_lab_known(lineno, marker.number)
        self._dispatch(lineno, marker, eol)

    def _dispatch(self, lineno: int, marker: Marker, eol: str) -> None:
        if marker.word == "":
            self._on_file_since(lineno, marker)
        elif marker.word == "begin":
            self._on_begin(lineno, marker, eol)
        elif marker.word == "end":
            self._on_end(lineno, marker)
        else:
            self._on_stub(lineno, marker, eol)

    def _check_no_marker_text(self, lineno: int, text: str) -> None:
        found = MARKER_TEXT.search(text)
        if found:
            openers = " or ".join(f"'{o}'" for o in self.style.openers)
            self._error(lineno, f"marker text '{found.group()}' outside a marker: a marker "
                                f"must start a {openers} comment on a line of its own")

    def _check_lab_known(self, lineno: int, number: int) -> None:
        if number not in self.known_labs:
            known = ", ".join(str(n) for n in self.known_labs)
            self._error(lineno, f"lab {number} is not listed in labs.toml (labs: {known})")

    def _on_file_since(self, lineno: int, marker: Marker) -> None:
        if lineno != 1:
            self._error(lineno, f"{marker} alone marks a whole file and must be on line 1; "
                                f"use '@since {marker.number} begin' ... "
                                f"'@since {marker.number} end' for part of a file")
        else:
            self.since = marker.number

    def _on_begin(self, lineno: int, marker: Marker, eol: str) -> None:
        region = Region(marker.kind, marker.number, lineno, marker.indent, marker.opener, eol)
        if marker.kind == "lab":
            region.statement = self._read_statement(lineno, marker)
            self._check_exercise_placement(region)
        self._body().append(region)
        self.stack.append(region)

    def _read_statement(self, lineno: int, marker: Marker) -> list[str]:
        self._check_no_marker_text(lineno, marker.text)
        lines = [marker.text]
        if marker.opener == "/*":
            if not marker.closed:
                lines += self._block_statement_rest(lineno)
        else:
            lines += self._line_statement_rest(marker.opener)
        lines = trim_blank_lines(lines)
        if not lines:
            self._error(lineno, f"{marker} needs a task statement after ':'")
        return lines

    def _block_statement_rest(self, begin_line: int) -> list[str]:
        texts: list[str] = []
        while self.index < len(self.lines):
            content, _ = split_eol(self.lines[self.index])
            self.index += 1
            try:
                text, closed = block_statement_line(content)
            except MarkerSyntaxError as e:
                self._error(self.index, str(e))
                return texts
            self._check_no_marker_text(self.index, text)
            texts.append(text)
            if closed:
                return texts
        self._error(begin_line, "the task statement's comment is never closed with '*/'")
        return texts

    def _line_statement_rest(self, opener: str) -> list[str]:
        texts: list[str] = []
        while self.index < len(self.lines):
            content, _ = split_eol(self.lines[self.index])
            text = line_statement_line(content, opener)
            if text is None or is_marker_attempt(content, self.style):
                break
            self.index += 1
            self._check_no_marker_text(self.index, text)
            texts.append(text)
        return texts

    def _check_exercise_placement(self, region: Region) -> None:
        for outer in self.stack:
            if outer.kind == "lab":
                self._error(region.line, f"'@lab {region.number} begin' inside {outer}: "
                                         f"exercises cannot nest")
            elif outer.number > region.number:
                self._error(region.line, f"lab {region.number} exercise inside {outer}: "
                                         f"lab {region.number}'s tree would never show it")
        if self.since > region.number:
            self._error(region.line, f"lab {region.number} exercise in a file that exists "
                                     f"only from lab {self.since} on ('@since' on line 1)")

    def _on_end(self, lineno: int, marker: Marker) -> None:
        depth = self._find_open(marker.kind, marker.number)
        if depth is None:
            self._error(lineno, f"{marker} without a matching "
                                f"'@{marker.kind} {marker.number} begin'")
            return
        for inner in self.stack[depth + 1:]:
            self._error(lineno, f"{marker} closes {self.stack[depth]} while {inner} is "
                                f"still open: close regions in reverse order")
        del self.stack[depth:]

    def _find_open(self, kind: str, number: int) -> int | None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if (self.stack[depth].kind, self.stack[depth].number) == (kind, number):
                return depth
        return None

    def _on_stub(self, lineno: int, marker: Marker, eol: str) -> None:
        self._check_no_marker_text(lineno, marker.text)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "lab" and top.number == marker.number:
            top.body.append(Stub(marker.indent, marker.text, eol))
            return
        exercises = [r for r in self.stack if r.kind == "lab"]
        if not exercises:
            self._error(lineno, f"{marker} outside a '@lab {marker.number} begin' ... "
                                f"'@lab {marker.number} end' region")
        elif exercises[-1].number != marker.number:
            self._error(lineno, f"{marker} inside {exercises[-1]}: a stub belongs to its "
                                f"own lab's region")
        else:
            self._error(lineno, f"{marker} must be directly inside its '@lab' region, "
                                f"not inside {top}")


def trim_blank_lines(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


# ---------------------------------------------------------------------------------------
# Rendering a parsed file for one lab


def render(parsed: ParsedFile, lab: int, only_open: Region | None = None) -> str | None:
    """The file as it appears in lab `lab`'s tree, or None when it is not in that tree.

    With only_open, every exercise of lab `lab` is shown solved except only_open (which
    may be in another file): the tree a student who did all but one exercise would have.
    """
    if parsed.since > lab:
        return None
    out: list[str] = []
    _render_nodes(parsed.body, lab, out, only_open)
    return "".join(out)


def _render_nodes(nodes: list[Node], lab: int, out: list[str],
                  only_open: Region | None) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Stub):
            continue  # stubs appear only through exercise_skeleton()
        elif node.kind == "since":
            if lab >= node.number:
                _render_nodes(node.body, lab, out, only_open)
        elif node.number < lab or (node.number == lab and only_open not in (None, node)):
            _render_nodes(node.body, lab, out, only_open)
        elif node.number == lab:
            out.extend(exercise_skeleton(node, lab))


def exercises(sources: list[SourceFile]) -> list[tuple[SourceFile, Region]]:
    """Every '@lab N begin' region of the sources, in file and line order."""
    found: list[tuple[SourceFile, Region]] = []

    def visit(source: SourceFile, nodes: list[Node]) -> None:
        for node in nodes:
            if isinstance(node, Region):
                if node.kind == "lab":
                    found.append((source, node))
                visit(source, node.body)

    for source in sources:
        if source.parsed:
            visit(source, source.parsed.body)
    return found


def exercise_skeleton(region: Region, lab: int) -> list[str]:
    """What replaces an exercise in its own lab's tree: the TODO comment, then the stubs."""
    stubs = [f"{s.indent}{s.code}{s.eol}" if s.code else s.eol
             for s in region.body if isinstance(s, Stub)]
    return todo_comment(region, lab) + stubs


def todo_comment(region: Region, lab: int) -> list[str]:
    text = list(region.statement)
    text[0] = f"TODO(lab {lab}): {text[0]}"
    text[-1] += TODO_TAIL
    indent, eol = region.indent, region.eol
    if region.opener != "/*":
        return [f"{indent}{region.opener} {t}".rstrip() + eol for t in text]
    if len(text) == 1:
        return [f"{indent}/* {text[0]} */{eol}"]
    middle = [f"{indent} * {t}".rstrip() + eol for t in text[1:-1]]
    return [f"{indent}/* {text[0]}{eol}", *middle, f"{indent} * {text[-1]} */{eol}"]


# ---------------------------------------------------------------------------------------
# Files and trees


@dataclass(frozen=True)
class IgnoreRules:
    """Glob patterns of files that are build output, neither copied nor compared."""

    patterns: tuple[str, ...]

    @classmethod
    def load(cls, src: Path) -> IgnoreRules:
        extra: list[str] = []
        path = src / IGNORE_FILE
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.strip().startswith("#"):
                    extra.append(line.strip())
        return cls(DEFAULT_IGNORES + tuple(extra))

    def ignores(self, rel: PurePosixPath, is_dir: bool) -> bool:
        return any(_glob_matches(p, rel, is_dir) for p in self.patterns)


def _glob_matches(pattern: str, rel: PurePosixPath, is_dir: bool) -> bool:
    if pattern.endswith("/"):
        if not is_dir:
            return False
        pattern = pattern.rstrip("/")
    if "/" in pattern:
        return fnmatchcase(rel.as_posix(), pattern.lstrip("/"))
    return fnmatchcase(rel.name, pattern)


def walk_files(root: Path, ignore: IgnoreRules) -> list[PurePosixPath]:
    """Every file under root that is not ignored, as sorted relative paths."""
    found: list[PurePosixPath] = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = PurePosixPath(Path(dirpath).relative_to(root).as_posix())
        dirnames[:] = sorted(d for d in dirnames if not ignore.ignores(base / d, True))
        found += [base / f for f in filenames if not ignore.ignores(base / f, False)]
    return sorted(found, key=lambda p: p.parts)


def generated_files(tree: Path, ignore: IgnoreRules) -> list[PurePosixPath]:
    """The files of a tree that the generator owns: all but the handout and build output."""
    return [rel for rel in walk_files(tree, ignore) if rel != HANDOUT]


@dataclass(frozen=True)
class SourceFile:
    rel: PurePosixPath
    mode: int
    data: bytes
    parsed: ParsedFile | None  # None: copied byte for byte


@dataclass(frozen=True)
class OutputFile:
    data: bytes
    mode: int


def load_sources(src: Path, labs: list[Lab],
                 ignore: IgnoreRules) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Read and parse every file of solutions/; return the files and all errors."""
    if not src.is_dir():
        raise ConfigError(f"{show(src)}: error: no such directory")
    known = {lab.number for lab in labs}
    sources: list[SourceFile] = []
    errors: list[Diagnostic] = []
    for rel in walk_files(src, ignore):
        if rel in (HANDOUT, LAB_MK):
            continue
        path = src / rel
        data = path.read_bytes()
        parsed, file_errors = parse_source(show(path), rel, data, known)
        sources.append(SourceFile(rel, stat.S_IMODE(path.stat().st_mode), data, parsed))
        errors += file_errors
    return sources, errors


def parse_source(display: str, rel: PurePosixPath, data: bytes,
                 known_labs: Collection[int]) -> tuple[ParsedFile | None, list[Diagnostic]]:
    style = comment_style(rel)
    if style is None or b"\0" in data:
        why = "binary file" if style is not None else f"file of unknown kind ({rel.name})"
        return None, [Diagnostic(display, line, f"marker text '{text}' in a {why}: labgen "
                                                f"copies such files as they are")
                      for line, text in find_marker_text(data)]
    parser = FileParser(display, data.decode("utf-8", "surrogateescape"), style, known_labs)
    parsed = parser.parse()
    return parsed, parser.errors


def find_marker_text(data: bytes) -> list[tuple[int, str]]:
    """(line, text) of every piece of marker text in a file's bytes."""
    return [(data.count(b"\n", 0, m.start()) + 1, m.group().decode("ascii"))
            for m in MARKER_BYTES.finditer(data)]


def build_tree(sources: list[SourceFile], lab: Lab,
               only_open: Region | None = None) -> dict[PurePosixPath, OutputFile]:
    """The content of one lab's tree, by relative path (the handout excepted)."""
    tree: dict[PurePosixPath, OutputFile] = {}
    for source in sources:
        if source.parsed is None:
            tree[source.rel] = OutputFile(source.data, source.mode)
            continue
        text = render(source.parsed, lab.number, only_open)
        if text is not None:
            tree[source.rel] = OutputFile(text.encode("utf-8", "surrogateescape"), source.mode)
    tree[LAB_MK] = OutputFile(lab_mk(lab).encode("utf-8"), 0o644)
    return tree


def lab_mk(lab: Lab) -> str:
    text = (f"# Generated by tools/labgen.py from tools/labs.toml: do not edit.\n"
            f"LAB := {lab.number}\n"
            f"LAB_NAME := {lab.name}\n")
    if lab.arches:
        text += f"# the architectures this lab exists for\nLAB_ARCHES := {' '.join(lab.arches)}\n"
    if lab.scenario:
        text += ("# make qemu runs this scenario (relative to the repository)\n"
                 f"SCENARIO := guests/scenarios/$(ARCH)/{lab.scenario}\n")
    return text


def write_tree(tree: dict[PurePosixPath, OutputFile], dest: Path,
               ignore: IgnoreRules) -> tuple[int, int]:
    """Make dest hold exactly `tree` (plus handout and build output); (written, removed)."""
    dest.mkdir(parents=True, exist_ok=True)
    stale = [rel for rel in generated_files(dest, ignore) if rel not in tree]
    for rel in stale:
        (dest / rel).unlink()
    prune_empty_dirs(dest)
    written = sum(write_if_changed(dest / rel, tree[rel]) for rel in sorted(tree))
    return written, len(stale)


def write_if_changed(path: Path, out: OutputFile) -> bool:
    """Write a file unless it already holds that content and mode (keeps make's mtimes)."""
    changed = False
    if not (path.is_file() and path.read_bytes() == out.data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out.data)
        changed = True
    if stat.S_IMODE(path.stat().st_mode) != out.mode:
        path.chmod(out.mode)
        changed = True
    return changed


def prune_empty_dirs(root: Path) -> None:
    for dirpath, _, _ in os.walk(root, topdown=False):
        if Path(dirpath) != root and not os.listdir(dirpath):
            os.rmdir(dirpath)


# ---------------------------------------------------------------------------------------
# Comparing trees (check)


@dataclass(frozen=True)
class Mismatch:
    path: str
    problem: str  # "missing", "extra", "differs", "mode"
    diff: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return {
            "missing": f"{self.path}: missing (solutions/ generates it)",
            "extra": f"{self.path}: extra file (solutions/ does not generate it)",
            "differs": f"{self.path}: differs from what solutions/ generates",
            "mode": f"{self.path}: executable bit differs from solutions/",
        }[self.problem]


def compare_tree(fresh: Path, committed: Path, ignore: IgnoreRules) -> list[Mismatch]:
    want = set(generated_files(fresh, ignore))
    have = set(generated_files(committed, ignore)) if committed.is_dir() else set()
    mismatches: list[Mismatch] = []
    for rel in sorted(want | have, key=lambda p: p.parts):
        name = show(committed / rel)
        if rel not in have:
            mismatches.append(Mismatch(name, "missing"))
        elif rel not in want:
            mismatches.append(Mismatch(name, "extra"))
        else:
            mismatch = compare_file(fresh / rel, committed / rel, name)
            if mismatch:
                mismatches.append(mismatch)
    return mismatches


def compare_file(fresh: Path, committed: Path, name: str) -> Mismatch | None:
    new, old = fresh.read_bytes(), committed.read_bytes()
    if new != old:
        return Mismatch(name, "differs", text_diff(old, new, name))
    if is_executable(fresh) != is_executable(committed):
        return Mismatch(name, "mode")
    return None


def is_executable(path: Path) -> bool:
    return bool(path.stat().st_mode & 0o111)


def text_diff(old: bytes, new: bytes, name: str) -> list[str]:
    """A unified diff from the committed file to the generated one, cut short."""
    if b"\0" in old or b"\0" in new:
        return [f"Binary files {name} (committed) and (generated) differ\n"]
    lines = list(difflib.unified_diff(
        old.decode("utf-8", "replace").splitlines(keepends=True),
        new.decode("utf-8", "replace").splitlines(keepends=True),
        f"{name} (committed)", f"{name} (generated from solutions/)"))
    lines = [line if line.endswith("\n") else line + "\n" for line in lines]
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more lines)\n"]
    return lines


def surviving_markers(tree: Path, ignore: IgnoreRules) -> list[str]:
    problems: list[str] = []
    for rel in walk_files(tree, ignore):
        for line, text in find_marker_text((tree / rel).read_bytes()):
            problems.append(f"{show(tree / rel)}:{line}: marker text '{text}' left in a "
                            f"lab tree")
    return problems


# ---------------------------------------------------------------------------------------
# Commands


def show(path: Path) -> str:
    """A path as short as possible for messages: relative to the current directory if inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def report_errors(errors: list[Diagnostic], action: str) -> int:
    for error in errors:
        print(error, file=sys.stderr)
    print(f"labgen: {len(errors)} error{'s' if len(errors) != 1 else ''}{action}",
          file=sys.stderr)
    return 2


def prepare(args: argparse.Namespace) -> tuple[list[Lab], IgnoreRules, list[SourceFile],
                                              list[Diagnostic]]:
    labs = load_labs(args.labs)
    ignore = IgnoreRules.load(args.src)
    sources, errors = load_sources(args.src, labs, ignore)
    return labs, ignore, sources, errors


def cmd_generate(args: argparse.Namespace) -> int:
    labs, ignore, sources, errors = prepare(args)
    if errors:
        return report_errors(errors, ", nothing written")
    written = removed = 0
    for lab in labs:
        w, r = write_tree(build_tree(sources, lab), args.out / lab.dir, ignore)
        written, removed = written + w, removed + r
    print(f"labs: {len(labs)} trees generated ({written} files written, {removed} removed)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    labs, ignore, sources, errors = prepare(args)
    if errors:
        return report_errors(errors, "")
    mismatches: list[Mismatch] = []
    with tempfile.TemporaryDirectory(prefix="labgen-check-") as tmp:
        for lab in labs:
            fresh = Path(tmp) / lab.dir
            write_tree(build_tree(sources, lab), fresh, ignore)
            mismatches += compare_tree(fresh, args.out / lab.dir, ignore)
    markers = [p for lab in labs for p in surviving_markers(args.out / lab.dir, ignore)]
    if not mismatches and not markers:
        print(f"labs: {len(labs)} trees in sync")
        return 0
    report_out_of_sync(mismatches, markers)
    return 1


def report_out_of_sync(mismatches: list[Mismatch], markers: list[str]) -> None:
    for line in [str(m) for m in mismatches] + markers:
        print(line, file=sys.stderr)
    for mismatch in [m for m in mismatches if m.diff][:MAX_DIFFS]:
        sys.stderr.writelines(mismatch.diff)
    print("labs: the trees are out of sync with solutions/: run 'make labs'", file=sys.stderr)


def cmd_exercises(args: argparse.Namespace) -> int:
    """One line per exercise: 'lab path:line statement'."""
    _, _, sources, errors = prepare(args)
    if errors:
        return report_errors(errors, "")
    for source, region in exercises(sources):
        print(f"{region.number} {source.rel}:{region.line} {region.statement[0]}")
    return 0


def cmd_one_open(args: argparse.Namespace) -> int:
    """Writes lab N's tree with every exercise of lab N solved but the one at path:line."""
    labs, ignore, sources, errors = prepare(args)
    if errors:
        return report_errors(errors, ", nothing written")
    wanted = [(s, r) for s, r in exercises(sources) if f"{s.rel}:{r.line}" == args.exercise]
    if not wanted:
        print(f"labgen: no exercise at {args.exercise} (see 'labgen.py exercises')",
              file=sys.stderr)
        return 2
    region = wanted[0][1]
    lab = next(lab for lab in labs if lab.number == region.number)
    write_tree(build_tree(sources, lab, only_open=region), args.out, ignore)
    print(f"labgen: {args.out}: lab {lab.number} solved except {args.exercise}")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    _, _, sources, errors = prepare(args)
    if errors:
        return report_errors(errors, "")
    markers = sum(s.parsed.markers for s in sources if s.parsed)
    print(f"labgen: {len(sources)} files, {markers} markers, no errors")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="labgen.py", description="Generate the lab trees labs/<dir>/ from solutions/.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    handlers: dict[str, tuple[Callable[[argparse.Namespace], int], str, bool]] = {
        "generate": (cmd_generate, "regenerate every lab tree", True),
        "check": (cmd_check, "verify the committed trees are in sync (exit 1 if not)", True),
        "lint": (cmd_lint, "only parse the markers and report errors", False),
        "exercises": (cmd_exercises, "list every exercise as 'lab path:line statement'",
                      False),
        "one-open": (cmd_one_open, "write to --out a lab tree with all its exercises solved "
                                   "but --exercise path:line", True),
    }
    for name, (handler, help_text, has_out) in handlers.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--src", type=Path, default=DEFAULT_SRC,
                         help="the reference tree (default: solutions/)")
        if has_out:
            sub.add_argument("--out", type=Path, default=DEFAULT_OUT,
                             help="where the lab trees live (default: labs/)")
        sub.add_argument("--labs", type=Path, default=DEFAULT_LABS_TOML,
                         help="the list of labs (default: tools/labs.toml)")
        if name == "one-open":
            sub.add_argument("--exercise", required=True, help="path:line of its begin marker")
        sub.set_defaults(handler=handler)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""The rubric: points per test and lab (rubric.toml), lab names and arches (tools/labs.toml).

A rubric entry is `test = points` for a test every arch of the lab has,
`test = { points = N, arch = "arm64" }` (or a list of arches) for a test only those arches
have, or `test = { riscv64 = 10, arm64 = 5 }` for points that differ by arch: a lab's
total must add up on every arch the lab exists for.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

GRADER_DIR = Path(__file__).resolve().parent
REPO = GRADER_DIR.parent
RUBRIC_FILE = GRADER_DIR / "rubric.toml"
LABS_FILE = REPO / "tools" / "labs.toml"


class RubricError(ValueError):
    pass


@dataclass
class Lab:
    number: int
    name: str
    dir: str
    total: int
    arches: list[str]                                      # the arches this lab exists for
    points: dict[str, int] = field(default_factory=dict)   # test id -> points, on `arch`
    arch: str | None = None                                # None: every test of every arch
    all_tests: set[str] = field(default_factory=set)       # the tests of any arch


def _entry(lab: int, test: str, value: object, arches: list[str]) -> dict[str, int]:
    """An entry's points on each arch that has the test."""
    where = f"{RUBRIC_FILE.name}: lab{lab}.{test}"
    if not isinstance(value, dict):
        points = {a: value for a in arches}
    elif set(value) == {"points", "arch"}:
        only = [value["arch"]] if isinstance(value["arch"], str) else value["arch"]
        if not isinstance(only, list) or not only or not set(only) <= set(arches):
            raise RubricError(f"{where}: arch must name arches of the lab ({', '.join(arches)})")
        points = {a: value["points"] for a in only}
    elif value and set(value) <= set(arches):
        points = dict(value)
    else:
        raise RubricError(f"{where}: expected points, {{ points = N, arch = ... }} or "
                          f"{{ <arch> = N, ... }} with arches of the lab ({', '.join(arches)})")
    for a, pts in points.items():
        if not isinstance(pts, int) or isinstance(pts, bool) or pts <= 0:
            raise RubricError(f"{where} = {pts!r} on {a}: points must be a positive integer")
    return points


def load_labs(arch: str | None = None) -> dict[int, Lab]:
    """Every lab of tools/labs.toml with its points from rubric.toml, checked to add up on
    every arch. With `arch`: only the labs that exist for it, each with that arch's tests."""
    labs_doc = tomllib.loads(LABS_FILE.read_text())
    rubric = tomllib.loads(RUBRIC_FILE.read_text())
    labs: dict[int, Lab] = {}
    for entry in labs_doc.get("lab", []):
        n = int(entry["number"])
        arches = list(entry.get("arches", []))
        if not arches:
            raise RubricError(f"{LABS_FILE.name}: lab {n} names no arches")
        section = dict(rubric.get(f"lab{n}", {}))
        total = section.pop("total", None)
        if total is None:
            raise RubricError(f"{RUBRIC_FILE.name}: [lab{n}] has no total")
        per_arch: dict[str, dict[str, int]] = {a: {} for a in arches}
        for test, value in section.items():
            for a, pts in _entry(n, test, value, arches).items():
                per_arch[a][test] = pts
        for a, points in per_arch.items():
            if sum(points.values()) != total:
                raise RubricError(f"{RUBRIC_FILE.name}: [lab{n}] points add up to "
                                  f"{sum(points.values())} on {a}, but total = {total}")
        if arch is not None and arch not in arches:
            continue
        labs[n] = Lab(number=n, name=entry["name"], dir=entry["dir"], total=total,
                      arches=arches, arch=arch, all_tests=set(section),
                      points=dict(per_arch[arch]) if arch else
                      {t: p for pts in per_arch.values() for t, p in pts.items()})
    for key in rubric:
        if not key.startswith("lab") or not key[3:].isdigit() or int(key[3:]) not in (
                int(e["number"]) for e in labs_doc.get("lab", [])):
            raise RubricError(f"{RUBRIC_FILE.name}: [{key}] is not a lab of {LABS_FILE.name}")
    return labs


def lab_arches() -> dict[int, list[str]]:
    """Lab number -> the arches it exists for."""
    return {n: lab.arches for n, lab in load_labs().items()}

"""The rubric: points per test and lab (rubric.toml), lab names (tools/labs.toml)."""
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
    points: dict[str, int] = field(default_factory=dict)   # test id -> points


def load_labs() -> dict[int, Lab]:
    """Every lab of tools/labs.toml with its points from rubric.toml, checked to add up."""
    labs_doc = tomllib.loads(LABS_FILE.read_text())
    rubric = tomllib.loads(RUBRIC_FILE.read_text())
    labs: dict[int, Lab] = {}
    for entry in labs_doc.get("lab", []):
        n = int(entry["number"])
        section = dict(rubric.get(f"lab{n}", {}))
        total = section.pop("total", None)
        if total is None:
            raise RubricError(f"{RUBRIC_FILE.name}: [lab{n}] has no total")
        for test, pts in section.items():
            if not isinstance(pts, int) or pts <= 0:
                raise RubricError(f"{RUBRIC_FILE.name}: lab{n}.{test} = {pts!r}: "
                                  "points must be a positive integer")
        if sum(section.values()) != total:
            raise RubricError(f"{RUBRIC_FILE.name}: [lab{n}] points add up to "
                              f"{sum(section.values())}, but total = {total}")
        labs[n] = Lab(number=n, name=entry["name"], dir=entry["dir"], total=total,
                      points=section)
    for key in rubric:
        if not key.startswith("lab") or not key[3:].isdigit() or int(key[3:]) not in labs:
            raise RubricError(f"{RUBRIC_FILE.name}: [{key}] is not a lab of {LABS_FILE.name}")
    return labs

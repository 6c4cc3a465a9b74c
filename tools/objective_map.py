"""The objective map: which graded item assesses which lesson objective.

Reads the objectives of ``lessons/objectives.csv`` (``objective_id,lesson,objective``), the
ids each lesson's Objectives list shows, and the ids each graded item of
``assignments/source/*/*.ipynb`` names in its cell metadata::

    "metadata": {"nbgrader": {...}, "course": {"objectives": ["order.components"]}}

A graded item is an answer cell: a code cell with ``nbgrader.solution`` or a markdown cell
graded by hand (``nbgrader.grade``). Run it from the repository root::

    python tools/objective_map.py            # the map as a table, then any problem
    python tools/objective_map.py --check    # exit 1 if the map is incomplete

It reads the instructor's sources, so it lives in the repository, not in the ``course``
package students install. ``tests/test_objective_map.py`` runs :func:`problems`.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
OBJECTIVES_CSV = ROOT / "lessons" / "objectives.csv"
ID_PATTERN = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")
#: An Objectives list item that shows its id: "- `thread.slug`: ..."
LISTED_ID = re.compile(r"^- `([a-z]+\.[a-z0-9-]+)`", re.M)


@dataclass(frozen=True)
class Objective:
    objective_id: str
    lesson: str
    objective: str


@dataclass(frozen=True)
class Item:
    """One graded item of a problem set and the objectives it names."""

    assignment: str
    grade_id: str
    kind: str  # "autograded" or "written"
    points: float
    objectives: tuple[str, ...] = field(default=())
    problem: str | None = None  # a malformed "course" metadata entry, described


def load_objectives(path: Path = OBJECTIVES_CSV) -> list[Objective]:
    """The rows of ``lessons/objectives.csv``; raises ValueError on a malformed file."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["objective_id", "lesson", "objective"]:
            raise ValueError(
                f"{path}: the header must be objective_id,lesson,objective, not {reader.fieldnames}"
            )
        rows = [Objective(**row) for row in reader]
    seen: set[str] = set()
    for row in rows:
        if not ID_PATTERN.match(row.objective_id):
            raise ValueError(
                f"{path}: objective id {row.objective_id!r} is not a thread slug like "
                "'order.components' (lower case, one dot, words joined by '-')"
            )
        if row.objective_id in seen:
            raise ValueError(f"{path}: objective id {row.objective_id!r} appears twice")
        seen.add(row.objective_id)
    return rows


def lesson_paths(root: Path = ROOT) -> list[Path]:
    return sorted((root / "lessons").glob("[0-9][0-9]-*.ipynb"))


def listed_ids(lesson: Path) -> list[str]:
    """The ids shown in the Objectives list of a lesson's first cell."""
    first = nbformat.read(lesson, as_version=4).cells[0].source
    _, _, rest = first.partition("### Objectives")
    rest = re.split(r"^#", rest, maxsplit=1, flags=re.M)[0]
    return LISTED_ID.findall(rest)


def assignment_paths(root: Path = ROOT) -> list[Path]:
    return sorted((root / "assignments" / "source").glob("*/*.ipynb"))


def graded_items(notebook: Path) -> list[Item]:
    """Every answer cell of a problem set with the objective ids its metadata names."""
    nb = nbformat.read(notebook, as_version=4)
    items = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        written = cell.cell_type == "markdown" and meta.get("grade")
        answer = cell.cell_type == "code" and meta.get("solution")
        if not (written or answer):
            continue
        course = cell.metadata.get("course", {})
        objectives = course.get("objectives", []) if isinstance(course, dict) else None
        problem = None
        if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
            problem = f"metadata.course.objectives must be a list of id strings, not {objectives!r}"
            objectives = []
        items.append(
            Item(
                assignment=notebook.stem,
                grade_id=meta.get("grade_id", "?"),
                kind="written" if meta.get("grade") else "autograded",
                points=float(meta.get("points") or 0),
                objectives=tuple(objectives),
                problem=problem,
            )
        )
    return items


def problems(root: Path = ROOT) -> list[str]:
    """Everything that keeps the map from being complete, one line each (empty when complete).

    An objective assessed by no item, an item that names no objective, an id that no lesson
    defines, a lesson whose Objectives list does not show exactly its ids.
    """
    objectives = load_objectives(root / "lessons" / "objectives.csv")
    known = {o.objective_id: o for o in objectives}
    found = []
    lessons = {p.stem: p for p in lesson_paths(root)}
    for lesson in sorted({o.lesson for o in objectives} - set(lessons)):
        found.append(f"lessons/objectives.csv names lesson {lesson!r}, which is not in lessons/")
    for stem, path in lessons.items():
        want = [o.objective_id for o in objectives if o.lesson == stem]
        shown = listed_ids(path)
        if not want:
            found.append(f"lesson {stem} has no objectives in lessons/objectives.csv")
        if shown != want:
            found.append(
                f"lesson {stem}: its Objectives list shows {shown}, but lessons/objectives.csv "
                f"gives {want} (same ids, same order, as '- `id`: text')"
            )
    assessed: dict[str, list[str]] = {o.objective_id: [] for o in objectives}
    for notebook in assignment_paths(root):
        for item in graded_items(notebook):
            where = f"{item.assignment} {item.grade_id}"
            if item.problem:
                found.append(f"{where}: {item.problem}")
            elif not item.objectives:
                found.append(
                    f'{where} ({item.kind}) assesses nothing: add "course": {{"objectives": '
                    '["<id>", ...]} to its cell metadata, next to "nbgrader"'
                )
            for oid in item.objectives:
                if oid in assessed:
                    assessed[oid].append(where)
                else:
                    found.append(f"{where} names unknown objective {oid!r} (not in objectives.csv)")
    for oid, items in assessed.items():
        if not items:
            found.append(f"objective {oid} ({known[oid].lesson}) is assessed by no graded item")
    return found


def table(root: Path = ROOT) -> str:
    """The map as a Markdown table: one row per objective, the items that assess it."""
    objectives = load_objectives(root / "lessons" / "objectives.csv")
    by_objective: dict[str, list[str]] = {o.objective_id: [] for o in objectives}
    for notebook in assignment_paths(root):
        for item in graded_items(notebook):
            for oid in item.objectives:
                by_objective.setdefault(oid, []).append(
                    f"{item.assignment.split('-')[0]} {item.grade_id}"
                    + (" (w)" if item.kind == "written" else "")
                )
    lines = ["| objective | lesson | assessed by |", "|---|---|---|"]
    for o in objectives:
        items = by_objective[o.objective_id]
        lines.append(f"| `{o.objective_id}` | {o.lesson[:2]} | {', '.join(items) or '**none**'} |")
    return "\n".join(lines)


def points_table(root: Path = ROOT) -> str:
    """Per problem set: points autograded, points written and the written share."""
    lines = ["| problem set | autograded | written | written share |", "|---|---|---|---|"]
    for notebook in assignment_paths(root):
        nb = nbformat.read(notebook, as_version=4)
        auto = written = 0.0
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                points = float(meta.get("points") or 0)
                if cell.cell_type == "markdown" or meta.get("solution"):
                    written += points
                else:
                    auto += points
        total = auto + written
        share = f"{written / total:.0%}" if total else "-"
        lines.append(f"| {notebook.stem} | {auto:g} | {written:g} | {share} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--check", action="store_true", help="exit 1 if the map is incomplete")
    args = parser.parse_args(argv)
    print(table(args.root))
    print()
    print(points_table(args.root))
    found = problems(args.root)
    if found:
        print(f"\n{len(found)} problem(s):", file=sys.stderr)
        for line in found:
            print(f"- {line}", file=sys.stderr)
    return 1 if (found and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

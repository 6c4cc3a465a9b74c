"""What a shared-nothing grading worker needs of an assignment, in one content-hashed value.

An :class:`AssignmentBundle` holds

* the assignment's *definition* as the gradebook keeps it: its due date and, per
  notebook, the grade, solution, task and source cells (nbgrader stores the source cells
  with the solutions already cleared, the tests, hidden ones included, intact);
* the instructor's non-notebook files of ``source/<assignment>/`` (data files the
  notebooks read), which nbgrader copies next to every graded notebook;
* the grading settings: the cell timeout, the sandbox switch and its limits, and the
  course's nbgrader configuration without its ``CourseDirectory`` and ``Exchange``
  sections (no paths, no database URL).

It never holds a source notebook (with its solutions), a student's work or the
gradebook's URL, grades or students. :attr:`AssignmentBundle.digest` is a SHA-256 of all
of it, so a worker builds its throw-away course root once per bundle
(:func:`install`) and every run of a changed assignment is a new bundle.

Examples
--------
>>> b = AssignmentBundle("ps", None, [], {"data.csv": b"x,y\\n"}, {"cell_timeout": 5})
>>> b.digest == AssignmentBundle("ps", None, [], {"data.csv": b"x,y\\n"}, {"cell_timeout": 5}).digest
True
>>> b.digest == AssignmentBundle("ps", None, [], {"data.csv": b"x,z\\n"}, {"cell_timeout": 5}).digest
False
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["AssignmentBundle", "install", "make_bundle", "safe_relative"]

#: Configuration sections a worker must never receive (course paths, database, exchange).
PRIVATE_SECTIONS = frozenset({"CourseDirectory", "Exchange", "ExchangeFactory", "NbGrader"})
#: Single settings that name a path of the coordinator (the worker sets its own).
PRIVATE_KEYS = frozenset({("VerifiedExecute", "course_root")})
#: nbgrader's per-notebook cell tables, with the columns a worker's gradebook needs.
CELL_COLUMNS = {
    "grade_cells": ("name", "max_score", "cell_type"),
    "solution_cells": ("name",),
    "task_cells": ("name", "max_score", "cell_type"),
    "source_cells": ("name", "cell_type", "locked", "source", "checksum"),
}


@dataclass(frozen=True)
class AssignmentBundle:
    """An assignment's definition, instructor files and grading settings (see the module)."""

    assignment: str
    duedate: str | None  # ISO 8601, naive UTC as nbgrader stores it
    notebooks: list[dict]
    files: dict[str, bytes]
    settings: dict = field(default_factory=dict)

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 over everything in the bundle (hex)."""
        h = hashlib.sha256()
        head = [self.assignment, self.duedate, self.notebooks, self.settings]
        h.update(json.dumps(head, sort_keys=True, default=repr).encode())
        for name in sorted(self.files):
            h.update(b"\0" + name.encode() + b"\0")
            h.update(hashlib.sha256(self.files[name]).digest())
        return h.hexdigest()


def safe_relative(name: str) -> PurePosixPath:
    """``name`` as a relative path that stays inside its folder, or ``ValueError``.

    >>> str(safe_relative("data/x.csv"))
    'data/x.csv'
    >>> safe_relative("../gradebook.db")
    Traceback (most recent call last):
    ...
    ValueError: '../gradebook.db' is not a plain relative file name inside the folder
    """
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"{name!r} is not a plain relative file name inside the folder")
    if "\0" in name or "\\" in name:
        raise ValueError(f"{name!r} is not a plain relative file name inside the folder")
    return path


def _definition(gb, assignment: str) -> tuple[str | None, list[dict]]:
    found = gb.find_assignment(assignment)
    duedate = found.duedate.isoformat() if found.duedate else None
    notebooks = []
    for notebook in sorted(found.notebooks, key=lambda n: n.name):
        entry: dict = {"name": notebook.name, "kernelspec": notebook.kernelspec}
        for table, columns in CELL_COLUMNS.items():
            rows = [{c: getattr(cell, c) for c in columns} for cell in getattr(notebook, table)]
            entry[table] = sorted(rows, key=lambda r: r["name"])
        notebooks.append(entry)
    return duedate, notebooks


def _plain(value):
    """A configuration value as JSON-able data (classes by their import path)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def make_bundle(
    root: str | Path, assignment: str, db_url: str, *, config=None, settings: dict | None = None
) -> AssignmentBundle:
    """The bundle of ``assignment`` in the course at ``root`` (gradebook at ``db_url``).

    ``config`` is the course's merged traitlets configuration (its private sections are
    left out); ``settings`` are the run's grading settings (timeouts, sandbox, limits).
    """
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(root)
    with Gradebook(db_url) as gb:
        try:
            duedate, notebooks = _definition(gb, assignment)
        except MissingEntry:
            raise ValueError(
                f"{assignment} is not in the gradebook: run "
                f"`nbgrader generate_assignment {assignment}` in {root} first"
            ) from None
    source = root / "source" / assignment
    files: dict[str, bytes] = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        # what nbgrader's autograde copies over: every file but notebooks and dot-files
        if path.suffix == ".ipynb" or any(
            p.startswith(".") for p in path.parts[len(source.parts) :]
        ):
            continue
        if path.is_symlink() or not path.is_file() or "__pycache__" in rel:
            continue
        files[rel] = path.read_bytes()
    course = {}
    for section, values in dict(config or {}).items():
        if section not in PRIVATE_SECTIONS and isinstance(values, dict):
            kept = {k: v for k, v in values.items() if (section, k) not in PRIVATE_KEYS}
            course[section] = _plain(kept)
    return AssignmentBundle(
        assignment=assignment,
        duedate=duedate,
        notebooks=notebooks,
        files=files,
        settings={**(settings or {}), "course_config": course},
    )


def install(bundle: AssignmentBundle, root: str | Path) -> Path:
    """Build a course root at ``root`` holding the bundle: gradebook and source files.

    The gradebook (SQLite, ``root/gradebook.db``) gets the assignment, its notebooks and
    their cells through nbgrader's :class:`~nbgrader.api.Gradebook` API, as
    ``generate_assignment`` would have left them; no student, no grade.
    """
    from nbgrader.api import Gradebook

    root = Path(root)
    source = root / "source" / bundle.assignment
    source.mkdir(parents=True, exist_ok=True)
    for name, data in bundle.files.items():
        target = source / safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    duedate = datetime.datetime.fromisoformat(bundle.duedate) if bundle.duedate else None
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(bundle.assignment, duedate=duedate)
        for notebook in bundle.notebooks:
            name = notebook["name"]
            gb.update_or_create_notebook(name, bundle.assignment, kernelspec=notebook["kernelspec"])
            for cell in notebook["grade_cells"]:
                gb.update_or_create_grade_cell(
                    cell["name"], name, bundle.assignment, **_but_name(cell)
                )
            for cell in notebook["solution_cells"]:
                gb.update_or_create_solution_cell(cell["name"], name, bundle.assignment)
            for cell in notebook["task_cells"]:
                gb.update_or_create_task_cell(
                    cell["name"], name, bundle.assignment, **_but_name(cell)
                )
            for cell in notebook["source_cells"]:
                gb.update_or_create_source_cell(
                    cell["name"], name, bundle.assignment, **_but_name(cell)
                )
    return root


def _but_name(cell: dict) -> dict:
    return {k: v for k, v in cell.items() if k != "name"}

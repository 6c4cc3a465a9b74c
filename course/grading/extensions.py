"""Per-student extensions: a file the grader reads, put into nbgrader's gradebook.

The instructor keeps ``ROOT/extensions.csv`` (git-ignored: it names students) with one row
per extension::

    student_id,assignment_id,extension,reason
    ada,ps01-the-order,2d,medical note (dean's office)
    bo,ps01-the-order,36h,

``extension`` is a duration: whole or decimal numbers with ``w``, ``d``, ``h`` or ``m``
(``1d12h``, ``90m``, ``0.5d``). nbgrader's gradebook has an ``extension`` field on each
submission; its due date for the student is the assignment's due date plus that, and its
late-penalty step (``AssignLatePenalties``) measures lateness from it.

:class:`ApplyExtensions` is a preprocessor that runs in nbgrader's Autograde, just before
``AssignLatePenalties`` (see :mod:`course.grading.pipeline`), so every door (``course
grade``, ``nbgrader autograde``, formgrader's button) applies the file: the gradebook's
extension is set to the file's value, or cleared when the file has no row for the
student. :func:`fingerprint` lets ``course grade`` regrade a student whose extension
changed though their submission did not.

Examples
--------
>>> parse_duration("1d12h")
datetime.timedelta(days=1, seconds=43200)
>>> parse_duration("90m").total_seconds()
5400.0
>>> parse_duration("soon")
Traceback (most recent call last):
...
ValueError: extension 'soon' is not a duration: write e.g. 2d, 36h, 1d12h or 90m
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = [
    "EXTENSIONS_FILE",
    "ApplyExtensions",
    "Extension",
    "fingerprint",
    "parse_duration",
    "read_extensions",
]

EXTENSIONS_FILE = "extensions.csv"
COLUMNS = ("student_id", "assignment_id", "extension")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
_UNIT = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


def parse_duration(text: str) -> datetime.timedelta:
    """``2d``, ``36h``, ``1d12h``, ``90m``, ``1w`` as a :class:`datetime.timedelta`."""
    compact = str(text).strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"extension {text!r} is not a duration: write e.g. 2d, 36h, 1d12h or 90m")
    amount: dict[str, float] = {}
    for value, unit in parts:
        amount[_UNIT[unit]] = amount.get(_UNIT[unit], 0.0) + float(value)
    return datetime.timedelta(**amount)


@dataclass(frozen=True)
class Extension:
    """One row of the extensions file."""

    student: str
    assignment: str
    extension: datetime.timedelta
    reason: str = ""


def read_extensions(root: str | Path) -> dict[tuple[str, str], Extension]:
    """The extensions file of the course at ``root``: ``{(student, assignment): Extension}``.

    A missing file means no extensions. Raises ``ValueError`` naming the line for a bad
    row, a missing column or a student listed twice for one assignment.
    """
    path = Path(root) / EXTENSIONS_FILE
    if not path.is_file():
        return {}
    found: dict[tuple[str, str], Extension] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{path} lacks the column(s) {', '.join(missing)}: its header must be "
                "student_id,assignment_id,extension,reason"
            )
        for line, row in enumerate(reader, start=2):
            student = (row.get("student_id") or "").strip()
            assignment = (row.get("assignment_id") or "").strip()
            if not student and not assignment and not (row.get("extension") or "").strip():
                continue  # a blank line
            if not student or not assignment:
                raise ValueError(f"{path} line {line}: give both student_id and assignment_id")
            try:
                extension = parse_duration(row.get("extension") or "")
            except ValueError as exc:
                raise ValueError(f"{path} line {line}: {exc}") from None
            if (student, assignment) in found:
                raise ValueError(
                    f"{path} line {line}: {student} has a second extension for {assignment}; "
                    "keep one row (extensions do not add up)"
                )
            found[(student, assignment)] = Extension(
                student, assignment, extension, (row.get("reason") or "").strip()
            )
    return found


def fingerprint(root: str | Path, assignment: str) -> dict[str, str]:
    """``{student: extension in seconds}`` for ``assignment``: part of a grading's identity."""
    return {
        student: f"{ext.extension.total_seconds():g}"
        for (student, name), ext in read_extensions(root).items()
        if name == assignment
    }


class ApplyExtensions(NbGraderPreprocessor):
    """Set the gradebook's extension of the submission being graded from the file.

    Goes just before nbgrader's ``AssignLatePenalties`` in ``Autograde``: nbgrader has
    recorded the submission (with its timestamp) by then, and the penalty step reads the
    due date including this extension.
    """

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook
        from nbgrader.coursedir import CourseDirectory

        info = resources["nbgrader"]
        root = CourseDirectory(config=self.config).root
        extension = read_extensions(root).get((info["student"], info["assignment"]))
        with Gradebook(info["db_url"]) as gb:
            submission = gb.find_submission(info["assignment"], info["student"])
            wanted = extension.extension if extension else None
            if submission.extension != wanted:
                submission.extension = wanted
                gb.db.commit()
            if extension:
                self.log.info(
                    "%s has an extension of %s on %s (%s)",
                    info["student"],
                    wanted,
                    info["assignment"],
                    extension.reason or "no reason given",
                )
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        return cell, resources

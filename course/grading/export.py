"""``course export``: grades from the gradebook into the file an LMS imports.

nbgrader's own ``export`` writes one CSV that no LMS reads as it is. This module starts from
the roster the instructor downloads from the LMS, so every student the LMS knows keeps the
identifiers it matches on, and fills in the grades of the course's gradebook:

* ``canvas``: Canvas's gradebook import CSV: ``Student, ID, SIS User ID, SIS Login ID,
  Section``, one column per assignment (an existing Canvas column ``name (id)`` of the
  roster is reused, so Canvas updates that assignment; otherwise the column is the
  assignment id and Canvas offers to create it), and the ``Points Possible`` row under the
  header. The roster is Canvas's own gradebook export (Grades > Export).
* ``moodle``: Moodle's grading worksheet of one assignment (Assignment > View all
  submissions > Download grading worksheet), returned with its ``Grade`` column filled,
  scaled to the worksheet's ``Maximum Grade`` when that differs from the problem set's
  points, ready for "Upload grading worksheet".
* ``csv``: the roster's columns (or none) plus, per assignment, score, maximum, late
  penalty and status, with one row per student of either side.

The score is nbgrader's: the sum of autograded and manual scores less the late-submission
penalty. Nobody is dropped: people on the roster without a submission get an empty grade
(an LMS leaves an empty cell alone) and are listed; students of the gradebook the roster
lacks are listed and written, with their grades, to ``<output>.unmatched.csv``; submissions
still waiting for manual grading are listed.

A roster row belongs to a gradebook student when its key column (``--key``; by default
Canvas's ``SIS Login ID``, Moodle's ``Email address``, ``student_id`` for csv) holds the
student's id, the student's email or LMS user id as recorded in the gradebook, or an email
address whose local part is the student's id.

Examples
--------
>>> number(7.0), number(7.25), number(2 / 3), number(None)
('7', '7.25', '0.67', '')
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FORMATS",
    "DEFAULT_KEY",
    "ExportResult",
    "Grade",
    "export",
    "number",
    "read_grades",
    "read_roster",
]

FORMATS = ("canvas", "moodle", "csv")
CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "    Points Possible"
MOODLE_REQUIRED = ["Identifier", "Full name", "Grade", "Maximum Grade"]
DEFAULT_KEY = {"canvas": "SIS Login ID", "moodle": "Email address", "csv": "student_id"}
NOT_SUBMITTED = "not submitted"
NEEDS_MANUAL = "needs manual grading"
GRADED = "graded"


def number(value: float | None) -> str:
    """A score as an LMS reads it: at most two decimals, no trailing zeros, '' for none."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True)
class Grade:
    """One student's grade on one assignment, as the gradebook holds it."""

    student: str
    assignment: str
    status: str  # graded, needs manual grading, not submitted
    max_score: float
    raw_score: float | None = None
    late_penalty: float = 0.0

    @property
    def score(self) -> float | None:
        """nbgrader's score: the raw score less the late penalty, never below zero."""
        if self.raw_score is None:
            return None
        return max(0.0, self.raw_score - self.late_penalty)


@dataclass(frozen=True)
class Person:
    """A student as the gradebook records them."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""


@dataclass
class ExportResult:
    """What ``export`` wrote, and who could not be matched."""

    path: Path
    format: str
    assignments: list[str]
    rows: int = 0
    no_submission: list[str] = field(default_factory=list)  # roster people without a grade
    not_on_roster: list[str] = field(default_factory=list)  # gradebook students the LMS lacks
    unmatched_path: Path | None = None
    needs_manual: list[tuple[str, str]] = field(default_factory=list)  # (student, assignment)
    scaled: dict[str, tuple[float, float]] = field(default_factory=dict)  # id: (ours, LMS's)

    def summary(self) -> str:
        """Lines for the terminal: what was written, then everyone not matched."""
        lines = [
            f"wrote {self.rows} students, {len(self.assignments)} assignment(s) "
            f"({', '.join(self.assignments)}) to {self.path} ({self.format})"
        ]
        for assignment, (ours, theirs) in sorted(self.scaled.items()):
            lines.append(
                f"note: {assignment} is out of {number(ours)} here and {number(theirs)} in the "
                "LMS: grades were scaled to the LMS's maximum"
            )
        if self.no_submission:
            lines.append(
                f"{len(self.no_submission)} on the roster without a grade here (left empty): "
                + ", ".join(self.no_submission)
            )
        if self.not_on_roster:
            lines.append(
                f"{len(self.not_on_roster)} graded here but not on the roster (written to "
                f"{self.unmatched_path}): " + ", ".join(self.not_on_roster)
            )
        if self.needs_manual:
            lines.append(
                f"{len(self.needs_manual)} submission(s) still need manual grading (their "
                "score counts only what is graded): "
                + ", ".join(f"{s} ({a})" for s, a in self.needs_manual)
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------- gradebook


def read_grades(db_url: str, assignments: list[str]) -> tuple[dict, dict, dict]:
    """Grades of ``assignments`` from the gradebook at ``db_url``.

    Returns ``(grades, max_scores, people)``: ``grades[student][assignment]`` is a
    :class:`Grade` for every student of the gradebook (``not submitted`` where they have no
    submission), ``max_scores[assignment]`` the assignment's points, ``people[student]`` a
    :class:`Person`.
    """
    from nbgrader.api import Gradebook, MissingEntry

    grades: dict[str, dict[str, Grade]] = {}
    max_scores: dict[str, float] = {}
    people: dict[str, Person] = {}
    with Gradebook(db_url) as gb:
        known = [a.name for a in gb.assignments]
        for assignment in assignments:
            if assignment not in known:
                raise ValueError(
                    f"{assignment!r} is not in the gradebook {db_url} (it has: "
                    f"{', '.join(known) or 'no assignments'}); check the id and --course"
                )
            max_scores[assignment] = float(gb.find_assignment(assignment).max_score)
        for student in gb.students:
            people[student.id] = Person(
                student.id,
                student.first_name or "",
                student.last_name or "",
                student.email or "",
                str(getattr(student, "lms_user_id", "") or ""),
            )
            row = grades.setdefault(student.id, {})
            for assignment in assignments:
                try:
                    sub = gb.find_submission(assignment, student.id)
                except MissingEntry:
                    row[assignment] = Grade(
                        student.id, assignment, NOT_SUBMITTED, max_scores[assignment]
                    )
                    continue
                row[assignment] = Grade(
                    student.id,
                    assignment,
                    NEEDS_MANUAL if sub.needs_manual_grade else GRADED,
                    max_scores[assignment],
                    float(sub.score),
                    float(sub.late_submission_penalty or 0.0),
                )
    return grades, max_scores, people


# ------------------------------------------------------------------------------ roster


def read_roster(path: str | Path, fmt: str) -> tuple[list[str], list[dict[str, str]]]:
    """The roster file's header and its people rows (Canvas's extra header rows left out).

    Raises ``ValueError`` naming the file and the missing columns when it is not a roster
    of that format.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"roster {path} does not exist: download it from the LMS first")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    required = {"canvas": CANVAS_FIXED, "moodle": MOODLE_REQUIRED, "csv": []}[fmt]
    missing = [name for name in required if name not in header]
    if missing or not header:
        hint = {
            "canvas": "Canvas's gradebook export (Grades > Export > Export Entire Gradebook)",
            "moodle": "Moodle's grading worksheet (View all submissions > Download grading "
            "worksheet)",
            "csv": "a CSV file with a header row",
        }[fmt]
        raise ValueError(
            f"{path} is not a {fmt} roster: it lacks the column(s) "
            f"{', '.join(missing) or '(no header)'}; give {hint}"
        )
    rows = []
    for row in reader:
        row = {k: (v or "") for k, v in row.items() if k is not None}
        canvas_extra = "ID" in header and "Student" in header and not row.get("ID", "").strip()
        if canvas_extra and (fmt == "canvas" or row.get("Student", "").startswith(" ")):
            continue  # Canvas's "Points Possible", "Manual Posting" and similar rows
        rows.append(row)
    return header, rows


def _match(rows: list[dict], key: str, people: dict[str, Person], path: Path) -> list:
    """The gradebook student of each roster row (None where nobody matches)."""
    by_id = {p.id: p.id for p in people.values()}
    by_email = {p.email.lower(): p.id for p in people.values() if p.email}
    by_lms = {p.lms_user_id: p.id for p in people.values() if p.lms_user_id}
    matched, seen = [], {}
    for number_, row in enumerate(rows, start=2):
        value = row.get(key, "").strip()
        student = by_id.get(value) or by_email.get(value.lower()) or by_lms.get(value)
        if student is None and "@" in value:
            student = by_id.get(value.split("@", 1)[0])
        if student is not None and student in seen:
            raise ValueError(
                f"{path}: rows {seen[student]} and {number_} both match student {student!r} "
                f"through the column {key!r}; fix the roster or choose another --key"
            )
        if student is not None:
            seen[student] = number_
        matched.append(student)
    return matched


# ------------------------------------------------------------------------------ writing


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _safe(value: object) -> str:
    """Text from the gradebook for a CSV cell: control characters escaped, no formula."""
    from course.grading.results import csv_text

    return csv_text(value, limit=200)


def _canvas_column(header: list[str], assignment: str) -> str:
    for name in header:
        if name == assignment or name.rsplit(" (", 1)[0].strip() == assignment:
            return name
    return assignment


def export(
    root: str | Path,
    assignments: list[str],
    fmt: str,
    roster: str | Path | None = None,
    *,
    key: str | None = None,
    output: str | Path | None = None,
    db_url: str | None = None,
) -> ExportResult:
    """Write the LMS import file of ``assignments`` in format ``fmt``; see the module doc.

    Parameters
    ----------
    root : the nbgrader course root (its ``nbgrader_config.py`` names the gradebook).
    assignments : assignment ids, in the order of the file's columns.
    fmt : ``canvas``, ``moodle`` or ``csv``.
    roster : the LMS's roster file (required for canvas and moodle).
    key : the roster column holding the student id (see the module doc).
    output : the file to write (default ``ROOT/exports/<fmt>-<assignments>.csv``).
    db_url : a gradebook URL that wins over the course's (e.g. PostgreSQL).
    """
    from course.grading.config import load_course_config

    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if not assignments:
        raise ValueError("name at least one assignment to export")
    if fmt == "moodle" and len(assignments) != 1:
        raise ValueError(
            "a Moodle grading worksheet holds one assignment: export them one at a time"
        )
    if fmt in ("canvas", "moodle") and roster is None:
        raise ValueError(
            f"--format {fmt} needs --roster: the file the LMS exports (see `course export --help`)"
        )
    config = load_course_config(root, db_url=db_url)
    grades, max_scores, people = read_grades(config.db_url, list(assignments))
    out = Path(output) if output else config.root / "exports" / f"{fmt}-{'+'.join(assignments)}.csv"
    result = ExportResult(out, fmt, list(assignments))

    header: list[str] = []
    rows: list[dict[str, str]] = []
    matched: list[str | None] = []
    if roster is not None:
        header, rows = read_roster(roster, fmt)
        key = key or DEFAULT_KEY[fmt]
        if key not in header:
            raise ValueError(
                f"{roster} has no column {key!r} to match students on (its columns: "
                f"{', '.join(header)}); name one with --key"
            )
        matched = _match(rows, key, people, Path(roster))
    on_roster = {s for s in matched if s}
    result.not_on_roster = sorted(set(grades) - on_roster)
    for row, student in zip(rows, matched, strict=True):
        if student is None or all(g.status == NOT_SUBMITTED for g in grades[student].values()):
            label = (row.get("Student") or row.get("Full name") or "").strip()
            value = row.get(key or "", "").strip()
            result.no_submission.append(f"{label} ({value})" if label and value else label or value)
    result.needs_manual = sorted(
        (g.student, g.assignment)
        for row in grades.values()
        for g in row.values()
        if g.status == NEEDS_MANUAL
    )

    if fmt == "canvas":
        columns = [_canvas_column(header, a) for a in assignments]
        table = [[POINTS_POSSIBLE, "", "", "", "", *(number(max_scores[a]) for a in assignments)]]
        for row, student in zip(rows, matched, strict=True):
            scores = [number(grades[student][a].score) if student else "" for a in assignments]
            table.append([row[name] for name in CANVAS_FIXED] + scores)
        _write(out, CANVAS_FIXED + columns, table)
    elif fmt == "moodle":
        (assignment,) = assignments
        ours = max_scores[assignment]
        table = []
        for row, student in zip(rows, matched, strict=True):
            row = dict(row)
            grade = grades[student][assignment] if student else None
            if grade is not None and grade.score is not None:
                theirs = _float(row.get("Maximum Grade"))
                value = grade.score
                if theirs is not None and ours > 0 and abs(theirs - ours) > 1e-9:
                    value = grade.score / ours * theirs
                    result.scaled[assignment] = (ours, theirs)
                row["Grade"] = number(value)
                if grade.late_penalty > 0 and not row.get("Feedback comments", "").strip():
                    row["Feedback comments"] = (
                        f"Includes a late-submission penalty of {number(grade.late_penalty)} "
                        f"of {number(ours)} points."
                    )
            table.append([row.get(name, "") for name in header])
        _write(out, header, table)
    else:
        per = [
            f"{a} {part}"
            for a in assignments
            for part in ("score", "max", "late penalty", "status")
        ]
        lead = ["student_id", "on_roster"]
        table = []

        def cells(student: str | None) -> list[str]:
            values = []
            for a in assignments:
                grade = grades[student][a] if student else None
                values += [
                    number(grade.score) if grade else "",
                    number(max_scores[a]),
                    number(grade.late_penalty) if grade and grade.raw_score is not None else "",
                    grade.status if grade else NOT_SUBMITTED,
                ]
            return values

        for row, student in zip(rows, matched, strict=True):
            table.append([student or "", "yes", *(row[h] for h in header), *cells(student)])
        for student in result.not_on_roster:
            where = "no" if roster is not None else ""  # without a roster: not asked
            table.append([_safe(student), where, *("" for _ in header), *cells(student)])
        _write(out, lead + header + per, table)
        result.rows = len(table)
        if roster is None:
            result.not_on_roster = []  # no roster, so nobody is missing from one
        else:
            result.unmatched_path = out  # in this same file, with on_roster "no"
        return result

    result.rows = len(rows)
    if result.not_on_roster:
        result.unmatched_path = out.with_suffix(".unmatched.csv")
        table = []
        for student in result.not_on_roster:
            person = people[student]
            table.append(
                [
                    _safe(person.id),
                    _safe(person.first_name),
                    _safe(person.last_name),
                    _safe(person.email),
                ]
                + [number(grades[student][a].score) for a in assignments]
            )
        _write(
            result.unmatched_path,
            ["student_id", "first_name", "last_name", "email", *assignments],
            table,
        )
    return result


def _float(text: str | None) -> float | None:
    try:
        return float(str(text).replace(",", "."))
    except (TypeError, ValueError):
        return None

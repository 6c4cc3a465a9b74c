"""``course report``: one assignment's grades as a CSV file and an offline HTML report.

:func:`collect` joins what ``course grade`` leaves behind: the course's nbgrader gradebook
(the score of every graded cell), the ledger ``ROOT/.course-grade/<assignment>.jsonl`` (what
happened to each submission: graded, timeout, crashed, ...; the latest line of a student
wins) and the ``ROOT/submitted/`` folders (a submission the ledger does not know is checked
with :func:`course.grading.submissions.check_submission`, so broken ones show with their
reason). :func:`build` writes, by default into ``ROOT/reports/<assignment>/``:

``grades.csv``
    one row per student: student, status, reason, score, max_score, auto_score,
    manual_pending, one column per graded cell (its ``grade_id``, prefixed with the notebook
    when the assignment has several) holding the cell's score, and n_flags (findings of the
    static scan, :mod:`course.grading.scan`).
``report.html``
    one self-contained page that loads nothing from anywhere (figures are inline PNG data,
    a Content-Security-Policy forbids the rest): a loud banner when any submission was graded
    without the sandbox, the score distribution, per-question pass rates, the tests failed
    most often, the submissions flagged by the scan, and every timeout, crash, invalid or
    errored submission with its reason. It is rendered by the autoescaped template
    ``report.html.j2`` (:mod:`course.grading.pages`).

Examples
--------
A ledger alone (no gradebook yet) is enough for a report of what went wrong:

>>> import json, pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / ".course-grade").mkdir()
>>> line = {"student": "ada", "status": "timeout", "reason": "over the 300 s notebook budget"}
>>> _ = (root / ".course-grade" / "ps01.jsonl").write_text(json.dumps(line) + "\\n")
>>> [(s.student, s.status, s.reason) for s in collect(root, "ps01").students]
[('ada', 'timeout', 'over the 300 s notebook budget')]
>>> paths = build(root, "ps01")
>>> sorted(p.name for p in paths.values())
['grades.csv', 'report.html']
>>> print(paths["csv"].read_text().splitlines()[1])
ada,timeout,over the 300 s notebook budget,,,,,

Without any grade there is nothing to report:

>>> build(root, "ps02")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: no grades for ps02 in ...: run `course grade ps02 --course ...` first
"""

from __future__ import annotations

import base64
import csv
import fnmatch
import io
import json
import os
import statistics
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.results import Status, csv_text, ledger_path, read_ledger
from course.grading.submissions import check_submission, find_students

__all__ = ["CellInfo", "GradeInfo", "Results", "StudentRecord", "build", "collect"]

#: Okabe & Ito (2008) colours (as in course.plots; the grading package imports no teaching module).
_BLUE, _VERMILLION, _GREEN, _BLACK = "#0072B2", "#D55E00", "#009E73", "#000000"

#: statuses of a submission with a grade in the gradebook
GRADED = Status.GRADED
#: what the statuses mean, for the report's tables
STATUS_TEXT = {
    "graded": "graded",
    "invalid": "refused before running (broken or tampered submission)",
    "timeout": "stopped: ran past its time budget",
    "crashed": "the kernel or the grading process died",
    "error": "nbgrader could not grade it",
    "ungraded": "submitted, not graded yet",
}
FIXED_COLUMNS = [
    "student",
    "status",
    "reason",
    "score",
    "max_score",
    "auto_score",
    "manual_pending",
]


@dataclass(frozen=True)
class CellInfo:
    """A graded cell of the assignment: its notebook id, ``grade_id``, type and points."""

    notebook: str
    name: str
    cell_type: str  # "code" (an autograder test) or "markdown" (a written answer)
    max_score: float
    column: str = ""

    @property
    def is_test(self) -> bool:
        return self.cell_type == "code"


@dataclass(frozen=True)
class GradeInfo:
    """One student's grade of one cell, read from the gradebook."""

    score: float
    max_score: float
    auto_score: float | None = None
    manual_score: float | None = None
    needs_manual_grade: bool = False


@dataclass
class StudentRecord:
    """Everything known about one student's submission."""

    student: str
    status: str
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    auto_score: float | None = None
    manual_pending: bool | None = None
    #: (notebook id, grade_id) -> grade, only for graded students
    grades: dict[tuple[str, str], GradeInfo] = field(default_factory=dict)
    #: (notebook id, grade_id) -> a grader's comment
    comments: dict[tuple[str, str], str] = field(default_factory=dict)
    #: notebook id -> (score, max_score)
    notebook_scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: the scan's findings as dicts (notebook, cell, kind, detail); None when not known
    flags: list[dict] | None = None
    #: whether the latest grading ran sandboxed; None when the ledger does not say
    sandboxed: bool | None = None
    seconds: float | None = None
    #: nbgrader's late-submission penalty, how late, and the extension (course.grading.late)
    late_penalty: float = 0.0
    seconds_late: float = 0.0
    extension: object = None


@dataclass
class Results:
    """An assignment's grading results: the graded cells and one record per student."""

    root: Path
    assignment: str
    notebooks: list[str]
    cells: list[CellInfo]
    students: list[StudentRecord]
    max_score: float | None = None
    #: ledger lines (any, not only the latest) that say ``sandboxed: false``
    unsandboxed: list[dict] = field(default_factory=list)
    #: students whose latest ledger line does not say whether it was sandboxed
    sandbox_unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def by_student(self) -> dict[str, StudentRecord]:
        return {s.student: s for s in self.students}


# ---------------------------------------------------------------------------- reading


def _read_ledger(path: Path) -> tuple[dict[str, dict], list[dict]]:
    """The latest record per student, and every record that says it was not sandboxed."""
    latest = read_ledger(path)
    unsandboxed: list[dict] = []
    if path.is_file():
        with path.open(errors="replace") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("sandboxed") is False:
                    unsandboxed.append(record)
    return latest, unsandboxed


def _sqlite_path(url: str, root: Path) -> Path | None:
    """The file of a ``sqlite:///`` URL (relative paths from the course root), else None."""
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    return path if path.is_absolute() else root / path


@dataclass
class _Book:
    notebooks: list[str] = field(default_factory=list)
    cells: list[CellInfo] = field(default_factory=list)
    max_score: float | None = None
    submissions: dict[str, StudentRecord] = field(default_factory=dict)


def _read_gradebook(root: Path, assignment: str, db_url: str | None = None) -> _Book:
    from course.grading.config import load_course_config

    url = load_course_config(root, db_url=db_url).db_url
    if url.startswith("sqlite:"):
        path = _sqlite_path(url, root)
        if path is None or not path.is_file():
            return _Book()  # opening it would create an empty gradebook
        url = f"sqlite:///{path}"
    from nbgrader.api import Gradebook, MissingEntry

    book = _Book()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy 2.1's SAWarnings about nbgrader's models
        with Gradebook(url) as gb:
            try:
                found = gb.find_assignment(assignment)
            except MissingEntry:
                return book
            book.max_score = float(found.max_score or 0)
            for notebook in found.notebooks:
                book.notebooks.append(notebook.name)
                for cell in notebook.grade_cells:
                    book.cells.append(
                        CellInfo(notebook.name, cell.name, cell.cell_type, float(cell.max_score))
                    )
            for sub in gb.assignment_submissions(assignment):
                record = StudentRecord(
                    sub.student_id,
                    GRADED,
                    score=float(sub.score or 0),
                    max_score=float(sub.max_score or 0),
                    manual_pending=bool(sub.needs_manual_grade),
                    late_penalty=float(sub.late_submission_penalty or 0),
                    seconds_late=float(sub.total_seconds_late or 0),
                    extension=sub.extension,
                )
                auto = 0.0
                for snb in sub.notebooks:
                    record.notebook_scores[snb.name] = (
                        float(snb.score or 0),
                        float(snb.max_score or 0),
                    )
                    for grade in snb.grades:
                        auto += float(grade.auto_score or 0)
                        record.grades[(snb.name, grade.name)] = GradeInfo(
                            score=float(grade.score or 0),
                            max_score=float(grade.max_score or 0),
                            auto_score=grade.auto_score,
                            manual_score=grade.manual_score,
                            needs_manual_grade=bool(grade.needs_manual_grade),
                        )
                    for comment in snb.comments:
                        if comment.comment:
                            record.comments[(snb.name, comment.name)] = str(comment.comment)
                record.auto_score = auto
                book.submissions[record.student] = record
    return book


def _source_order(root: Path, assignment: str) -> dict[tuple[str, str], int]:
    """(notebook id, grade_id) -> position in the instructor's source notebooks."""
    import nbformat

    order: dict[tuple[str, str], int] = {}
    for nb_index, path in enumerate(sorted((root / "source" / assignment).glob("*.ipynb"))):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # nbformat raises several kinds; fall back to the gradebook's order
            continue
        for index, cell in enumerate(nb.cells):
            gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
            if gid:
                order[(path.stem, gid)] = nb_index * 100_000 + index
    return order


def _columns(cells: list[CellInfo], several: bool) -> list[CellInfo]:
    named = []
    for cell in cells:
        column = f"{cell.notebook}:{cell.name}" if several else cell.name
        if column in FIXED_COLUMNS or column == "n_flags":
            column = f"{cell.notebook}:{cell.name}"
        named.append(CellInfo(cell.notebook, cell.name, cell.cell_type, cell.max_score, column))
    return named


def _flags(value: object) -> list[dict] | None:
    if not isinstance(value, list):
        return None
    flags = []
    for item in value:
        if isinstance(item, dict):
            flags.append({k: str(item.get(k, "")) for k in ("notebook", "cell", "kind", "detail")})
        elif isinstance(item, list | tuple) and len(item) == 4:  # a Flag written as a list
            flags.append(
                dict(zip(("notebook", "cell", "kind", "detail"), map(str, item), strict=True))
            )
    return flags


def _no_grades(root: Path, assignment: str) -> ValueError:
    return ValueError(
        f"no grades for {assignment} in {root}: run "
        f"`course grade {assignment} --course {root}` first"
    )


def collect(root: str | Path, assignment: str, student: str = "*") -> Results:
    """Read the gradebook, the ledger and ``submitted/`` into one :class:`Results`.

    Parameters
    ----------
    root : the nbgrader course root.
    assignment : the assignment id.
    student : a glob on student ids (default: everyone).

    Raises
    ------
    ValueError
        when neither the ledger nor the gradebook holds anything for ``assignment``.

    Examples
    --------
    >>> collect("/nonexistent", "ps01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: no grades for ps01 in /nonexistent: run `course grade ps01 ...` first
    """
    root = Path(root).resolve()
    latest, unsandboxed = _read_ledger(ledger_path(root, assignment))
    book = _read_gradebook(root, assignment)
    if not latest and not book.submissions:
        raise _no_grades(root, assignment)
    order = _source_order(root, assignment)
    cells = sorted(book.cells, key=lambda c: (order.get((c.notebook, c.name), 10**9), c.name))
    notebooks = sorted(book.notebooks, key=lambda nb: (nb not in {k[0] for k in order}, nb))
    if not notebooks:
        notebooks = sorted(p.stem for p in (root / "source" / assignment).glob("*.ipynb"))
    results = Results(
        root=root,
        assignment=assignment,
        notebooks=notebooks,
        cells=_columns(cells, len(notebooks) > 1),
        students=[],
        max_score=book.max_score,
        unsandboxed=[r for r in unsandboxed if fnmatch.fnmatchcase(r["student"], student)],
    )
    expected = [f"{nb}.ipynb" for nb in notebooks]
    names = set(latest) | set(book.submissions) | set(find_students(root, assignment))
    for name in sorted(n for n in names if fnmatch.fnmatchcase(n, student)):
        record = latest.get(name)
        graded = book.submissions.get(name)
        if record is not None:
            status = str(record.get("status") or "error")
            reason = str(record.get("reason") or "")
            if status == "skipped":  # unchanged since its grade: the gradebook has it
                status, reason = GRADED, ""
            if status == GRADED and graded is None:
                status = "error"
                reason = (
                    "the ledger says graded but the gradebook has no grade: run "
                    f"`course grade {assignment} --student {name} --force`"
                )
        elif graded is not None:
            status, reason = GRADED, ""
        else:
            folder = root / "submitted" / name / assignment
            why = check_submission(folder, expected, student_dir=root / "submitted" / name)
            status, reason = (
                ("invalid", why)
                if why
                else ("ungraded", f"not graded yet: run `course grade {assignment}`")
            )
        if status == GRADED and graded is not None:
            entry = graded
            entry.reason = reason or ("needs manual grading" if entry.manual_pending else "")
        else:
            entry = StudentRecord(name, status, reason, max_score=book.max_score)
        if record is not None:
            entry.flags = _flags(record.get("flags"))
            sandboxed = record.get("sandboxed")
            entry.sandboxed = sandboxed if isinstance(sandboxed, bool) else None
            seconds = record.get("seconds")
            entry.seconds = float(seconds) if isinstance(seconds, int | float) else None
            if entry.sandboxed is None and status in {GRADED, "timeout", "crashed", "error"}:
                results.sandbox_unknown.append(name)
        results.students.append(entry)
    return results


# ---------------------------------------------------------------------------- analysis


def _scan_missing_flags(results: Results) -> None:
    """Scan the submissions whose ledger line carries no flags (older ``course grade``)."""
    todo = [
        s
        for s in results.students
        if s.flags is None
        and os.path.lexists(results.root / "submitted" / s.student / results.assignment)
    ]
    if not todo:
        return
    try:
        from course.grading.scan import scan_submission
    except ImportError as exc:
        results.notes.append(f"The static scan is not available here ({exc}); no flags shown.")
        return
    source = results.root / "source" / results.assignment
    for record in todo:
        folder = results.root / "submitted" / record.student / results.assignment
        try:
            found = scan_submission(folder, source)
        except Exception as exc:  # a scan failure must not lose the report
            results.notes.append(f"The scan of {record.student} failed: {exc}")
            continue
        record.flags = [
            {k: str(getattr(f, k, "")) for k in ("notebook", "cell", "kind", "detail")}
            for f in found
        ]


@dataclass
class _Failure:
    cell: CellInfo
    failed: int
    graded: int
    errors: Counter


def _failures(results: Results) -> list[_Failure]:
    """Per test cell: how many graded students lost points, and their commonest errors."""
    import nbformat

    from course.grading.results import cell_verdict

    graded = [s for s in results.students if s.status == GRADED]
    tests = [c for c in results.cells if c.is_test]
    errors: dict[tuple[str, str], Counter] = {(c.notebook, c.name): Counter() for c in tests}
    failed: Counter = Counter()
    for record in graded:
        lost = {
            key
            for key, grade in record.grades.items()
            if key in errors and grade.score < grade.max_score - 1e-9
        }
        failed.update(lost)
        for notebook in {key[0] for key in lost}:
            path = (
                results.root
                / "autograded"
                / record.student
                / results.assignment
                / f"{notebook}.ipynb"
            )
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:  # missing or unreadable: the count stays, the message is unknown
                continue
            for cell in nb.cells:
                gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
                if (notebook, gid) not in lost:
                    continue
                outcome = cell_verdict(cell)
                if outcome.ename:
                    first = (outcome.evalue.strip().splitlines() or [""])[0][:120]
                    message = f"{outcome.ename}: {first}" if first else outcome.ename
                elif outcome.stderr:
                    message = "wrote to stderr"
                else:
                    message = "points set by a grader" if outcome.ran else "did not run"
                errors[(notebook, gid)][message] += 1
    return [
        _Failure(c, failed[(c.notebook, c.name)], len(graded), errors[(c.notebook, c.name)])
        for c in tests
    ]


# ---------------------------------------------------------------------------- writing


def _num(value: float | None) -> str:
    return "" if value is None else format(value, ".10g")


def write_csv(results: Results, path: Path) -> Path:
    """Write ``grades.csv``: one row per student (see the module's docstring)."""
    header = FIXED_COLUMNS + [c.column for c in results.cells] + ["n_flags"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for s in results.students:
            graded = s.status == GRADED
            row = [
                csv_text(s.student),
                str(s.status),
                csv_text(s.reason),
                _num(s.score if graded else None),
                _num(s.max_score),
                _num(s.auto_score if graded else None),
                "" if s.manual_pending is None or not graded else str(s.manual_pending),
            ]
            for cell in results.cells:
                grade = s.grades.get((cell.notebook, cell.name)) if graded else None
                row.append(_num(grade.score if grade else None))
            row.append("" if s.flags is None else str(len(s.flags)))
            writer.writerow(row)
    return path


def _figure_png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _score_histogram(scores: list[float], top: float) -> tuple[str, str]:
    from matplotlib.figure import Figure  # no pyplot: nothing global changes

    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.subplots()
    if top > 0 and top <= 40 and float(top).is_integer():
        bins = [x - 0.5 for x in range(int(top) + 2)]
    else:
        bins = 20
    ax.hist(scores, bins=bins, color=_BLUE, edgecolor="white")
    median = statistics.median(scores)
    ax.axvline(median, color=_VERMILLION, linestyle="--", label=f"median {median:g}")
    ax.set_xlabel(f"total score (points, out of {top:g})")
    ax.set_ylabel("students")
    ax.set_xlim(-0.5, max(top, max(scores)) + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False)
    full = sum(1 for s in scores if s >= top - 1e-9)
    alt = (
        f"Histogram of the total scores of {len(scores)} graded students, 0 to {top:g} points: "
        f"median {median:g}, lowest {min(scores):g}, highest {max(scores):g}, "
        f"{full} with full marks."
    )
    return _figure_png(fig), alt


def _pass_rate_chart(rates: list[tuple[str, float]]) -> tuple[str, str]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 0.6 + 0.38 * len(rates)), layout="constrained")
    ax = fig.subplots()
    labels = [label for label, _ in rates][::-1]
    values = [100 * rate for _, rate in rates][::-1]
    bars = ax.barh(labels, values, color=_GREEN)
    ax.bar_label(bars, labels=[f"{v:.0f} %" for v in values], padding=3)
    ax.set_xlim(0, 112)
    ax.set_xlabel("graded students with full points (%)")
    alt = "Bar chart of the share of graded students with full points per test: " + "; ".join(
        f"{label} {100 * rate:.0f} %" for label, rate in rates
    )
    return _figure_png(fig), alt


def _unsandboxed(results: Results) -> dict | None:
    """What the report's banner says about submissions graded without the sandbox."""
    if not results.unsandboxed:
        return None
    students = sorted({r["student"] for r in results.unsandboxed})
    shown = ", ".join(students[:20]) + (
        f" and {len(students) - 20} more" if len(students) > 20 else ""
    )
    return {"records": len(results.unsandboxed), "students": len(students), "shown": shown}


def render_html(results: Results, failures: list[_Failure]) -> str:
    """``report.html`` for ``results`` (see the module's docstring), from ``report.html.j2``."""
    from course.grading.late import late_rows
    from course.grading.pages import render
    from course.grading.runner import NOT_SANDBOXED

    a = results.assignment
    graded = [s for s in results.students if s.status == GRADED]
    counts = Counter(s.status for s in results.students)

    scores = [s.score for s in graded if s.score is not None]
    top = results.max_score or max((s.max_score or 0 for s in graded), default=0)
    histogram = None
    if scores:
        uri, alt = _score_histogram(scores, top)
        caption = (
            f"Figure 1. Total scores of the {len(scores)} graded submissions of {a} "
            f"(out of {top:g}; mean {statistics.mean(scores):.2f}, median "
            f"{statistics.median(scores):g}). Answers waiting for manual grading count as 0."
        )
        histogram = {"uri": uri, "alt": alt, "caption": caption}

    tests = [f for f in failures if f.graded]
    pass_rates = None
    if tests:
        uri, alt = _pass_rate_chart(
            [(f.cell.column, (f.graded - f.failed) / f.graded) for f in tests]
        )
        pass_rates = {
            "uri": uri,
            "alt": alt,
            "caption": f"Figure 2. Share of the {len(graded)} graded submissions that earned "
            "full points on each autograder test cell, in notebook order.",
            "rows": [
                [
                    f.cell.name,
                    f.cell.notebook,
                    f"{f.cell.max_score:g}",
                    f"{f.graded - f.failed} of {f.graded}",
                    f"{100 * (f.graded - f.failed) / f.graded:.0f} %",
                ]
                for f in tests
            ],
        }

    worst = sorted((f for f in tests if f.failed), key=lambda f: (-f.failed, f.cell.column))
    worst_rows = [
        [
            f.cell.name,
            f.cell.notebook,
            f"{f.failed} of {f.graded}",
            "; ".join(f"{m} ({n}×)" for m, n in f.errors.most_common(3)),
        ]
        for f in worst[:15]
    ]

    found = [(s, f) for s in results.students for f in (s.flags or [])]
    flagged = None
    if found:
        try:
            from course.grading.scan import KINDS
        except ImportError:
            KINDS = {}
        flagged = {
            "rows": [
                [s.student, f["notebook"], f["cell"], f["kind"], f["detail"]] for s, f in found
            ],
            "caption": f"{len(found)} finding(s) in {len({s.student for s, _ in found})} "
            "submission(s)",
            "kinds": [[k, KINDS.get(k, "")] for k in sorted({f["kind"] for _, f in found})],
        }

    trouble = [s for s in results.students if s.status != GRADED]
    return render(
        "report.html.j2",
        title=f"Grading report: {a}",
        assignment=a,
        root=results.root,
        written=time.strftime("%Y-%m-%d %H:%M %Z"),
        n_students=len(results.students),
        n_graded=len(graded),
        not_sandboxed=NOT_SANDBOXED,
        unsandboxed=_unsandboxed(results),
        sandbox_unknown=results.sandbox_unknown,
        notes=results.notes,
        statuses=[[k, STATUS_TEXT.get(k, k), n] for k, n in sorted(counts.items())],
        pending=sum(1 for s in graded if s.manual_pending),
        histogram=histogram,
        pass_rates=pass_rates,
        worst=worst_rows,
        flagged=flagged,
        late=late_rows(
            [
                {
                    "student": s.student,
                    "raw_score": s.score,
                    "late_penalty": s.late_penalty,
                    "seconds_late": s.seconds_late,
                    "extension": s.extension,
                }
                for s in graded
            ]
        ),
        trouble={
            "rows": [[s.student, s.status, s.reason] for s in trouble],
            "caption": f"{len(trouble)} submission(s) without a grade",
        }
        if trouble
        else None,
        everyone=[
            [
                s.student,
                s.status,
                _num(s.score) if s.status == GRADED else "",
                _num(s.max_score),
                "yes" if s.status == GRADED and s.manual_pending else "",
                "" if s.flags is None else len(s.flags),
            ]
            for s in results.students
        ],
    )


def build(root: str | Path, assignment: str, output: str | Path | None = None) -> dict[str, Path]:
    """Write ``grades.csv`` and ``report.html`` for ``assignment``; return their paths.

    Parameters
    ----------
    root : the nbgrader course root.
    assignment : the assignment id.
    output : the folder to write to (default ``ROOT/reports/<assignment>/``).

    Returns
    -------
    dict
        ``{"csv": Path, "html": Path}``.

    Raises
    ------
    ValueError
        when there are no grades yet (run ``course grade ASSIGNMENT`` first).

    Examples
    --------
    >>> build("/nonexistent", "ps01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: no grades for ps01 in /nonexistent: run `course grade ps01 ...` first
    """
    results = collect(root, assignment)
    out = Path(output) if output is not None else results.root / "reports" / assignment
    out.mkdir(parents=True, exist_ok=True)
    _scan_missing_flags(results)
    failures = _failures(results)
    csv_path = write_csv(results, out / "grades.csv")
    html_path = out / "report.html"
    html_path.write_text(render_html(results, failures), encoding="utf-8")
    return {"csv": csv_path, "html": html_path}

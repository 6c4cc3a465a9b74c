"""Course operations: extensions, nbgrader's late penalty with the course's plugin, regrading one.

A throw-away course root grades the grader's own small assignment (tests/grading/source/mini:
5 autograded points, 2 written) with the course's late-penalty plugin at 25 % per started
day. Three students hand in the reference answers: on time, 30 hours late, and 30 hours
late with a two-day extension in ``extensions.csv``. The gradebook (nbgrader's own fields:
``extension``, ``late_submission_penalty``), the report, a change of the extensions file
and ``course regrade`` are checked.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from _support import run_nbgrader

from course.cli import main
from course.grading import extensions, grade, late

HERE = Path(__file__).resolve().parent / "grading"
ASSIGNMENT = "mini"
DUE = datetime.datetime(2026, 12, 1, 17, 0)
LATE = DUE + datetime.timedelta(hours=30)  # two days started: 50 % of the score
STAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


def _gradebook(root: Path):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{root / 'gradebook.db'}")


def _submission(root: Path, student: str):
    with _gradebook(root) as gb:
        sub = gb.find_submission(ASSIGNMENT, student)
        return {
            "score": float(sub.score),
            "penalty": float(sub.late_submission_penalty or 0),
            "extension": sub.extension,
        }


def _ledger_lines(root: Path) -> list[dict]:
    path = root / ".course-grade" / f"{ASSIGNMENT}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("operations")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        'c.CourseDirectory.course_id = "operations-test"\n'
        "c.Execute.timeout = 10\n"
        'c.AssignLatePenalties.plugin_class = "course.grading.late.PerDayPenalty"\n'
        "c.PerDayPenalty.percent_per_day = 25.0\n"
    )
    shutil.copytree(HERE / "source", root / "source")
    done = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with _gradebook(root) as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    source = nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    for student, when in (
        ("early", DUE - datetime.timedelta(hours=1)),
        ("late", LATE),
        ("extended", LATE),
    ):
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(source, folder / f"{ASSIGNMENT}.ipynb")
        (folder / "timestamp.txt").write_text(when.strftime(STAMP))
    (root / extensions.EXTENSIONS_FILE).write_text(
        "student_id,assignment_id,extension,reason\nextended,mini,2d,medical note\n"
    )
    report = grade(root, ASSIGNMENT, jobs=1, budget=120, progress=False)
    assert {r.student: r.status for r in report.results} == dict.fromkeys(
        ("early", "late", "extended"), "graded"
    ), [(r.student, r.status, r.reason) for r in report.results]
    return root


@pytest.mark.slow
def test_late_penalty_is_nbgraders_with_the_course_plugin(course):
    early, late_one = _submission(course, "early"), _submission(course, "late")
    # the reference answers: 5 autograded points; the written answer waits for a grader
    assert early["score"] == late_one["score"] == 5.0
    assert early["penalty"] == 0.0
    assert late_one["penalty"] == pytest.approx(2.5)  # 2 days started x 25 % of 5 points


@pytest.mark.slow
def test_an_extension_from_the_file_moves_the_due_date(course):
    extended = _submission(course, "extended")
    assert extended["extension"] == datetime.timedelta(days=2)
    assert extended["penalty"] == 0.0


@pytest.mark.slow
def test_the_report_shows_penalties_and_extensions(course):
    assert main(["report", ASSIGNMENT, "--course", str(course)]) == 0
    page = (course / "reports" / ASSIGNMENT / "report.html").read_text()
    section = page.split("<h2>Late submissions and extensions</h2>", 1)[1].split("<h2>", 1)[0]
    rows = {
        row.split("</td>", 1)[0].removeprefix("<td>"): row
        for row in section.split("<tr>")[1:]
        if row.startswith("<td>")
    }
    assert set(rows) == {"late", "extended"}  # the on-time student has nothing to show
    assert "<td>1 d 6 h</td><td>5</td><td>2.5</td><td>2.5</td>" in rows["late"]
    assert "<td>2 d</td><td>on time</td><td>5</td><td>0</td><td>5</td>" in rows["extended"]


@pytest.mark.slow
def test_changing_the_file_regrades_only_that_student(course):
    before = len(_ledger_lines(course))
    (course / extensions.EXTENSIONS_FILE).write_text(
        "student_id,assignment_id,extension,reason\n"
    )  # the extension is withdrawn
    report = grade(course, ASSIGNMENT, jobs=1, budget=120, progress=False)
    statuses = {r.student: r.status for r in report.results}
    assert statuses == {"early": "skipped", "late": "skipped", "extended": "graded"}
    extended = _submission(course, "extended")
    assert extended["extension"] is None
    assert extended["penalty"] == pytest.approx(2.5)
    assert [r["student"] for r in _ledger_lines(course)[before:]] == ["extended"]


@pytest.mark.slow
def test_regrade_one_student_keeps_manual_scores_and_others(course, capsys):
    # a grader marks the late student's written answer, then grants an extension
    with _gradebook(course) as gb:
        grade_ = gb.find_grade("q4_written", ASSIGNMENT, ASSIGNMENT, "late")
        grade_.manual_score = 2.0
        grade_.needs_manual_grade = False
        gb.db.commit()
    (course / extensions.EXTENSIONS_FILE).write_text(
        "student_id,assignment_id,extension,reason\nlate,mini,36h,train strike\n"
    )
    others = {s: _submission(course, s) for s in ("early", "extended")}
    before = len(_ledger_lines(course))
    assert main(["regrade", ASSIGNMENT, "late", "--course", str(course)]) == 0
    out = capsys.readouterr().out
    assert "feedback:" in out and "late" in out
    regraded = _submission(course, "late")
    assert regraded["score"] == 7.0  # 5 autograded + the grader's 2, kept
    assert regraded["extension"] == datetime.timedelta(hours=36)
    assert regraded["penalty"] == 0.0
    assert [r["student"] for r in _ledger_lines(course)[before:]] == ["late"]
    assert {s: _submission(course, s) for s in ("early", "extended")} == others
    assert (course / "feedback" / "late" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


def test_regrade_names_a_missing_submission(tmp_path, capsys):
    assert main(["regrade", "mini", "nobody", "--course", str(tmp_path)]) == 2
    assert "nobody has no submission of mini" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("student_id,extension\nada,2d\n", "lacks the column"),
        ("student_id,assignment_id,extension\nada,ps01,two days\n", "line 2: extension"),
        ("student_id,assignment_id,extension\nada,ps01,1d\nada,ps01,2d\n", "second extension"),
        ("student_id,assignment_id,extension\n,ps01,1d\n", "give both"),
    ],
)
def test_a_bad_extensions_file_names_the_line(tmp_path, text, message):
    (tmp_path / extensions.EXTENSIONS_FILE).write_text(text)
    with pytest.raises(ValueError, match=message):
        extensions.read_extensions(tmp_path)


def test_penalty_plugin_caps_and_grace():
    plugin = late.PerDayPenalty(percent_per_day=40.0, max_percent=60.0, grace_minutes=30)
    assert plugin.late_submission_penalty("ada", 10.0, 20 * 60) is None  # within grace
    assert plugin.late_submission_penalty("ada", 10.0, 3600) == pytest.approx(4.0)
    assert plugin.late_submission_penalty("ada", 10.0, 5 * 86_400) == pytest.approx(6.0)

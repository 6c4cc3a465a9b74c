"""``course export``: the LMS files match their golden copies; nobody is dropped.

The gradebook is built with nbgrader's own API in a throw-away course root: two problem
sets, four students (one late with a penalty, one still waiting for manual grading, one
the roster lacks, one who submitted nothing). The rosters in ``tests/golden/export/`` are
shaped like Canvas's gradebook export and Moodle's grading worksheet. Set
``COURSE_UPDATE_GOLDEN=1`` to rewrite the golden files after a deliberate change (and
read the diff before committing it).
"""

from __future__ import annotations

import csv
import datetime
import os
import shutil
from pathlib import Path

import pytest

from course.cli import main
from course.grading import export
from course.grading.config import find_tools

GOLDEN = Path(__file__).parent / "golden" / "export"
PS01, PS02 = "ps01-the-order", "ps02-compute"


@pytest.fixture(scope="module")
def gradebook_file(tmp_path_factory) -> Path:
    """The gradebook, built once (nbgrader runs alembic at every open: seconds)."""
    from nbgrader.api import Gradebook

    find_tools()  # a new gradebook runs `alembic` by name: this environment's, not PATH's
    root = tmp_path_factory.mktemp("gradebook")
    due = datetime.datetime(2026, 12, 1, 17, 0)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.add_assignment(PS01, duedate=due)
        gb.add_notebook(PS01, PS01)
        gb.add_grade_cell("q1", PS01, PS01, max_score=6, cell_type="code")
        gb.add_grade_cell("w1", PS01, PS01, max_score=4, cell_type="markdown")
        gb.add_assignment(PS02, duedate=due)
        gb.add_notebook(PS02, PS02)
        gb.add_grade_cell("q1", PS02, PS02, max_score=5, cell_type="code")
        for student, first, last in [
            ("ada", "Ada", "Lovelace"),
            ("bo", "Bo", "Brook"),
            ("cy", "Cy", "Young"),
            ("dee", "Dana", "Dee"),
        ]:
            gb.add_student(student, first_name=first, last_name=last, email="")
        gb.update_or_create_student("cy", email="cy@uni.example")

        def graded(assignment, student, scores, late=0.0):
            gb.add_submission(assignment, student, timestamp=due)
            for cell, (auto, manual, needs) in scores.items():
                grade = gb.find_grade(cell, assignment, assignment, student)
                grade.auto_score, grade.manual_score, grade.needs_manual_grade = (
                    auto,
                    manual,
                    needs,
                )
            nb = gb.find_submission_notebook(assignment, assignment, student)
            nb.late_submission_penalty = late
            gb.db.commit()

        graded(PS01, "ada", {"q1": (6, None, False), "w1": (None, 3, False)}, late=1.0)
        graded(PS02, "ada", {"q1": (4.5, None, False)})
        graded(PS01, "bo", {"q1": (2, None, False), "w1": (None, None, True)})
        graded(PS01, "cy", {"q1": (6, None, False), "w1": (None, 4, False)})
    return root / "gradebook.db"


@pytest.fixture
def course_root(gradebook_file: Path, tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(gradebook_file, root / "gradebook.db")
    return root


def _same_as_golden(path: Path, name: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("COURSE_UPDATE_GOLDEN") == "1":
        golden.write_bytes(path.read_bytes())
    assert path.read_text() == golden.read_text(), f"{path} differs from {golden}"


def test_canvas_import_file_matches_golden(course_root, tmp_path):
    out = tmp_path / "canvas.csv"
    result = export.export(
        course_root, [PS01, PS02], "canvas", GOLDEN / "canvas_roster.csv", output=out
    )
    _same_as_golden(out, "canvas.csv")
    _same_as_golden(result.unmatched_path, "canvas.unmatched.csv")
    rows = list(csv.reader(out.open()))
    # Canvas's shape: the five identity columns, the roster's own column for ps01 (so Canvas
    # updates that assignment), a new column for ps02, the Points Possible row second
    assert rows[0] == [*export.CANVAS_FIXED, "ps01-the-order (4101)", PS02]
    assert rows[1] == ["    Points Possible", "", "", "", "", "10", "5"]
    by_login = {row[3]: row for row in rows[2:]}
    assert by_login["ada"][5:] == ["8", "4.5"]  # 9 points less the 1-point late penalty
    assert by_login["bo"][5:] == ["2", ""]
    assert by_login["dee"][5:] == ["", ""]
    # everyone on the roster stays, everyone else is reported
    assert len(rows) - 2 == 5 == result.rows
    assert result.not_on_roster == ["cy"]
    assert result.needs_manual == [("bo", PS01)]
    assert result.no_submission == [
        "Dee, Dana (dee)",
        "Evans, Eve (eve)",
        "Student, Test (f0a1b2c3test)",
    ]


def test_moodle_worksheet_matches_golden(course_root, tmp_path):
    out = tmp_path / "moodle.csv"
    result = export.export(
        course_root, [PS01], "moodle", GOLDEN / "moodle_worksheet.csv", output=out
    )
    _same_as_golden(out, "moodle.csv")
    rows = {row["Identifier"]: row for row in csv.DictReader(out.open())}
    # matched on the email's local part; scaled from 10 points to Moodle's 100
    assert rows["Participant 3101"]["Grade"] == "80"
    assert (
        "late-submission penalty of 1 of 10 points" in rows["Participant 3101"]["Feedback comments"]
    )
    assert rows["Participant 3102"]["Grade"] == "20"
    assert rows["Participant 3103"]["Grade"] == rows["Participant 3104"]["Grade"] == ""
    assert result.scaled == {PS01: (10.0, 100.0)}
    assert result.not_on_roster == ["cy"]
    # untouched columns are Moodle's own, byte for byte
    source = {
        row["Identifier"]: row for row in csv.DictReader((GOLDEN / "moodle_worksheet.csv").open())
    }
    for ident, row in rows.items():
        for column in ("Full name", "Email address", "Status", "Last modified (submission)"):
            assert row[column] == source[ident][column]


def test_csv_export_matches_golden_with_and_without_roster(course_root, tmp_path):
    plain = export.export(course_root, [PS01, PS02], "csv", output=tmp_path / "grades.csv")
    _same_as_golden(plain.path, "grades.csv")
    assert plain.rows == 4  # every student of the gradebook
    joined = export.export(
        course_root,
        [PS01],
        "csv",
        GOLDEN / "canvas_roster.csv",
        key="SIS Login ID",
        output=tmp_path / "joined.csv",
    )
    _same_as_golden(joined.path, "joined.csv")
    rows = list(csv.DictReader(joined.path.open()))
    assert [(r["student_id"], r["on_roster"]) for r in rows][-1] == ("cy", "no")
    assert len(rows) == 6  # five on the roster, plus cy


def test_cli_prints_who_is_missing(course_root, tmp_path, capsys):
    code = main(
        [
            "export",
            PS01,
            "--format",
            "canvas",
            "--roster",
            str(GOLDEN / "canvas_roster.csv"),
            "--course",
            str(course_root),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert (course_root / "exports" / f"canvas-{PS01}.csv").is_file()
    assert "not on the roster" in out and "cy" in out
    assert "need manual grading" in out and "bo" in out
    assert "without a grade here" in out and "Evans, Eve" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((["ps99"], "csv", None), "not in the gradebook"),
        (([PS01, PS02], "moodle", GOLDEN / "moodle_worksheet.csv"), "one assignment"),
        (([PS01], "canvas", None), "needs --roster"),
        (([PS01], "canvas", GOLDEN / "moodle_worksheet.csv"), "lacks the column"),
        (([PS01], "xlsx", None), "is not one of"),
    ],
)
def test_bad_requests_say_what_to_fix(course_root, args, message):
    with pytest.raises(ValueError, match=message):
        export.export(course_root, *args)


def test_a_key_matching_two_rows_is_refused(course_root, tmp_path):
    roster = tmp_path / "twice.csv"
    roster.write_text("student_id,name\nada,Ada\nada@uni.example,Ada again\n")
    with pytest.raises(ValueError, match="both match student 'ada'"):
        export.export(course_root, [PS01], "csv", roster)


def test_unknown_key_column_is_named(course_root):
    with pytest.raises(ValueError, match="no column 'Username'"):
        export.export(course_root, [PS01], "canvas", GOLDEN / "canvas_roster.csv", key="Username")

"""Every assignment under assignments/source, graded for real by nbgrader.

In a throw-away course root: ``generate_assignment``; then the source notebook is
submitted as student ``reference`` (must score 100 % of the autograded points), the
untouched release as student ``blank`` (must score 0), and each known-wrong
submission of ``tests/submissions/<id>.py`` (the source notebook with some answer
cells replaced) must score exactly what that file expects. The release must hold
no solution and no hidden test.
"""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from _support import run_nbgrader

from course.grading import format_summary, grade

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assignments" / "source"
ASSIGNMENTS = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
CASES_DIR = Path(__file__).resolve().parent / "submissions"

pytestmark = pytest.mark.slow


def _nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_nbgrader(root, *args, timeout=900)


def _cases(assignment: str) -> list[tuple[str, dict[str, str], float]]:
    path = CASES_DIR / f"{assignment}.py"
    assert path.exists(), f"{path} is missing: every assignment ships known-wrong submissions"
    return runpy.run_path(str(path))["CASES"]


def _with_answers(notebook: nbformat.NotebookNode, answers: dict[str, str]):
    nb = nbformat.from_dict(notebook)
    todo = dict(answers)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in todo:
            assert meta.get("solution"), f"{meta['grade_id']} is not an answer cell"
            cell.source = todo.pop(meta["grade_id"])
    assert not todo, f"no answer cells named {sorted(todo)}"
    return nb


def _submit(root: Path, assignment: str, student: str, nb) -> None:
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """Generate, submit every case, autograde once, and read the scores back."""
    assignment = request.param
    root = tmp_path_factory.mktemp(assignment)
    shutil.copy(ROOT / "assignments" / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(SOURCE / assignment, root / "source" / assignment)
    done = _nbgrader(root, "generate_assignment", assignment, "--force")
    assert done.returncode == 0, done.stdout + done.stderr

    source_nb = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", 4)
    release_path = root / "release" / assignment / f"{assignment}.ipynb"
    release_nb = nbformat.read(release_path, 4)
    _submit(root, assignment, "reference", source_nb)
    _submit(root, assignment, "blank", release_nb)
    cases = _cases(assignment)
    for name, answers, _ in cases:
        _submit(root, assignment, f"wrong-{name}", _with_answers(source_nb, answers))

    ours = tmp_path_factory.mktemp(f"{assignment}-course-grade")
    shutil.copytree(root, ours, dirs_exist_ok=True)
    (ours / "nbgrader_config.py").write_text(
        (ours / "nbgrader_config.py").read_text().replace(str(ROOT / "assignments"), str(ours))
    )
    done = _nbgrader(root, "autograde", assignment)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = grade(ours, assignment, jobs=2, progress=False)

    from nbgrader.api import Gradebook

    students = ["reference", "blank"] + [f"wrong-{n}" for n, _, _ in cases]
    scores, ours_scores = {}, {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            sub = gb.find_submission(assignment, student)
            scores[student] = float(sub.code_score)
            max_code = float(sub.max_code_score)
    with Gradebook(f"sqlite:///{ours / 'gradebook.db'}") as gb:
        for student in students:
            ours_scores[student] = float(gb.find_submission(assignment, student).code_score)
    return {
        "course_grade": ours_scores,
        "course_grade_report": report,
        "assignment": assignment,
        "root": root,
        "scores": scores,
        "max": max_code,
        "cases": cases,
        "source": source_nb,
        "release": release_nb,
        "log": done.stdout + done.stderr,
    }


def test_reference_gets_full_marks(graded):
    assert graded["max"] > 0
    assert graded["scores"]["reference"] == graded["max"], graded["log"][-3000:]


def test_course_grade_gives_the_same_scores_as_nbgrader(graded):
    """Out-of-kernel verdicts agree with nbgrader's on honest and known-wrong work."""
    report = graded["course_grade_report"]
    assert all(r.status == "graded" for r in report.results), format_summary(report)
    assert graded["course_grade"] == graded["scores"]


def test_blank_release_gets_zero(graded):
    assert graded["scores"]["blank"] == 0


def test_known_wrong_submissions_get_the_expected_partial_score(graded):
    assert len(graded["cases"]) >= 4, "at least four known-wrong submissions per assignment"
    got = {name: graded["scores"][f"wrong-{name}"] for name, _, _ in graded["cases"]}
    want = {name: float(expected) for name, _, expected in graded["cases"]}
    assert got == want
    below = [name for name, v in want.items() if v < graded["max"]]
    assert len(below) >= 4, "at least four cases must lose points"


def test_release_holds_no_solution_and_no_hidden_test(graded):
    text = "\n".join(cell.source for cell in graded["release"].cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    release_lines = {line.strip() for line in text.splitlines()}
    for cell in graded["source"].cells:
        for block in re.findall(
            r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S
        ):
            for line in block.splitlines():
                stripped = line.strip()
                if len(stripped) > 12 and not stripped.startswith("#"):
                    assert stripped not in release_lines, f"hidden test leaked: {stripped}"
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            for block in re.findall(
                r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S
            ):
                for line in block.splitlines():
                    stripped = line.strip()
                    if len(stripped) > 12 and not stripped.startswith("#"):
                        assert stripped not in release_lines, f"solution leaked: {stripped}"


def test_each_question_has_visible_and_hidden_tests(graded):
    tests = [
        c
        for c in graded["source"].cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    ]
    assert len(tests) >= 4, "at least four autograded questions"
    for cell in tests:
        gid = cell.metadata["nbgrader"]["grade_id"]
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        assert "assert" in visible, f"{gid} has no visible test"
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{gid} has no hidden test"

"""course.grading.feedback and course.grading.report: feedback pages and the grading report.

One small class (tests/grading/source/mini, built from the released notebook as students get
it) is graded once with `course grade`: an honest student, one who fails a visible test and
prints a <script>, one who fails only a hidden test, one whose notebook hangs past its budget
and one who submits an empty file. The feedback pages must never show a hidden test nor load
or run anything; the report must agree with the gradebook.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from _support import run_nbgrader
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course import cli
from course.grading import feedback, report

HERE = Path(__file__).resolve().parent / "grading"
ASSIGNMENT = "mini"
HIDDEN_ASSERT = "assert add(-4, 4) == 0"
REFERENCE = {
    "q1_add": "def add(a, b):\n    return a + b",
    "q2_squares": "squares = [i * i for i in range(5)]",
    "q3_mean": "def mean(xs):\n    return sum(xs) / len(xs)",
    "q4_written": "Student code could read the solutions or change the grades.",
}
SCRIPT = (
    "def add(a, b):\n    return a + b\n"
    "import subprocess\n"
    "print('<script>alert(1)</script>')\n"
    "from IPython.display import HTML, SVG, display\n"
    "display(HTML('<script>alert(2)</script><b>bold</b>'))\n"
)
HANG = (
    "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
    "    except KeyboardInterrupt:\n        pass"
)
CLASS = {
    "a-honest": {},
    "b-visible": {"q1_add": SCRIPT, "q3_mean": "def mean(xs):\n    return 0"},
    "c-hidden": {"q1_add": "def add(a, b):\n    return abs(a) + b"},
    "d-hang": {"q2_squares": HANG},
}
GRADED = ["a-honest", "b-visible", "c-hidden"]
COLUMNS = [
    "student",
    "status",
    "reason",
    "score",
    "max_score",
    "auto_score",
    "manual_pending",
    "q1_add_tests",
    "q2_squares_tests",
    "q3_mean_tests",
    "q4_written",
    "n_flags",
]
TIMESTAMP = "2026-11-20 10:00:00.000000 UTC"


def _hidden_lines() -> list[str]:
    nb = nbformat.read(HERE / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            _, numbers = feedback.strip_hidden_tests(cell.source)
            lines += [cell.source.split("\n")[n - 1].strip() for n in numbers]
    return [line for line in lines if line and "HIDDEN TESTS" not in line]


def _text(page: str) -> str:
    """What a reader sees: the page without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "h5",
    "h6", "p", "div", "span", "pre", "code", "table", "caption", "thead", "tbody", "tr",
    "th", "td", "section", "strong", "em", "img", "figure", "figcaption", "br", "a", "ul",
    "ol", "li", "blockquote", "hr", "del",
}  # fmt: skip


def assert_offline_and_inert(page: str) -> None:
    """No tag that runs or loads anything; images only from data: URIs; links only #anchors."""
    assert page.count('http-equiv="Content-Security-Policy"') == 1
    assert "default-src 'none'; img-src data:; style-src 'unsafe-inline'" in page
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag in SAFE_TAGS, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert attrs.get("src", "data:image/").startswith("data:image/"), (tag, attrs)
        assert attrs.get("href", "#").startswith("#"), (tag, attrs)


# ---------------------------------------------------------------------------- fixture


def _submit(root: Path) -> None:
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    for student, changes in CLASS.items():
        answers = {**REFERENCE, **changes}
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell.source = answers[gid]
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    (root / "submitted" / "a-honest" / ASSIGNMENT / "timestamp.txt").write_text(TIMESTAMP)
    empty = root / "submitted" / "e-empty" / ASSIGNMENT
    empty.mkdir(parents=True)
    (empty / f"{ASSIGNMENT}.ipynb").write_text("")


def _new_course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "report-test"\nc.Execute.timeout = 3\n'
    )
    shutil.copytree(HERE / "source", root / "source")
    done = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from course.grading import grade

    root = _new_course(tmp_path_factory)
    _submit(root)
    result = grade(root, ASSIGNMENT, jobs=2, budget=8, progress=False)
    outcome = {r.student: r.status for r in result.results}
    assert outcome == {
        "a-honest": "graded",
        "b-visible": "graded",
        "c-hidden": "graded",
        "d-hang": "timeout",
        "e-empty": "invalid",
    }, result.results
    pages = feedback.generate(root, ASSIGNMENT)
    paths = report.build(root, ASSIGNMENT)
    return {"root": root, "pages": pages, "paths": paths}


def _page(graded, student: str) -> str:
    path = graded["root"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- feedback


@pytest.mark.slow
def test_every_student_with_an_outcome_gets_a_page_where_nbgrader_puts_them(graded):
    root = graded["root"]
    expected = {
        root / "feedback" / s / ASSIGNMENT / f"{ASSIGNMENT}.html"
        for s in GRADED + ["d-hang", "e-empty"]
    }
    assert set(graded["pages"]) == expected
    assert all(p.is_file() for p in expected)
    # nbgrader release_feedback reads the submission's timestamp next to the page
    assert (root / "feedback" / "a-honest" / ASSIGNMENT / "timestamp.txt").read_text() == TIMESTAMP


@pytest.mark.slow
@pytest.mark.parametrize("student", GRADED)
def test_feedback_shows_the_visible_tests_and_never_a_hidden_one(graded, student):
    autograded = graded["root"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert HIDDEN_ASSERT in autograded.read_text()  # the hidden tests were there to leak
    page = _page(graded, student)
    seen = _text(page)
    assert 'assert add(2, 3) == 5, "add(2, 3) is not right"' in seen
    assert "# (hidden tests)" in seen
    assert HIDDEN_ASSERT not in page and HIDDEN_ASSERT not in seen
    for line in _hidden_lines():
        assert line not in seen, line
    assert "HIDDEN TESTS" not in seen
    assert_offline_and_inert(page)


@pytest.mark.slow
def test_a_failing_hidden_test_is_named_as_such_without_its_code(graded):
    seen = _text(_page(graded, "c-hidden"))
    assert "Test q1_add_tests: 0 / 1 point" in seen
    assert feedback.HIDDEN_FAILED in seen
    assert "AssertionError" not in seen
    assert "Test q3_mean_tests: 2 / 2 points" in seen


@pytest.mark.slow
def test_a_failing_visible_test_shows_its_message(graded):
    seen = _text(_page(graded, "b-visible"))
    assert "Test q3_mean_tests: 0 / 2 points" in seen
    assert "AssertionError: mean([1, 2, 3]) is not right" in seen
    assert feedback.HIDDEN_FAILED not in seen


@pytest.mark.slow
def test_a_students_html_output_is_escaped_not_run(graded):
    page = _page(graded, "b-visible")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the student's source, as text
    # outputs of the grading run are not on the allow-list of what feedback shows
    assert '<div class="outputs">' not in page
    assert "<script" not in page.lower() and "<b>bold" not in page
    assert_offline_and_inert(page)


@pytest.mark.slow
def test_feedback_header_has_the_gradebook_scores(graded):
    from nbgrader.api import Gradebook

    root = graded["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in GRADED:
            sub = gb.find_submission(ASSIGNMENT, student)
            seen = _text(_page(graded, student))
            assert f"Score{sub.score:g} / {sub.max_score:g} points" in seen
            assert "waiting for manual grading" in seen  # the written answer


@pytest.mark.slow
def test_students_without_a_grade_get_the_reason(graded):
    hang = _text(_page(graded, "d-hang"))
    assert "No grade (timeout)" in hang
    assert re.search(r"Reason: .*(timeout|budget)", hang, re.I)  # a cell's or the notebook's
    empty = _text(_page(graded, "e-empty"))
    assert "No grade (invalid)" in empty and "empty file" in empty
    for student in ("d-hang", "e-empty"):
        assert str(graded["root"]) not in _page(graded, student)
        assert_offline_and_inert(_page(graded, student))


# ---------------------------------------------------------------------------- report


def _rows(graded) -> dict[str, dict]:
    with graded["paths"]["csv"].open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return {row["student"]: row for row in reader}


@pytest.mark.slow
def test_grades_csv_matches_the_gradebook(graded):
    from nbgrader.api import Gradebook

    root = graded["root"]
    assert graded["paths"]["csv"] == root / "reports" / ASSIGNMENT / "grades.csv"
    rows = _rows(graded)
    assert sorted(rows) == sorted(CLASS) + ["e-empty"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in GRADED:
            row, sub = rows[student], gb.find_submission(ASSIGNMENT, student)
            assert row["status"] == "graded"
            assert float(row["score"]) == sub.score
            assert float(row["max_score"]) == sub.max_score
            assert float(row["auto_score"]) == sub.code_score  # no manual grades yet
            assert row["manual_pending"] == "True"
            for cell in COLUMNS[7:11]:
                grade = gb.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
                assert float(row[cell]) == grade.score, (student, cell)
    assert [float(rows[s]["score"]) for s in GRADED] == [5.0, 3.0, 4.0]
    assert rows["d-hang"]["status"] == "timeout"
    assert re.search("timeout|budget", rows["d-hang"]["reason"], re.I)
    assert rows["e-empty"]["status"] == "invalid" and "empty file" in rows["e-empty"]["reason"]
    assert rows["d-hang"]["score"] == "" and rows["d-hang"]["q1_add_tests"] == ""
    assert int(rows["b-visible"]["n_flags"]) >= 1  # import subprocess


@pytest.mark.slow
def test_report_html_has_figures_and_tables(graded):
    page = graded["paths"]["html"].read_text(encoding="utf-8")
    assert_offline_and_inert(page)
    figures = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', page)
    assert len(figures) == 2 and all(len(alt) > 40 for alt in figures)
    assert "Histogram of the total scores of 3 graded students" in figures[0]
    assert "q1_add_tests 67 %" in figures[1]  # c-hidden fails it
    assert page.count("<figcaption>") == 2
    tables = re.findall(r"<table>.*?</table>", page, re.S)
    trouble = next(t for t in tables if "without a grade" in t)
    assert "d-hang" in trouble and "<td>timeout</td>" in trouble
    assert "e-empty" in trouble and "invalid" in trouble and "empty file" in trouble
    flagged = next(t for t in tables if "finding(s)" in t)
    assert "b-visible" in flagged and "subprocess" in flagged
    failed = next(t for t in tables if "lost points" in t)
    assert "q1_add_tests" in failed and "q3_mean_tests" in failed


@pytest.mark.slow
def test_cli_report_and_feedback_print_what_they_wrote(graded, tmp_path, capsys):
    root = str(graded["root"])
    assert cli.main(["report", ASSIGNMENT, "--course", root, "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out.split()
    assert out == [str(tmp_path / "grades.csv"), str(tmp_path / "report.html")]
    assert cli.main(["feedback", ASSIGNMENT, "--course", root, "--student", "c-*"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(f"feedback/c-hidden/{ASSIGNMENT}/{ASSIGNMENT}.html")
    assert lines[-1].startswith("wrote 1 feedback pages for 1 students")


# ---------------------------------------------------------------------------- no kernels


def test_no_grades_is_a_clear_error(tmp_path, capsys):
    shutil.copytree(HERE / "source", tmp_path / "source")
    with pytest.raises(ValueError, match=r"no grades for mini .*run `course grade mini"):
        report.build(tmp_path, ASSIGNMENT)
    assert cli.main(["report", ASSIGNMENT, "--course", str(tmp_path)]) == 2
    assert "run `course grade mini --course" in capsys.readouterr().err
    assert cli.main(["feedback", ASSIGNMENT, "--course", str(tmp_path)]) == 2
    assert "course feedback: no grades for mini" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()  # looking did not create a gradebook
    assert not (tmp_path / "reports").exists()


def test_report_warns_loudly_when_grading_was_not_sandboxed(tmp_path):
    ledger = tmp_path / ".course-grade" / f"{ASSIGNMENT}.jsonl"
    ledger.parent.mkdir()
    records = [
        {"student": "ann", "status": "crashed", "reason": "kernel died", "sandboxed": False},
        {"student": "bob", "status": "invalid", "reason": "mini.ipynb is not JSON"},
        {"student": "ann", "status": "timeout", "reason": "over the 5 s notebook budget"},
        '{"student": "cut',
    ]
    ledger.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records))
    paths = report.build(tmp_path, ASSIGNMENT, output=tmp_path / "out")
    page = paths["html"].read_text()
    assert 'class="banner" role="alert"' in page and "NOT sandboxed" in page
    assert "over the 5 s notebook budget" in page and "mini.ipynb is not JSON" in page
    assert "kernel died" not in page  # the latest line of a student wins
    assert "No graded submission yet" in page
    assert_offline_and_inert(page)
    rows = list(csv.reader(paths["csv"].open()))
    assert rows[0] == COLUMNS[:7] + ["n_flags"]
    assert [r[:2] for r in rows[1:]] == [["ann", "timeout"], ["bob", "invalid"]]


def test_strip_hidden_tests_keeps_indentation_and_hides_an_unterminated_block():
    text, hidden = feedback.strip_hidden_tests(
        "def check():\n    assert f(1)\n    ### BEGIN HIDDEN TESTS\n    assert f(2)\n"
        "### END HIDDEN TESTS\nassert g()\n### BEGIN HIDDEN TESTS\nsecret()"
    )
    assert (
        text == "def check():\n    assert f(1)\n    # (hidden tests)\nassert g()\n# (hidden tests)"
    )
    assert hidden == {3, 4, 5, 7, 8}


def _test_cell(source: str, outputs: list, points: int = 1):
    meta = {"grade": True, "solution": False, "grade_id": "t1", "points": points}
    return new_code_cell(source, metadata={"nbgrader": meta}, outputs=outputs, execution_count=2)


TEST_SOURCE = "assert f(1) == 1, 'f(1) is wrong'\n### BEGIN HIDDEN TESTS\nassert f(22) == 484\n### END HIDDEN TESTS"


@pytest.mark.parametrize(
    ("traceback", "expected"),
    [
        (["Cell In[2], line 1", "AssertionError: f(1) is wrong"], "AssertionError: f(1) is wrong"),
        (["Cell In[2], line 3", "    assert f(22) == 484"], feedback.HIDDEN_FAILED),
        (["something unexpected"], feedback.HIDDEN_FAILED),  # unknown line: assume hidden
    ],
)
def test_test_cell_verdicts(traceback, expected):
    error = new_output("error", ename="AssertionError", evalue="f(1) is wrong", traceback=traceback)
    if expected == feedback.HIDDEN_FAILED:
        error["evalue"] = "f(22) == 484 failed"
    nb = new_notebook(cells=[_test_cell(TEST_SOURCE, [error])])
    page = feedback.render_notebook(nb, student="s", assignment="a", notebook="a")
    seen = _text(page)
    assert expected in seen
    assert "f(22)" not in seen and "484" not in seen


def test_stderr_in_a_test_cell_fails_it_without_showing_the_text():
    warn = new_output("stream", name="stderr", text="UserWarning: assert f(22) == 484")
    nb = new_notebook(cells=[_test_cell(TEST_SOURCE, [warn])])
    seen = _text(feedback.render_notebook(nb, student="s", assignment="a", notebook="a"))
    assert "wrote to stderr" in seen and "484" not in seen


def test_outputs_of_the_grading_run_are_never_shown():
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    outputs = [
        new_output("display_data", data={"text/html": "<img src=x onerror=alert(1)>"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload=alert(1)></svg>"}),
        new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}),
        new_output("stream", name="stdout", text="history: assert f(22) == 484\n"),
        new_output("display_data", data={"application/javascript": "alert(1)"}),
    ]
    student = new_code_cell("print(In[-1])", outputs=outputs, execution_count=3)
    student.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a1"}
    markdown = new_markdown_cell(
        "<iframe src='https://evil.example'></iframe>\n\n![x](https://evil.example/p.png) "
        "[docs](https://docs.example) $\\frac{a}{b}$"
    )
    nb = new_notebook(cells=[markdown, student, _test_cell(TEST_SOURCE, [])])
    page = feedback.render_notebook(nb, student="s", assignment="a", notebook="a")
    assert_offline_and_inert(page)
    # a student cell's outputs came from the grading run (where its code could print
    # whatever it saw): none is on the allow-list, whatever its kind
    assert png not in page and "onerror" not in page and "onload" not in page
    seen = _text(page)
    assert "history:" not in seen and "484" not in seen
    assert "docs (https://docs.example)" in seen and "$\\frac{a}{b}$" in seen
    assert "<iframe" not in page


# ------------------------------------------------------------------ templates


def test_pages_come_from_autoescaped_strict_templates_shipped_with_the_package():
    from importlib.resources import files

    import jinja2

    from course.grading import pages

    env = pages.environment()
    shipped = sorted(p.name for p in (files("course.grading") / "templates").iterdir())
    assert {"page.html.j2", "feedback.html.j2", "no_grade.html.j2", "report.html.j2"} <= set(
        shipped
    )
    for name in shipped:
        assert env.autoescape(name), f"{name} is not autoescaped"
    with pytest.raises(jinja2.UndefinedError):
        pages.render("no_grade.html.j2", title="t")  # a forgotten value is an error
    # a name or reason with markup is shown as text, on the no-grade page too
    record = report.StudentRecord("<b>ada</b>", "invalid", "<script>alert(1)</script>")
    page = feedback._no_grade_page(record, "ps<01>", "nb", lambda text: text)
    assert "<script>" not in page and "<b>ada" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "ps&lt;01&gt;" in page
    assert_offline_and_inert(page)


def test_report_html_escapes_every_value(tmp_path):
    results = report.Results(
        root=tmp_path,
        assignment="ps<1>",
        notebooks=[],
        cells=[],
        students=[report.StudentRecord("<i>eve</i>", "timeout", "<img src=x onerror=alert(1)>")],
        notes=["<a href='https://evil.example'>x</a>"],
    )
    page = report.render_html(results, [])
    assert "<i>eve" not in page and "<img src=x" not in page and "<a href" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert_offline_and_inert(page)

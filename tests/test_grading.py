"""course.grading: `course grade` on a class of honest, broken and hostile submissions.

The grader's own small assignment (tests/grading/source/mini: three autograded questions
worth 5 points, one written answer worth 2) is generated in a throw-away course root;
then one class is submitted and graded once with two workers, and each student's score or
reason is checked. When bubblewrap works here, a probe student also tries to read the
instructor's files and write outside its folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from _support import run_nbgrader

from course import cli
from course.grading import NOT_SANDBOXED, GradingReport, bwrap_available, format_summary, grade
from course.grading.submissions import check_submission, content_hash

HERE = Path(__file__).resolve().parent / "grading"
ASSIGNMENT = "mini"
HAS_BWRAP = bwrap_available()
AUTO_MAX = 5.0

PROBE = """\
import json, os, pathlib
def can_read(path):
    try:
        p = pathlib.Path(path)
        return p.is_dir() and any(p.iterdir()) or p.read_bytes() != b""
    except OSError:
        return False
def can_write(path):
    try:
        pathlib.Path(path).write_text("pwned")
        return True
    except OSError:
        return False
seen = {
    "source": can_read("../../../source/mini/mini.ipynb"),
    "gradebook": can_read("../../../gradebook.db"),
    "other_student": can_read("../../../submitted/a-honest/mini/mini.ipynb"),
    "grader_home": can_read(os.path.expanduser("~root/.bashrc")),
}
# writes may land in the sandbox's private, throw-away copies: the test looks on the host
for target in ["../../../pwned.txt", "../../../submitted/a-honest/mini/mini.ipynb",
               "../../../source/mini/pwned.txt", os.path.expanduser("~root/pwned.txt")]:
    can_write(target)
print("PROBE" + json.dumps(seen))
def add(a, b):
    return a + b
"""

# answers replaced in the source notebook: (student, {grade_id: source}, expected status, score)
CASES = {
    "a-honest": ({}, "graded", AUTO_MAX),
    "b-wrong": (
        {"q1_add": "def add(a, b):\n    return a - b", "q3_mean": "def mean(xs):\n    return 0"},
        "graded",
        2.0,
    ),
    "loop": ({"q2_squares": "while True:\n    pass"}, "graded", 3.0),
    "crash": ({"q2_squares": "import os\nos._exit(1)"}, "crashed", None),
    "hang": (
        {
            "q2_squares": "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
            "    except KeyboardInterrupt:\n        pass"
        },
        "timeout",
        None,
    ),
    "z-honest": ({}, "graded", AUTO_MAX),
}
INVALID = {
    "empty": "empty file",
    "not-json": "not JSON",
    "wrong-name": "wrong notebook name",
    "link-file": "symlink",
    "link-folder": "symlink",
    "huge": "too large",
    "no-metadata": "no nbgrader metadata",
}


def _nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_nbgrader(root, *args, timeout=300)


def _with_answers(nb, answers: dict[str, str]):
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def _folder(root: Path, student: str) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    return folder


def _submit_class(root: Path) -> None:
    source = nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    name = f"{ASSIGNMENT}.ipynb"
    for student, (answers, _, _) in CASES.items():
        nbformat.write(_with_answers(source, answers), _folder(root, student) / name)
    (_folder(root, "empty") / name).write_text("")
    (_folder(root, "not-json") / name).write_text("print('hello')\n")
    nbformat.write(source, _folder(root, "wrong-name") / f"{ASSIGNMENT} (1).ipynb")
    (_folder(root, "link-file") / name).symlink_to(root / "submitted" / "a-honest" / "mini" / name)
    (root / "submitted" / "link-folder").symlink_to(root / "submitted" / "a-honest")
    huge = nbformat.from_dict(source)
    huge.cells[2].outputs = []
    huge.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 21_000_000)]
    nbformat.write(huge, _folder(root, "huge") / name)
    bare = nbformat.from_dict(release)
    for cell in bare.cells:
        cell.metadata.pop("nbgrader", None)
    nbformat.write(bare, _folder(root, "no-metadata") / name)
    if HAS_BWRAP:
        nbformat.write(_with_answers(source, {"q1_add": PROBE}), _folder(root, "probe") / name)


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "grading-test"\nc.Execute.timeout = 3\n'
    )
    shutil.copytree(HERE / "source", root / "source")
    done = _nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="module")
def graded(course_root):
    _submit_class(course_root)
    before = {p: p.read_bytes() for p in (course_root / "source").rglob("*") if p.is_file()} | {
        course_root / "nbgrader_config.py": (course_root / "nbgrader_config.py").read_bytes()
    }
    report = grade(course_root, ASSIGNMENT, jobs=2, budget=15, progress=False)
    return {"root": course_root, "report": report, "results": report.by_student(), "before": before}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(CASES))
def test_each_executed_submission_gets_its_expected_outcome(graded, student):
    _, status, score = CASES[student]
    result = graded["results"][student]
    assert result.status == status, result
    if score is not None:
        assert result.score == score, result
        assert result.max_score == AUTO_MAX + 2  # the written answer waits for a human


@pytest.mark.slow
def test_reasons_name_what_went_wrong(graded):
    results = graded["results"]
    assert "kernel died" in results["crash"].reason.lower()
    assert "timeout" in results["hang"].reason.lower()
    assert results["a-honest"].reason == "needs manual grading"


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(INVALID))
def test_broken_submissions_are_refused_with_a_reason(graded, student):
    result = graded["results"][student]
    assert result.status == "invalid"
    assert INVALID[student] in result.reason
    assert result.score is None


@pytest.mark.slow
def test_honest_students_keep_their_scores_and_course_files_are_untouched(graded):
    from nbgrader.api import Gradebook

    root = graded["root"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, "a-honest").code_score == AUTO_MAX
        assert gb.find_submission(ASSIGNMENT, "z-honest").code_score == AUTO_MAX
        assert gb.find_submission(ASSIGNMENT, "b-wrong").code_score == 2.0
    for path, data in graded["before"].items():
        assert path.read_bytes() == data, f"{path} changed"
    assert not (root / "pwned.txt").exists()


@pytest.mark.slow
def test_nbgrader_export_reads_the_grades(graded):
    done = _nbgrader(graded["root"], "export")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = (graded["root"] / "grades.csv").read_text().splitlines()
    honest = [r for r in rows if ",a-honest," in r]
    assert honest and ",5.0," in honest[0], rows


@pytest.mark.slow
def test_rerun_skips_unchanged_submissions(graded, capsys):
    root = graded["root"]
    ledger = (root / ".course-grade" / f"{ASSIGNMENT}.jsonl").read_text()
    code = cli.main(["grade", ASSIGNMENT, "--course", str(root), "--jobs", "2", "--budget", "15"])
    out = capsys.readouterr().out
    assert code == 1  # the broken submissions are still broken
    assert out.splitlines()[0].split() == ["student", "score", "max", "status", "flags", "reason"]
    again = {line.split()[0]: line for line in out.splitlines()[1:]}
    for student, (_, status, score) in CASES.items():
        if status == "graded":
            assert " skipped " in again[student] and f" {score:g} " in again[student]
        else:
            assert "unchanged since" in again[student]
    assert (root / ".course-grade" / f"{ASSIGNMENT}.jsonl").read_text() == ledger


@pytest.mark.slow
def test_a_notebook_over_its_time_budget_is_stopped(graded):
    root = graded["root"]
    source = nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    nap = "import time\ntime.sleep(2.5)\n"
    sleepy = {gid: nap for gid in ("q1_add", "q2_squares", "q3_mean")}
    folder = _folder(root, "sleepy")
    nbformat.write(_with_answers(source, sleepy), folder / f"{ASSIGNMENT}.ipynb")
    report = grade(root, ASSIGNMENT, student="sleepy", budget=4, progress=False)
    (result,) = report.results
    assert (result.status, result.score) == ("timeout", None), result
    assert "4 s notebook budget" in result.reason


@pytest.mark.slow
def test_force_regrades_the_chosen_students(graded):
    report = grade(graded["root"], ASSIGNMENT, student="z-*", force=True, progress=False)
    assert [(r.student, r.status, r.score) for r in report.results] == [
        ("z-honest", "graded", AUTO_MAX)
    ]


@pytest.mark.slow
@pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap (bwrap) is not installed or not usable here")
def test_sandbox_hides_the_course_and_blocks_writes(graded):
    root = graded["root"]
    assert graded["report"].sandboxed
    assert graded["results"]["probe"].status == "graded"
    assert graded["results"]["probe"].score == AUTO_MAX
    nb = nbformat.read(root / "autograded" / "probe" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    seen = json.loads(text.split("PROBE", 1)[1].splitlines()[0])
    assert seen == {key: False for key in seen}, seen
    assert not (root / "pwned.txt").exists()
    assert not (root / "source" / ASSIGNMENT / "pwned.txt").exists()
    assert not Path(os.path.expanduser("~root/pwned.txt")).exists()
    honest = root / "submitted" / "a-honest" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert b"pwned" not in honest.read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap (bwrap) is not installed or not usable here")
def test_a_kernel_started_ahead_is_sandboxed_too(graded):
    """The probe graded second in one worker runs in a kernel started during the first."""
    root = graded["root"]
    report = grade(root, ASSIGNMENT, student="[bp]*", jobs=1, force=True, progress=False)
    assert [(r.student, r.status) for r in report.results] == [
        ("b-wrong", "graded"),
        ("probe", "graded"),
    ]
    nb = nbformat.read(root / "autograded" / "probe" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    seen = json.loads(text.split("PROBE", 1)[1].splitlines()[0])
    assert seen == {key: False for key in seen}, seen
    honest = root / "submitted" / "a-honest" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert b"pwned" not in honest.read_bytes()
    assert not (root / "pwned.txt").exists()


def test_summary_warns_loudly_when_not_sandboxed():
    report = GradingReport(assignment="x", sandboxed=False)
    assert NOT_SANDBOXED in format_summary(report)
    assert "NOT sandboxed" in NOT_SANDBOXED


def test_check_submission_accepts_a_valid_notebook_and_hashes_content(tmp_path):
    nb = nbformat.read(HERE / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    nbformat.write(nb, tmp_path / "mini.ipynb")
    assert check_submission(tmp_path, ["mini.ipynb"]) is None
    first = content_hash(tmp_path)
    (tmp_path / "data.csv").write_text("a\n")
    assert content_hash(tmp_path) != first
    assert "wrong notebook name" in check_submission(tmp_path, ["other.ipynb"])
    assert "too large" in check_submission(tmp_path, ["mini.ipynb"], max_bytes=100)
    (tmp_path / "mini.ipynb").unlink()
    assert check_submission(tmp_path, ["mini.ipynb"]) == "missing notebook mini.ipynb"


def test_unknown_assignment_is_refused(tmp_path, capsys):
    assert cli.main(["grade", "nope", "--course", str(tmp_path)]) == 2
    assert "no source notebooks" in capsys.readouterr().err


@pytest.mark.slow
def test_nbgrader_generate_feedback_works_on_the_grades(graded):
    done = _nbgrader(graded["root"], "generate_feedback", ASSIGNMENT, "--student", "a-honest")
    assert done.returncode == 0, done.stderr[-2000:]
    assert (graded["root"] / "feedback" / "a-honest" / ASSIGNMENT / f"{ASSIGNMENT}.html").exists()


@pytest.mark.slow
def test_formgrader_serves_the_grades(graded, tmp_path):
    """A Jupyter server in the course root answers formgrader's submissions API with them."""
    import secrets
    import socket
    import time
    import urllib.request

    from _support import venv_env

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = secrets.token_hex(16)
    env = {**venv_env(), "HOME": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "server",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--no-browser",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=graded["root"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        url = f"http://127.0.0.1:{port}/formgrader/api/submissions/{ASSIGNMENT}"
        request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    rows = json.loads(response.read())
                break
            except OSError:
                assert proc.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    scores = {row["student"]: row["score"] for row in rows if row.get("autograded")}
    assert scores["a-honest"] == AUTO_MAX and scores["b-wrong"] == 2.0, rows


@pytest.mark.slow
def test_a_worker_killed_midway_loses_no_student(graded):
    """Kill the grading worker after its first student: the rest are retried and graded."""
    import threading
    import time

    import psutil

    root = graded["root"]
    ledger = root / ".course-grade" / f"{ASSIGNMENT}.jsonl"
    lines_before = len(ledger.read_text().splitlines())
    outcome = {}

    def run():
        outcome["report"] = grade(
            root, ASSIGNMENT, student="[abz]-*", jobs=1, force=True, progress=False
        )

    thread = threading.Thread(target=run)
    thread.start()
    killed = False
    deadline = time.monotonic() + 120
    while thread.is_alive() and not killed and time.monotonic() < deadline:
        if len(ledger.read_text().splitlines()) > lines_before:
            for proc in psutil.Process().children(recursive=True):
                try:
                    if "course.grading.worker" in " ".join(proc.cmdline()):
                        proc.kill()
                        killed = True
                except psutil.NoSuchProcess:
                    continue
        time.sleep(0.05)
    thread.join(timeout=180)
    assert killed, "the worker finished before the test could kill it"
    results = {r.student: (r.status, r.score) for r in outcome["report"].results}
    assert results == {
        "a-honest": ("graded", AUTO_MAX + 0),
        "b-wrong": ("graded", 2.0),
        "z-honest": ("graded", AUTO_MAX + 0),
    }

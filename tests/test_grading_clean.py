"""Everything grading writes goes to git-ignored paths (issue 12).

In a scratch clone of the repository, the instructor releases a real problem set, a student
fetches it at the repository root (where ``make lab`` opens JupyterLab), answers nothing and
submits it, the instructor collects, grades (``course grade``), reports, writes feedback
(``course feedback`` and ``nbgrader generate_feedback``) and exports: ``git status
--porcelain`` must stay empty. A blank submission is enough: what it scores is checked
elsewhere; here only where the files land matters.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _support import venv_env

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(args, cwd, env, timeout=600):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return done


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_release_fetch_submit_collect_grade_report_feedback_leave_the_clone_clean(tmp_path):
    clone = tmp_path / "clone"
    done = subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], capture_output=True)
    assert done.returncode == 0, done.stderr
    assignments = sorted(p.name for p in (clone / "assignments" / "source").iterdir() if p.is_dir())
    assert assignments, "no problem set in assignments/source"
    ps = assignments[0]
    home = tmp_path / "home"
    home.mkdir()
    env = {**venv_env(), "HOME": str(home), "PATH": "/usr/bin:/bin"}  # no venv on PATH
    nbgrader = [str(BIN / "python"), "-m", "nbgrader"]
    (clone / "assignments" / "exchange").mkdir(exist_ok=True)
    steps = [
        (nbgrader + ["generate_assignment", ps, "--force"], clone / "assignments"),
        (nbgrader + ["release_assignment", ps, "--force"], clone / "assignments"),
        (nbgrader + ["fetch_assignment", ps], clone),
        (nbgrader + ["submit", ps], clone),
        (nbgrader + ["collect", ps], clone / "assignments"),
        ([str(BIN / "course"), "grade", ps, "--course", "assignments", "--jobs", "1"], clone),
        ([str(BIN / "course"), "report", ps, "--course", "assignments"], clone),
        ([str(BIN / "course"), "feedback", ps, "--course", "assignments"], clone),
        (nbgrader + ["generate_feedback", ps, "--force"], clone / "assignments"),
        (nbgrader + ["export"], clone / "assignments"),
    ]
    for args, cwd in steps:
        done = _run(args, cwd, env)
        # course grade exits 1 when a submission is not fully graded: only crashes matter here
        assert done.returncode in (0, 1), (args, done.stdout[-2000:], done.stderr[-3000:])
        assert "Traceback" not in done.stderr or args[1:2] == ["-m"], (args, done.stderr[-3000:])
    assert (clone / ps).is_dir()  # the student's fetched copy, at the repository root
    assert list((clone / "assignments" / "submitted").iterdir())
    assert list((clone / "assignments" / "feedback").rglob("*.html"))
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=clone,
        capture_output=True,
        text=True,
    ).stdout
    assert status == "", f"grading left files git would commit:\n{status}"

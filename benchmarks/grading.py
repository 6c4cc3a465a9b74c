"""Benchmark: plain ``nbgrader autograde``, ``course grade --jobs N`` and bare nbclient.

Builds a throw-away course root with the grader's own small assignment
(tests/grading/source/mini), submits 40 copies (half correct, half with wrong answers),
and in one run times

- plain ``nbgrader autograde`` (one process, one submission after another);
- ``course grade --jobs N`` (sandboxed, verdicts outside the kernel; a fresh gradebook);
- bare nbclient: the same 40 notebooks executed (no grading, no sandbox) by N processes,
  each running its share one after another: the floor any grader pays for the kernels.

It prints the three wall-clock times, the speed-up over nbgrader (target: at least 1.8x
on 2 cores) and the cost over bare nbclient (target: within 15 %)::

    .venv/bin/python benchmarks/grading.py [--students 40] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "tests" / "grading" / "source"
ASSIGNMENT = "mini"
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def _run(root: Path, *args: str) -> float:
    began = time.perf_counter()
    done = subprocess.run(args, cwd=root, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def _course(base: Path, name: str, students: int) -> Path:
    root = base / name
    (root / "source").mkdir(parents=True)
    shutil.copytree(SOURCE / ASSIGNMENT, root / "source" / ASSIGNMENT)
    (root / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "bench"\n'
    )
    _run(root, sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force")
    nb = nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    wrong = nbformat.from_dict(nb)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_add":
            cell.source = "def add(a, b):\n    return a - b"
    for i in range(students):
        folder = root / "submitted" / f"s{i:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb if i % 2 else wrong, folder / f"{ASSIGNMENT}.ipynb")
    return root


BARE = """
import sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}},
                   ).execute()
"""


def _bare(root: Path, jobs: int) -> float:
    """N processes executing the submitted notebooks with nbclient, no grading at all."""
    notebooks = sorted(str(p) for p in (root / "submitted").glob(f"*/{ASSIGNMENT}/*.ipynb"))
    began = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", BARE, *notebooks[i::jobs]],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(jobs)
    ]
    codes = [p.wait() for p in procs]
    seconds = time.perf_counter() - began
    if any(codes):
        sys.exit(f"bare nbclient failed: exit codes {codes}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        base = Path(tmp)
        plain_root = _course(base, "plain", args.students)
        ours_root = _course(base, "ours", args.students)
        bare_root = _course(base, "bare", args.students)
        plain = _run(plain_root, sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT)
        ours = _run(
            ours_root,
            sys.executable,
            "-m",
            "course.cli",
            "grade",
            ASSIGNMENT,
            "--course",
            str(ours_root),
            "--jobs",
            str(args.jobs),
        )
        bare = _bare(bare_root, args.jobs)
        from course.grading import bwrap_available

        print(f"submissions:                     {args.students}")
        print(f"kernels sandboxed (bwrap):       {bwrap_available()}")
        print(f"nbgrader autograde (serial):     {plain:6.1f} s")
        print(f"course grade --jobs {args.jobs}:          {ours:6.1f} s")
        print(f"bare nbclient, {args.jobs} processes:     {bare:6.1f} s")
        print(f"speed-up (plain / course grade): {plain / ours:6.2f}x   (target >= 1.8x)")
        print(
            f"cost over bare nbclient:         {100 * (ours / bare - 1):+5.0f} %   "
            "(target <= +15 %)"
        )


if __name__ == "__main__":
    main()

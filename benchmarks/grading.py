"""Benchmark: plain nbgrader, ``course grade --jobs N``, ``--cluster local`` and bare nbclient.

For each workload it builds throw-away course roots, submits the same submissions to each,
and in one run times

- plain ``nbgrader autograde``: stock preprocessors, one submission after another;
- ``course grade --jobs N``: the verified, sandboxed pipeline on N worker processes;
- ``course grade --cluster local --jobs N``: the same tasks on a Dask ``LocalCluster`` of
  N single-threaded worker processes, shared-nothing (bytes in, results out) with one
  writer to the gradebook;
- bare nbclient: the same notebooks executed by N processes with no grading and no
  sandbox, the floor any grader pays for running the kernels.

Workloads (``--workload``, default both):

- ``mini``: the grader's own small assignment (tests/grading/source/mini), half the
  submissions right and half with a wrong answer;
- ``ps04-patchwork``: one of the course's problem sets, whose answers are DataFrames,
  dicts and sets checked outside the kernel; half the submissions are the reference
  answers and half the known-wrong cases of tests/submissions/ps04-patchwork.py.

For every mode it prints the wall time, the CPU seconds of the processes it started and
everything they waited for (kernels and workers included), and the ratios against the
targets on 2 cores: both ``course grade`` modes at least 1.8x faster than plain nbgrader,
within 15 % of bare nbclient, and the cluster within 10 % of ``--jobs N``. Last, a model of
the wall time for a large class from the measured cost per notebook::

    .venv/bin/python benchmarks/grading.py [--students 40] [--jobs 2] [--workload mini]

Run it on a quiet machine: other work on the same cores changes every figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
WORKLOADS = ("mini", "ps04-patchwork")
PLAIN_CONFIG = """c = get_config()
c.CourseDirectory.course_id = "bench"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 60
"""


@dataclass
class Timing:
    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(root: Path, *args: str) -> Timing:
    cpu, began = _children_cpu(), time.perf_counter()
    done = subprocess.run(args, cwd=root, env=ENV, capture_output=True, text=True)
    timing = Timing(time.perf_counter() - began, _children_cpu() - cpu)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return timing


def _mini_submissions(source: nbformat.NotebookNode, students: int) -> list:
    wrong = nbformat.from_dict(source)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_add":
            cell.source = "def add(a, b):\n    return a - b"
    return [source if i % 2 else wrong for i in range(students)]


def _with_answers(source: nbformat.NotebookNode, answers: dict[str, str]):
    nb = nbformat.from_dict(source)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def _course_submissions(assignment: str, source: nbformat.NotebookNode, students: int):
    cases = runpy.run_path(str(REPO / "tests" / "submissions" / f"{assignment}.py"))["CASES"]
    wrong = [_with_answers(source, answers) for _, answers, _ in cases]
    return [source if i % 2 else wrong[(i // 2) % len(wrong)] for i in range(students)]


def _course(base: Path, workload: str, mode: str, students: int) -> Path:
    """A course root for one mode: the source, its release, and ``students`` submissions."""
    root = base / workload / mode
    root.mkdir(parents=True)
    if workload == "mini":
        source_dir = REPO / "tests" / "grading" / "source" / "mini"
        config = 'c = get_config()\nc.CourseDirectory.course_id = "bench"\n'
    else:
        source_dir = REPO / "assignments" / "source" / workload
        config = (REPO / "assignments" / "nbgrader_config.py").read_text()
        config = config.replace("Path(__file__).resolve().parent", f"Path({str(root)!r})")
    if mode == "plain":  # stock nbgrader: none of the course's preprocessors or sandbox
        config = PLAIN_CONFIG.format(root=str(root))
    shutil.copytree(source_dir, root / "source" / workload)
    (root / "nbgrader_config.py").write_text(config)
    _run(root, sys.executable, "-m", "nbgrader", "generate_assignment", workload, "--force")
    source = nbformat.read(root / "source" / workload / f"{workload}.ipynb", 4)
    if workload == "mini":
        notebooks = _mini_submissions(source, students)
    else:
        notebooks = _course_submissions(workload, source, students)
    for i, nb in enumerate(notebooks):
        folder = root / "submitted" / f"s{i:03d}" / workload
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{workload}.ipynb")
    return root


BARE = """
import sys, nbformat, pathlib
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(pathlib.Path(path).parent)}},
                   ).execute()
"""


def _bare(root: Path, workload: str, jobs: int) -> Timing:
    """N processes executing the submitted notebooks with nbclient, no grading at all."""
    notebooks = sorted(str(p) for p in (root / "submitted").glob(f"*/{workload}/*.ipynb"))
    cpu, began = _children_cpu(), time.perf_counter()
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
    timing = Timing(time.perf_counter() - began, _children_cpu() - cpu)
    if any(codes):
        sys.exit(f"bare nbclient failed: exit codes {codes}")
    return timing


def _scores(root: Path, workload: str) -> list[float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        subs = gb.assignment_submissions(workload)
        return sorted(float(s.code_score) for s in subs)


def _course_grade(root: Path, workload: str, jobs: int, *extra: str) -> Timing:
    return _run(
        root,
        sys.executable,
        "-m",
        "course.cli",
        "grade",
        workload,
        "--course",
        str(root),
        "--jobs",
        str(jobs),
        *extra,
    )


def bench(base: Path, workload: str, students: int, jobs: int) -> dict[str, Timing]:
    roots = {
        mode: _course(base, workload, mode, students)
        for mode in ("plain", "jobs", "cluster", "bare")
    }
    timings = {
        "plain": _run(roots["plain"], sys.executable, "-m", "nbgrader", "autograde", workload),
        "jobs": _course_grade(roots["jobs"], workload, jobs),
        "cluster": _course_grade(roots["cluster"], workload, jobs, "--cluster", "local"),
        "bare": _bare(roots["bare"], workload, jobs),
    }
    plain, ours, cluster = (_scores(roots[m], workload) for m in ("plain", "jobs", "cluster"))
    if not (len(plain) == len(ours) == len(cluster) == students):
        sys.exit(f"{workload}: graded {len(plain)}, {len(ours)}, {len(cluster)} of {students}")
    if ours != cluster:
        sys.exit(f"{workload}: --cluster local scored {cluster}, --jobs scored {ours}")
    return timings


def _target(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def report(workload: str, students: int, jobs: int, t: dict[str, Timing]) -> float:
    """Print one workload's figures; return its worker-seconds per notebook (cluster)."""
    label = {
        "plain": "nbgrader autograde (serial)",
        "jobs": f"course grade --jobs {jobs}",
        "cluster": f"course grade --cluster local ({jobs} workers)",
        "bare": f"bare nbclient, {jobs} processes",
    }
    print(f"\n== {workload}: {students} submissions on {os.cpu_count()} cores ==")
    print(f"{'mode':<42}{'wall s':>8}{'CPU s':>8}{'CPU s/nb':>10}")
    for mode, name in label.items():
        print(f"{name:<42}{t[mode].wall:8.1f}{t[mode].cpu:8.1f}{t[mode].cpu / students:10.2f}")
    plain, bare = t["plain"].wall, t["bare"].wall
    for mode in ("jobs", "cluster"):
        speed, over = plain / t[mode].wall, 100 * (t[mode].wall / bare - 1)
        print(
            f"{label[mode]}: {speed:.2f}x plain nbgrader ({_target(speed >= 1.8)} >= 1.8x), "
            f"{over:+.0f} % over bare nbclient ({_target(over <= 15)} <= +15 %)"
        )
    gap = 100 * (t["cluster"].wall / t["jobs"].wall - 1)
    print(f"cluster against --jobs {jobs}: {gap:+.0f} % ({_target(gap <= 10)} <= +10 %)")
    return t["cluster"].wall * jobs / students


def model(per_notebook: dict[str, float], students: int = 5000, notebooks: int = 3) -> None:
    """Wall time for a class on N single-threaded workers, from the measured cost."""
    print(
        f"\n== model: {students:,} students x {notebooks} notebooks on N workers (one core "
        "each) ==\nworker-seconds per notebook measured on --cluster local (wall x workers /"
        " notebooks,\noverheads included); wall = students x notebooks x that / N"
    )
    sizes = (2, 16, 64, 256)
    print(f"{'workload':<18}{'s/notebook':>11}" + "".join(f"{f'N={n}':>11}" for n in sizes))
    for workload, cost in per_notebook.items():
        walls = [students * notebooks * cost / n for n in sizes]
        cells = "".join(f"{_duration(w):>11}" for w in walls)
        print(f"{workload:<18}{cost:11.2f}{cells}")


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workload", choices=WORKLOADS, action="append")
    args = parser.parse_args()
    from course.grading import bwrap_available

    print(f"kernels sandboxed (bwrap): {bwrap_available()}")
    per_notebook = {}
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        for workload in args.workload or WORKLOADS:
            timings = bench(Path(tmp), workload, args.students, args.jobs)
            per_notebook[workload] = report(workload, args.students, args.jobs, timings)
    model(per_notebook)


if __name__ == "__main__":
    main()

"""One grading worker: nbgrader's autograde for a batch of students in one process.

Started by :func:`course.grading.runner.grade` as ``python -m course.grading.worker``
with a JSON job on stdin and a pipe on file descriptor ``--events``. For each student it
writes ``{"event": "start", "student": ...}`` then ``{"event": "done", ...}`` lines to
that pipe. The pipe is not inherited by kernels (their stdout and stderr go to this
worker's log file), so a submission cannot forge an event.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
from pathlib import Path

__all__ = ["main"]


def _config(job: dict):
    from course.grading.config import load_course_config
    from course.grading.pipeline import configure

    root = Path(job["root"])
    config = load_course_config(root, db_url=job["db_url"], cell_timeout=job["cell_timeout"]).config
    # the same lists as every other nbgrader door (the course's nbgrader_config.py
    # calls configure too), with this run's sandbox and limits
    configure(config, root, sandbox=job["sandbox"])
    config.SandboxedKernelManager.memory_limit = job["memory_limit"]
    config.SandboxedKernelManager.cpu_limit = job["cpu_limit"]
    return config


def _reason(result: dict) -> str:
    """The first specific ``[ERROR]`` line of nbgrader's log (its last ones are generic)."""
    if result.get("success"):
        return ""
    generic = ("There was an error processing", "Traceback", "Please see the")
    for line in str(result.get("log") or "").splitlines():
        line = line.strip()
        if line.startswith("[ERROR]") and not any(g in line for g in generic):
            return line.removeprefix("[ERROR]").strip()[:200]
    error = [line for line in str(result.get("error") or "").splitlines() if line.strip()]
    return error[-1].strip()[:200] if error else "nbgrader failed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.grading.worker")
    parser.add_argument("--events", type=int, required=True, help="fd to write events to")
    args = parser.parse_args(argv)
    events = os.fdopen(args.events, "w", buffering=1)
    os.set_inheritable(events.fileno(), False)
    job = json.load(sys.stdin)

    def emit(**event) -> None:
        events.write(json.dumps(event) + "\n")
        events.flush()

    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from course.grading.verified import POOL, TIMEOUTS

    config = _config(job)
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    assignment = job["assignment"]
    POOL.plan = [
        {
            "cwd": coursedir.format_path(coursedir.autograded_directory, student, assignment),
            "submission": coursedir.format_path(coursedir.submitted_directory, student, assignment),
            "source": coursedir.format_path(coursedir.source_directory, ".", assignment),
        }
        for student in job["students"]
    ]
    emit(event="ready")
    for student in job["students"]:
        emit(event="start", student=student)
        began = time.monotonic()
        TIMEOUTS.clear()
        try:
            # nbgrader globs the student id: a student called "*" must match only itself
            result = api.autograde(job["assignment"], glob.escape(student), force=True, create=True)
        except Exception as exc:  # capture_log already catches most; be sure
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
        emit(
            event="done",
            reason=_reason(result),
            student=student,
            success=bool(result.get("success")),
            error=str(result.get("error") or "")[-2000:],
            log=str(result.get("log") or "")[-4000:],
            seconds=round(time.monotonic() - began, 2),
            timeout=max(TIMEOUTS) if TIMEOUTS else None,
        )
    POOL.close()
    emit(event="finished")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

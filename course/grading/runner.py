"""``course grade``: every submission of an assignment, in parallel, into the gradebook.

:func:`grade` checks each ``ROOT/submitted/<student>/<assignment>/`` (a broken one gets a
reason, see :mod:`course.grading.submissions`), skips the ones whose content was already
graded, splits the rest into one batch per worker process, and lets each worker run
nbgrader's own autograde on its batch (:mod:`course.grading.worker`) with every kernel in
the sandbox of :mod:`course.grading.sandbox`. Grades land in the course's ordinary
gradebook, so formgrader and ``nbgrader export`` read them as usual.

A submission that hangs past the whole-notebook ``budget`` has its worker killed and is
marked ``timeout``; when a worker dies for another reason, the rest of its batch is
retried one student per worker, so the one that fails is named and nobody else is lost.
Each finished student is appended at once to ``ROOT/.course-grade/<assignment>.jsonl``
(with the content hash of the submission): an interrupted run loses no finished grade
and a re-run skips what is unchanged (``force=True`` regrades).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course.grading.config import find_tools, load_course_config
from course.grading.results import (
    FINAL,
    Ledger,
    Result,
    Status,
    ledger_path,
    printable,
    timeout_reason,
)
from course.grading.sandbox import bwrap_available
from course.grading.submissions import (
    MAX_BYTES,
    check_student_id,
    check_submission,
    content_hash,
    find_students,
)

__all__ = ["GradingReport", "Result", "grade", "format_summary", "NOT_SANDBOXED"]

NOT_SANDBOXED = (
    "WARNING: grading was NOT sandboxed (bubblewrap `bwrap` is missing or unusable): "
    "student code ran with your rights and could read solutions or change grades. "
    "Install it with `apt-get install -y bubblewrap`."
)


@dataclass
class GradingReport:
    """All results of one run, plus whether kernels were sandboxed."""

    assignment: str
    sandboxed: bool
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    def by_student(self) -> dict[str, Result]:
        return {r.student: r for r in self.results}

    @property
    def ok(self) -> bool:
        return all(r.status in {Status.GRADED, Status.SKIPPED} for r in self.results)


class _Run:
    def __init__(self, root, assignment, *, db_url, sandbox, cell_timeout, budget, limits, log):
        self.root, self.assignment, self.db_url = root, assignment, db_url
        self.sandbox, self.cell_timeout, self.budget = sandbox, cell_timeout, budget
        self.memory_limit, self.cpu_limit = limits
        # the worker parses the kernels' answers: bounded too, so a flood crashes only
        # its worker (the batch is then retried one student at a time)
        self.worker_memory = max(6_000_000_000, 2 * self.memory_limit)
        self.log_dir = log
        # kernels' and evaluators' scratch folders: removed after the run, however it ends
        self.scratch = Path(tempfile.mkdtemp(prefix="course-grade-run-"))
        self.counter = 0
        self.lock = threading.Lock()

    def _job(self, students: list[str]) -> dict:
        return {
            "root": str(self.root),
            "assignment": self.assignment,
            "students": students,
            "db_url": self.db_url,
            "cell_timeout": self.cell_timeout,
            "sandbox": self.sandbox,
            "memory_limit": self.memory_limit,
            "cpu_limit": self.cpu_limit,
        }

    def run_worker(self, students: list[str], record) -> tuple[list[str], tuple | None]:
        """Grade ``students`` in one worker; return (unfinished students, failure)."""
        with self.lock:
            self.counter += 1
            log_path = self.log_dir / f"{self.assignment}-worker{self.counter}.log"
        read_fd, write_fd = os.pipe()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.scratch)}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "course.grading.worker", "--events", str(write_fd)],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                cwd=self.root,
                env=env,
                start_new_session=True,
                text=True,
                preexec_fn=_worker_limits(self.worker_memory),
            )
        os.close(write_fd)
        proc.stdin.write(json.dumps(self._job(students)))
        proc.stdin.close()
        events: queue.Queue = queue.Queue()

        def reader():
            with os.fdopen(read_fd) as pipe:
                for line in pipe:
                    try:
                        events.put(json.loads(line))
                    except ValueError:
                        continue
            events.put({"event": "eof"})

        threading.Thread(target=reader, daemon=True).start()
        pending = list(students)
        current, deadline = None, time.monotonic() + 300  # start-up
        failure = None
        while True:
            try:
                event = events.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                if current is not None:
                    failure = ("timeout", current, timeout_reason(self.budget, "notebook"))
                else:
                    failure = ("error", None, "the grading worker did not start")
                _kill(proc)
                break
            kind = event.get("event")
            if kind == "start":
                current, deadline = event["student"], time.monotonic() + self.budget
            elif kind == "done" and event.get("student") in pending:
                pending.remove(event["student"])
                current, deadline = None, time.monotonic() + 300
                record(event)
            elif kind in {"finished", "eof"}:
                break
        proc.wait()
        if pending and failure is None:
            failure = ("crashed", current, f"the grading process died (exit {proc.returncode})")
        return pending, failure


def _worker_limits(memory: int):
    def limits() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return limits


def _kill(proc: subprocess.Popen) -> None:
    """Kill a worker, its process group and every process below it (kernels included)."""
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:
        children = []
    for target in children:
        with contextlib.suppress(Exception):
            target.kill()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def grade(
    root: str | Path,
    assignment: str,
    *,
    jobs: int | None = None,
    student: str = "*",
    force: bool = False,
    cell_timeout: int | None = None,
    db_url: str | None = None,
    budget: float = 300.0,
    max_bytes: int = MAX_BYTES,
    sandbox: bool | None = None,
    memory_limit: int = 2_000_000_000,
    cpu_limit: int = 300,
    progress: bool = True,
    cluster: str | None = None,
) -> GradingReport:
    """Grade every submission of ``assignment`` in the course at ``root``.

    Parameters
    ----------
    root : the nbgrader course root (holding ``source/`` and ``submitted/``).
    assignment : the assignment id; it must be in the gradebook (``generate_assignment``).
    jobs : worker processes (default: the machine's cores).
    student : a glob on student ids.
    force : regrade submissions already graded with the same content.
    cell_timeout : seconds a cell may run (default: the course's ``Execute.timeout`` or 60).
    db_url : the gradebook to grade into (default: the course's ``CourseDirectory.db_url``).
    budget : seconds a whole notebook may take before its worker is killed.
    sandbox : run kernels under bubblewrap (default: when ``bwrap`` works here).
    cluster : ``"local"`` or a Dask scheduler address: grade on shared-nothing Dask
        workers (:mod:`course.grading.cluster`) instead of this machine's worker processes.

    Examples
    --------
    >>> grade("/nonexistent", "ps01")
    Traceback (most recent call last):
    ...
    ValueError: no source notebooks in /nonexistent/source/ps01: ...
    """
    began = time.monotonic()
    root = Path(root).resolve()
    source = root / "source" / assignment
    notebooks = sorted(p.name for p in source.glob("*.ipynb")) if source.is_dir() else []
    if not notebooks:
        raise ValueError(
            f"no source notebooks in {source}: check the course root (--course) "
            "and the assignment id"
        )
    find_tools()  # nbgrader runs alembic on a fresh gradebook
    course = load_course_config(root, db_url=db_url, cell_timeout=cell_timeout)
    db_url, cell_timeout = course.db_url, course.cell_timeout
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(
                f"{assignment} is not in the gradebook {db_url}: run "
                f"`nbgrader generate_assignment {assignment}` in {root} first"
            ) from None
    if sandbox is None:
        sandbox = bwrap_available()
    if not sandbox:
        print(NOT_SANDBOXED, file=sys.stderr)
    jobs = max(1, jobs or os.cpu_count() or 1)
    state = root / ".course-grade"
    (state / "logs").mkdir(parents=True, exist_ok=True)
    ledger = Ledger(ledger_path(root, assignment))
    source_hash = hashlib.sha256(
        b"".join((source / nb).read_bytes() for nb in notebooks)
    ).hexdigest()

    report = GradingReport(assignment=assignment, sandboxed=sandbox)
    results: dict[str, Result] = {}
    todo: list[str] = []
    hashes: dict[str, str] = {}
    flags: dict[str, list] = {}
    students = find_students(root, assignment, student)
    from course.grading.extensions import fingerprint

    extended = fingerprint(root, assignment)  # a changed extension regrades the student
    from tqdm import tqdm

    bar = tqdm(total=len(students), desc=f"grading {assignment}", unit="sub", disable=not progress)
    with Gradebook(db_url) as gb:
        for name in students:
            folder = root / "submitted" / name / assignment
            try:
                reason = check_student_id(name) or check_submission(
                    folder, notebooks, max_bytes, student_dir=root / "submitted" / name
                )
            except Exception as exc:  # one odd submission must not stop the class
                reason = f"could not be read ({type(exc).__name__}: {str(exc)[:100]})"
            if reason:
                results[name] = Result(name, Status.INVALID, reason, sandboxed=sandbox)
                ledger.add(results[name])
                bar.update()
                continue
            flags[name] = _scan(folder, source)
            digest = content_hash(
                folder, extra=f"{assignment}\0{source_hash}\0{extended.get(name, '')}".encode()
            )
            hashes[name] = digest
            previous = ledger.records.get(name)
            if not force and previous and previous.get("content_hash") == digest:
                if previous["status"] == Status.GRADED and _has_submission(gb, assignment, name):
                    results[name] = Result(name, Status.SKIPPED, "already graded, unchanged", None)
                    results[name].content_hash = digest
                    results[name].flags = flags[name]
                    bar.update()
                    continue
                if previous["status"] in FINAL - {Status.GRADED}:
                    results[name] = Result(
                        name,
                        previous["status"],
                        f"{previous.get('reason', '')} (unchanged since; --force retries)",
                        content_hash=digest,
                        flags=flags[name],
                    )
                    bar.update()
                    continue
            todo.append(name)

    run = _Run(
        root,
        assignment,
        db_url=db_url,
        sandbox=sandbox,
        cell_timeout=cell_timeout,
        budget=budget,
        limits=(memory_limit, cpu_limit),
        log=state / "logs",
    )

    def finish(result: Result) -> None:
        result.content_hash = hashes.get(result.student, "")
        result.flags = flags.get(result.student, [])
        result.sandboxed = sandbox
        results[result.student] = result
        ledger.add(result)
        bar.update()

    def on_done(event: dict) -> None:
        limit = event.get("timeout")
        if event.get("success"):
            reason = timeout_reason(limit) if isinstance(limit, (int, float)) else ""
            finish(Result(event["student"], Status.GRADED, reason, seconds=event.get("seconds")))
        else:
            reason = event.get("reason") or "nbgrader failed"
            lowered = reason.lower()
            status = Status.CRASHED if "kernel died" in lowered else Status.ERROR
            if "timeout" in lowered or isinstance(limit, (int, float)):
                status = Status.TIMEOUT
                if isinstance(limit, (int, float)):
                    reason = timeout_reason(limit)
            finish(Result(event["student"], status, reason))

    def lane(batch: list[str]) -> None:
        groups = deque([batch])
        while groups:
            group = groups.popleft()
            pending, failure = run.run_worker(group, on_done)
            if not pending:
                continue
            kind, culprit, message = failure
            if kind == "timeout" or len(group) == 1:
                culprit = culprit or pending[0]
                finish(Result(culprit, kind, message))
                rest = [s for s in pending if s != culprit]
                if rest:
                    groups.append(rest)
            else:
                # who broke the batch is not certain: retry the rest one at a time
                groups.extend([s] for s in pending)

    batches = [todo[i::jobs] for i in range(jobs) if todo[i::jobs]]
    try:
        if cluster is not None and todo:
            _on_cluster(cluster, run, todo, finish, workers=jobs)
        else:
            with ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
                for future in [pool.submit(lane, b) for b in batches]:
                    future.result()
    finally:
        bar.close()
        shutil.rmtree(run.scratch, ignore_errors=True)

    with Gradebook(db_url) as gb:
        for name in students:
            result = results.get(name) or Result(name, "error", "not graded (interrupted?)")
            if result.status in {"graded", "skipped"}:
                try:
                    sub = gb.find_submission(assignment, name)
                except MissingEntry:
                    result.status, result.reason = "error", "no grade in the gradebook"
                else:
                    result.score, result.max_score = float(sub.score), float(sub.max_score)
                    if sub.needs_manual_grade and not result.reason:
                        result.reason = "needs manual grading"
            report.results.append(result)
    report.seconds = time.monotonic() - began
    return report


def _on_cluster(address: str, run: _Run, todo: list[str], finish, *, workers: int) -> None:
    """Grade ``todo`` on a Dask cluster (see :mod:`course.grading.cluster`)."""
    from course.grading.cluster import grade_class

    def done(student: str, status: str, reason: str, answer: dict | None) -> None:
        finish(Result(student, status, reason, seconds=(answer or {}).get("seconds")))

    settings = {
        "cell_timeout": run.cell_timeout,
        "budget": run.budget,
        "sandbox": run.sandbox,
        "memory_limit": run.memory_limit,
        "cpu_limit": run.cpu_limit,
    }
    grade_class(
        address,
        run.root,
        run.assignment,
        todo,
        db_url=run.db_url,
        settings=settings,
        finish=done,
        workers=workers,
    )


def _scan(folder: Path, source: Path) -> list[dict]:
    """Suspicious code in a submission (see :mod:`course.grading.scan`), as plain dicts."""
    from course.grading.scan import scan_submission

    try:
        return [asdict(flag) for flag in scan_submission(folder, source)]
    except Exception as exc:  # a scanner bug must not stop grading
        return [{"notebook": "", "cell": "", "kind": "unreadable", "detail": f"scan failed: {exc}"}]


def _has_submission(gb, assignment: str, student: str) -> bool:
    from nbgrader.api import MissingEntry

    try:
        gb.find_submission(assignment, student)
    except MissingEntry:
        return False
    return True


def format_summary(report: GradingReport) -> str:
    """The summary table: student, score, max, status, flags, reason (and a sandbox warning).

    ``flags`` counts the suspicious places the static scan found (``course report`` lists
    them).
    """
    rows = [("student", "score", "max", "status", "flags", "reason")]
    for r in sorted(report.results, key=lambda r: r.student):
        score = "" if r.score is None else f"{r.score:g}"
        top = "" if r.max_score is None else f"{r.max_score:g}"
        # student ids and reasons (which quote file names) are the student's: escape controls
        rows.append(
            (
                printable(r.student),
                score,
                top,
                str(r.status),
                str(len(r.flags)),
                printable(r.reason),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True)) + "  " + row[5]
        for row in rows
    ]
    counts: dict[str, int] = {}
    for r in report.results:
        counts[str(r.status)] = counts.get(str(r.status), 0) + 1
    tally = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    lines.append(
        f"{report.assignment}: {len(report.results)} submissions ({tally}) in "
        f"{report.seconds:.1f} s, kernels "
        + ("sandboxed with bubblewrap" if report.sandboxed else "NOT sandboxed")
    )
    if not report.sandboxed:
        lines.append(NOT_SANDBOXED)
    return "\n".join(lines)

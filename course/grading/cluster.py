"""``course grade --cluster``: shared-nothing grading tasks on a Dask cluster, one writer.

Past one machine, ``course grade`` hands each submission to a ``dask.distributed``
cluster: a :class:`~distributed.LocalCluster` on this machine (``--cluster local``: one
single-threaded worker process per core) or an existing scheduler (``--cluster
tcp://host:8786``: Slurm through ``dask-jobqueue``, Kubernetes through ``dask-kubernetes``,
Dask Gateway). The split of work is

* **a task per submission**, :func:`grade_submission`: it takes the submission's files
  (bytes) and the :class:`~course.grading.bundle.AssignmentBundle` (the assignment's
  definition, instructor files and settings, sent once per worker and cached there by
  its digest) and grades them in a throw-away course root of its own with the usual
  pipeline (:mod:`course.grading.worker`'s configuration: verdicts outside the kernel,
  the bubblewrap sandbox). Inside a worker every submission belongs to the same
  placeholder student (:data:`STUDENT`): a worker never learns who it grades, never sees
  another student's work, the course root, the gradebook or its URL. It returns the
  graded notebooks, per-cell scores and comments, late penalties, timings, CPU seconds
  and whether the kernel ran sandboxed (:func:`grade_submission`'s docstring);
* **one writer**, :func:`run`, in the coordinating process: it reads each submission,
  keeps a bounded number of tasks in flight, and writes each result as it completes into
  the course's gradebook through nbgrader's :class:`~nbgrader.api.Gradebook` API
  (:func:`record`; SQLite or PostgreSQL, one connection for the whole run) and into
  ``autograded/``, then hands it to the runner's ledger. Only this process holds the
  database URL.

A worker lost mid-run loses no student: Dask reschedules its tasks on the others. A
submission whose task has killed ``tries`` workers ends as ``crashed`` with that reason
(Dask's ``allowed-failures``), and the rest of the class is graded.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import os
import resource
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from course.grading.bundle import AssignmentBundle, install, safe_relative
from course.grading.results import Status, timeout_reason

__all__ = [
    "STUDENT",
    "connect",
    "grade_submission",
    "read_submission",
    "record",
    "run",
]

STUDENT = "student"
"""The one student id a grading worker ever sees (it is never told who it grades)."""

MAX_FOLDER_BYTES = 100_000_000
"""Largest submission folder (all files) sent to a worker."""

_TEMPLATES: dict[str, Path] = {}
_TEMPLATE_LOCK = threading.Lock()


# ----------------------------------------------------------------------------- worker side


def _template(bundle: AssignmentBundle) -> Path:
    """This process's installed copy of ``bundle`` (built once per digest)."""
    with _TEMPLATE_LOCK:
        root = _TEMPLATES.get(bundle.digest)
        if root is not None and (root / "gradebook.db").is_file():
            return root
        root = Path(tempfile.mkdtemp(prefix=f"course-grade-bundle-{bundle.digest[:12]}-"))
        atexit.register(shutil.rmtree, root, True)
        install(bundle, root)
        _TEMPLATES[bundle.digest] = root
        return root


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class _Budget:
    """Kill the processes a task started (kernel, evaluator) once ``seconds`` have passed."""

    def __init__(self, seconds: float):
        import psutil

        self.me = psutil.Process()
        self.before = {p.pid for p in self.me.children(recursive=True)}
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        import psutil

        self.fired = True
        for child in self.me.children(recursive=True):
            if child.pid not in self.before:
                with contextlib.suppress(psutil.Error):
                    child.kill()

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()


_SANDBOX: dict[str, bool] = {}


def _can_sandbox() -> bool:
    if "ok" not in _SANDBOX:
        from course.grading.sandbox import bwrap_available

        _SANDBOX["ok"] = bwrap_available()
    return _SANDBOX["ok"]


def grade_submission(
    bundle: AssignmentBundle, files: dict[str, bytes], extension_seconds: float | None = None
) -> dict:
    """Grade one submission (``files``: relative name -> bytes) in a throw-away course root.

    Runs in a grading worker. Returns a plain dict:

    ``success``, ``reason`` (why not, the first specific line of nbgrader's log),
    ``timed_out`` (the notebook ran past the bundle's ``budget``), ``timestamp`` (ISO,
    from the submission's ``timestamp.txt``), ``notebooks`` (per notebook: its late
    penalty, per graded cell its ``auto_score`` and ``needs_manual_grade``, per solution
    cell its automatic comment), ``graded`` (notebook file name -> graded notebook bytes),
    ``seconds``, ``cpu_seconds`` (this worker process and the kernels it waited for),
    ``sandboxed`` and ``worker`` (host and process id).
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from course.grading.config import find_tools
    from course.grading.verified import TIMEOUTS
    from course.grading.worker import _config, _reason

    # nbgrader runs `alembic` by name on each gradebook it creates: a worker started by its
    # path (`/opt/env/bin/dask worker`, Slurm's `python -m distributed.cli.dask_worker`)
    # has no such command on PATH unless its environment's bin folder is put there
    find_tools()
    began, cpu = time.monotonic(), _cpu_seconds()
    settings = bundle.settings
    answer: dict = {
        "success": False,
        "reason": "",
        "timed_out": False,
        "timestamp": None,
        "notebooks": {},
        "graded": {},
        "sandboxed": False,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    sandbox = bool(settings.get("sandbox"))
    if sandbox and not _can_sandbox():
        answer["reason"] = (
            f"worker {answer['worker']} cannot run bubblewrap: install it there, or grade "
            "with the sandbox off only where each worker is itself the sandbox (a pod)"
        )
        return _timed(answer, began, cpu)
    template = _template(bundle)
    root = Path(tempfile.mkdtemp(prefix="course-grade-task-"))
    assignment = bundle.assignment
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    try:
        shutil.copytree(template, root, dirs_exist_ok=True)
        folder = root / "submitted" / STUDENT / assignment
        folder.mkdir(parents=True)
        for name, data in files.items():
            target = folder / safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if extension_seconds:
            with Gradebook(db_url) as gb:
                gb.update_or_create_student(STUDENT)
                gb.update_or_create_submission(
                    assignment, STUDENT, extension=datetime.timedelta(seconds=extension_seconds)
                )
        job = {
            "root": str(root),
            "assignment": assignment,
            "students": [STUDENT],
            "db_url": db_url,
            "cell_timeout": settings["cell_timeout"],
            "sandbox": sandbox,
            "memory_limit": settings["memory_limit"],
            "cpu_limit": settings["cpu_limit"],
        }
        config = Config(settings.get("course_config") or {})
        config.merge(_config(job))
        coursedir = CourseDirectory(config=config)
        api = NbGraderAPI(coursedir=coursedir, config=config)
        TIMEOUTS.clear()
        with _Budget(float(settings["budget"])) as budget:
            try:
                result = api.autograde(assignment, STUDENT, force=True, create=True)
            except Exception as exc:  # capture_log already catches most; be sure
                result = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
        answer["timed_out"] = budget.fired
        answer["cell_timeout"] = max(TIMEOUTS) if TIMEOUTS else None
        answer["success"] = bool(result.get("success")) and not budget.fired
        answer["reason"] = _reason(result)
        answer["log"] = str(result.get("log") or "")[-4000:]
        answer["sandboxed"] = sandbox
        if answer["success"]:
            with Gradebook(db_url) as gb:
                try:
                    submission = gb.find_submission(assignment, STUDENT)
                except MissingEntry:
                    answer["success"], answer["reason"] = False, "nbgrader saved no grades"
                else:
                    if submission.timestamp is not None:
                        answer["timestamp"] = submission.timestamp.isoformat()
                    for notebook in submission.notebooks:
                        answer["notebooks"][notebook.name] = {
                            "late_submission_penalty": notebook.late_submission_penalty,
                            "grades": {
                                g.name: {
                                    "auto_score": g.auto_score,
                                    "needs_manual_grade": bool(g.needs_manual_grade),
                                }
                                for g in notebook.grades
                            },
                            "comments": {c.name: c.auto_comment for c in notebook.comments},
                        }
            out = root / "autograded" / STUDENT / assignment
            for notebook in bundle.notebooks:
                path = out / f"{notebook['name']}.ipynb"
                if path.is_file() and not path.is_symlink():
                    answer["graded"][path.name] = path.read_bytes()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return _timed(answer, began, cpu)


def _timed(answer: dict, began: float, cpu: float) -> dict:
    answer["seconds"] = round(time.monotonic() - began, 3)
    answer["cpu_seconds"] = round(_cpu_seconds() - cpu, 3)
    return answer


def _bundle_value(bundle: AssignmentBundle) -> AssignmentBundle:
    """The bundle as a task of its own, so the scheduler can recompute a lost copy."""
    return bundle


# ------------------------------------------------------------------------ coordinator side


def read_submission(folder: Path, max_bytes: int = MAX_FOLDER_BYTES) -> dict[str, bytes]:
    """The regular files of a submission folder (symlinks and dot-folders left out)."""
    files: dict[str, bytes] = {}
    total = 0
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if path.is_symlink() or not path.is_file():
            continue
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts[:-1]):
            continue
        total += path.stat().st_size
        if total > max_bytes:
            raise ValueError(
                f"the submission folder holds over {max_bytes:,} bytes of files; "
                "remove large extra files from it"
            )
        files[rel.as_posix()] = path.read_bytes()
    return files


def record(gb, root: Path, assignment: str, student: str, answer: dict, files: dict) -> None:
    """Write one successful task's result into the gradebook ``gb`` and ``autograded/``.

    What nbgrader's autograde would have written: the student, the submission with its
    timestamp, per notebook its late penalty, per cell the automatic score (a cell an
    instructor already graded by hand, or without an automatic score, needs a manual
    grade, as nbgrader's ``SaveAutoGrades`` decides) and automatic comment.
    """
    gb.update_or_create_student(student)
    stamp = answer.get("timestamp")
    if stamp:
        stamp = datetime.datetime.fromisoformat(stamp)
        gb.update_or_create_submission(assignment, student, timestamp=stamp)
    else:
        gb.update_or_create_submission(assignment, student)
    for name, data in answer["notebooks"].items():
        notebook = gb.find_submission_notebook(name, assignment, student)
        notebook.late_submission_penalty = data["late_submission_penalty"]
        for cell, verdict in data["grades"].items():
            grade = gb.find_grade(cell, name, assignment, student)
            grade.auto_score = verdict["auto_score"]
            grade.needs_manual_grade = bool(
                verdict["needs_manual_grade"] or grade.manual_score is not None
            )
        for cell, text in data["comments"].items():
            gb.find_comment(cell, name, assignment, student).auto_comment = text
    gb.db.commit()
    out = root / "autograded" / student / assignment
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name, data in files.items():
        target = out / safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    source = root / "source" / assignment
    for path in source.rglob("*"):
        rel = path.relative_to(source)
        if path.suffix == ".ipynb" or path.is_symlink() or not path.is_file():
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        shutil.copy(path, target)
    for name, data in answer["graded"].items():
        (out / safe_relative(name)).write_bytes(data)


@contextlib.contextmanager
def connect(address: str, *, workers: int | None = None, tries: int = 3) -> Iterator:
    """A ``dask.distributed`` client: ``"local"`` starts a LocalCluster, else joins ``address``.

    The local cluster has one single-threaded worker process per core (``workers``
    overrides) and gives up on a task after it has killed ``tries`` workers. A remote
    scheduler keeps its own setting (``distributed.scheduler.allowed-failures``, e.g.
    ``DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=2`` for 3 tries).
    """
    import logging

    import dask
    from dask.distributed import Client, LocalCluster

    if address == "local":
        n = max(1, workers or os.cpu_count() or 1)
        with dask.config.set({"distributed.scheduler.allowed-failures": max(0, tries - 1)}):
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    if "://" not in address and ":" not in address:
        raise ValueError(
            f"--cluster {address!r}: give `local` or a scheduler address such as "
            "tcp://10.0.0.5:8786"
        )
    try:
        client = Client(address, timeout=30)
    except OSError as exc:
        raise ValueError(
            f"--cluster {address}: no Dask scheduler answered there ({exc}); start one with "
            "`dask scheduler` or check the address"
        ) from exc
    with client:
        yield client


def run(
    client,
    root: Path,
    assignment: str,
    students: list[str],
    bundle: AssignmentBundle,
    db_url: str,
    finish: Callable[[str, str, str, dict | None], None],
    *,
    extensions: dict[str, float] | None = None,
    in_flight: int | None = None,
) -> dict[str, dict]:
    """Grade ``students`` on the cluster; write each result; call ``finish`` per student.

    ``finish(student, status, reason, answer)`` gets ``graded`` (after the grade is in
    the gradebook), ``timeout``, ``crashed`` or ``error``. At most ``in_flight`` tasks
    (default: four per worker thread) are queued at once, so the scheduler never holds
    the whole class. Returns each student's task answer (without notebooks).
    """
    from dask.distributed import KilledWorker, as_completed
    from nbgrader.api import Gradebook

    extensions = extensions or {}
    threads = sum(client.nthreads().values()) or 1
    limit = max(1, in_flight or 4 * threads)
    bundle_future = client.submit(_bundle_value, bundle, key=f"course-bundle-{bundle.digest}")
    queue = list(students)
    owner: dict[str, str] = {}
    sent: dict[str, dict] = {}
    answers: dict[str, dict] = {}
    pending = as_completed()

    def submit_next() -> None:
        while queue and pending.count() < limit:
            student = queue.pop(0)
            folder = root / "submitted" / student / assignment
            try:
                files = read_submission(folder)
            except (OSError, ValueError) as exc:
                finish(student, Status.ERROR, f"could not be read: {exc}", None)
                continue
            key = f"course-grade-{uuid.uuid4().hex}"  # no student id leaves this process
            future = client.submit(
                grade_submission,
                bundle_future,
                files,
                extensions.get(student),
                key=key,
                pure=False,
                retries=0,
            )
            owner[key], sent[key] = student, files
            pending.add(future)

    with Gradebook(db_url) as gb:
        submit_next()
        while pending.count():
            future = next(pending)
            student = owner.pop(future.key)
            files = sent.pop(future.key)
            try:
                answer = future.result()
            except KilledWorker as exc:
                finish(
                    student,
                    Status.CRASHED,
                    f"grading it killed the worker each time it was tried ({exc})"[:300],
                    None,
                )
            except Exception as exc:  # a task that raised: name it, grade the rest
                finish(student, Status.ERROR, f"{type(exc).__name__}: {exc}"[:300], None)
            else:
                answers[student] = {k: v for k, v in answer.items() if k != "graded"}
                status, reason = _status(answer, float(bundle.settings["budget"]))
                if status is Status.GRADED:
                    try:
                        record(gb, root, assignment, student, answer, files)
                    except Exception as exc:
                        gb.db.rollback()
                        status = Status.ERROR
                        reason = f"could not save the grades: {exc}"[:300]
                finish(student, status, reason, answer)
            future.release()
            submit_next()
    bundle_future.release()
    return answers


def _status(answer: dict, budget: float) -> tuple[Status, str]:
    """The status and reason of a task's answer, decided as the local runner decides."""
    limit = answer.get("cell_timeout")
    if answer.get("timed_out"):
        return Status.TIMEOUT, timeout_reason(budget, "notebook")
    if answer.get("success"):
        return Status.GRADED, timeout_reason(limit) if isinstance(limit, int | float) else ""
    reason = answer.get("reason") or "nbgrader failed"
    lowered = reason.lower()
    if "timeout" in lowered or isinstance(limit, int | float):
        return Status.TIMEOUT, timeout_reason(limit) if isinstance(limit, int | float) else reason
    return (Status.CRASHED if "kernel died" in lowered else Status.ERROR), reason


def grade_class(
    address: str,
    root: Path,
    assignment: str,
    students: list[str],
    *,
    db_url: str,
    settings: dict,
    finish: Callable[[str, str, str, dict | None], None],
    config=None,
    workers: int | None = None,
    tries: int = 3,
) -> dict[str, dict]:
    """Bundle ``assignment``, connect to the cluster at ``address`` and grade ``students``.

    ``settings`` holds ``cell_timeout``, ``budget``, ``sandbox``, ``memory_limit`` and
    ``cpu_limit``.
    """
    from course.grading.bundle import make_bundle
    from course.grading.config import load_course_config

    if config is None:
        config = load_course_config(root, db_url=db_url).config
    bundle = make_bundle(root, assignment, db_url, config=config, settings=settings)
    with connect(address, workers=workers, tries=tries) as client:
        return run(client, Path(root), assignment, students, bundle, db_url, finish)

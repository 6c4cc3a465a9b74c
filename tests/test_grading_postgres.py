"""A PostgreSQL gradebook for real: ``course grade --db-url postgresql+psycopg2://...``.

The test starts its own PostgreSQL server (Debian's ``postgresql``; see tests/_postgres.py),
generates the grader's small assignment into it, and grades a class with
``course grade --db-url URL --cluster local`` while formgrader's REST API (a Jupyter
server whose nbgrader configuration names the same URL) reads the gradebook. A sampler
counts the database connections all along: the one writer holds at most two, and the
server never runs short of connections. Then ``nbgrader export`` reads the grades, and a
second run without ``--cluster`` grades into the same database.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from _postgres import postgres_server
from _support import run_nbgrader, venv_env

from course import cli

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
MINI = "mini"
WRITER = "course-grade"
CLASS = {
    "a-honest": {},
    "b-wrong": {
        "q1_add": "def add(a, b):\n    return a - b",
        "q3_mean": "def mean(xs):\n    return 0",
    },
    "c-crash": {"q2_squares": "import os\nos._exit(1)"},
    "d-honest": {},
    "e-partial": {"q1_add": "def add(a, b):\n    return 0"},
}
EXPECTED = {"a-honest": 5.0, "b-wrong": 2.0, "d-honest": 5.0, "e-partial": 4.0}


def _with_answers(nb, answers):
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in answers:
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def _count(server, application: str | None = None) -> int:
    with contextlib.closing(server.connect()) as conn, conn.cursor() as cur:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        )
        args: tuple = (server.database,)
        if application is not None:
            query += " AND application_name = %s"
            args += (application,)
        cur.execute(query, args)
        return int(cur.fetchone()[0])


class Formgrader:
    """A Jupyter server in the course root; its nbgrader config names the PostgreSQL URL."""

    def __init__(self, root: Path, url: str, scratch: Path):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.token = secrets.token_hex(16)
        config_dir = scratch / "jupyter-config"
        config_dir.mkdir()
        (config_dir / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.db_url = {url!r}\n"
        )
        env = {
            **venv_env(),
            "HOME": str(scratch),
            "JUPYTER_CONFIG_DIR": str(config_dir),
            "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        }
        command = [
            str(Path(sys.executable).parent / "jupyter"),
            "server",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
            "--no-browser",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log = scratch / "server.log"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    def submissions(self, timeout: float = 10) -> list[dict]:
        url = f"http://127.0.0.1:{self.port}/formgrader/api/submissions/{MINI}"
        request = urllib.request.Request(url, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.submissions()
                return
            except OSError:
                assert self.proc.poll() is None, self.log.read_text()[-3000:]
                assert time.monotonic() < deadline, self.log.read_text()[-3000:]
                time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server():
    with postgres_server(max_connections=20) as running:
        yield running


@pytest.fixture(scope="module")
def graded(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("pg-course")
    scratch = tmp_path_factory.mktemp("pg-scratch")
    # the course's own config names no database: --db-url alone sends grades to PostgreSQL
    (root / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "pg-test"\nc.Execute.timeout = 5\n'
    )
    shutil.copytree(HERE / "grading" / "source", root / "source")
    done = run_nbgrader(
        root, "generate_assignment", MINI, "--force", f"--CourseDirectory.db_url={server.url}"
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    source = nbformat.read(root / "source" / MINI / f"{MINI}.ipynb", 4)
    for student, answers in CLASS.items():
        folder = root / "submitted" / student / MINI
        folder.mkdir(parents=True)
        nbformat.write(_with_answers(source, answers), folder / f"{MINI}.ipynb")

    formgrader = Formgrader(root, server.url, scratch)
    samples: list[tuple[int, int]] = []
    served: list[int] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            samples.append((_count(server, WRITER), _count(server)))
            with contextlib.suppress(OSError):
                served.append(len(formgrader.submissions()))
            time.sleep(0.2)

    try:
        formgrader.wait()
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        url = f"{server.url}&application_name={WRITER}"
        code = cli.main(
            ["grade", MINI, "--course", str(root), "--db-url", url, "--cluster", "local",
             "--jobs", "2", "--budget", "60"]
        )  # fmt: skip
        stop.set()
        watcher.join(timeout=30)
        rows = formgrader.submissions()
    finally:
        stop.set()
        formgrader.stop()
    return {
        "root": root,
        "code": code,
        "samples": samples,
        "served": served,
        "rows": rows,
        "log": formgrader.log,
    }


def _scores(server) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(server.url) as gb:
        return {s.student.id: float(s.code_score) for s in gb.assignment_submissions(MINI)}


def test_course_grade_writes_the_grades_into_postgresql(graded, server):
    assert graded["code"] == 1  # one submission crashed: the run says so
    assert _scores(server) == EXPECTED  # the crashed one has no half-written grades
    assert not (graded["root"] / "gradebook.db").exists(), "--db-url was not honoured"
    ledger = (graded["root"] / ".course-grade" / f"{MINI}.jsonl").read_text().splitlines()
    statuses = {json.loads(line)["student"]: json.loads(line)["status"] for line in ledger}
    assert statuses["c-crash"] == "crashed"


def test_the_one_writer_holds_few_connections(graded):
    samples = graded["samples"]
    assert len(samples) >= 5, "the sampler saw too little of the run"
    writer = max(w for w, _ in samples)
    assert 1 <= writer <= 2, samples
    assert max(total for _, total in samples) < 20, samples


def test_formgrader_reads_postgresql_during_and_after_grading(graded):
    assert graded["served"], graded["log"].read_text()[-3000:]
    scores = {row["student"]: row["score"] for row in graded["rows"] if row.get("autograded")}
    for student, score in EXPECTED.items():
        assert scores[student] == score, graded["rows"]


def test_nbgrader_export_reads_postgresql(graded, server):
    root = graded["root"]
    done = run_nbgrader(root, "export", f"--CourseDirectory.db_url={server.url}")
    assert done.returncode == 0, done.stderr[-2000:]
    with (root / "grades.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    for student, score in EXPECTED.items():
        assert float(rows[student]["raw_score"]) == score


def test_local_workers_grade_into_postgresql_too(graded, server):
    """Without --cluster the same URL reaches every worker: same grades, no connection errors."""
    before = _scores(server)
    code = cli.main(
        ["grade", MINI, "--course", str(graded["root"]), "--db-url", server.url, "--jobs", "2",
         "--force", "--student", "[abde]-*"]
    )  # fmt: skip
    assert code == 0
    assert _scores(server) == before == EXPECTED

"""course grade --cluster: shared-nothing Dask workers give exactly the scores of local grading.

* Fast: the assignment bundle (content hash, no solutions, no paths or database URL), the
  submission reader, bad cluster addresses.
* A ``LocalCluster`` grades the grader's small class (honest, wrong, looping, crashing,
  hanging students) with the same outcomes, per-cell grades and files as local grading;
  a submission that kills its worker each time it is tried ends ``crashed`` after a
  bounded number of tries while the rest are graded.
* ``dask scheduler`` and ``dask worker`` run as separate processes, each in its own
  bubblewrap whose filesystem holds only the Python environment (no course root, no
  repository): every assignment's reference, blank and known-wrong submissions get the
  scores local grading gives, and a worker killed mid-run loses nobody.
"""

from __future__ import annotations

import contextlib
import csv
import os
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from _support import in_ci, run_nbgrader

from course import cli
from course.grading import bwrap_available, format_summary, grade
from course.grading.bundle import AssignmentBundle, make_bundle, safe_relative
from course.grading.cluster import read_submission
from course.grading.sandbox import python_paths
from course.grading.submissions import markers

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MINI = "mini"
HAS_BWRAP = bwrap_available()

# (student, {answer cell: source}); the expected outcome is whatever local grading gives
MINI_CLASS = {
    "a-honest": {},
    "b-wrong": {
        "q1_add": "def add(a, b):\n    return a - b",
        "q3_mean": "def mean(xs):\n    return 0",
    },
    "c-loop": {"q2_squares": "while True:\n    pass"},
    "d-crash": {"q2_squares": "import os\nos._exit(1)"},
    "e-hang": {
        "q2_squares": "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
        "    except KeyboardInterrupt:\n        pass"
    },
    "f-partial": {"q2_squares": "squares = [0, 1, 4]"},
    "z-honest": {},
}


def _with_answers(nb, answers: dict[str, str]):
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def _submit(root: Path, assignment: str, student: str, nb) -> None:
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")


def _generate(root: Path, assignment: str) -> None:
    done = run_nbgrader(root, "generate_assignment", assignment, "--force", timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _mini_course(root: Path, students: dict[str, dict]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "cluster-test"\nc.Execute.timeout = 3\n'
    )
    shutil.copytree(HERE / "grading" / "source", root / "source")
    _generate(root, MINI)
    source = nbformat.read(root / "source" / MINI / f"{MINI}.ipynb", 4)
    for student, answers in students.items():
        _submit(root, MINI, student, _with_answers(source, answers))
    return root


def _cell_grades(root: Path, assignment: str) -> dict:
    """student -> {(notebook, cell): (auto_score, needs_manual_grade)} from the gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(assignment):
            found[submission.student.id] = {
                (nb.name, g.name): (g.auto_score, bool(g.needs_manual_grade))
                for nb in submission.notebooks
                for g in nb.grades
            }
    return found


def _outcomes(report) -> dict:
    return {r.student: (str(r.status), r.score, r.max_score) for r in report.results}


# ------------------------------------------------------------------------------ fast


@pytest.mark.slow
def test_bundle_holds_the_definition_but_no_solution_path_or_url(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(HERE / "grading" / "source", root / "source")
    (root / "source" / MINI / "data.csv").write_text("x\n1\n")
    (root / "source" / MINI / ".secret").write_text("not sent")
    db_url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    from nbgrader.api import Gradebook
    from traitlets.config import Config

    # a gradebook as generate_assignment leaves it: solutions cleared, tests kept
    source = nbformat.read(root / "source" / MINI / f"{MINI}.ipynb", 4)
    begin, end = markers("SOLUTION")
    solution_lines = set()
    for cell in source.cells:
        if cell.cell_type == "code" and begin in cell.source:
            block = cell.source.split(begin, 1)[1].split(end, 1)[0]
            solution_lines |= {line.strip() for line in block.splitlines() if line.strip()}
    done = run_nbgrader(
        root, "generate_assignment", MINI, "--force", f"--CourseDirectory.db_url={db_url}"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    config = Config()
    config.CourseDirectory.db_url = db_url
    config.Execute.timeout = 9
    bundle = make_bundle(root, MINI, db_url, config=config, settings={"cell_timeout": 9})
    assert list(bundle.files) == ["data.csv"]
    text = repr(bundle)
    assert db_url not in text and str(tmp_path) not in text
    assert "CourseDirectory" not in bundle.settings["course_config"]
    assert bundle.settings["course_config"]["Execute"] == {"timeout": 9}
    assert solution_lines and not any(line in text for line in solution_lines)
    with Gradebook(db_url) as gb:
        tests = [c.name for c in gb.find_notebook(MINI, MINI).grade_cells]
    names = {c["name"] for nb in bundle.notebooks for c in nb["grade_cells"]}
    assert names == set(tests)
    # same content, same digest; any change, a new one
    again = make_bundle(root, MINI, db_url, config=config, settings={"cell_timeout": 9})
    assert again.digest == bundle.digest
    (root / "source" / MINI / "data.csv").write_text("x\n2\n")
    assert make_bundle(root, MINI, db_url, config=config, settings={"cell_timeout": 9}).digest != (
        bundle.digest
    )


@pytest.mark.slow
def test_bundle_installs_a_gradebook_nbgrader_can_grade_from(tmp_path):
    """The worker's own gradebook holds the assignment exactly as the coordinator's does."""
    from nbgrader.api import Gradebook

    from course.grading.bundle import install

    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(HERE / "grading" / "source", root / "source")
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    done = run_nbgrader(root, "generate_assignment", MINI, "--force")
    assert done.returncode == 0, done.stderr[-2000:]
    bundle = make_bundle(root, MINI, db_url)
    copy = install(bundle, tmp_path / "worker")

    def cells(url):
        with Gradebook(url) as gb:
            nb = gb.find_notebook(MINI, MINI)
            return (
                sorted((c.name, c.max_score, c.cell_type) for c in nb.grade_cells),
                sorted(c.name for c in nb.solution_cells),
                sorted((c.name, c.source, c.checksum, c.locked) for c in nb.source_cells),
            )

    assert cells(f"sqlite:///{copy / 'gradebook.db'}") == cells(db_url)
    assert not list((copy / "source").rglob("*.ipynb"))


def test_submission_reader_skips_links_and_refuses_bad_names(tmp_path):
    folder = tmp_path / "sub"
    (folder / "data").mkdir(parents=True)
    (folder / "hw.ipynb").write_text("{}")
    (folder / "data" / "x.csv").write_text("1")
    (folder / "link.ipynb").symlink_to(tmp_path / "elsewhere")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "hw-checkpoint.ipynb").write_text("{}")
    assert sorted(read_submission(folder)) == ["data/x.csv", "hw.ipynb"]
    with pytest.raises(ValueError, match="over 1 bytes"):
        read_submission(folder, max_bytes=1)
    for bad in ["../x", "/etc/passwd", "a/../../b", ""]:
        with pytest.raises(ValueError, match="plain relative"):
            safe_relative(bad)


@pytest.mark.slow
def test_a_bad_cluster_address_is_refused_with_a_reason(tmp_path, capsys):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(HERE / "grading" / "source", root / "source")
    _generate(root, MINI)
    _submit(root, MINI, "a", nbformat.read(root / "source" / MINI / f"{MINI}.ipynb", 4))
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = cli.main(["grade", MINI, "--course", str(root), "--cluster", f"tcp://127.0.0.1:{port}"])
    assert code == 2
    assert "no Dask scheduler answered" in capsys.readouterr().err
    assert cli.main(["grade", MINI, "--course", str(root), "--cluster", "nowhere"]) == 2
    assert "give `local` or a scheduler address" in capsys.readouterr().err


def test_digest_covers_settings():
    one = AssignmentBundle("a", None, [], {}, {"cell_timeout": 5})
    two = AssignmentBundle("a", None, [], {}, {"cell_timeout": 6})
    assert one.digest != two.digest


# --------------------------------------------------------------------- local cluster


@pytest.fixture(scope="module")
def mini_graded(tmp_path_factory):
    """The small class graded twice: on this machine's workers and on a LocalCluster."""
    local = _mini_course(tmp_path_factory.mktemp("mini-local"), MINI_CLASS)
    dask = tmp_path_factory.mktemp("mini-dask")
    shutil.copytree(local, dask, dirs_exist_ok=True, symlinks=True)
    shutil.rmtree(dask / "release", ignore_errors=True)
    by_local = grade(local, MINI, jobs=2, budget=20, progress=False)
    by_dask = grade(dask, MINI, jobs=2, budget=20, progress=False, cluster="local")
    return {"local": local, "dask": dask, "by_local": by_local, "by_dask": by_dask}


@pytest.mark.slow
def test_local_cluster_gives_the_outcomes_of_local_grading(mini_graded):
    local, dask = mini_graded["by_local"], mini_graded["by_dask"]
    assert _outcomes(dask) == _outcomes(local), format_summary(dask) + "\n" + format_summary(local)
    got = _outcomes(dask)
    # the class really tells outcomes apart (so agreement means something)
    assert got["a-honest"][0] == "graded" and got["b-wrong"][1] < got["a-honest"][1]
    assert got["d-crash"][0] == "crashed" and got["e-hang"][0] == "timeout"
    assert dask.sandboxed == HAS_BWRAP


@pytest.mark.slow
def test_local_cluster_writes_the_same_cell_grades_and_graded_notebooks(mini_graded):
    """Per graded student; a crashed or timed-out one leaves no half-written grades here."""
    local, dask = mini_graded["local"], mini_graded["dask"]
    graded = [r.student for r in mini_graded["by_dask"].results if r.status == "graded"]
    ours, theirs = _cell_grades(dask, MINI), _cell_grades(local, MINI)
    assert {s: ours[s] for s in graded} == {s: theirs[s] for s in graded}
    assert set(ours) == set(graded)
    for student in graded:
        ours = nbformat.read(dask / "autograded" / student / MINI / f"{MINI}.ipynb", 4)
        theirs = nbformat.read(local / "autograded" / student / MINI / f"{MINI}.ipynb", 4)
        assert [c.source for c in ours.cells] == [c.source for c in theirs.cells]
        outs = [[o.get("output_type") for o in c.get("outputs", [])] for c in ours.cells]
        assert outs == [[o.get("output_type") for o in c.get("outputs", [])] for c in theirs.cells]


@pytest.mark.slow
def test_cluster_grades_feed_nbgrader_export_and_course_feedback(mini_graded):
    root = mini_graded["dask"]
    done = run_nbgrader(root, "export")
    assert done.returncode == 0, done.stderr[-2000:]
    with (root / "grades.csv").open() as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["a-honest"]["score"]) == 5.0 and float(rows["b-wrong"]["score"]) == 2.0
    assert cli.main(["feedback", MINI, "--course", str(root), "--student", "a-honest"]) == 0
    assert (root / "feedback" / "a-honest" / MINI / f"{MINI}.html").is_file()


@pytest.mark.slow
def test_rerun_on_the_cluster_skips_unchanged_work(mini_graded):
    report = grade(mini_graded["dask"], MINI, student="[az]-*", progress=False, cluster="local")
    assert {r.status for r in report.results} == {"skipped"}


KILLER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos._exit(0)"


@pytest.mark.slow
def test_a_submission_that_kills_its_workers_ends_crashed_after_bounded_tries(tmp_path):
    """Without the sandbox a kernel can kill its worker; after 3 tries it is given up.

    (In the sandbox the kernel cannot reach its worker at all: its own PID namespace.)
    """
    students = {"a-honest": {}, "k-killer": {"q2_squares": KILLER}, "z-honest": {}}
    root = _mini_course(tmp_path / "course", students)
    report = grade(root, MINI, jobs=2, budget=60, sandbox=False, progress=False, cluster="local")
    results = report.by_student()
    assert str(results["k-killer"].status) == "crashed", format_summary(report)
    assert "killed the worker each time" in results["k-killer"].reason
    assert "3 different workers" in results["k-killer"].reason
    for honest in ("a-honest", "z-honest"):
        assert str(results[honest].status) == "graded" and results[honest].score == 5.0


# --------------------------------------------------------- separate-process cluster


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mounts() -> list[str]:
    """The folders ``_environment_only`` mounts besides the system's: the ones the grading
    sandbox gives a kernel (Python, the ``course`` package and the data folders it links
    to, ``course/seeds -> ../seeds``), and the interpreter's installation."""
    found = [*python_paths(), str(Path(sys.executable).resolve().parent.parent)]
    return list(dict.fromkeys(found))


def _environment_only(command: list[str]) -> list[str]:
    """``command`` in bubblewrap with only the system, Python and the package mounted.

    No course root, no repository (only the installed ``course`` package folder), no
    HOME: a private /tmp. The network is shared so the processes can reach each other.

    The PID namespace is shared too, with the host's ``/proc``: the grading kernels'
    own sandbox (bubblewrap again, nested) mounts a fresh ``/proc``, and Linux refuses
    that mount under a ``/proc`` that bubblewrap's ``--proc`` has partly covered ("too
    revealing"). Other processes' ``/proc/PID/root`` and ``cwd`` stay closed to the worker
    (it has no capability outside its user namespace).
    """
    args = ["bwrap", "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        path = Path("/") / link
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    # the private /tmp first, so that an environment or a clone kept under /tmp stays visible
    args += ["--dev", "/dev", "--bind", "/proc", "/proc", "--tmpfs", "/tmp"]
    for path in ["/etc", *_mounts()]:
        if os.path.isdir(path):
            args += ["--ro-bind", path, path]
    args += ["--unshare-user", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    args += ["--die-with-parent", "--new-session"]
    args += ["--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--chdir", "/tmp"]
    return args + command


class SeparateCluster:
    """A ``dask scheduler`` and ``dask worker`` processes, each in its own bubblewrap."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        bindir = Path(sys.executable).parent
        self.env = {
            "PATH": f"{bindir}{os.pathsep}/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "2",
            "PYTHONUNBUFFERED": "1",
        }
        self.dask = str(bindir / "dask")

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            _environment_only(command),
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def start_scheduler(self) -> None:
        self._start(
            "scheduler",
            [
                self.dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-dashboard",
            ],
        )

    def start_worker(self) -> subprocess.Popen:
        n = len(self.workers)
        proc = self._start(
            f"worker{n}",
            [
                self.dask,
                "worker",
                self.address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--local-directory",
                "/tmp",
                "--name",
                f"w{n}",
                "--memory-limit",
                "0",
                "--death-timeout",
                "60",
            ],
        )
        self.workers.append(proc)
        return proc

    def wait_for(self, workers: int, timeout: float = 180):
        from dask.distributed import Client

        deadline = time.monotonic() + timeout
        with Client(self.address, timeout=timeout) as client:
            while len(client.scheduler_info()["workers"]) < workers:
                assert time.monotonic() < deadline, self.tail()
                time.sleep(0.2)

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(self.logs.glob("*.log"))
        )

    def stop(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def separate_cluster(tmp_path_factory):
    if not HAS_BWRAP:
        message = (
            "separate-process cluster test: bubblewrap (`bwrap`) is missing or cannot create "
            "namespaces here; install it with `apt-get install -y bubblewrap`"
        )
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    cluster = SeparateCluster(tmp_path_factory.mktemp("dask-logs"))
    try:
        cluster.start_scheduler()
        for _ in range(2):
            cluster.start_worker()
        cluster.wait_for(2)
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.slow
def test_separate_workers_see_no_course_root(separate_cluster, tmp_path):
    """The course root, the tests and this test's folder do not exist for a worker; the
    repository and HOME hold nothing but the folders leading to what is mounted (here the
    Python installation lives under HOME: pyenv)."""
    from dask.distributed import Client

    def look(paths, mounts):
        """Per path: None if it does not exist, else what is under it outside the mounts."""
        import os

        seen = {}
        for path in paths:
            if not os.path.lexists(path):
                seen[path] = None
                continue
            extra = []
            for top, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if os.path.join(top, d) not in mounts]
                for name in dirs + files:
                    full = os.path.join(top, name)
                    if not any(m.startswith(full + os.sep) for m in mounts):
                        extra.append(full)
            seen[path] = extra
        return seen

    absent = [str(tmp_path), str(REPO / "assignments"), str(REPO / "tests"), str(REPO / ".git")]
    bare = [str(REPO), os.path.expanduser("~")]
    with Client(separate_cluster.address) as client:
        seen = client.run(look, absent + bare, _mounts())
        can_import = client.run(lambda: __import__("course.grading.cluster").__name__)
    assert len(seen) == 2
    for worker, found in seen.items():
        assert {p: found[p] for p in absent} == dict.fromkeys(absent), (worker, found)
        for path in bare:
            assert not found[path], (worker, path, found[path])
    assert set(can_import.values()) == {"course"}


ASSIGNMENTS = sorted(p.name for p in (REPO / "assignments" / "source").iterdir() if p.is_dir())


def _course_of_every_assignment(root: Path) -> dict[str, dict[str, float | None]]:
    """Every assignment with its reference, blank and known-wrong submissions.

    Returns, per assignment, each student's expected autograded score: the known-wrong
    cases' from tests/submissions/<id>.py, 0 for the blank release, and None (the full
    autograded total, read from the gradebook) for the reference.
    """
    shutil.copy(REPO / "assignments" / "nbgrader_config.py", root / "nbgrader_config.py")
    text = (root / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(text.replace(str(REPO / "assignments"), str(root)))
    students: dict[str, dict[str, float | None]] = {}
    for assignment in ASSIGNMENTS:
        shutil.copytree(REPO / "assignments" / "source" / assignment, root / "source" / assignment)
        _generate(root, assignment)
        nb = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", 4)
        release = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", 4)
        _submit(root, assignment, "reference", nb)
        _submit(root, assignment, "blank", release)
        expected: dict[str, float | None] = {"reference": None, "blank": 0.0}
        cases = HERE / "submissions" / f"{assignment}.py"
        assert cases.is_file(), f"{cases} is missing: every assignment ships known-wrong cases"
        for name, answers, score in runpy.run_path(str(cases))["CASES"]:
            answered = nbformat.from_dict(nb)
            todo = dict(answers)
            for cell in answered.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in todo:
                    cell.source = todo.pop(gid)
            assert not todo, f"{assignment} {name}: no answer cells named {sorted(todo)}"
            _submit(root, assignment, f"wrong-{name}", answered)
            expected[f"wrong-{name}"] = float(score)
        students[assignment] = expected
    return students


def _code_scores(root: Path, assignment: str) -> tuple[dict[str, float], float]:
    """student -> autograded score, and the autograded total, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        total = float(gb.find_assignment(assignment).max_code_score)
        scores = {s.student.id: float(s.code_score) for s in gb.assignment_submissions(assignment)}
    return scores, total


@pytest.mark.slow
def test_separate_process_cluster_gives_local_scores_on_every_assignment(
    separate_cluster, tmp_path_factory
):
    """All six problem sets: reference (full marks), blank (0) and every known-wrong case
    (its expected partial score) get the same outcome, score and per-cell grades on the
    separate-process cluster as on this machine's workers."""
    local = tmp_path_factory.mktemp("every-local")
    students = _course_of_every_assignment(local)
    remote = tmp_path_factory.mktemp("every-cluster")
    shutil.copytree(local, remote, dirs_exist_ok=True)
    text = (remote / "nbgrader_config.py").read_text()
    (remote / "nbgrader_config.py").write_text(text.replace(str(local), str(remote)))
    assert len(ASSIGNMENTS) == 6 and sorted(students) == ASSIGNMENTS
    for assignment, expected in students.items():
        by_local = grade(local, assignment, jobs=2, progress=False)
        by_cluster = grade(remote, assignment, progress=False, cluster=separate_cluster.address)
        assert sorted(r.student for r in by_cluster.results) == sorted(expected)
        assert all(str(r.status) == "graded" for r in by_cluster.results), (
            format_summary(by_cluster) + separate_cluster.tail()
        )
        assert _outcomes(by_cluster) == _outcomes(by_local), assignment
        assert _cell_grades(remote, assignment) == _cell_grades(local, assignment), assignment
        scores, total = _code_scores(remote, assignment)
        assert _code_scores(local, assignment) == (scores, total)
        want = {s: total if v is None else v for s, v in expected.items()}
        assert total > 0 and scores == want, assignment


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_student(separate_cluster, tmp_path):
    """SIGKILL a worker while it grades: its tasks go to the others, everyone is graded."""
    from dask.distributed import Client

    class_ = {f"s{i:02d}": ({} if i % 2 else MINI_CLASS["b-wrong"]) for i in range(8)}
    root = _mini_course(tmp_path / "course", class_)
    victim = separate_cluster.start_worker()
    separate_cluster.wait_for(3)
    outcome: dict = {}
    thread = threading.Thread(
        target=lambda: outcome.update(
            report=grade(root, MINI, progress=False, cluster=separate_cluster.address)
        )
    )
    with Client(separate_cluster.address) as client:
        name = f"w{len(separate_cluster.workers) - 1}"
        thread.start()
        killed = False
        deadline = time.monotonic() + 300
        while thread.is_alive() and not killed and time.monotonic() < deadline:
            info = client.scheduler_info()["workers"]
            busy = client.processing()
            for address, worker in info.items():
                if worker.get("name") == name and busy.get(address):
                    os.killpg(victim.pid, signal.SIGKILL)
                    killed = True
            time.sleep(0.1)
        thread.join(timeout=600)
        names = {w.get("name") for w in client.scheduler_info()["workers"].values()}
    assert killed, "the run finished before the test could kill a worker"
    assert name not in names, f"worker {name} was killed yet is still in the scheduler"
    assert victim.poll() is not None
    results = {r.student: (str(r.status), r.score) for r in outcome["report"].results}
    want = {s: ("graded", 5.0 if answers == {} else 2.0) for s, answers in class_.items()}
    assert results == want, format_summary(outcome["report"])

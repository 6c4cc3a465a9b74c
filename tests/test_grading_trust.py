"""Grading an instructor can trust (issue 12): each hole of the issue, closed and shown closed.

One throw-away course root with the grader's small assignment (tests/grading/source/mini)
and the course's pipeline in its ``nbgrader_config.py`` (as ``assignments/`` has). A class
of honest and hostile students is submitted (one of them through nbgrader's own
release/fetch/submit/collect) and graded once by ``course grade``; the tests then look at
what each hostile student reached, and at nbgrader's own doors (``nbgrader autograde``,
``nbgrader generate_feedback``) in the same root.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from _support import run_nbgrader, venv_env

from course import cli
from course.grading import bwrap_available, format_summary, grade, load_course_config
from course.grading.results import Status, printable
from course.grading.submissions import check_submission

HERE = Path(__file__).resolve().parent / "grading"
REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "mini"
NAME = f"{ASSIGNMENT}.ipynb"
AUTO_MAX = 5.0
HAS_BWRAP = bwrap_available()
CI = os.environ.get("CI") == "true"
needs_bwrap = pytest.mark.skipif(
    not HAS_BWRAP and not CI,
    reason="bubblewrap is missing or unusable: install it with `apt-get install -y bubblewrap`",
)
#: lines of the hidden tests of mini: none may reach a student's feedback or the kernel
HIDDEN = ["add(-4, 4)", "[0, 1, 4, 9, 16]", "mean([1.5, 2.5])"]
WRONG = {"q1_add": "def add(a, b):\n    return a - b", "q3_mean": "def mean(xs):\n    return 0"}
SECRET = "course-trust-secret-4f1d"

CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "trust-test"
c.CourseDirectory.root = {root!r}
c.Exchange.root = {exchange!r}
c.Execute.timeout = 3
c.SandboxedKernelManager.tmp_size = 50_000_000
from course.grading.pipeline import configure
configure(c, {root!r})
"""

PROBE = f"""\
import json, os, pathlib
def seen(path):
    try:
        p = pathlib.Path(path)
        return p.exists() or p.is_symlink()
    except OSError:
        return False
found = {{
    "course_root": seen("__ROOT__/source"),
    "gradebook": seen("__ROOT__/gradebook.db"),
    "repo_git": seen({str(REPO / ".git")!r}),
    "repo_readme": seen({str(REPO / "README.md")!r}),
    "repo_source": seen({str(REPO / "assignments" / "source")!r}),
    "grader_home": seen(os.path.expanduser("~root/.bashrc")) or seen("/root/.bashrc"),
    "secret_env": any({SECRET!r} in v for v in os.environ.values()),
    "env_names": sorted(os.environ),
}}
def fill(path, mb):
    try:
        with open(path, "wb") as f:
            for _ in range(mb):
                f.write(b"x" * 1_000_000)
        return True
    except OSError:
        return False
found["tmp_60mb"] = fill("/tmp/fill", 60)
os.remove("/tmp/fill") if os.path.exists("/tmp/fill") else None
found["work_60mb"] = fill("fill.bin", 60)
os.remove("fill.bin") if os.path.exists("fill.bin") else None
found["shm_5mb"] = fill("/dev/shm/fill", 5)
found["dev_write"] = fill("/dev/evil", 1)
print("PROBE" + json.dumps(found))
def add(a, b):
    return a + b
"""

PAD_LOG = """\
import os
chunk = b"x" * 1_000_000
try:
    for _ in range(230):
        os.write(1, chunk)
        os.write(2, chunk)
except OSError:
    pass
def add(a, b):
    return a - b
"""

METADATA_FLOOD = """\
from IPython.display import display
for i in range(60):
    display({"text/plain": "x"}, raw=True, metadata={"pad": "m" * 900_000})
def add(a, b):
    return a - b
"""

DISPLAY_UPDATE_FLOOD = """\
from IPython.display import display, update_display
display({"text/plain": "x"}, raw=True, display_id="grow")
def add(a, b):
    return a - b
"""

DISPLAY_UPDATE_LATER = """\
from IPython.display import update_display
for i in range(40):
    update_display({"text/plain": "y" * 900_000}, raw=True, display_id="grow",
                   metadata={"pad": "m" * 900_000})
squares = [0, 1, 2, 3, 4]
"""

HISTORY = """\
ip = get_ipython()
hist = "\\x00".join(ip.history_manager.input_hist_raw) + "\\x00".join(map(str, In))
print("HIST" + "\\x01".join(hist))
def mean(xs):
    return 0
"""

#: attacks aimed at hidden tests and at checks done in the kernel
ASSERT_HOOK = """\
ip = get_ipython()
ip.set_custom_exc((AssertionError,), lambda *a, **k: None)
def add(a, b):
    return a - b
"""


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


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("trust") / "course"
    root.mkdir()
    exchange = root.parent / "exchange"
    exchange.mkdir()
    (root / "nbgrader_config.py").write_text(CONFIG.format(root=str(root), exchange=str(exchange)))
    shutil.copytree(HERE / "source", root / "source")
    done = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def _exchange_submission(root: Path) -> str:
    """Release, fetch, submit and collect one honest notebook through nbgrader's exchange."""
    done = run_nbgrader(root, "release_assignment", ASSIGNMENT, "--force", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    home = root.parent / "student-home"
    home.mkdir()
    env = {**venv_env(), "HOME": str(home)}
    flags = [
        f"--Exchange.root={root.parent / 'exchange'}",
        "--CourseDirectory.course_id=trust-test",
    ]
    fetch = subprocess.run(
        [sys.executable, "-m", "nbgrader", "fetch_assignment", ASSIGNMENT, *flags],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert fetch.returncode == 0, fetch.stdout + fetch.stderr
    source = nbformat.read(root / "source" / ASSIGNMENT / NAME, 4)
    fetched = home / ASSIGNMENT / NAME
    release = nbformat.read(fetched, 4)
    answers = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    nbformat.write(_with_answers(release, answers), fetched)
    submit = subprocess.run(
        [sys.executable, "-m", "nbgrader", "submit", ASSIGNMENT, *flags],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert submit.returncode == 0, submit.stdout + submit.stderr
    done = run_nbgrader(root, "collect", ASSIGNMENT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    collected = [p.name for p in (root / "submitted").iterdir()]
    assert len(collected) == 1, collected
    return collected[0]


@pytest.fixture(scope="module")
def graded(course):
    root = course
    exchanged = _exchange_submission(root)
    source = nbformat.read(root / "source" / ASSIGNMENT / NAME, 4)

    def submit(student, answers, extra=None):
        folder = _folder(root, student)
        nbformat.write(_with_answers(source, answers), folder / NAME)
        for name, data in (extra or {}).items():
            (folder / name).write_bytes(data)
        return folder

    submit("a-honest", {})
    submit("*", WRONG)  # a student called "*": graded as itself only
    submit("esc", {}, {"\x1b[2J\rforged,0,0\nline.txt": b"x"})
    linked = submit("hardlink", {})
    os.link(root / "source" / ASSIGNMENT / NAME, linked / "notes.ipynb")
    sparse = submit("sparse", {})
    with open(sparse / "big.bin", "wb") as handle:
        handle.truncate(40_000_000_000)
    submit("m-meta", {"q1_add": METADATA_FLOOD})
    submit("m-update", {"q1_add": DISPLAY_UPDATE_FLOOD, "q2_squares": DISPLAY_UPDATE_LATER})
    submit("n-history", {"q3_mean": HISTORY})
    submit("n-assert-hook", {"q1_add": ASSERT_HOOK, "q3_mean": WRONG["q3_mean"]})
    submit("p-pad", {"q1_add": PAD_LOG})
    submit("t-loop", {"q2_squares": "while True:\n    pass"})
    submit("z-honest", {})
    if HAS_BWRAP:
        submit("probe", {"q1_add": PROBE.replace("__ROOT__", str(root))})
    os.environ["COURSE_TRUST_SECRET"] = SECRET  # the grader's environment: never the kernel's
    try:
        report = grade(root, ASSIGNMENT, jobs=1, budget=60, progress=False)
    finally:
        os.environ.pop("COURSE_TRUST_SECRET", None)
    return {"root": root, "report": report, "results": report.by_student(), "exchanged": exchanged}


def _graded_nb(root: Path, student: str):
    return nbformat.read(root / "autograded" / student / ASSIGNMENT / NAME, 4)


def _outputs_text(nb) -> str:
    return "".join(str(o) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


# ------------------------------------------------------------------ configuration


def test_the_configuration_is_read_through_nbgrader_with_overrides(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.Execute.timeout = 9\n"
        'c.ClearHiddenTests.begin_test_delimeter = "BEGIN SECRET"\n'
        'c.ClearSolutions.end_solution_delimeter = "END ANSWER"\n'
    )
    cfg = load_course_config(tmp_path)
    assert cfg.cell_timeout == 9
    assert cfg.hidden_test_delimiters[0] == "BEGIN SECRET"
    assert cfg.hidden_test_delimiters[1] == "END HIDDEN TESTS"  # nbgrader's default
    assert cfg.solution_delimiters == ("BEGIN SOLUTION", "END ANSWER")
    assert cfg.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    other = load_course_config(tmp_path, db_url="sqlite:////elsewhere/gb.db", cell_timeout=4)
    assert (other.db_url, other.cell_timeout) == ("sqlite:////elsewhere/gb.db", 4)
    with pytest.raises(ValueError, match="not a database URL"):
        load_course_config(tmp_path, db_url="gradebook.db")
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nraise OSError('boom')\n")
    with pytest.raises(ValueError, match="could not be loaded"):
        load_course_config(tmp_path)


@pytest.mark.slow
def test_course_run_by_its_path_grades_into_the_db_url_it_is_given(course, tmp_path):
    """`.venv/bin/course grade --db-url` with the venv not on PATH (nbgrader needs alembic)."""
    fresh = tmp_path / "fresh.db"
    env = {**venv_env(), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "course"), "grade", ASSIGNMENT, "--course", str(course),
         "--db-url", f"sqlite:///{fresh}"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "is not in the gradebook" in done.stderr and str(fresh) in done.stderr, done.stderr
    assert "alembic" not in done.stderr.lower()
    assert fresh.exists()  # nbgrader created (and migrated) the fresh gradebook itself


# ------------------------------------------------------------------ submissions


def test_hard_links_and_over_size_files_are_refused_before_reading(tmp_path):
    nb = nbformat.read(HERE / "source" / ASSIGNMENT / NAME, 4)
    nbformat.write(nb, tmp_path / NAME)
    assert check_submission(tmp_path, [NAME]) is None
    os.link(tmp_path / NAME, tmp_path / "copy.ipynb")
    assert "hard link" in check_submission(tmp_path, [NAME])
    (tmp_path / "copy.ipynb").unlink()
    with open(tmp_path / "sparse.bin", "wb") as handle:
        handle.truncate(10**12)  # a terabyte that takes no disk
    assert "too large" in check_submission(tmp_path, [NAME])
    (tmp_path / "sparse.bin").unlink()
    for i in range(6):
        (tmp_path / f"part{i}.bin").write_bytes(b"x" * 1000)
    assert "submission is too large" in check_submission(tmp_path, [NAME], max_total=5000)
    if shutil.which("fallocate"):
        blocks = tmp_path / "blocks.bin"  # small apparent size, big on disk
        done = subprocess.run(["fallocate", "-n", "-l", "30000000", str(blocks)], check=False)
        if done.returncode == 0 and blocks.stat().st_size == 0:
            assert "too large" in check_submission(tmp_path, [NAME], max_bytes=20_000_000)


@pytest.mark.slow
def test_refused_submissions_stop_no_one(graded):
    results = graded["results"]
    assert results["hardlink"].status == Status.INVALID
    assert "hard link" in results["hardlink"].reason
    assert results["sparse"].status == Status.INVALID
    assert "too large" in results["sparse"].reason
    for student in ("a-honest", "z-honest"):
        assert (results[student].status, results[student].score) == ("graded", AUTO_MAX)


@pytest.mark.slow
def test_a_student_called_star_is_refused_and_harms_no_one(graded):
    """nbgrader globs the folder it found again, so '*' would grade everyone's notebooks."""
    from nbgrader.api import Gradebook, MissingEntry

    root = graded["root"]
    star = graded["results"]["*"]
    assert star.status == Status.INVALID and "glob character" in star.reason
    with Gradebook(load_course_config(root).db_url) as gb:
        with pytest.raises(MissingEntry):
            gb.find_submission(ASSIGNMENT, "*")
        assert gb.find_submission(ASSIGNMENT, "a-honest").code_score == AUTO_MAX
        assert gb.find_submission(ASSIGNMENT, "z-honest").code_score == AUTO_MAX
    assert (root / "autograded" / "a-honest" / ASSIGNMENT / NAME).is_file()
    assert not (root / "autograded" / "*").exists()


@pytest.mark.slow
def test_files_nbgrader_submit_writes_are_not_flagged(graded):
    student = graded["exchanged"]
    submitted = graded["root"] / "submitted" / student / ASSIGNMENT
    assert (submitted / "submission_secret.txt").exists() or (submitted / "timestamp.txt").exists()
    result = graded["results"][student]
    assert (result.status, result.score, result.flags) == ("graded", AUTO_MAX, [])


@pytest.mark.slow
def test_control_characters_never_reach_the_terminal_or_the_csv(graded):
    from course.grading import report as report_mod

    summary = format_summary(graded["report"])
    assert "\x1b" not in summary and "\r" not in summary
    assert len(summary.splitlines()) == 1 + len(graded["results"]) + 1
    flags = graded["results"]["esc"].flags
    assert flags and all("\x1b" not in str(f) for f in map(printable, flags))
    paths = report_mod.build(graded["root"], ASSIGNMENT)
    text = Path(paths["csv"]).read_text()
    assert "\x1b" not in text and "\r\n" not in text.replace("\r\n", "\n").replace("\n", "")
    rows = list(csv.DictReader(text.splitlines()))
    assert sorted(r["student"] for r in rows) == sorted(graded["results"])


# ------------------------------------------------------------------ bounded resources


@pytest.mark.slow
def test_one_kernel_padding_its_log_harms_nobody_after_it(graded):
    results = graded["results"]
    assert results["p-pad"].score == 4.0  # only its add is wrong
    # t-loop and z-honest ran after p-pad in the same (single) worker
    assert (results["z-honest"].status, results["z-honest"].score) == ("graded", AUTO_MAX)
    assert results["t-loop"].status == "graded"


@pytest.mark.slow
@pytest.mark.parametrize("student, deserved", [("m-meta", 4.0), ("m-update", 2.0)])
def test_output_caps_count_metadata_and_display_updates(graded, student, deserved):
    path = graded["root"] / "autograded" / student / ASSIGNMENT / NAME
    assert path.stat().st_size < 12_000_000, path.stat().st_size
    assert graded["results"][student].score == deserved


@pytest.mark.slow
def test_a_timed_out_cell_gives_a_timeout_reason_naming_the_limit(graded):
    from course.grading import feedback

    result = graded["results"]["t-loop"]
    assert result.status == "graded" and result.score == 3.0
    assert "timeout" in result.reason and "3 s" in result.reason
    assert "timeout" in format_summary(graded["report"]).split("t-loop", 1)[1].splitlines()[0]
    from course.grading import report as report_mod

    paths = report_mod.build(graded["root"], ASSIGNMENT)
    rows = list(csv.DictReader(Path(paths["csv"]).read_text().splitlines()))
    (row,) = [r for r in rows if r["student"] == "t-loop"]
    assert "timeout" in row["reason"] and "3 s" in row["reason"]
    pages = feedback.generate(graded["root"], ASSIGNMENT, student="t-loop")
    page = pages[0].read_text()
    assert "3 s cell time limit" in page
    assert "KeyboardInterrupt" not in page and "CellTimeoutError: No reply" not in page


# ------------------------------------------------------------------ hidden tests


@pytest.mark.slow
def test_hidden_tests_never_run_in_the_kernel(graded):
    nb = _graded_nb(graded["root"], "n-history")
    text = _outputs_text(nb)
    assert "HIST" in text  # the attack ran
    shown = text.replace("\\x01", "").replace("\x01", "")
    for line in HIDDEN:
        assert line not in shown, line
    assert graded["results"]["n-history"].score == 3.0


@pytest.mark.slow
def test_an_in_kernel_exception_hook_earns_nothing(graded):
    assert graded["results"]["n-assert-hook"].score == 2.0


@pytest.mark.slow
def test_course_feedback_shows_no_hidden_test_and_no_grading_output(graded):
    from course.grading import feedback

    pages = feedback.generate(graded["root"], ASSIGNMENT)
    assert pages
    for page in pages:
        text = page.read_text()
        for line in HIDDEN:
            assert line not in text, (page, line)
        # what the grading run printed is not shown (the sources are the student's own)
        assert "\x01" not in text and 'PROBE{"' not in text


# ------------------------------------------------------------------ sandbox


@pytest.mark.slow
@needs_bwrap
def test_the_sandbox_is_an_allow_list_with_bounded_space(graded):
    import json

    nb = _graded_nb(graded["root"], "probe")
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    seen = json.loads(text.split("PROBE", 1)[1].splitlines()[0])
    names = seen.pop("env_names")
    assert not any(n.startswith(("COURSE_", "JPY_", "VIRTUAL_ENV", "PYTEST")) for n in names), names
    assert not any(seen.values()), seen
    assert graded["results"]["probe"].score == AUTO_MAX


# ------------------------------------------------------------------ nbgrader's doors


@pytest.mark.slow
def test_plain_nbgrader_generate_feedback_shows_no_hidden_test(graded):
    root = graded["root"]
    done = run_nbgrader(root, "generate_feedback", ASSIGNMENT, "--force", timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    pages = list((root / "feedback").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        for line in HIDDEN:
            assert line not in text, (page, line)


@pytest.mark.slow
def test_plain_nbgrader_autograde_gives_a_hostile_submission_no_point(graded):
    from nbgrader.api import Gradebook

    root = graded["root"]
    source = nbformat.read(root / "source" / ASSIGNMENT / NAME, 4)
    hostile = {**WRONG, "q1_add": ASSERT_HOOK, "q2_squares": "squares = 'none'"}
    nbformat.write(_with_answers(source, hostile), _folder(root, "door") / NAME)
    linked = _folder(root, "door-link")
    nbformat.write(_with_answers(source, WRONG), linked / NAME)
    os.link(root / "source" / ASSIGNMENT / NAME, linked / "copy.ipynb")
    done = run_nbgrader(root, "autograde", ASSIGNMENT, "--student", "door*", timeout=600)
    assert "refused before grading" in done.stdout + done.stderr
    with Gradebook(load_course_config(root).db_url) as gb:
        assert gb.find_submission(ASSIGNMENT, "door").code_score == 0.0
        # refused before any kernel ran: nbgrader keeps an empty submission, no points
        assert gb.find_submission(ASSIGNMENT, "door-link").code_score == 0.0
    nb = _graded_nb(root, "door")
    assert all(line not in _outputs_text(nb) for line in HIDDEN)


@pytest.mark.slow
def test_cli_summary_escapes_names(graded, capsys):
    code = cli.main(["grade", ASSIGNMENT, "--course", str(graded["root"]), "--student", "esc"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out and "\r" not in out


# ------------------------------------------------------------------ library hooks


def test_the_private_hooks_the_grader_still_relies_on_exist():
    """Fails loudly when nbclient or jupyter_client drop a private name the grader uses.

    Public hooks are used where they exist (``error_on_timeout``, ``client()``,
    ``kernel_manager_class``); these private ones have no public equivalent yet.
    """
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    from course.grading.sandbox import SandboxedKernelManager

    client = NotebookClient(nbformat.v4.new_notebook())
    missing = [
        name
        for name, ok in {
            "NotebookClient._cleanup_kernel (VerifiedExecute shuts a pooled kernel)": callable(
                getattr(NotebookClient, "_cleanup_kernel", None)
            ),
            "NotebookClient._display_id_map (display updates into test cells)": isinstance(
                getattr(client, "_display_id_map", None), dict
            ),
            "AsyncKernelManager._async_pre_start_kernel (private working copy, own log)": (
                callable(getattr(AsyncKernelManager, "_async_pre_start_kernel", None))
            ),
            "AsyncKernelManager._async_cleanup_resources (scratch folders removed)": callable(
                getattr(AsyncKernelManager, "_async_cleanup_resources", None)
            ),
        }.items()
        if not ok
    ]
    assert not missing, f"private hooks gone, the grader must be adapted: {missing}"
    # an override of a hook the library no longer calls would be skipped silently (the
    # kernel would run in the submission folder itself, logging into the worker's file)
    import inspect

    not_called = [
        f"{caller.__qualname__} no longer calls {hook}"
        for caller, hook in [
            (AsyncKernelManager._async_start_kernel, "_async_pre_start_kernel"),
            (AsyncKernelManager._async_shutdown_kernel, "_async_cleanup_resources"),
            (NotebookClient.output, "_display_id_map"),
        ]
        if hook not in inspect.getsource(caller)
    ]
    assert not not_called, f"private hooks no longer used by the library: {not_called}"
    assert "error_on_timeout" in NotebookClient.class_trait_names()
    assert SandboxedKernelManager.client is not AsyncKernelManager.client


def test_sandbox_mounts_the_package_and_its_linked_data_but_never_the_repository():
    """``course/seeds`` links to ``../seeds``: a kernel needs the seed register (ps05 reads it),
    so the link's target is mounted, and nothing else of the repository around the package."""
    import os

    import course
    from course.grading.sandbox import python_paths

    package = os.path.realpath(os.path.dirname(course.__file__))
    repository = os.path.dirname(package)
    seeds = os.path.realpath(os.path.join(package, "seeds"))
    paths = python_paths()
    assert package in paths
    assert seeds in paths, "the seed register the package links to is not mounted"
    assert repository not in paths
    allowed = {package, seeds, os.path.realpath(sys.prefix)}
    inside = {p for p in paths if p.startswith(repository + os.sep)}
    assert inside <= allowed, f"more of the repository is mounted: {sorted(inside - allowed)}"


def test_sandbox_mounts_the_package_the_kernel_imports_not_a_copy_beside_the_grader(tmp_path):
    """A grader started in a copy of the repository (JupyterLab's Validate in a scratch copy)
    imports ``course`` from that copy; the kernel, started in its own folder, imports the
    installed one. The mounts are the kernel's: before, the copy was mounted and every
    solution cell failed with ``No module named 'course'``."""
    import course

    installed = os.path.realpath(os.path.dirname(course.__file__))
    shutil.copytree(installed, tmp_path / "course", symlinks=True)
    probe = (
        "import json, course\n"
        "from course.grading.sandbox import python_paths\n"
        "print(json.dumps([course.__file__, python_paths()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    imported, paths = json.loads(done.stdout.splitlines()[-1])
    assert imported.startswith(str(tmp_path)), "the probe did not import the copy"
    assert installed in paths, paths
    assert str(tmp_path / "course") not in paths, paths

"""course.grading against a corpus of hostile and broken submissions (tests/grading/hostile.py).

One throw-away course root holds the grader's own assignment ``mini``; the whole class is
submitted and graded ONCE with two workers. Students are named so that each worker
alternates honest and hostile submissions (sorted positions 0,1 honest, 2,3 hostile, 4,5
honest ...; a worker takes every second one), so every hostile notebook is graded right
after and right before an honest one in the same worker. Then:

- each case gets the status it deserves and at most the auto score it deserves (0 for every
  hostile one: they all answer wrong);
- every honest student gets exactly its score (5 or 0);
- the course's files (source/, release/, nbgrader_config.py, every submission) are
  byte-for-byte unchanged, and no student appears in the gradebook that was not submitted;
- nothing was planted in the grader's HOME or site-packages, the network was not reachable,
  and no process started by a submission is alive after grading.

Cases whose outcome relies on the sandbox (files, processes, network) are only submitted
when bubblewrap works here; without it their checks are skipped with the reason. Without
``bwrap`` the whole module is skipped, except under ``CI=true``.

``COURSE_HOSTILE_CASES=name,name`` (or ``-name,-name`` to leave some out) restricts the
corpus while debugging one case; CI runs all of them.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import site
import stat
import sysconfig
import threading
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from _support import in_ci, run_nbgrader
from grading import hostile

from course.grading import bwrap_available, grade

HERE = Path(__file__).resolve().parent / "grading"
ASSIGNMENT = hostile.ASSIGNMENT
JOBS, BUDGET = 2, 20

if shutil.which("bwrap") is None and not in_ci():
    pytest.skip(
        "bubblewrap (bwrap) is not installed: hostile notebooks are only graded here inside the "
        "sandbox (apt-get install -y bubblewrap); under CI=true this module runs anyway",
        allow_module_level=True,
    )

SANDBOXED = bwrap_available()
NO_SANDBOX = (
    "needs the bwrap sandbox (bwrap_available() is False here): this submission attacks files, "
    "processes or the network, so it is not submitted and its outcome is not checked"
)


def _selected() -> list[hostile.Case]:
    wanted = [n.strip() for n in os.environ.get("COURSE_HOSTILE_CASES", "").split(",") if n]
    keep = {n for n in wanted if not n.startswith("-")}
    drop = {n[1:] for n in wanted if n.startswith("-")}
    unknown = (keep | drop) - set(hostile.BY_NAME)
    assert not unknown, f"COURSE_HOSTILE_CASES names unknown cases: {sorted(unknown)}"
    return [c for c in hostile.CASES if (not keep or c.name in keep) and c.name not in drop]


def _executed(cases: list[hostile.Case]) -> list[hostile.Case]:
    """The cases whose notebook runs in its own seat (not refused, not a linked copy)."""
    return [c for c in cases if c.status != "invalid" and not c.student]


def _roster(cases: list[hostile.Case]) -> dict[str, object]:
    """Student id -> hostile Case, or the score of an honest student (5.0 right, 0.0 wrong).

    Executed cases come in pairs between pairs of honest students (one right, one wrong,
    in alternating order), plus a last honest pair after the last case.
    """
    executed = _executed(cases)
    groups = [executed[i : i + 2] for i in range(0, len(executed), 2)] + [[]]
    roster: dict[str, object] = {}
    position = 0
    for k, group in enumerate(groups):
        for right in (k % 2 == 0, k % 2 == 1):
            kind = "right" if right else "wrong"
            roster[f"s{position:03d}-honest-{kind}"] = hostile.AUTO_MAX if right else 0.0
            position += 1
        for case in group:
            roster[f"s{position:03d}-{case.name}"] = case
            position += 1
    for case in cases:
        if case.status == "invalid" or case.student:
            roster[case.student or f"t-{case.name}"] = case
    return roster


class _Answers(http.server.BaseHTTPRequestHandler):
    """Serves the right answers: a kernel that reaches it has the network."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Answers.hits.append(self.path)
        body = hostile.RIGHT_SOURCE.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _snapshot(root: Path) -> dict[Path, tuple]:
    """Every entry of source/, release/, submitted/ and nbgrader_config.py (links not followed)."""
    found: dict[Path, tuple] = {}
    paths = [root / "nbgrader_config.py"]
    for top in ("source", "release", "submitted"):
        for dirpath, dirnames, filenames in os.walk(root / top):
            paths += [Path(dirpath) / n for n in dirnames + filenames]
    for path in paths:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[path] = ("link", os.readlink(path))
        elif stat.S_ISREG(mode) and path.lstat().st_size > 50_000_000:
            info = path.lstat()  # a sparse or huge file of a refused submission: not read
            found[path] = ("big", info.st_size, info.st_mtime_ns, info.st_ino)
        elif stat.S_ISREG(mode):
            found[path] = ("file", path.read_bytes())
        else:
            found[path] = ("other", stat.S_IFMT(mode))
    return found


def _watched() -> list[Path]:
    """Folders where a planted file would run in the grader's later processes."""
    home = Path.home()
    paths = sysconfig.get_paths()
    return [
        home,
        home / ".ipython" / "profile_default" / "startup",
        Path(paths["purelib"]),
        Path(paths["stdlib"]),
        Path(site.getusersitepackages()),
        *map(Path, site.getsitepackages()),
    ]


def _listing(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def _planted(before: dict[Path, set[str]], token: str) -> list[Path]:
    """New files in the watched folders that a submission could have planted."""
    found = []
    for folder, names in before.items():
        for name in sorted(_listing(folder) - names):
            suspicious = (
                token in name
                or name.endswith(".pth")
                or name in {"sitecustomize.py", "usercustomize.py"}
                or folder.name == "startup"
            )
            if suspicious:
                found.append(folder / name)
    return found


def _remove_planted(paths: list[Path], token: str) -> None:
    """Delete what this run's submissions planted (their names or contents carry the token)."""
    for path in paths:
        try:
            ours = token in path.name or token in path.read_text(errors="replace")
        except OSError:
            ours = token in path.name
        if ours:
            path.unlink(missing_ok=True)


def _survivors(root: Path, token: str) -> list[tuple[int, str]]:
    """Processes started by this run's submissions: the token in their command line, or a
    working folder inside the course root."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        if proc.pid == os.getpid():
            continue
        cmdline = " ".join(proc.info.get("cmdline") or [])
        cwd = proc.info.get("cwd") or ""
        if token in cmdline or cwd == str(root) or cwd.startswith(f"{root}/"):
            found.append((proc.pid, cmdline[:200]))
    return found


def _gradebook(root: Path, students) -> tuple[dict, dict, list[str]]:
    """Per student: the auto (code) score or None when not in the gradebook, and the test
    cells left without an automatic verdict; plus every student id in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, float | None] = {}
    unscored: dict[str, list[str]] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            try:
                scores[student] = float(gb.find_submission(ASSIGNMENT, student).code_score)
                notebook = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
                unscored[student] = sorted(
                    g.name
                    for g in notebook.grades
                    if g.cell_type == "code" and g.auto_score is None
                )
            except MissingEntry:
                scores[student] = None
        enrolled = sorted(s.id for s in gb.students)
    return scores, unscored, enrolled


def _summary(graded: dict) -> str:
    lines = [f"graded in {graded['seconds']:.0f} s, sandboxed={graded['report'].sandboxed}"]
    for student, entry in graded["roster"].items():
        if not isinstance(entry, hostile.Case):
            continue
        result = graded["results"].get(student)
        code = graded["code_scores"].get(student)
        earned = code is not None and code > entry.max_auto_score
        lines.append(
            f"{entry.kind:24} {entry.name:36} {result.status if result else '-':8} "
            f"code={code if code is not None else '-':<5} "
            f"{'EARNED ' if earned else ''}{(result.reason if result else '')[:70]}"
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-course").resolve()
    (root / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "hostile-test"\nc.Execute.timeout = 3\n'
        "c.SandboxedKernelManager.tmp_size = 100_000_000\n"
    )
    shutil.copytree(HERE / "source", root / "source")
    done = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

    token = f"hostile{uuid.uuid4().hex[:10]}"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/answers.py"

    cases = [c for c in _selected() if SANDBOXED or not c.sandbox]
    roster = _roster(cases)
    release = root / "release" / ASSIGNMENT / hostile.NOTEBOOK
    victim = next(s for s, e in roster.items() if e == hostile.AUTO_MAX)
    # honest students first: some broken submissions link to one of them
    for student, entry in sorted(roster.items(), key=lambda kv: isinstance(kv[1], hostile.Case)):
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nb = hostile.read_notebook(release)  # what students get: no solutions, no hidden tests
        if isinstance(entry, hostile.Case):
            ctx = hostile.Context(nb, folder, root, student, token, url, victim)
            entry.build(ctx)
        else:
            answer = hostile.right_answers if entry else hostile.wrong_answers
            nbformat.write(answer(nb), folder / hostile.NOTEBOOK)

    before = _snapshot(root)
    watched = {folder: _listing(folder) for folder in _watched()}
    _Answers.hits.clear()
    began = time.monotonic()
    try:
        report = grade(root, ASSIGNMENT, jobs=JOBS, budget=BUDGET, progress=False)
        seconds = time.monotonic() - began
        time.sleep(3)  # a process that outlived its kernel writes its marker within 1.5 s
    finally:
        survivors = _survivors(root, token)
        for pid, _ in survivors:  # started by this run's submissions: stop them
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        planted = _planted(watched, token)
        _remove_planted(planted, token)
        server.shutdown()
    results = report.by_student()
    graded = {
        "root": root,
        "token": token,
        "roster": roster,
        "report": report,
        "results": results,
        "seconds": seconds,
        "before": before,
        "survivors": survivors,
        "planted": planted,
        "markers": sorted(p for p in root.rglob(f"*{token}*")),
        "hits": list(_Answers.hits),
    }
    graded["code_scores"], graded["unscored"], graded["enrolled"] = _gradebook(root, roster)
    print("\n" + _summary(graded))
    return graded


def _student(graded: dict, case: hostile.Case) -> str:
    for student, entry in graded["roster"].items():
        if entry is case:
            return student
    if case.sandbox and not SANDBOXED:
        pytest.skip(NO_SANDBOX)
    pytest.skip("left out by COURSE_HOSTILE_CASES")


def test_the_corpus_is_well_formed():
    hostile.check_corpus()
    hostile_cases = [c for c in hostile.CASES if c.kind != "broken-format"]
    assert len(hostile.CASES) >= 105  # 85 before issue 12, 23 added for it
    assert {c.kind for c in hostile.CASES} == set(hostile.KINDS)
    assert all(c.max_auto_score == 0 for c in hostile_cases)
    # _roster pairs executed cases between honest pairs, alternating in each of two lanes
    assert len(_executed(hostile.CASES)) % 2 == 0, (
        "add or remove one executed case: the roster pairs them"
    )


def test_the_roster_alternates_honest_and_hostile_in_each_worker():
    roster = _roster(hostile.CASES)
    todo = sorted(
        s
        for s, e in roster.items()
        if getattr(e, "status", "") != "invalid" and not getattr(e, "student", "")
    )
    for lane in (todo[0::JOBS], todo[1::JOBS]):
        kinds = [isinstance(roster[s], hostile.Case) for s in lane]
        assert kinds[0] is False and kinds[-1] is False
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False)), lane
        honest = [roster[s] for s in lane if not isinstance(roster[s], hostile.Case)]
        assert {hostile.AUTO_MAX, 0.0} <= set(honest)


@pytest.mark.slow
@pytest.mark.parametrize("case", hostile.CASES, ids=lambda c: c.name)
def test_each_case_gets_the_status_it_deserves(graded, case):
    student = _student(graded, case)
    result = graded["results"][student]
    assert result.status == case.status, f"{case.kind}/{case.name}: {result}"
    if case.status == "invalid":
        assert result.score is None and result.reason


@pytest.mark.slow
@pytest.mark.parametrize("case", hostile.CASES, ids=lambda c: c.name)
def test_no_case_earns_undeserved_auto_points(graded, case):
    student = _student(graded, case)
    code = graded["code_scores"][student]
    if case.status == "invalid":
        assert code is None, f"{case.name} is in the gradebook with {code} points"
    elif code is not None:
        assert code <= case.max_auto_score, (
            f"{case.kind}/{case.name} earned {code} auto points (deserves at most "
            f"{case.max_auto_score}): {graded['results'][student]}"
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", [c for c in hostile.CASES if c.status == "graded"], ids=lambda c: c.name
)
def test_every_test_cell_of_a_graded_case_gets_an_automatic_verdict(graded, case):
    # a test cell deleted or disguised must come back and fail, not wait for a human
    student = _student(graded, case)
    assert graded["results"][student].status == "graded", graded["results"][student]
    assert not graded["unscored"].get(student), (
        f"{case.name}: test cells left for manual grading: {graded['unscored'][student]}"
    )


@pytest.mark.slow
def test_honest_students_get_exactly_their_scores(graded):
    wrong = {}
    for student, entry in graded["roster"].items():
        if isinstance(entry, hostile.Case):
            continue
        result = graded["results"][student]
        code = graded["code_scores"][student]
        if result.status != "graded" or code != entry or graded["unscored"].get(student):
            wrong[student] = (result.status, code, entry, result.reason)
    assert not wrong, f"honest students hurt by their neighbours: {wrong}"


@pytest.mark.slow
def test_honest_graded_notebooks_are_intact(graded):
    # a neighbour must not rewrite the graded copy (the feedback) of someone graded before it
    root = graded["root"]
    source = hostile.read_notebook(root / "source" / ASSIGNMENT / hostile.NOTEBOOK)
    ids = {c.metadata["nbgrader"]["grade_id"] for c in source.cells if "nbgrader" in c.metadata}
    broken = {}
    for student, entry in graded["roster"].items():
        if isinstance(entry, hostile.Case):
            continue
        path = root / "autograded" / student / ASSIGNMENT / hostile.NOTEBOOK
        try:
            nb = nbformat.read(path, as_version=4)
            missing = ids - {(c.metadata.get("nbgrader") or {}).get("grade_id") for c in nb.cells}
        except Exception as exc:  # missing, not JSON, not a notebook
            missing = f"{type(exc).__name__}: {exc}"[:200]
        if missing:
            broken[student] = missing
    assert not broken, f"graded notebooks of honest students damaged: {broken}"


@pytest.mark.slow
def test_course_files_are_unchanged(graded):
    after = _snapshot(graded["root"])
    before = graded["before"]
    changed = sorted(str(p) for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert not changed, f"course files changed during grading: {changed[:20]}"


@pytest.mark.slow
def test_only_submitted_students_are_in_the_gradebook(graded):
    extra = set(graded["enrolled"]) - set(graded["roster"])
    assert not extra, f"students nobody submitted appeared in the gradebook: {sorted(extra)}"


@pytest.mark.slow
def test_nothing_was_planted_in_home_or_site_packages(graded):
    assert not graded["planted"], f"planted by submissions (now removed): {graded['planted']}"
    home = [p for p in graded["markers"] if "home-marker" in p.name]
    assert not home and not list(Path.home().glob(f"*{graded['token']}*"))


@pytest.mark.slow
def test_no_marker_of_an_escaped_attack(graded):
    # files named with the run's token: a planted file that ran, a config the grader
    # executed, a process that outlived its kernel
    assert not graded["markers"], [str(p) for p in graded["markers"]]


@pytest.mark.slow
def test_no_process_outlives_grading(graded):
    assert not graded["survivors"], f"still running after grading (killed): {graded['survivors']}"


@pytest.mark.slow
def test_the_network_was_not_reachable(graded):
    if not SANDBOXED:
        pytest.skip(NO_SANDBOX)
    assert not graded["hits"], f"a kernel fetched {graded['hits']} from the test's server"


@pytest.mark.slow
def test_kernels_were_sandboxed_when_bwrap_works(graded):
    assert graded["report"].sandboxed is SANDBOXED


def _hidden_lines(root: Path) -> list[str]:
    from course.grading.config import load_course_config
    from course.grading.visible import blank_split

    delimiters = load_course_config(root).hidden_test_delimiters
    source = hostile.read_notebook(root / "source" / ASSIGNMENT / hostile.NOTEBOOK)
    lines = []
    for c in source.cells:
        if c.cell_type == "code":
            lines += [ln.strip() for ln in blank_split(c.source, delimiters)[1].split("\n")]
    return [ln for ln in lines if ln]


@pytest.mark.slow
def test_no_hidden_test_in_any_graded_notebook(graded):
    """Hidden tests never run in the kernel: no output of any student's kernel holds one."""
    root, token = graded["root"], graded["token"]
    hidden = _hidden_lines(root)
    assert hidden
    found = {}
    for student in graded["roster"]:
        path = root / "autograded" / student / ASSIGNMENT / hostile.NOTEBOOK
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        text = "".join(str(o) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        text = text.replace("\\x01", "").replace("\x01", "")
        hits = [h for h in hidden if h in text] + (
            [f"LEAK{token}"] if f"LEAK{token}" in text else []
        )
        if hits:
            found[student] = hits
    assert not found, f"hidden tests or stolen files in graded outputs: {found}"


@pytest.mark.slow
def test_feedback_of_every_student_shows_no_hidden_test_and_nothing_the_kernel_saw(graded):
    from course.grading import feedback

    root, token = graded["root"], graded["token"]
    hidden = _hidden_lines(root)
    pages = feedback.generate(root, ASSIGNMENT)
    assert pages
    found = {}
    for page in pages:
        text = page.read_text(errors="replace")
        hits = [h for h in hidden if h in text]
        hits += [m for m in (f"LEAK{token}", f"INPUTS{token}", "\x01") if m in text]
        if hits:
            found[str(page.relative_to(root))] = hits
    assert not found, found


@pytest.mark.slow
def test_graded_notebooks_stay_within_the_output_caps(graded):
    root = graded["root"]
    big = {
        p.parent.parent.name: p.stat().st_size
        for p in (root / "autograded").glob(f"*/{ASSIGNMENT}/{hostile.NOTEBOOK}")
        if p.stat().st_size > 12_000_000
    }
    assert not big, big


@pytest.mark.slow
def test_the_summary_prints_no_control_character(graded):
    from course.grading import format_summary

    summary = format_summary(graded["report"])
    assert "\x1b" not in summary and "\r" not in summary
    extra = 0 if graded["report"].sandboxed else 1
    assert len(summary.splitlines()) == len(graded["results"]) + 2 + extra

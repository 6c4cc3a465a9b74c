"""`make lab` in a real browser: every lesson runs, an explorer answers the keyboard, and
nbgrader's Validate button works on an assignment's source and release notebooks.

Issue 8 asks for JupyterLab started by the tests on 127.0.0.1 with a token, where a lesson
with an explorer runs, a slider moved with the keyboard changes the displayed result, and an
assignment's release notebook shows nbgrader's Validate button; and "every later lesson must
pass the same browser tests". So the lesson test is parametrized over `lessons/*.ipynb`: a
new lesson is covered without touching this file. One JupyterLab server and one browser serve
every test of this module (starting them is the slow part); each test opens its notebook in a
page of its own, except that the slider test reuses the page its lesson's test ran.

It needs Debian's Chromium and the Python package playwright (in the `dev` extra). It never
uses `playwright install`: that downloads a browser of its own, which fails offline. Set
COURSE_CHROMIUM to use a Chromium other than /usr/bin/chromium. Without them the tests skip,
and with CI=true they fail instead.

JupyterLab serves a scratch copy of the repository, not the repository itself: opening a
notebook writes `.ipynb_checkpoints/`, the Validate button saves the notebook before it
validates it, which rewrites its metadata (`language_info`), and `nbgrader
generate_assignment` writes `assignments/release/` and `assignments/gradebook.db`. The copy
keeps every such write out of the working tree; the copy is laid out like the repository, so
the root `nbgrader_config.py` and `assignments/nbgrader_config.py` are found exactly as in
`make lab`.

Screenshots (one per lesson at its first figure, one per explorer, the slider before and after,
both validation dialogs, and one of any failure) go to COURSE_SCREENSHOTS, by default
`course-browser/` in the system's temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from _support import CHROMIUM_ARGS, require_chromium

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
# Every lesson, so that a new one gets the same browser checks without a change here.
LESSONS = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("lessons/*.ipynb"))
ASSIGNMENT_ID = "ps01-the-order"
ASSIGNMENT = f"assignments/source/{ASSIGNMENT_ID}/{ASSIGNMENT_ID}.ipynb"
RELEASE = f"assignments/release/{ASSIGNMENT_ID}/{ASSIGNMENT_ID}.ipynb"
SCREENSHOTS = Path(
    os.environ.get("COURSE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "course-browser"
)


# Generous bounds for a loaded CI machine; on a quiet one the whole module takes about 70 s.
SERVER_START_S = 60
GENERATE_S = 180
UI_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 120_000
VALIDATE_TIMEOUT_MS = 120_000

# What the repository holds that `make lab` does not need or that nbgrader and tools generate.
_SKIP_ANYWHERE = {
    ".git",
    ".venv",
    ".lock-venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
}
_SKIP_AT_TOP = {"build", "dist"}
_SKIP_IN_ASSIGNMENTS = {
    "release",
    "submitted",
    "autograded",
    "feedback",
    "exchange",
    "gradebook.db",
    ".nbgrader.log",
}

# The notebook JupyterLab shows (each test's page holds one).
PANEL = "#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)"
# Tracebacks and stderr streams are both rendered with this MIME type, in a cell's output
# area and in an ipywidgets Output inside it alike.
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
PNG = ".jp-OutputArea-output[data-mime-type='image/png']"


def _ignore(folder: str, names: list[str]) -> set[str]:
    skip = {n for n in names if n in _SKIP_ANYWHERE or n.endswith(".egg-info")}
    here = Path(folder).resolve()
    if here == ROOT:
        skip |= _SKIP_AT_TOP.intersection(names)
    elif here == ROOT / "assignments":
        skip |= _SKIP_IN_ASSIGNMENTS.intersection(names)
    elif here == ROOT / "site":
        skip |= {"_build"} & set(names)  # the built website (`make site`), megabytes of output
    return skip


def _code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _lesson_with(call: str) -> str | None:
    """The first lesson whose code calls ``call`` (e.g. ``threshold_explorer(``)."""
    for lesson in LESSONS:
        if any(call in c.source for c in _code_cells(ROOT / lesson)):
            return lesson
    return None


THRESHOLD_LESSON = _lesson_with("threshold_explorer(")


@pytest.fixture(scope="module")
def chromium() -> Path:
    """The Chromium to drive; skips (fails on CI) when it or playwright is missing."""
    return require_chromium()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_lab_settings(settings_dir: Path) -> None:
    """User settings for this server only: no news toast over the notebook (and no web request)."""
    path = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"fetchNews": "false"}))


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM lets jupyter shut its kernels down; anything it leaves behind is killed by pid."""
    import psutil  # a dependency of ipykernel

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=5)
    for child in alive:
        child.kill()
    psutil.wait_procs(alive, timeout=5)


class Course:
    """The scratch copy, the environment `make lab` gives its tools, and the release build."""

    def __init__(self, path: Path, env: dict[str, str], token: str, home: Path):
        self.path, self.env, self.token, self.home = path, env, token, home
        self.generate: subprocess.Popen | None = None
        self.generate_log = home / "generate_assignment.log"

    def start_release(self) -> None:
        """`make release`'s first step, in the background while JupyterLab starts."""
        with self.generate_log.open("wb") as out:
            self.generate = subprocess.Popen(
                [str(VENV_BIN / "nbgrader"), "generate_assignment", ASSIGNMENT_ID, "--force"],
                cwd=self.path / "assignments",
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def wait_for_release(self) -> Path:
        assert self.generate is not None
        try:
            code = self.generate.wait(timeout=GENERATE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"nbgrader generate_assignment took over {GENERATE_S} s")
        log = self.generate_log.read_text(errors="replace")[-4000:]
        assert code == 0, f"nbgrader generate_assignment exited with {code}:\n{log}"
        release = self.path / RELEASE
        assert release.is_file(), f"nbgrader generate_assignment wrote no {RELEASE}:\n{log}"
        return release


@pytest.fixture(scope="module")
def course(chromium, tmp_path_factory, request) -> Course:
    """A scratch copy of the repository laid out as `make lab` leaves it."""
    scratch = tmp_path_factory.mktemp("browser")
    path = scratch / "course"
    shutil.copytree(ROOT, path, symlinks=True, ignore=_ignore)
    # As `make lab` does before it starts JupyterLab.
    exchange = path / "assignments" / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)

    home = scratch / "jupyter"
    settings = home / "lab-settings"
    _write_lab_settings(settings)
    token = secrets.token_hex(16)
    env = dict(os.environ)
    # conftest.py sets MPLBACKEND=Agg for the tests; a student's kernel draws inline.
    env.pop("MPLBACKEND", None)
    env.update(
        # nbgrader runs tools of its environment (alembic) by name, as in the Makefile.
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_TOKEN=token,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
    )
    course = Course(path, env, token, home)
    course.start_release()
    request.addfinalizer(lambda: course.generate and _stop(course.generate))
    return course


class LabServer:
    def __init__(self, url: str, token: str, course: Path, log: Path):
        self.url, self.token, self.course, self.log = url, token, course, log

    def log_tail(self, chars: int = 4000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[-chars:]

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self, path: str) -> None:
        """End the sessions (and kernels) of one notebook, as File > Close and Shut Down does."""
        for session in self.api("GET", "sessions"):
            if session.get("path") == path:
                self.api("DELETE", f"sessions/{urllib.parse.quote(session['id'])}")


@pytest.fixture(scope="module")
def jupyter_lab(course, request) -> LabServer:
    """`make lab` on the scratch copy, on a free port of 127.0.0.1 with a random token."""
    port = _free_port()
    command = [
        str(VENV_BIN / "jupyter"),
        "lab",
        f"--ServerApp.root_dir={course.path}",
        "--port",
        str(port),
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--no-browser",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # as the Makefile's ROOT_FLAG
    log = course.home / "jupyter-lab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=course.path,
            env=course.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    request.addfinalizer(lambda: _stop(proc))
    server = LabServer(f"http://127.0.0.1:{port}", course.token, course.path, log)

    deadline = time.monotonic() + SERVER_START_S
    status = urllib.request.Request(
        f"{server.url}/api/status", headers={"Authorization": f"token {course.token}"}
    )
    while True:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(status, timeout=5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"jupyter lab did not answer /api/status in {SERVER_START_S} s:\n{server.log_tail()}"
            )
        time.sleep(0.25)
    return server


class Lab:
    """One headless Chromium on the module's JupyterLab server, shared by its tests.

    The lesson that a later test needs again (the one with the threshold explorer) stays open,
    run, after its test, so that the slider test does not run it a second time; either test
    runs it when it is selected alone.
    """

    def __init__(self, server: LabServer, context):
        self.server, self.context = server, context
        self._runs: dict[str, object] = {}  # notebook path -> its page after Run All
        self._messages: dict[object, list[str]] = {}
        self.current = None  # the page the running test works in

    def new_page(self):
        page = self.context.new_page()
        messages: list[str] = []
        page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda msg: (
                messages.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None
            ),
        )
        self._messages[page] = messages
        self.current = page
        return page

    def open(self, path: str):
        """A new page with one notebook alone (`reset` drops the saved workspace); its panel."""
        page = self.new_page()
        page.goto(f"{self.server.url}/lab/tree/{path}?reset&token={self.server.token}")
        _wait_for_idle_kernel(page, path)
        return page, page.locator(PANEL)

    def close(self, page, path: str) -> None:
        self._runs.pop(path, None)
        self._messages.pop(page, None)
        if not page.is_closed():
            page.close()
        self.server.shut_down_kernels(path)

    def run_all(self, path: str):
        """The page of ``path`` after Run > Run All Cells (reused if already run)."""
        page = self._runs.get(path)
        if page is not None and not page.is_closed():
            self.current = page
            return page, page.locator(PANEL)
        page, panel = self.open(path)
        _run_all_cells(page, path)
        self._runs[path] = page
        return page, panel

    @contextlib.contextmanager
    def diagnose(self, request):
        """On failure: a screenshot of the page, its errors and the server log's tail."""
        self.current = None
        try:
            yield
        except BaseException:
            page = self.current
            name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
            failure = SCREENSHOTS / f"browser-failure-{name}.png"
            if page is not None and not page.is_closed():
                try:
                    page.screenshot(path=str(failure))
                    print(f"screenshot of the failure: {failure}")
                except Exception as error:
                    print(f"no screenshot of the failure: {error}")
                print("page errors:", *self._messages.get(page, []), sep="\n")
            print("jupyter lab log (tail):", self.server.log_tail(), sep="\n")
            raise


@pytest.fixture(scope="module")
def lab(chromium, jupyter_lab, tmp_path_factory, request) -> Lab:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob("browser-failure-*.png"):  # from an earlier run
        stale.unlink()
    pw = sync_playwright().start()
    request.addfinalizer(pw.stop)
    context = pw.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=str(chromium),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
    )
    request.addfinalizer(context.close)
    return Lab(jupyter_lab, context)


def _wait_for_idle_kernel(page, path: str) -> None:
    # The status bar says "<kernel> | Idle" once the kernel is connected. The toolbar's
    # .jp-Notebook-ExecutionIndicator already reads data-status="idle" while the status bar
    # still says "No Kernel | Initializing", and Run All then silently runs nothing.
    from playwright.sync_api import expect

    name = Path(path).name
    kernel = page.locator(
        f"#jp-main-statusbar .jp-StatusBar-TextItem[title='Change kernel for {name}']"
    )
    expect(kernel).to_have_text(re.compile(r"^(?!No Kernel).+ \| Idle$"), timeout=UI_TIMEOUT_MS)


def _run_all_cells(page, path: str) -> None:
    # Run > Run All Cells, through the menu as a student would.
    page.locator("#jp-menu-panel .lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator("#jp-mainmenu-run .lm-Menu-item[data-command='runmenu:run-all']").click()

    # Run All marks every code cell [*] at once; it is over when none is pending and at least
    # one has a number. An error aborts the rest, which go back to [ ] (reported by the test).
    page.wait_for_function(
        """(selector) => {
            const panel = document.querySelector(selector);
            if (!panel) return false;
            const prompts = [...panel.querySelectorAll(".jp-CodeCell .jp-InputPrompt")]
                .map(p => p.textContent.trim());
            return prompts.some(p => /^\\[\\d+\\]:$/.test(p)) && !prompts.includes("[*]:");
        }""",
        arg=PANEL,
        timeout=RUN_ALL_TIMEOUT_MS,
        polling=250,
    )
    _wait_for_idle_kernel(page, path)


def _wait_for_images(page, container, expected: int, what: str) -> None:
    """At least ``expected`` PNG outputs in ``container``, each decoded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:  # outputs render asynchronously, and a PNG decodes after its <img> is attached
        page.wait_for_function(
            """([container, selector, expected]) => {
                const imgs = [...container.querySelectorAll(selector + " img")];
                return imgs.length >= expected
                    && imgs.every(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0);
            }""",
            arg=[container.element_handle(), PNG, expected],
            timeout=UI_TIMEOUT_MS,
            polling=250,
        )
    except PlaywrightTimeoutError:
        shown = container.locator(f"{PNG} img").count()
        pytest.fail(
            f"{what}: {shown} figures rendered, expected at least {expected}; or one did not decode"
        )


def _scroll_into_view(locator, block: str = "start") -> None:
    """Scroll until ``locator`` stays put at ``block`` ("start", "center" or "end").

    One scrollIntoView is not enough: JupyterLab renders cells as they come into view
    (content-visibility), so the cells above change height and move the target away again,
    or the browser's scroll anchoring keeps it in place while the notebook's scroll position
    still changes. It has settled when neither moved between two polls.
    """
    locator.page.wait_for_function(
        """([node, block]) => {
            node.scrollIntoView({block});
            const r = node.getBoundingClientRect();
            const s = node.closest(".jp-WindowedPanel-outer") || document.scrollingElement;
            const key = [r.top, r.bottom, s.scrollTop, s.scrollHeight].map(Math.round).join();
            const settled = node.dataset.courseRect === key;
            node.dataset.courseRect = key;
            return settled;
        }""",
        arg=[locator.element_handle(), block],
        timeout=UI_TIMEOUT_MS,
        polling=250,
    )


def _assert_no_errors(panel, what: str) -> None:
    errors = panel.locator(STDERR).all_inner_texts()
    assert not errors, f"{what} shows error or stderr output:\n" + "\n---\n".join(
        e[:800] for e in errors
    )


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"browser-{name}.png"))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lesson", LESSONS, ids=[Path(p).stem for p in LESSONS])
def test_lesson_runs_in_jupyterlab(lab, lesson, request):
    """Run All in JupyterLab: no error, every cell numbered, every figure and explorer shown."""
    from playwright.sync_api import expect

    with lab.diagnose(request):
        page, panel = lab.run_all(lesson)
        stem = Path(lesson).stem
        code_cells = _code_cells(lab.server.course / lesson)
        cells = panel.locator(".jp-CodeCell")
        prompts = panel.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
        assert len(prompts) == len(code_cells), (
            f"the page shows {len(prompts)} code cells, the notebook has {len(code_cells)}"
        )
        not_run = [i for i, p in enumerate(prompts, 1) if not re.fullmatch(r"\[\d+\]:", p.strip())]
        _assert_no_errors(panel, lesson)
        assert not not_run, f"code cells without an execution count (1-based): {not_run}"

        expected = sum(c.source.count("plt.show(") for c in code_cells)
        if expected:
            _wait_for_images(page, panel, expected, lesson)
            # The first figure, at the foot of the window with what precedes it above.
            first = panel.locator(f"{PNG} img").first
            _scroll_into_view(first, "end")
            expect(first).to_be_in_viewport(ratio=0.9, timeout=UI_TIMEOUT_MS)
        else:
            _scroll_into_view(cells.first)
        _shot(page, f"lesson-{stem}")

        # Each explorer cell shows its controls: ipywidgets' views rendered, not an error.
        explorers = [i for i, c in enumerate(code_cells) if "_explorer(" in c.source]
        for number, index in enumerate(explorers, 1):
            cell = cells.nth(index)
            controls = cell.locator(".jp-OutputArea-output .widget-box .widget-slider")
            _scroll_into_view(cell)
            expect(controls.first, f"cell {index + 1} of {lesson} shows no slider").to_be_visible(
                timeout=UI_TIMEOUT_MS
            )
            expect(controls.first).to_be_in_viewport(timeout=UI_TIMEOUT_MS)
            _shot(page, f"lesson-{stem}-explorer-{number}")
        # jupyterlab_widgets writes this text in place of a view it could not build.
        expect(panel.get_by_text("Error displaying widget")).to_have_count(0)
        _assert_no_errors(panel, lesson)
    if lesson != THRESHOLD_LESSON:
        lab.close(page, lesson)


def _summary_numbers(text: str) -> tuple[float, int, int]:
    """(threshold, models covered, models in all) from the threshold explorer's summary."""
    match = re.search(r"^\s*([0-9.]+e[+-]\d+) FLOP .*?\b(\d+) of (\d+) models", text, re.S)
    assert match, f"the threshold explorer's summary does not read as expected: {text!r}"
    return float(match[1]), int(match[2]), int(match[3])


@pytest.mark.slow
@pytest.mark.browser
def test_threshold_slider_moves_with_the_keyboard(lab, request):
    """Arrow keys on the threshold slider: the kernel recomputes coverage and redraws."""
    from playwright.sync_api import expect

    from course import compute, datasets

    assert THRESHOLD_LESSON, "no lesson calls widgets.threshold_explorer()"
    with lab.diagnose(request):
        page, panel = lab.run_all(THRESHOLD_LESSON)
        code_cells = _code_cells(lab.server.course / THRESHOLD_LESSON)
        index = next(i for i, c in enumerate(code_cells) if "threshold_explorer(" in c.source)
        cell = panel.locator(".jp-CodeCell").nth(index)
        explorer = cell.locator(".jp-OutputArea-output .widget-vbox").first
        slider = explorer.locator(
            ".widget-slider", has=page.locator("label", has_text=re.compile(r"^threshold$"))
        )
        handle = slider.locator(".noUi-handle[role='slider']")  # noUiSlider, ipywidgets 8
        readout = slider.locator(".widget-readout")
        summary = explorer.locator(".widget-html").first
        figure = explorer.locator(f".widget-output {PNG} img").first

        # The summary's HTML view fills in a moment after the explorer appears.
        expect(summary).to_have_text(re.compile(r"FLOP .* of \d+ models"), timeout=UI_TIMEOUT_MS)
        _wait_for_images(page, explorer, 1, "the threshold explorer")
        before = summary.inner_text()
        threshold, covered, total = _summary_numbers(before)
        exponent = float(handle.get_attribute("aria-valuenow"))
        readout_before = readout.inner_text()
        figure_before = figure.get_attribute("src")
        assert math.isclose(threshold, float(f"{10**exponent:.2e}")), (before, exponent)

        models = datasets.load_notable_models()
        assert covered == compute.coverage(models, threshold)["n_models"]
        _scroll_into_view(cell)
        expect(handle).to_be_in_viewport()
        _shot(page, "slider-before")

        # ArrowRight moves a noUiSlider handle one step (0.1 in the exponent) and fires its
        # change event, which sets the model's value: continuous_update=False is no obstacle.
        for _ in range(5):
            handle.press("ArrowRight")
        moved = float(handle.get_attribute("aria-valuenow"))
        assert math.isclose(moved, exponent + 0.5, abs_tol=1e-6), (
            f"five ArrowRight presses moved the slider from 10^{exponent} to 10^{moved}"
        )
        expect(readout).not_to_have_text(readout_before)
        # The kernel recomputes compute.coverage for the new value and rewrites the summary.
        expect(summary).to_contain_text(f"{10**moved:.2e} FLOP", timeout=UI_TIMEOUT_MS)
        _wait_for_idle_kernel(page, THRESHOLD_LESSON)
        after = summary.inner_text()
        new_threshold, new_covered, new_total = _summary_numbers(after)
        assert after != before
        assert new_threshold > threshold and new_total == total
        assert new_covered == compute.coverage(models, 10**moved)["n_models"], after
        assert new_covered <= covered, (before, after)
        # The figure was redrawn too (its Output widget replaced the image).
        expect(figure).not_to_have_attribute("src", figure_before, timeout=UI_TIMEOUT_MS)
        _wait_for_images(page, explorer, 1, "the threshold explorer after the move")
        _assert_no_errors(panel, THRESHOLD_LESSON)
        _scroll_into_view(cell)
        _shot(page, "slider-after")
        print(f"slider: {before!r} -> {after!r}")
    lab.close(page, THRESHOLD_LESSON)


def _click_validate(page, panel):
    """nbgrader's Validate button (0.9.6's labextension: a jp-button with this class)."""
    from playwright.sync_api import expect

    validate = panel.locator(".jp-NotebookPanel-toolbar .validate-button")
    expect(validate).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(validate).to_have_text("Validate")
    validate.click()  # saves the notebook (in the scratch copy), then POSTs assignments/validate
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=VALIDATE_TIMEOUT_MS)
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
    return dialog, dialog.locator("#validation-message")


@pytest.mark.slow
@pytest.mark.browser
def test_assignment_source_validates(lab, request):
    """The instructor's source notebook, solutions included, passes nbgrader's Validate."""
    from playwright.sync_api import expect

    with lab.diagnose(request):
        page, panel = lab.open(ASSIGNMENT)
        dialog, message = _click_validate(page, panel)
        expect(message).to_have_class(re.compile(r"\bvalidation-success\b"))
        expect(message).to_have_text("Success! Your notebook passes all the tests.")
        _shot(page, "validate-source")
        dialog.get_by_role("button", name="Ok").click()
        expect(dialog).to_be_hidden(timeout=UI_TIMEOUT_MS)
    lab.close(page, ASSIGNMENT)


@pytest.mark.slow
@pytest.mark.browser
def test_release_notebook_has_validate_button(lab, course, request):
    """`nbgrader generate_assignment`'s student copy shows Validate, which reports its failures."""
    from playwright.sync_api import expect

    with lab.diagnose(request):
        release = course.wait_for_release()
        # What a student gets: stubs in place of the solutions, none of the instructor's.
        sources = "\n".join(c.source for c in _code_cells(release))
        assert "raise NotImplementedError()" in sources
        assert "BEGIN SOLUTION" not in sources
        page, panel = lab.open(RELEASE)
        dialog, message = _click_validate(page, panel)
        # A blank release fails its tests: the dialog lists the failing cells.
        expect(message).to_have_class(re.compile(r"\bvalidation-failed\b"))
        expect(message).to_contain_text("The following cell failed")
        _shot(page, "validate-release")
        dialog.get_by_role("button", name="Ok").click()
        expect(dialog).to_be_hidden(timeout=UI_TIMEOUT_MS)
    lab.close(page, RELEASE)

"""`make lab` in a real browser: lesson 01 runs, and the assignment validates with nbgrader's button.

The issue's "Done when": "`make lab` opens JupyterLab where lesson 01 runs and the assignment
shows nbgrader's Validate button". This test starts JupyterLab as the Makefile's `lab` target
does, drives it with headless Chromium through playwright's sync API, and checks both halves.

It needs Debian's Chromium and the Python package playwright (in the `dev` extra). It never
uses `playwright install`: that downloads a browser of its own, which fails offline. Set
COURSE_CHROMIUM to use a Chromium other than /usr/bin/chromium.

JupyterLab serves a scratch copy of the repository, not the repository itself: opening a
notebook writes `.ipynb_checkpoints/`, and the Validate button saves the notebook before it
validates it, which rewrites its metadata (`language_info`). The copy keeps every such write
out of the working tree; the copy is laid out like the repository, so the root
`nbgrader_config.py` and `assignments/nbgrader_config.py` are found exactly as in `make lab`.
"""

from __future__ import annotations

import json
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
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
LESSON = "lessons/01-the-scrapped-order.ipynb"
ASSIGNMENT = "assignments/source/ps01-the-order/ps01-the-order.ipynb"
SCREENSHOTS = Path(tempfile.gettempdir())

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Install them with `apt-get install -y chromium` (Debian/Ubuntu, as root) and "
    "`pip install playwright` (or `pip install -e '.[dev]'`). Do not run `playwright install`: "
    "this test drives the system Chromium (set COURSE_CHROMIUM to use another path)."
)

# Generous bounds for a loaded CI machine; on a quiet one the whole test takes about 20 s.
SERVER_START_S = 60
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


def _ignore(folder: str, names: list[str]) -> set[str]:
    skip = {n for n in names if n in _SKIP_ANYWHERE or n.endswith(".egg-info")}
    here = Path(folder).resolve()
    if here == ROOT:
        skip |= _SKIP_AT_TOP.intersection(names)
    elif here == ROOT / "assignments":
        skip |= _SKIP_IN_ASSIGNMENTS.intersection(names)
    return skip


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def chromium() -> Path:
    """The Chromium to drive; skips (fails on CI) when it or playwright is missing."""
    path = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
    missing = []
    if not (path.is_file() and os.access(path, os.X_OK)):
        missing.append(f"no Chromium at {path}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        missing.append(f"the Python package playwright does not import ({error})")
    if missing:
        message = f"browser test: {'; '.join(missing)}. {INSTALL_HINT}"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_lab_settings(settings_dir: Path) -> None:
    """User settings for this server only: no news toast over the notebook (and no web request)."""
    path = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"fetchNews": "false"}))


class LabServer:
    def __init__(self, url: str, token: str, course: Path, log: Path):
        self.url, self.token, self.course, self.log = url, token, course, log

    def log_tail(self, chars: int = 4000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[-chars:]


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


@pytest.fixture
def jupyter_lab(chromium, tmp_path, request) -> LabServer:
    """`make lab` on a scratch copy of the repository, on a free port with a random token."""
    course = tmp_path / "course"
    shutil.copytree(ROOT, course, symlinks=True, ignore=_ignore)
    # As `make lab` does before it starts JupyterLab.
    exchange = course / "assignments" / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o777)

    jupyter_home = tmp_path / "jupyter"
    settings = jupyter_home / "lab-settings"
    _write_lab_settings(settings)
    token = secrets.token_hex(16)
    env = dict(os.environ)
    # conftest.py sets MPLBACKEND=Agg for the tests; a student's kernel draws inline.
    env.pop("MPLBACKEND", None)
    env.update(
        # nbgrader runs tools of its environment (alembic) by name, as in the Makefile.
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_TOKEN=token,
        JUPYTER_CONFIG_DIR=str(jupyter_home / "config"),
        JUPYTER_DATA_DIR=str(jupyter_home / "data"),
        JUPYTER_RUNTIME_DIR=str(jupyter_home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(jupyter_home / "workspaces"),
        IPYTHONDIR=str(jupyter_home / "ipython"),
    )
    port = _free_port()
    command = [
        str(VENV_BIN / "jupyter"),
        "lab",
        f"--ServerApp.root_dir={course}",
        "--port",
        str(port),
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--no-browser",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # as the Makefile's ROOT_FLAG
    log = tmp_path / "jupyter-lab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=course,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    request.addfinalizer(lambda: _stop(proc))
    server = LabServer(f"http://127.0.0.1:{port}", token, course, log)

    deadline = time.monotonic() + SERVER_START_S
    status = urllib.request.Request(
        f"{server.url}/api/status", headers={"Authorization": f"token {token}"}
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


def _open(page, server: LabServer, path: str):
    """Open one notebook alone (`reset` drops the saved workspace) and return its panel."""
    page.goto(f"{server.url}/lab/tree/{path}?reset&token={server.token}")
    panel = page.locator("#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)")
    return panel


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


def _check_lesson_runs(page, server: LabServer) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect

    panel = _open(page, server, LESSON)
    _wait_for_idle_kernel(page, LESSON)

    # Run > Run All Cells, through the menu as a student would.
    page.locator("#jp-menu-panel .lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator("#jp-mainmenu-run .lm-Menu-item[data-command='runmenu:run-all']").click()

    # Run All marks every code cell [*] at once; it is over when none is pending and at least
    # one has a number. An error aborts the rest, which go back to [ ] (reported below).
    page.wait_for_function(
        """() => {
            const panel = document.querySelector(
                "#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)");
            if (!panel) return false;
            const prompts = [...panel.querySelectorAll(".jp-CodeCell .jp-InputPrompt")]
                .map(p => p.textContent.trim());
            return prompts.some(p => /^\\[\\d+\\]:$/.test(p)) && !prompts.includes("[*]:");
        }""",
        timeout=RUN_ALL_TIMEOUT_MS,
        polling=250,
    )
    _wait_for_idle_kernel(page, LESSON)

    code_cells = [
        c
        for c in nbformat.read(server.course / LESSON, as_version=4).cells
        if c.cell_type == "code"
    ]
    prompts = panel.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
    assert len(prompts) == len(code_cells), (
        f"the page shows {len(prompts)} code cells, the notebook has {len(code_cells)}"
    )
    not_run = [i for i, p in enumerate(prompts, 1) if not re.fullmatch(r"\[\d+\]:", p.strip())]
    # Tracebacks and stderr streams are both rendered with this MIME type.
    errors = panel.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()
    assert not errors, "lesson 01 shows error or stderr output:\n" + "\n---\n".join(
        e[:800] for e in errors
    )
    assert not not_run, f"code cells without an execution count (1-based): {not_run}"

    figures = panel.locator(".jp-OutputArea-output[data-mime-type='image/png'] img")
    expected = max(1, sum("plt.show(" in c.source for c in code_cells))
    try:  # outputs render asynchronously, and a PNG decodes after its <img> is attached
        page.wait_for_function(
            """([panel, expected]) => {
                const imgs = [...panel.querySelectorAll(
                    ".jp-OutputArea-output[data-mime-type='image/png'] img")];
                return imgs.length >= expected
                    && imgs.every(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0);
            }""",
            arg=[panel.element_handle(), expected],
            timeout=UI_TIMEOUT_MS,
            polling=250,
        )
    except PlaywrightTimeoutError:
        pytest.fail(
            f"{figures.count()} figures rendered, expected at least {expected} "
            "(one per plt.show()); or an image did not decode"
        )
    # Screenshot the first figure with the cell that drew it.
    png = page.locator(".jp-OutputArea-output[data-mime-type='image/png']")
    panel.locator(".jp-CodeCell", has=png).first.evaluate(
        "cell => cell.scrollIntoView({block: 'start'})"
    )
    expect(figures.first).to_be_in_viewport(timeout=UI_TIMEOUT_MS)
    page.screenshot(path=str(SCREENSHOTS / "browser-lesson01.png"))


def _check_assignment_validates(page, server: LabServer) -> None:
    from playwright.sync_api import expect

    panel = _open(page, server, ASSIGNMENT)
    _wait_for_idle_kernel(page, ASSIGNMENT)
    # nbgrader 0.9.6's labextension adds a ToolbarButton whose jp-button carries the class.
    validate = panel.locator(".jp-NotebookPanel-toolbar .validate-button")
    expect(validate).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(validate).to_have_text("Validate")
    validate.click()  # saves the notebook (in the scratch copy), then POSTs assignments/validate

    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=VALIDATE_TIMEOUT_MS)
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
    message = dialog.locator("#validation-message")
    expect(message).to_have_class(re.compile(r"\bvalidation-success\b"))
    expect(message).to_have_text("Success! Your notebook passes all the tests.")
    page.screenshot(path=str(SCREENSHOTS / "browser-validate.png"))
    dialog.get_by_role("button", name="Ok").click()
    expect(dialog).to_be_hidden(timeout=UI_TIMEOUT_MS)


@pytest.mark.slow
@pytest.mark.browser
def test_make_lab_runs_lesson_01_and_validates_the_assignment(chromium, jupyter_lab, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(chromium),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        page = browser.new_page()
        page_errors: list[str] = []
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        try:
            _check_lesson_runs(page, jupyter_lab)
            _check_assignment_validates(page, jupyter_lab)
        except BaseException:
            failure = SCREENSHOTS / "browser-failure.png"
            try:
                page.screenshot(path=str(failure))
                print(f"screenshot of the failure: {failure}")
            except Exception as error:
                print(f"no screenshot of the failure: {error}")
            print("uncaught page errors:", *page_errors, sep="\n")
            print("jupyter lab log (tail):", jupyter_lab.log_tail(), sep="\n")
            raise
        finally:
            browser.close()

"""Helpers shared by the test modules: the system Chromium, and nbgrader in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: How the browser tests start Debian's Chromium on this closed network (see toolchain notes).
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


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_chromium() -> Path:
    """The Chromium to drive; skips (fails under CI=true) when it or playwright is missing."""
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
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def venv_env() -> dict[str, str]:
    """This environment with its own bin folder first on PATH (nbgrader runs `alembic` by name)."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def run_nbgrader(root: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in course root ``root`` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        env=venv_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )

"""The scan's file checks: reading a submitted notebook safely, and the submission folder.

:func:`read_notebook` reads a notebook without following links and without reading more
than a limit. :func:`folder_findings` lists symlinks (never followed), special files and
files the assignment does not expect (``.py``/``.pth``/``.so`` files can shadow imports),
as ``(kind, detail)``; the files ``nbgrader submit`` writes (:data:`NBGRADER_FILES`) and
unchanged copies of the released files are expected.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "numpy.py").write_text("")
>>> _ = (folder / "timestamp.txt").write_text("2026-12-01")
>>> [kind for kind, _ in folder_findings(folder, folder / "no-source", set())]
['extra-file']
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import nbformat

from course.grading.submissions import MAX_BYTES

__all__ = ["MAX_ENTRIES", "NBGRADER_FILES", "folder_findings", "read_notebook"]

MAX_ENTRIES = 2000
"""Files listed per submission folder; past it, one flag says so."""


def read_notebook(path: Path, max_bytes: int) -> tuple[object, str | None]:
    """``(notebook, None)`` or ``(None, why it cannot be read)``; links are not followed."""
    name = path.name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, f"{name} is missing"
    except OSError as exc:
        return None, f"{name} cannot be examined ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "symlink"
    if not stat.S_ISREG(info.st_mode):
        return None, f"{name} is not a regular file"
    if info.st_size > max_bytes:
        return None, f"{name} is too large ({info.st_size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB)"
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
        text = data.decode("utf-8")
        json.loads(text)
    except OSError as exc:
        return None, f"{name} cannot be read ({exc.strerror})"
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"{name} is not JSON ({type(exc).__name__}: {str(exc)[:60]})"
    try:
        return nbformat.reads(text, as_version=4, capture_validation_error={}), None
    except Exception as exc:  # nbformat raises several kinds
        return None, f"{name} is not a notebook ({type(exc).__name__}: {str(exc)[:60]})"


NBGRADER_FILES = frozenset({"timestamp.txt", "submission_secret.txt"})
"""Files ``nbgrader submit`` itself writes into every submission (never flagged)."""


def _released_files(source_folder: Path) -> dict[str, Path]:
    """Relative path -> file, for the regular files of the source folder."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(source_folder):
        dirnames[:] = [d for d in dirnames if d != ".ipynb_checkpoints"]
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(source_folder).as_posix()] = path
    return found


def folder_findings(
    folder: Path, source_folder: Path, notebooks: set[str]
) -> list[tuple[str, str]]:
    """``(kind, detail)`` for symlinks, special files and files the assignment does not expect.

    The notebooks named in ``notebooks`` are left to their own scan.
    """
    released = _released_files(source_folder)
    flags: list[tuple[str, str]] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for entry in sorted(dirnames) + sorted(filenames):
            path = Path(dirpath) / entry
            rel = path.relative_to(folder).as_posix()
            seen += 1
            if seen > MAX_ENTRIES:
                return [*flags, ("extra-file", f"more than {MAX_ENTRIES} files")]
            if rel in notebooks:
                continue  # flagged by the notebook's own scan
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode):
                target = os.readlink(path)
                flags.append(("symlink", f"{rel} is a symlink to {target!r} (not followed)"))
            elif stat.S_ISDIR(mode):
                continue
            elif not stat.S_ISREG(mode):
                flags.append(("extra-file", f"{rel} is not a regular file"))
            elif not _expected(rel, path, notebooks, released):
                flags.append(("extra-file", _extra_detail(rel, path, released)))
    return flags


def _expected(rel: str, path: Path, notebooks: set[str], released: dict[str, Path]) -> bool:
    if rel in notebooks or rel in NBGRADER_FILES:
        return True
    parts = rel.split("/")
    if ".ipynb_checkpoints" in parts and rel.endswith("-checkpoint.ipynb"):
        return True
    if rel in released:
        try:
            size = os.lstat(path).st_size
            if size != released[rel].stat().st_size or size > MAX_BYTES:
                return False
            return path.read_bytes() == released[rel].read_bytes()
        except OSError:
            return False
    return False


def _extra_detail(rel: str, path: Path, released: dict[str, Path]) -> str:
    """What an unexpected file is, loudly for the ones that can shadow imports."""
    name = path.name
    module = name.split(".")[0]
    what = "differs from the released copy" if rel in released else "is not part of the assignment"
    if name.endswith(".pth"):
        return f"{rel}: a .pth file runs code in every Python process that sees it ({what})"
    if name == "__init__.py":
        module = path.parent.name
        return f"{rel} can shadow `import {module}`: it makes {module}/ a package ({what})"
    if module in {"sitecustomize", "usercustomize"} and name.endswith(".py"):
        return f"{rel} runs at every Python start-up where it is on the path ({what})"
    if name.endswith((".py", ".pyc", ".pyo")):
        return (
            f"{rel} can shadow `import {module}`: a Python file beside the notebook is imported "
            f"before the installed package ({what})"
        )
    if name.endswith((".so", ".pyd", ".dylib", ".dll")):
        return f"{rel} can shadow `import {module}`: a compiled extension module ({what})"
    if ".ipython" in rel.split("/") or name == "ipython_config.py":
        return f"{rel}: IPython configuration or start-up file ({what})"
    return f"{rel} {what}"

"""A static scan of a student's nbgrader submission, for the instructor's grading report.

Nothing is executed: code cells are read with :mod:`ast` (IPython syntax such as ``%magic``,
``!shell`` and ``x?`` is neutralised first and reported on its own), and with regular
expressions when a cell still does not parse. The scan also compares the submission with the
instructor's source notebook (edited locked or test cells, changed nbgrader metadata) and
looks at the submission folder (extra files that can shadow imports, symlinks, broken
notebooks). Each finding is a :class:`Flag`; :data:`KINDS` explains the kinds.

This module holds the findings and the two entry points; the checks live in three modules
of their own: :mod:`course.grading.scan_code` (the static code rules),
:mod:`course.grading.scan_release` (the comparison with the release and nbgrader's
metadata) and :mod:`course.grading.scan_files` (reading notebooks, the submission folder).

A flag is a reason to look, not a verdict: a determined attacker can hide code from any
static scan, and a curious honest student can trip one.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("import numpy as np\\nx = np.mean([1, 2, 3])"),
...     nbformat.v4.new_code_cell("ip = get_ipython()\\nip.events.register('post_run_cell', f)"),
... ])
>>> for flag in scan_notebook(nb, name="hw.ipynb"):
...     print(flag.cell, flag.kind, flag.detail, sep=" | ")
cell 2 | ipython-internals | calls get_ipython
cell 2 | ipython-internals | calls get_ipython().events.register (as ip.events.register)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.grading import scan_release
from course.grading.scan_code import code_findings
from course.grading.scan_files import folder_findings, read_notebook
from course.grading.scan_release import (
    cell_source,
    compare,
    is_locked,
    kernel_change,
    nbgrader_meta,
    normalised,
    prefilled,
    release_source,
)
from course.grading.submissions import MAX_BYTES

__all__ = ["KINDS", "Flag", "scan_notebook", "scan_submission"]


@dataclass(frozen=True)
class Flag:
    """One suspicious finding in a submission.

    ``notebook`` is the notebook's file name ("" for folder-level findings); ``cell`` is the
    cell's nbgrader ``grade_id``, else ``"cell 7"`` (1-based), "" for notebook- or folder-level
    findings; ``kind`` is a key of :data:`KINDS`; ``detail`` says what was seen.

    Examples
    --------
    >>> Flag("hw.ipynb", "cell 3", "subprocess", "calls os.system").kind
    'subprocess'
    """

    notebook: str
    cell: str
    kind: str
    detail: str


KINDS: dict[str, str] = {
    "ipython-internals": "reaches into IPython or the kernel (get_ipython, hooks, transformers, "
    "display/except hooks, magics that change the shell)",
    "file-access": "reads or writes outside its folder, deletes or re-permissions files, "
    "or writes Python files (absolute paths, '..', '~', os/shutil file operations)",
    "sqlite": "touches a database or the nbgrader gradebook (sqlite3, sqlalchemy, nbgrader.api)",
    "subprocess": "starts, signals or stops processes (subprocess, os.system, !shell, %%bash, "
    "multiprocessing, signal, exit)",
    "network": "opens network connections (socket, urllib, requests, http.client, URLs)",
    "threads": "runs code later or in the background (threading, concurrent.futures, asyncio "
    "tasks, atexit, __del__)",
    "dynamic-code": "runs code built at run time or from elsewhere (exec, eval, compile, "
    "__import__, importlib, %run, %load, %%writefile)",
    "introspection": "rewires the interpreter (frames, gc, ctypes, builtins, sys.modules, "
    "sys.path, monkeypatched modules, redefined builtins)",
    "fake-value": "defines objects that can pass equality or type checks with a wrong value "
    "(__eq__, __float__, subclasses of int/float/list...)",
    "edited-locked-cell": "a locked or test cell whose source differs from the released one",
    "metadata": "nbgrader metadata removed, added or changed (points, grade, solution, locked, "
    "cell type, kernel)",
    "prefilled-output": "a test cell arrives with outputs already in it",
    "extra-file": "a file the assignment does not expect (.py/.pth/.so files can shadow imports)",
    "symlink": "a symlink in the submission (never followed: it may point at another's work)",
    "unreadable": "a notebook that is missing, not JSON, not a notebook, or could not be scanned",
}


def _label(cell: Mapping, index: int) -> str:
    grade_id = nbgrader_meta(cell).get("grade_id")
    return str(grade_id) if grade_id else f"cell {index + 1}"


def _check_notebook(nb: object, what: str) -> list:
    if not isinstance(nb, Mapping) or not isinstance(nb.get("cells"), list):
        raise TypeError(
            f"{what} must be a notebook (an nbformat NotebookNode with a list of cells), got "
            f"{type(nb).__name__}; read it with nbformat.read(path, as_version=4)"
        )
    return [cell for cell in nb["cells"] if isinstance(cell, Mapping)]


def _dedup(flags: Iterable[Flag]) -> list[Flag]:
    return list(dict.fromkeys(flags))


def scan_notebook(nb: Mapping, *, name: str = "", source: Mapping | None = None) -> list[Flag]:
    """Flag the suspicious code and the tampering in one submitted notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The student's notebook (version 4).
    name : str
        The notebook's file name, copied into each :class:`Flag`.
    source : nbformat.NotebookNode or None
        The instructor's source notebook of the same assignment. With it, locked and test
        cells are compared with their released form and nbgrader metadata is checked.

    Returns
    -------
    list of Flag
        In cell order, each finding once.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("import subprocess as sp\\nsp.run(['ls'])")
    >>> [f.detail for f in scan_notebook(nbformat.v4.new_notebook(cells=[cell]))]
    ['imports subprocess', 'calls subprocess.run (as sp.run)']
    >>> honest = nbformat.v4.new_code_cell("import pandas as pd\\ndf = pd.read_csv('data.csv')")
    >>> scan_notebook(nbformat.v4.new_notebook(cells=[honest]))
    []
    """
    cells = _check_notebook(nb, "nb")
    source_cells = _check_notebook(source, "source") if source is not None else []
    labels = [_label(cell, index) for index, cell in enumerate(cells)]
    unchanged = {
        str(nbgrader_meta(c)["grade_id"]): normalised(release_source(c))
        for c in source_cells
        if nbgrader_meta(c).get("grade_id") and is_locked(nbgrader_meta(c))
    }
    # the instructor's own locked code, as released, is not scanned
    skip = {
        index
        for index, cell in enumerate(cells)
        if unchanged.get(labels[index]) == normalised(cell_source(cell))
    }
    sources = [cell_source(c) if c.get("cell_type") == "code" else None for c in cells]
    found = [(labels[i], kind, detail) for i, kind, detail in code_findings(sources, skip)]
    for index, cell in enumerate(cells):
        detail = prefilled(cell, nbgrader_meta(cell))
        if detail:
            found.append((labels[index], "prefilled-output", detail))
    if source is not None:
        found += compare(cells, labels, source) + kernel_change(nb, source)
    return _dedup(Flag(name, cell, kind, detail) for cell, kind, detail in found)


def scan_submission(
    folder: str | os.PathLike, source_folder: str | os.PathLike, *, max_bytes: int = MAX_BYTES
) -> list[Flag]:
    """Flag every notebook the assignment expects in ``folder``, and the folder itself.

    Parameters
    ----------
    folder : path
        ``ROOT/submitted/<student>/<assignment>``.
    source_folder : path
        ``ROOT/source/<assignment>``: its ``*.ipynb`` are the notebooks expected, its other
        files the ones released with them.
    max_bytes : int
        Notebooks larger than this are reported as unreadable, not read.

    Returns
    -------
    list of Flag
        Symlinks are reported and never followed; a missing, broken or non-JSON notebook gives
        a flag of kind ``unreadable`` instead of an exception.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "source").mkdir(); (root / "student").mkdir()
    >>> nbformat.write(nbformat.v4.new_notebook(), root / "source" / "hw.ipynb")
    >>> _ = (root / "student" / "hw.ipynb").write_text("not json")
    >>> _ = (root / "student" / "numpy.py").write_text("")
    >>> for flag in scan_submission(root / "student", root / "source"):
    ...     print(flag.kind, "|", flag.detail[:40])
    unreadable | hw.ipynb is not JSON (JSONDecodeError: E
    extra-file | numpy.py can shadow `import numpy`: a Py
    """
    folder, source_folder = Path(folder), Path(source_folder)
    try:
        from course.grading.config import load_course_config

        scan_release.COURSE_CONFIG.set(load_course_config(source_folder.parent.parent).config)
    except ValueError:
        scan_release.COURSE_CONFIG.set(None)
    if not source_folder.is_dir():
        raise ValueError(
            f"source folder {str(source_folder)!r} is not a folder; pass ROOT/source/<assignment>"
        )
    sources = sorted(p for p in source_folder.glob("*.ipynb") if p.is_file())
    if folder.is_symlink():
        return [Flag("", "", "symlink", "the submission folder is a symlink (not followed)")]
    if not folder.is_dir():
        return [Flag("", "", "unreadable", "no submission folder")]
    flags: list[Flag] = []
    for path in sources:
        try:
            source = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several kinds
            raise ValueError(f"cannot read the source notebook {path}: {exc}") from exc
        flags += _scan_file(folder / path.name, source, max_bytes)
    found = folder_findings(folder, source_folder, {p.name for p in sources})
    flags += [Flag("", "", kind, detail) for kind, detail in found]
    return _dedup(flags)


def _scan_file(path: Path, source: Mapping, max_bytes: int) -> list[Flag]:
    name = path.name
    nb, problem = read_notebook(path, max_bytes)
    if problem == "symlink":
        target = os.readlink(path)
        return [Flag(name, "", "symlink", f"{name} is a symlink to {target!r} (not followed)")]
    if problem is not None:
        return [Flag(name, "", "unreadable", problem)]
    try:
        return scan_notebook(nb, name=name, source=source)
    except Exception as exc:  # a malformed notebook must not stop the report
        return [Flag(name, "", "unreadable", f"{name} could not be scanned ({type(exc).__name__})")]

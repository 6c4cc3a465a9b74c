"""Finding submissions and refusing broken ones before any kernel runs.

A submission is ``ROOT/submitted/<student>/<assignment>/`` holding the assignment's
notebooks. :func:`check_submission` returns ``None`` when it can be graded, or a reason
an instructor can act on. Symlinks are never followed: a link to another student's
notebook would otherwise be graded as that notebook.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "ps.ipynb").write_text("")
0
>>> check_submission(folder, ["ps.ipynb"])
'ps.ipynb is an empty file'
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import stat
from pathlib import Path

import nbformat

__all__ = [
    "MAX_BYTES",
    "MAX_TOTAL_BYTES",
    "check_student_id",
    "check_submission",
    "content_hash",
    "find_students",
]


def markers(kind: str, style: str = "###") -> tuple[str, str]:
    """nbgrader's begin and end lines around a block of ``kind`` in a source notebook.

    The grader only needs to recognise them, so the package never spells them out (and
    holds no reference answers).

    >>> markers("SOLUTION")[1].split()[1]
    'END'
    """
    if style == "===":
        return f"=== BEGIN {kind} ===", f"=== END {kind} ==="
    return f"{style} BEGIN {kind}", f"{style} END {kind}"


HIDDEN = markers("HIDDEN" + " TESTS")
"""The begin and end lines of a block of hidden tests."""

MAX_BYTES = 20_000_000
"""Default size limit of one submitted file, notebook or not (bytes, apparent or on disk)."""
MAX_TOTAL_BYTES = 100_000_000
"""Default size limit of a whole submission (bytes, apparent or on disk)."""
MAX_ENTRIES = 5_000
"""Most files and folders one submission may hold."""


def find_students(root: Path, assignment: str, pattern: str = "*") -> list[str]:
    """Students with a ``submitted/<student>/<assignment>`` entry, matching ``pattern``."""
    submitted = Path(root) / "submitted"
    if not submitted.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(submitted), key=lambda e: e.name):
        if not fnmatch.fnmatchcase(entry.name, pattern) or entry.name.startswith("."):
            continue
        # lexists: a dangling or cross-linked folder is still a submission to report
        if entry.is_symlink() or os.path.lexists(Path(entry.path) / assignment):
            found.append(entry.name)
    return found


def check_student_id(student: str) -> str | None:
    """Why nbgrader could not grade a folder named ``student`` as that id, or ``None``.

    nbgrader strips surrounding whitespace from ids (so ``" ada"`` would be graded as
    ``ada``); control characters would reach terminals and CSV files. Glob characters are
    fine: the worker passes ids to nbgrader escaped (a student called ``*`` is one student).

    >>> check_student_id("*") is None, check_student_id(" ada")
    (True, 'the student id has leading or trailing whitespace (nbgrader would grade another id)')
    """
    if student != student.strip():
        return "the student id has leading or trailing whitespace (nbgrader would grade another id)"
    if not student or student in {".", ".."} or any(not c.isprintable() for c in student):
        return "the student id is empty or holds control characters: rename the folder"
    return None


def check_submission(
    folder: Path,
    notebooks: list[str],
    max_bytes: int = MAX_BYTES,
    student_dir: Path | None = None,
    max_total: int = MAX_TOTAL_BYTES,
) -> str | None:
    """Return why ``folder`` cannot be graded, or ``None`` when it can.

    ``notebooks`` are the file names the assignment expects; ``student_dir`` (the
    student's folder above ``folder``) is checked for being a symlink too. Symlinks,
    special files, hard links and any file over ``max_bytes`` (its apparent size or the
    space it takes on disk, so a sparse file counts) are refused, as is a submission over
    ``max_total`` bytes in all, before any file is read.
    """
    folder = Path(folder)
    if student_dir is not None and Path(student_dir).is_symlink():
        return "the student's folder is a symlink (not followed)"
    if folder.is_symlink():
        return "the submission folder is a symlink (not followed)"
    if not folder.is_dir():
        return "no submission folder"
    # every entry is checked with lstat before anything reads, hashes or copies it
    total = entries = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder)
            entries += 1
            if entries > MAX_ENTRIES:
                return f"more than {MAX_ENTRIES} files and folders in the submission"
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                return f"{rel} is a symlink (not followed)"
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                return f"{rel} is not a regular file"
            if info.st_nlink > 1:
                return f"{rel} is a hard link (shares its content with another file; not read)"
            size = max(info.st_size, info.st_blocks * 512)
            if size > max_bytes:
                return (
                    f"{rel} is too large ({size / 1e6:.1f} MB apparent or on disk > "
                    f"{max_bytes / 1e6:.1f} MB limit per file)"
                )
            total += size
            if total > max_total:
                return f"the submission is too large (over the {max_total / 1e6:.1f} MB limit)"
    for name in notebooks:
        path = folder / name
        if not path.exists():
            present = sorted(p.name for p in folder.glob("*.ipynb"))
            if present:
                return f"wrong notebook name: found {', '.join(present)}, expected {name}"
            return f"missing notebook {name}"
        if path.is_dir() or not path.is_file():
            return f"{name} is not a regular file"
        size = path.stat().st_size
        if size == 0:
            return f"{name} is an empty file"
        if size > max_bytes:
            return f"{name} is too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit)"
        try:
            data = json.loads(path.read_bytes())
        except (UnicodeDecodeError, ValueError, RecursionError, OSError) as exc:
            return f"{name} is not JSON ({type(exc).__name__}: {str(exc)[:80]})"
        try:
            nb = nbformat.from_dict(data)
            if nb.get("nbformat") != 4:
                return f"{name} is not a version 4 notebook"
            nbformat.validate(nb)
        except Exception as exc:  # nbformat raises several kinds
            return f"{name} is not a valid notebook ({str(exc).splitlines()[0][:100]})"
        if not any(cell.get("metadata", {}).get("nbgrader") for cell in nb.cells):
            return f"{name} has no nbgrader metadata left (cells re-created or metadata removed)"
    return None


def content_hash(folder: Path, extra: bytes = b"") -> str:
    """SHA-256 over the names and bytes of the regular files in ``folder`` (links skipped)."""
    digest = hashlib.sha256(extra)
    folder = Path(folder)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()

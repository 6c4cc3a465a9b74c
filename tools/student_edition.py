"""Write the student edition: a self-contained course with no answer key in it.

    python tools/student_edition.py --out DIR       # or: make student-edition OUT=DIR

The edition holds what a student needs and nothing a grader keeps to itself:

- the ``course`` package without its instructor tooling (``course/grading/``: grading,
  sandbox, feedback, reports; ``course grade`` and friends say so there), with the datasets;
- the lessons (``lessons/``), the glossary they link to (``docs/glossary.md``), the source
  register (``seeds/``) and the website sources (``site/``);
- the problem sets as nbgrader releases them (``nbgrader generate_assignment`` in a
  throw-away course root: solutions replaced by stubs, hidden tests removed), in
  ``assignments/<id>/<id>.ipynb``;
- a student README and Makefile (``make lab``, ``make test``), ``pyproject.toml``,
  ``requirements.lock``, ``conftest.py`` and the lesson tests.

Never in it: ``assignments/source/``, ``tests/submissions/``, a gradebook, the instructor
tooling of ``tools/``, ``benchmarks/``. ``tests/test_student_edition.py`` builds it, greps
every file for solution and hidden-test markers and for reference answer text, and runs the
edition's own ``make test``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "student-edition"
MARKER = ".student-edition"

#: What is copied, by path relative to the repository root (an allow-list).
COPY = [
    "course",
    "lessons",
    "seeds",
    "site",
    "docs/glossary.md",  # the lessons link their terms to it
    "pyproject.toml",
    "requirements.lock",
    "conftest.py",
    "tests/test_lessons.py",
]
#: Left out of what COPY names: instructor tooling, generated and cached files.
LEAVE_OUT = {"grading", "__pycache__", "_build", ".ipynb_checkpoints", ".pytest_cache"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in LEAVE_OUT or n.endswith((".pyc", ".db"))}


def release(root: Path, out: Path) -> list[str]:
    """Generate every problem set's release with nbgrader into ``out/assignments``."""
    source = root / "assignments" / "source"
    ids = sorted(p.name for p in source.iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory(prefix="student-edition-") as scratch:
        course = Path(scratch)
        shutil.copy(root / "assignments" / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copytree(source, course / "source")
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        for assignment in ids:
            done = subprocess.run(
                [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                cwd=course,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            released = course / "release" / assignment
            if done.returncode != 0 or not released.is_dir():
                raise RuntimeError(
                    f"nbgrader generate_assignment {assignment} failed:\n{done.stdout}{done.stderr}"
                )
            shutil.copytree(released, out / "assignments" / assignment, ignore=_ignore)
    return ids


def build(out: Path, root: Path = ROOT) -> Path:
    """Write the student edition to ``out`` (empty, new, or an earlier edition) and return it."""
    out = Path(out).resolve()
    if root.resolve() in (out, *out.parents):
        raise ValueError(f"write the edition outside the repository, not to {out}")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ValueError(
                f"{out} is not empty and holds no earlier student edition; "
                "give a new or empty folder as OUT"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, out / name, ignore=_ignore)
        elif src.is_file():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, out / name)
        else:
            raise FileNotFoundError(f"{src} is missing from the repository")
    release(root, out)
    shutil.copy(TEMPLATES / "README.md", out / "README.md")
    shutil.copy(TEMPLATES / "Makefile", out / "Makefile")
    shutil.copy(TEMPLATES / "gitignore", out / ".gitignore")
    (out / MARKER).write_text("Written by tools/student_edition.py; safe to delete.\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the student edition of the course.")
    parser.add_argument("--out", type=Path, required=True, help="folder to write it to")
    args = parser.parse_args(argv)
    try:
        out = build(args.out)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"student edition: {exc}", file=sys.stderr)
        return 2
    print(f"student edition written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

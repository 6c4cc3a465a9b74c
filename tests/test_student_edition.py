"""`make student-edition OUT=DIR`: a course for students with no answer key anywhere in it.

Built once per module in a temp folder (``tools/student_edition.py``). Every file is read
and searched for nbgrader's solution and hidden-test markers and for the text of every
reference solution, hidden test and model answer of ``assignments/source``; the instructor's
folders (``assignments/source``, ``tests/submissions``, a gradebook, ``course/grading``) must
be absent; and the edition's own ``make test`` runs its lessons, with the edition's copy of
``course`` first on the path.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assignments" / "source"
ASSIGNMENTS = sorted(p.name for p in SOURCE.iterdir() if p.is_dir())
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")

pytestmark = pytest.mark.slow


def _load_tool():
    path = ROOT / "tools/student_edition.py"
    spec = importlib.util.spec_from_file_location("student_edition", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


student_edition = _load_tool()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return student_edition.build(tmp_path_factory.mktemp("student") / "edition")


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _answer_key_lines() -> set[str]:
    """Lines of every solution, hidden test and model answer that appear nowhere else.

    A line a lesson, a problem set's prompt or the course package also contains (an import, a
    data load) is not part of the key, so it is left out of the search.
    """
    key: set[str] = set()
    public: set[str] = set()
    for lesson in (ROOT / "lessons").glob("*.ipynb"):
        for cell in nbformat.read(lesson, 4).cells:
            public |= {line.strip() for line in cell.source.splitlines()}
    # the installed package is public anyway: a reference line it contains (a problem set that
    # re-implements a course function) is the transfer test's concern, not this edition's
    for module in (ROOT / "course").rglob("*.py"):
        if "grading" not in module.parts:
            public |= {line.strip() for line in module.read_text().splitlines()}
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", 4)
        for cell in nb.cells:
            blocks = re.findall(
                r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", cell.source, re.S
            )
            outside = re.sub(
                r"### BEGIN (SOLUTION|HIDDEN TESTS)\n.*?### END \1", "", cell.source, flags=re.S
            )
            public |= {line.strip() for line in outside.splitlines()}
            for _, block in blocks:
                for line in block.splitlines():
                    stripped = line.strip()
                    # a line with no letter or digit (a table rule) carries no answer
                    if (
                        len(stripped) > 15
                        and not stripped.startswith("#")
                        and re.search(r"[A-Za-z0-9]", stripped)
                    ):
                        key.add(stripped)
    return key - public


def test_the_edition_holds_what_a_student_needs(edition):
    lessons = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))
    assert sorted(p.name for p in (edition / "lessons").glob("[0-9][0-9]-*.ipynb")) == lessons
    for assignment in ASSIGNMENTS:
        released = edition / "assignments" / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(released, 4)
        stubs = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert stubs, f"{assignment}: no answer cells in the release"
        assert all("YOUR CODE HERE" in c.source or "YOUR ANSWER HERE" in c.source for c in stubs), (
            f"{assignment}: an answer cell is not a stub"
        )
    for name in (
        "course/__init__.py",
        "course/checks.py",
        "course/exercises.py",
        "site/mkdocs.yml",
    ):
        assert (edition / name).is_file(), name
    readme = (edition / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme and "student edition" in readme
    makefile = (edition / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_the_edition_leaves_out_the_instructors_folders(edition):
    names = [p.relative_to(edition).as_posix() for p in edition.rglob("*")]
    for forbidden in ("assignments/source", "tests/submissions", "course/grading", "tools"):
        assert not any(n == forbidden or n.startswith(forbidden + "/") for n in names), forbidden
    assert not [n for n in names if n.endswith(".db") or "gradebook" in n]
    assert not [n for n in names if n.startswith("benchmarks")]


def _lines(path: Path) -> set[str]:
    """The stripped lines of a file; of a notebook, the lines of its cells' sources and outputs."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".ipynb":
        nb = nbformat.reads(text, 4)
        text = "\n".join(
            [c.source for c in nb.cells]
            + [
                str(o.get("text", "")) + str(o.get("data", ""))
                for c in nb.cells
                for o in c.get("outputs", [])
            ]
        )
    return {line.strip() for line in text.splitlines()}


def test_no_solution_hidden_test_or_model_answer_anywhere(edition):
    key = _answer_key_lines()
    assert len(key) > 50, "the answer key to look for is suspiciously small"
    found = []
    for path in _files(edition):
        text = path.read_bytes().decode("utf-8", errors="replace")
        where = path.relative_to(edition)
        found += [f"{where}: marker {m!r}" for m in MARKERS if m in text]
        found += [f"{where}: answer key line {line!r}" for line in sorted(key & _lines(path))]
    assert not found, "\n".join(found[:40])


def test_the_search_would_find_a_leaked_solution():
    """The search above is not vacuous: it finds the key in a source notebook."""
    source = SOURCE / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb"
    assert _answer_key_lines() & _lines(source)
    assert any(m in source.read_text() for m in MARKERS)


def test_instructor_commands_say_they_are_not_in_the_edition(edition):
    env = {**os.environ, "PYTHONPATH": str(edition)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import course, course.cli as c, sys; print(course.__file__); "
            "sys.exit(c.main(['grade', 'ps01-the-order']))",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=edition,
        timeout=120,
    )
    assert done.stdout.strip().startswith(str(edition)), done.stdout + done.stderr
    assert done.returncode == 2 and "not part of the student edition" in done.stderr


def test_the_editions_own_test_command_runs_its_lessons(edition):
    """`make test` of the edition, in this environment, with the edition's `course` first."""
    venv = Path(sys.executable).parent.parent
    env = {**os.environ, "PYTHONPATH": str(edition), "PYTEST_ADDOPTS": "-p no:cacheprovider"}
    done = subprocess.run(
        ["make", "test", f"VENV={venv}", "-o", f"{venv}/.installed"],
        cwd=edition,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    tail = (done.stdout + done.stderr)[-4000:]
    assert done.returncode == 0, tail
    lessons = len(list((edition / "lessons").glob("[0-9][0-9]-*.ipynb")))
    match = re.search(r"(\d+) passed", done.stdout)
    assert match and int(match.group(1)) >= lessons, tail

"""The objective map is complete: every lesson objective is assessed, every graded item assesses.

Objectives live in ``lessons/objectives.csv``; graded items name theirs in
``metadata.course.objectives`` (read by ``tools/objective_map.py``, which also prints the map:
``python tools/objective_map.py``). nbgrader must keep that metadata in the release, so that
formgrader, exports and the student edition can still tell what an item assesses.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from _support import run_nbgrader

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():
    spec = importlib.util.spec_from_file_location("objective_map", ROOT / "tools/objective_map.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


objective_map = _load_tool()


def test_objectives_have_stable_unique_thread_slugs():
    objectives = objective_map.load_objectives()
    assert len(objectives) >= 25
    threads = {o.objective_id.split(".")[0] for o in objectives}
    assert threads <= {"order", "timeline", "compute", "race", "review", "patchwork", "sources"}
    assert all(len(o.objective) > 30 for o in objectives), "each objective is a full sentence"


def test_every_lesson_shows_its_objective_ids():
    lessons = objective_map.lesson_paths()
    objectives = objective_map.load_objectives()
    for path in lessons:
        want = [o.objective_id for o in objectives if o.lesson == path.stem]
        assert want, f"{path.name} has no row in lessons/objectives.csv"
        assert objective_map.listed_ids(path) == want, path.name


def test_objective_map_is_complete():
    """Names exactly what is missing: run `python tools/objective_map.py` for the table."""
    found = objective_map.problems()
    if found:
        pytest.fail(
            f"{len(found)} gap(s) in the objective map:\n" + "\n".join(found), pytrace=False
        )


# --- the checker itself tells a complete map from an incomplete one ---------------------------


def _tiny_course(tmp_path: Path, objectives_of_items: list[object]) -> Path:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons/objectives.csv").write_text(
        "objective_id,lesson,objective\n"
        "order.components,01-a,Describe the parts of the draft order and of EO 14409.\n"
        "timeline.in-effect,01-a,Work out which instruments were in effect on a given day.\n"
    )
    lesson = nbformat.v4.new_notebook()
    lesson.cells.append(
        nbformat.v4.new_markdown_cell(
            "# 01\n\n### Objectives\n\n- `order.components`: Describe.\n"
            "- `timeline.in-effect`: Work out.\n\n### Next"
        )
    )
    nbformat.write(lesson, tmp_path / "lessons/01-a.ipynb")
    nb = nbformat.v4.new_notebook()
    for i, objectives in enumerate(objectives_of_items):
        cell = nbformat.v4.new_code_cell("x = 1")
        cell.metadata["nbgrader"] = {"grade_id": f"q{i}", "solution": True, "grade": False}
        if objectives is not None:
            cell.metadata["course"] = {"objectives": objectives}
        nb.cells.append(cell)
    folder = tmp_path / "assignments/source/ps01-x"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "ps01-x.ipynb")
    return tmp_path


def test_checker_accepts_a_complete_map(tmp_path):
    root = _tiny_course(tmp_path, [["order.components"], ["timeline.in-effect"]])
    assert objective_map.problems(root) == []
    assert "ps01 q0" in objective_map.table(root)


@pytest.mark.parametrize(
    ("items", "fragment"),
    [
        (
            [["order.components"]],
            "objective timeline.in-effect (01-a) is assessed by no graded item",
        ),
        (
            [["order.components", "timeline.in-effect"], None],
            "ps01-x q1 (autograded) assesses nothing",
        ),
        (
            [["order.components", "timeline.in-effect"], []],
            "ps01-x q1 (autograded) assesses nothing",
        ),
        (
            [["order.components", "timeline.in-effect", "order.typo"]],
            "ps01-x q0 names unknown objective 'order.typo'",
        ),
        ([["order.components", "timeline.in-effect"], "order.components"], "must be a list"),
    ],
)
def test_checker_names_what_is_missing(tmp_path, items, fragment):
    found = objective_map.problems(_tiny_course(tmp_path, items))
    assert any(fragment in line for line in found), found


def test_checker_notices_a_lesson_that_hides_its_ids(tmp_path):
    root = _tiny_course(tmp_path, [["order.components", "timeline.in-effect"]])
    lesson = nbformat.read(root / "lessons/01-a.ipynb", 4)
    lesson.cells[0].source = "# 01\n\n### Objectives\n\n- Describe.\n- Work out.\n"
    nbformat.write(lesson, root / "lessons/01-a.ipynb")
    assert any("Objectives list shows []" in line for line in objective_map.problems(root))


@pytest.mark.slow
def test_nbgrader_keeps_the_objectives_in_the_release(tmp_path):
    """generate_assignment keeps metadata.course on every answer cell (tagged here on a copy)."""
    source = ROOT / "assignments/source/ps01-the-order"
    root = tmp_path / "course"
    shutil.copytree(source, root / "source" / source.name)
    shutil.copy(ROOT / "assignments/nbgrader_config.py", root / "nbgrader_config.py")
    path = root / "source" / source.name / f"{source.name}.ipynb"
    nb = nbformat.read(path, 4)
    tagged = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") or (cell.cell_type == "markdown" and meta.get("grade")):
            cell.metadata.setdefault("course", {"objectives": ["order.components"]})
            tagged[meta["grade_id"]] = json.dumps(cell.metadata["course"], sort_keys=True)
    nbformat.write(nb, path)
    done = run_nbgrader(
        root, "generate_assignment", source.name, "--force", f"--CourseDirectory.root={root}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    release = nbformat.read(root / "release" / source.name / f"{source.name}.ipynb", 4)
    kept = {
        c.metadata["nbgrader"]["grade_id"]: json.dumps(c.metadata.get("course"), sort_keys=True)
        for c in release.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") in tagged
    }
    assert kept == tagged

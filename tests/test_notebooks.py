"""Committed notebooks are stripped of outputs and keep valid nbgrader metadata."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "lessons").glob("*.ipynb")) + sorted(
    (ROOT / "assignments" / "source").rglob("*.ipynb")
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs: run `make strip`"
            assert cell.execution_count is None, (
                f"cell {i} has an execution count: run `make strip`"
            )
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


ASSIGNMENT_NBS = [p for p in NOTEBOOKS if "assignments" in p.parts]


@pytest.mark.parametrize("path", ASSIGNMENT_NBS, ids=[p.stem for p in ASSIGNMENT_NBS])
def test_nbgrader_metadata_is_consistent(path):
    nb = nbformat.read(path, as_version=4)
    assert path.stem == path.parent.name, "an assignment's notebook is named like its folder"
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        assert meta.get("schema_version") == 3
        ids.append(meta["grade_id"])
        if meta.get("grade"):
            assert meta.get("points", 0) > 0, f"{meta['grade_id']} is graded but has no points"
        if meta.get("grade") and cell.cell_type == "code":
            assert meta.get("locked"), f"test cell {meta['grade_id']} must be locked"
            assert meta["grade_id"].endswith("_tests"), (
                f"{meta['grade_id']}: name test cells *_tests"
            )
            assert cell.source.lstrip().startswith('"""'), (
                f"{meta['grade_id']}: open with a docstring"
            )
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    written = [
        c for c in nb.cells
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")
    ]  # fmt: skip
    assert written, "each assignment has at least one manually graded written answer"
    for cell in written:
        assert "BEGIN SOLUTION" in cell.source and "rubric" in cell.source.lower()

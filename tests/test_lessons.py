"""Every lesson runs top to bottom from an empty folder, with no error and nothing on stderr.

It must also follow the house format: questions, objectives and time at the top, key
points at the end, exercises with a collapsed solution and a self-check.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))


def test_there_are_lessons():
    assert LESSONS, "no lessons/NN-title.ipynb found"
    numbers = [p.name[:2] for p in LESSONS]
    assert numbers == [f"{i:02d}" for i in range(1, len(LESSONS) + 1)], (
        "lessons are numbered 01, 02, ..."
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_clean_from_an_empty_folder(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i} wrote to stderr: {out.text[:300]}")
    assert not problems, "\n".join(problems)
    assert list(tmp_path.iterdir()) == [], "a lesson must not write files into its folder"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_follows_the_house_format(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source.lower()
    for word in ("questions", "objectives"):
        assert word in first, f"the first cell should give the lesson's {word}"
    assert "teaching" in first and "min" in first, "the first cell should give the teaching time"
    assert (
        "key points" in nb.cells[-1].source.lower() or "key points" in nb.cells[-2].source.lower()
    )
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    # A lesson split into two episodes (lessons 02-09) may keep two exercises in an episode.
    assert markdown.count("<details") >= 2, "at least two exercises with collapsed solutions"
    assert code.count("check_") >= 2, "at least two self-checks"
    assert "open(" not in code and "read_csv(" not in code, "lessons load data through course"

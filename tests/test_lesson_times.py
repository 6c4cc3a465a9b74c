"""Each lesson states the time a careful student needs, and none needs much more than 90 minutes.

The estimate (``tools/lesson_time.py``) adds reading at 160 words a minute, each code cell,
each exercise, each explorer and each discussion; ``python tools/lesson_time.py --write``
puts it in the lesson's first cell. A lesson over ``LONGEST`` minutes is split into two
episodes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))


def _load_tool():
    spec = importlib.util.spec_from_file_location("lesson_time", ROOT / "tools/lesson_time.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


lesson_time = _load_tool()


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_stated_time_is_the_estimate(path):
    stated = lesson_time.stated(path)
    assert stated is not None, f"{path.name}: the first cell states no '**Time:** about N min'"
    want = lesson_time.estimate(path).total
    assert stated >= want, (
        f"{path.name} states {stated} min but needs about {want}: "
        "run `python tools/lesson_time.py --write`"
    )
    assert stated <= want + 10, f"{path.name} states {stated} min, more than its {want}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_lesson_needs_much_more_than_90_minutes(path):
    total = lesson_time.estimate(path).total
    assert total <= lesson_time.LONGEST, (
        f"{path.name} needs about {total} min: split it into two episodes"
    )


def test_the_estimate_counts_each_part(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 01\n\n**Time:** about 0 min\n\n" + "word " * 320),
        nbformat.v4.new_code_cell("x = 1\ny = 2"),
        nbformat.v4.new_markdown_cell(
            "### Exercise 1: a thing\n\n<details>" + "s " * 500 + "</details>"
        ),
        nbformat.v4.new_code_cell("# Replace None with your answer.\nanswer = None"),
        nbformat.v4.new_code_cell('checks.check_exercise("a.b", answer)'),
        nbformat.v4.new_code_cell("widgets.race_explorer()"),
        nbformat.v4.new_markdown_cell("### Discussion (10 min, no code)"),
    ]
    path = tmp_path / "01-x.ipynb"
    nbformat.write(nb, path)
    e = lesson_time.estimate(path)
    assert (e.exercises, e.explorers, e.discussion, e.code_cells) == (1, 1, 10, 2)
    # reading ~2.1 min + code 2 x 0.5 + 3 lines x 0.1 + exercise 10 + explorer 8 + discussion 10
    assert e.total == 35
    lesson_time.write_time(path)
    assert lesson_time.stated(path) == lesson_time.estimate(path).total

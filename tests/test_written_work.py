"""Written work carries weight, and every rubric is usable by a grader.

Reads the instructor's source notebooks (no kernel, no nbgrader run) and checks, for each
problem set that follows the rubric layout below:

- at least 40 % of the points are manually graded written answers;
- the intro cell's point totals ("Points: N in all", "(A points) are graded automatically",
  "(W points) are written") are the totals of the cells' nbgrader points, and every prompt
  states its own points;
- each written answer's solution block holds a rubric whose criteria add up to the cell's
  points, a list of common misconceptions, and three exemplars (full, partial, failing) whose
  quoted text stays within the word limit that the prompt sets ("**120-200 words**");
- every graded answer cell names the objectives it assesses in ``course.objectives``.

Problem sets ps04 and ps05 join the list when their rubrics use the same layout.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assignments" / "source"
PROBLEM_SETS = ("ps01-the-order", "ps02-compute", "ps03-race")
EXEMPLARS = ("full", "partial", "failing")


def _cells(assignment: str) -> list:
    return nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4).cells


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _written(cells) -> list[tuple[int, object]]:
    return [
        (i, c)
        for i, c in enumerate(cells)
        if c.cell_type == "markdown" and _meta(c).get("grade") and _meta(c).get("solution")
    ]


def _words(quote: str) -> int:
    return len(re.sub(r"^> ?", "", quote, flags=re.M).split())


@pytest.mark.parametrize("assignment", PROBLEM_SETS)
def test_written_answers_carry_at_least_40_percent(assignment):
    cells = _cells(assignment)
    auto = sum(_meta(c)["points"] for c in cells if c.cell_type == "code" and _meta(c).get("grade"))
    written = sum(_meta(c)["points"] for _, c in _written(cells))
    assert written / (auto + written) >= 0.4, f"{assignment}: {written} of {auto + written} points"


@pytest.mark.parametrize("assignment", PROBLEM_SETS)
def test_intro_states_the_true_point_totals(assignment):
    cells = _cells(assignment)
    intro = cells[0].source
    auto = sum(_meta(c)["points"] for c in cells if c.cell_type == "code" and _meta(c).get("grade"))
    written = sum(_meta(c)["points"] for _, c in _written(cells))
    assert re.search(rf"\*\*Points: {auto + written} in all\.\*\*", intro), intro
    assert re.search(rf"\({auto} points\) are graded automatically", intro), intro
    assert re.search(rf"\({written} points\) are written", intro), intro


@pytest.mark.parametrize("assignment", PROBLEM_SETS)
def test_every_prompt_states_its_points(assignment):
    cells = _cells(assignment)
    graded = [
        (i, c)
        for i, c in enumerate(cells)
        if _meta(c).get("grade") and (c.cell_type == "code" or _meta(c).get("solution"))
    ]
    assert graded
    for i, cell in graded:
        # the prompt is the nearest locked markdown cell above the answer
        j = i - 1
        while not (cells[j].cell_type == "markdown" and _meta(cells[j]).get("locked")):
            j -= 1
        points = _meta(cell)["points"]
        unit = "point" if points == 1 else "points"
        assert re.search(rf"\*\*Q\d+ \({points:g} {unit}", cells[j].source), (
            f"{assignment}: the prompt above {_meta(cell)['grade_id']} does not state "
            f"its {points} points"
        )


@pytest.mark.parametrize("assignment", PROBLEM_SETS)
def test_each_rubric_has_criteria_misconceptions_and_three_exemplars(assignment):
    cells = _cells(assignment)
    written = _written(cells)
    assert written, f"{assignment} has no written answer"
    for i, cell in written:
        gid, points = _meta(cell)["grade_id"], _meta(cell)["points"]
        block = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S)
        assert block, f"{gid}: the rubric must sit inside the solution block (never released)"
        text = block.group(1)
        rubric = re.search(r"\*\*Rubric \((\d+) points\)\.\*\*\n(.*?)\n\n", text, re.S)
        assert rubric and int(rubric.group(1)) == points, f"{gid}: no rubric for {points} points"
        criteria = re.findall(r"^- (\d+(?:\.\d+)?) points?:", rubric.group(2), re.M)
        assert sum(float(p) for p in criteria) == points, f"{gid}: criteria add up to {criteria}"
        misconceptions = text.split("**Common misconceptions to look for.**")
        assert len(misconceptions) == 2, f"{gid}: no list of common misconceptions"
        assert len(re.findall(r"^- ", misconceptions[1].split("**Exemplar")[0], re.M)) >= 2
        limit = re.search(r"\*\*(\d+)-(\d+) words\*\*", cells[i - 1].source)
        assert limit, f"{gid}: the prompt above it sets no word limit like **60-100 words**"
        parts = text.split("**Exemplar")[1:]
        assert len(parts) == 3, f"{gid}: {len(parts)} exemplars, not three"
        for kind, part in zip(EXEMPLARS, parts, strict=True):
            head = part.splitlines()[0]
            assert kind in head, f"{gid}: exemplars must be full, partial, failing in that order"
            score = re.search(rf"\((\d+(?:\.\d+)?)/{points}", head)
            assert score, f"{gid}: the {kind} exemplar does not state its score out of {points}"
            got = float(score.group(1))
            assert {"full": got == points, "partial": 0 < got < points, "failing": got == 0}[kind]
            quote = re.search(r"((?:^>[^\n]*\n?)+)", part, re.M)
            assert quote, f"{gid}: the {kind} exemplar has no quoted answer"
            words = _words(quote.group(1))
            assert words <= int(limit.group(2)), (
                f"{gid}: the {kind} exemplar has {words} words, over the limit of {limit.group(2)}"
            )


@pytest.mark.parametrize("assignment", PROBLEM_SETS)
def test_every_graded_item_names_its_objectives(assignment):
    for cell in _cells(assignment):
        meta = _meta(cell)
        if not meta.get("solution"):
            continue
        objectives = cell.metadata.get("course", {}).get("objectives")
        assert isinstance(objectives, list) and objectives, f"{meta['grade_id']} names no objective"
        assert all(
            isinstance(o, str) and re.fullmatch(r"[a-z]+\.[a-z0-9-]+", o) for o in objectives
        )

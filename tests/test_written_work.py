"""Written work carries weight, and every rubric is usable by a grader.

Reads the instructor's source notebooks (no kernel, no nbgrader run) of every problem set on disk
(``assignments/source/psNN-topic/psNN-topic.ipynb``) and checks, for each:

- at least 40 % of the points are manually graded written answers;
- the intro cell's point totals ("Points: N in all", the points of the questions "graded
  automatically", the points of the written ones) are the totals of the cells' nbgrader points,
  and every prompt states its own points;
- each written answer's solution block holds a rubric whose criteria add up to the cell's
  points, a list of common misconceptions, and three exemplars (full, partial, failing) whose
  quoted text stays within the word limit that the prompt sets ("**120-200 words**", "**at most
  150 words**", "(4 points, written, at most 150 words)"); an exemplar that states its length
  states it truly;
- every graded answer cell names the objectives it assesses in ``course.objectives``.

A rubric is either a list of criteria ("- 2 points: ...") or, for the capstone memo of ps06 (about
1,000 words, graded on five criteria at once), a table with one row per criterion and its full,
partial and no-credit levels. A table rubric's partial and failing exemplars give their score per
criterion, and those scores, less any deduction, must make the total they state.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assignments" / "source"
#: Every problem set on disk: assignments/source/psNN-topic/psNN-topic.ipynb.
PROBLEM_SETS = sorted(
    p.parent.name
    for p in SOURCE.glob("ps[0-9][0-9]-*/ps[0-9][0-9]-*.ipynb")
    if p.stem == p.parent.name
)
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


def _points_in(text: str) -> int:
    """The sum of the "(N points)" an intro clause gives its questions ("(12 points, 3 each)")."""
    return sum(int(n) for n in re.findall(r"\((\d+) points?\b", text))


@pytest.mark.parametrize("assignment", PROBLEM_SETS)
def test_intro_states_the_true_point_totals(assignment):
    cells = _cells(assignment)
    intro = cells[0].source
    auto = sum(_meta(c)["points"] for c in cells if c.cell_type == "code" and _meta(c).get("grade"))
    written = sum(_meta(c)["points"] for _, c in _written(cells))
    stated = re.search(r"\*\*Points: (\d+) in all\.\*\*(.*?)(?:\n\n|\Z)", intro, re.S)
    assert stated and int(stated.group(1)) == auto + written, f"{assignment}: {intro[:300]}"
    automatic, found, rest = " ".join(stated.group(2).split()).partition("graded automatically")
    assert found, f"{assignment}: the intro does not say which questions are graded automatically"
    assert _points_in(automatic) == auto, f"{assignment}: {auto} points are graded automatically"
    assert re.search(r"written|graded by your instructor", rest), rest
    assert _points_in(rest) == written, f"{assignment}: {written} points are written"
    for part, whole in re.findall(r"(\d+) of the (\d+) points are for your reasoning", rest):
        assert (int(part), int(whole)) == (written, auto + written), f"{assignment}: {part}/{whole}"


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
        # "**Q5 (3 points, ..." or, for a memo, a heading: "## The memo (24 points, ..."
        assert re.search(rf"\*\*Q\d+ \({points:g} {unit}", cells[j].source) or re.match(
            rf"#+ [^\n]*\({points:g} {unit}\b", cells[j].source
        ), (
            f"{assignment}: the prompt above {_meta(cell)['grade_id']} does not state "
            f"its {points} points"
        )


def _word_limit(prompt: str) -> int | None:
    """The most words the prompt allows: "(4 points, written, at most 150 words)" or "(24 points,
    written, about 1,000 words and at most 1,100)" on its first line, else "**120-200 words**" or
    "**At most 150 words**" in its text."""
    first = prompt.strip().splitlines()[0]
    limit = re.search(r"\bat most (\d[\d,]*)", first)
    if not limit:
        limit = re.search(r"\*\*(?:\d[\d,]*-|[Aa]t most )(\d[\d,]*) words\*\*", prompt)
    return int(limit.group(1).replace(",", "")) if limit else None


#: A row of a table rubric: "| **Evidence (6)** | full ... (6) | partial ... (3) | none ... (0) |".
TABLE_ROW = re.compile(
    r"^\| \*\*(?P<name>[^*|]+?) \((?P<points>\d+)\)\*\* \|(?P<full>[^|]*)\|(?P<partial>[^|]*)\|"
    r"(?P<none>[^|]*)\|\s*$",
    re.M,
)


def _criteria(gid: str, text: str, points: float) -> dict[str, float]:
    """The rubric's criteria and their points: a list ("- 2 points: ...") or a table."""
    rubric = re.search(
        r"\*\*Rubric \((\d+) points\)\.\*\*(.*?)\*\*Common misconceptions", text, re.S
    )
    assert rubric and int(rubric.group(1)) == points, f"{gid}: no rubric for {points} points"
    body = rubric.group(2)
    rows = list(TABLE_ROW.finditer(body))
    if not rows:
        listed = re.search(r"\A\n(.*?)\n\n", body, re.S)
        assert listed, f"{gid}: the rubric's criteria must follow its heading, one per line"
        found = re.findall(r"^- (\d+(?:\.\d+)?) points?: (.*)$", listed.group(1), re.M)
        return {f"criterion {k + 1}": float(p) for k, (p, _) in enumerate(found)}
    criteria = {}
    for row in rows:
        name, most = row["name"].strip(), int(row["points"])
        assert row["full"].strip().endswith(f"({most})"), (
            f"{gid}: {name}'s full level is not {most}"
        )
        assert row["none"].strip().endswith("(0)"), f"{gid}: {name}'s lowest level is not 0"
        partial = [int(n) for n in re.findall(r"\d+", row["partial"].rsplit("(", 1)[-1])]
        assert partial and all(0 < n < most for n in partial), f"{gid}: {name}'s partial level"
        criteria[name] = float(most)
    return criteria


def _by_criterion(gid: str, head: str, criteria: dict[str, float], score: float) -> None:
    """A table rubric's exemplar gives its score per criterion, less deductions: check the sum."""
    total = 0.0
    for name, most in criteria.items():
        given = re.search(rf"\b{re.escape(name.lower())} (\d+(?:\.\d+)?)\b", head.lower())
        assert given, f"{gid}: the exemplar {head[:40]!r} gives no score for {name}"
        assert float(given.group(1)) <= most, f"{gid}: more than {most:g} for {name}"
        total += float(given.group(1))
    deducted = re.search(r"(\d+(?:\.\d+)?) points? deducted", head)
    total -= float(deducted.group(1)) if deducted else 0.0
    assert max(total, 0.0) == score, f"{gid}: the scores by criterion make {total:g}, not {score:g}"


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
        misconceptions = text.split("**Common misconceptions to look for.**")
        assert len(misconceptions) == 2, f"{gid}: no list of common misconceptions"
        criteria = _criteria(gid, text, points)
        assert sum(criteria.values()) == points, f"{gid}: criteria add up to {criteria}"
        table = not criteria or not next(iter(criteria)).startswith("criterion ")
        listed = re.split(r"(?m)^\*\*", misconceptions[1].lstrip("\n"), maxsplit=1)[0]
        assert len(re.findall(r"^- ", listed, re.M)) >= 2, f"{gid}: list the misconceptions"
        limit = _word_limit(cells[i - 1].source)
        assert limit, f"{gid}: the prompt above it sets no word limit like **60-100 words**"
        parts = re.split(r"(?m)^\*\*Exemplar\b(?!s)", text)[1:]
        assert len(parts) == 3, f"{gid}: {len(parts)} exemplars, not three"
        for kind, part in zip(EXEMPLARS, parts, strict=True):
            head = part.splitlines()[0]
            assert kind in head, f"{gid}: exemplars must be full, partial, failing in that order"
            score = re.search(rf"\((\d+(?:\.\d+)?)/{points}\b", head)
            assert score, f"{gid}: the {kind} exemplar does not state its score out of {points}"
            got = float(score.group(1))
            assert {"full": got == points, "partial": 0 < got < points, "failing": got == 0}[kind]
            if table and kind != "full":
                _by_criterion(gid, head, criteria, got)
            quote = re.search(r"((?:^>[^\n]*\n?)+)", part, re.M)
            assert quote, f"{gid}: the {kind} exemplar has no quoted answer"
            words = _words(quote.group(1))
            assert words <= limit, (
                f"{gid}: the {kind} exemplar has {words} words, over the limit of {limit}"
            )
            stated = re.search(r"(\d[\d,]*) words\b", head)
            if stated:
                assert int(stated.group(1).replace(",", "")) == words, (
                    f"{gid}: the {kind} exemplar says {stated.group(1)} words; its quote has {words}"
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

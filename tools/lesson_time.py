"""How long a careful student needs for a lesson, worked out from what is in it.

    python tools/lesson_time.py          # a table: each lesson's parts and total, and its stated time
    python tools/lesson_time.py --write  # put each estimate in its lesson's first cell

The estimate adds up, for one lesson notebook:

- **reading** the markdown outside the folded solutions at 160 words a minute: two thirds of
  the 238 words a minute that Brysbaert's meta-analysis found for adults reading non-fiction
  silently (M. Brysbaert, "How many words do we read per minute? A review and meta-analysis of
  reading rate", *Journal of Memory and Language* 109, 2019, 104047,
  https://doi.org/10.1016/j.jml.2019.104047), because a student studying a text full of
  figures, dates and sources, and checking them, reads more slowly than that;
- **code**: 0.5 minutes a code cell to read it, run it and look at what it prints, and 0.1
  minutes a line of code on top (an exercise's answer and check cells count as the exercise);
- **exercises**: 10 minutes each, to try, run the check, fix and read the folded solution;
- **explorers** (a cell calling ``widgets.*_explorer``): 8 minutes each, to move the sliders
  to the settings the text asks about;
- **discussion**: the minutes its heading states ("Discussion (10 min, no code)").

The first cell of each lesson states ``**Time:** about N min`` with these parts;
``tests/test_lesson_times.py`` fails when a stated time is under the estimate, or a lesson
needs more than about 90 minutes (split it into two episodes).
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_MINUTE = 160
MINUTES_PER_CODE_CELL = 0.5
MINUTES_PER_CODE_LINE = 0.1
MINUTES_PER_EXERCISE = 10
MINUTES_PER_EXPLORER = 8
#: A lesson longer than this is split into two episodes.
LONGEST = 95

DETAILS = re.compile(r"<details>.*?</details>", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
EXERCISE = re.compile(r"^#{2,4} Exercise\b", re.M)
EXPLORER = re.compile(r"\bwidgets\.\w+_explorer\(")
DISCUSSION = re.compile(r"^#{2,4} .*Discussion.*?\((\d+) min", re.M)
EXERCISE_ANSWER = re.compile(r"^# Replace None with", re.M)
STATED = re.compile(r"\*\*Time:\*\* about (\d+) min")


@dataclass(frozen=True)
class Estimate:
    lesson: str
    words: int
    code_cells: int
    code_lines: int
    exercises: int
    explorers: int
    discussion: int

    @property
    def reading(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def code(self) -> float:
        return self.code_cells * MINUTES_PER_CODE_CELL + self.code_lines * MINUTES_PER_CODE_LINE

    @property
    def exercise_minutes(self) -> float:
        return self.exercises * MINUTES_PER_EXERCISE

    @property
    def explorer_minutes(self) -> float:
        return self.explorers * MINUTES_PER_EXPLORER

    @property
    def total(self) -> int:
        """Minutes, rounded up to the next 5."""
        raw = (
            self.reading
            + self.code
            + self.exercise_minutes
            + self.explorer_minutes
            + self.discussion
        )
        return int(5 * math.ceil(raw / 5))

    def sentence(self) -> str:
        """The lesson's time line, with its parts, for the first cell."""
        teaching = self.total - round(self.exercise_minutes)
        parts = [f"reading about {round(self.reading)} min", f"code about {round(self.code)} min"]
        if self.explorers:
            parts.append(
                f"{self.explorers} explorer{'s' if self.explorers > 1 else ''} about "
                f"{round(self.explorer_minutes)} min"
            )
        if self.discussion:
            parts.append(f"discussion {self.discussion} min")
        return (
            f"**Time:** about {self.total} min for a careful student. **Teaching:** about "
            f"{teaching} min ({', '.join(parts)}) · **Exercises:** {self.exercises}, about "
            f"{round(self.exercise_minutes)} min"
        )


def estimate(path: Path) -> Estimate:
    nb = nbformat.read(path, as_version=4)
    words = code_cells = code_lines = exercises = explorers = discussion = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = LINK_TARGET.sub("]", DETAILS.sub("", cell.source))
            words += len(text.split())
            exercises += len(EXERCISE.findall(cell.source))
            discussion += sum(int(m) for m in DISCUSSION.findall(cell.source))
        elif cell.cell_type == "code":
            if "check_exercise(" in cell.source or EXERCISE_ANSWER.search(cell.source):
                continue
            code_cells += 1
            code_lines += len([line for line in cell.source.splitlines() if line.strip()])
            explorers += len(EXPLORER.findall(cell.source))
    return Estimate(path.stem, words, code_cells, code_lines, exercises, explorers, discussion)


def stated(path: Path) -> int | None:
    match = STATED.search(nbformat.read(path, as_version=4).cells[0].source)
    return int(match.group(1)) if match else None


TIME_LINE = re.compile(r"^(?:\*\*Time:\*\*|\*\*Teaching:\*\*).*$", re.M)


def write_time(path: Path) -> str:
    """Put the estimate in the lesson's first cell (replacing its time line); returns it."""
    for _ in range(3):  # the line's own words count: settle on a fixed point
        nb = nbformat.read(path, as_version=4)
        line = estimate(path).sentence()
        first = nb.cells[0]
        if not TIME_LINE.search(first.source):
            raise ValueError(
                f"{path.name}: the first cell has no '**Time:**' or '**Teaching:**' line"
            )
        new = TIME_LINE.sub(line.replace("\\", "\\\\"), first.source, count=1)
        if new == first.source:
            return line
        first.source = new
        nbformat.write(nb, path)
    return line


def main() -> int:
    if "--write" in sys.argv[1:]:
        for path in sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb")):
            print(f"{path.name}: {write_time(path)}")
        return 0
    print(
        "| lesson | words | code cells | exercises | explorers | discussion | estimate | stated |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb")):
        e = estimate(path)
        print(
            f"| {e.lesson} | {e.words} | {e.code_cells} | {e.exercises} | {e.explorers} | "
            f"{e.discussion} min | {e.total} min | {stated(path) or '-'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

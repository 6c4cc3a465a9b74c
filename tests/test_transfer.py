"""Every autograded item tests transfer: no reference answer can be copied from the screen.

Each lesson runs once per session (a fresh kernel, an empty folder), recorded with its
sources, outputs and the values its cells compute; the ``course`` docstrings and the lesson
exercises' expected values (``course.exercises``) join that record. Each problem set's
source notebook runs once, and every value its test cells read from an answer cell is
looked for in the record (see ``tools/transfer.py`` for the rules). On a branch:
``python tools/transfer.py ps01-the-order`` gives the same answer, faster the second time.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "assignments/source").iterdir() if p.is_dir())


def _load_tool():
    spec = importlib.util.spec_from_file_location("transfer", ROOT / "tools/transfer.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


transfer = _load_tool()


@pytest.fixture(scope="session")
def lesson_records():
    """Every lesson executed once, plus the course docstrings and the exercises' answers."""
    return transfer.lesson_records(ROOT, cache=None)


@pytest.fixture(scope="session")
def reference():
    cache: dict[str, tuple] = {}

    def answers(assignment: str):
        if assignment not in cache:
            path = ROOT / "assignments/source" / assignment / f"{assignment}.ipynb"
            cache[assignment] = transfer.reference_answers(path)
        return cache[assignment]

    return answers


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_reference_answer_is_on_screen(assignment, lesson_records, reference):
    answers, _ = reference(assignment)
    leaks = transfer.find_leaks(answers, lesson_records)
    if leaks:
        pytest.fail(
            f"{len(leaks)} reference answer value(s) of {assignment} a student can copy:\n"
            + "\n".join(f"- {leak}" for leak in leaks),
            pytrace=False,
        )


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_check_sees_the_answers(assignment, reference):
    """Not vacuous: most answer cells give values to look for (functions alone cannot)."""
    answers, unseen = reference(assignment)
    graded = {a.grade_id for a in answers}
    assert graded, f"no reference answer of {assignment} was read"
    assert len(graded) >= len(unseen), (
        f"{assignment}: only {sorted(graded)} give plain values; {unseen} give functions only"
    )


@pytest.mark.slow
def test_lesson_records_hold_sources_outputs_values_and_exercises(lesson_records):
    names = [r.name for r in lesson_records]
    assert "course docstrings" in names and "lesson exercises" in names
    lessons = [r for r in lesson_records if r.name[:2].isdigit()]
    assert len(lessons) == len(list((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb")))
    for record in lessons:
        assert any(where.endswith("output") for where, _ in record.texts), record.name
        assert len(record.values) > 10, record.name
    exercises = next(r for r in lesson_records if r.name == "lesson exercises")
    from course.exercises import EXERCISES

    assert len(exercises.values) == len(EXERCISES)


# --- the matcher, on made-up records: it tells a copied answer from a fresh one ---------------


def _answer(value, name="x"):
    return transfer.Answer("ps00-test", "q1", name, transfer._fingerprint_here(value))


def _record(texts=(), values=()):
    record = transfer.Record("01-lesson")
    record.texts = [(f"01-lesson cell {i} output", t) for i, t in enumerate(texts)]
    record.values = [
        (f"01-lesson cell {i} `v`", transfer._fingerprint_here(v)) for i, v in enumerate(values)
    ]
    return record


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (15.647, "about 15.6 per 1000 words"),
        (3.7908e25, "That is about 3.79e25 FLOP"),
        (3.7908e25, "3.790800e+25"),
        (0.4123, "a share of 41.2%"),
        (51, "From 31 March to 21 May 2026 is 51 days."),
        (-324, "51 12 2020-12-31 2019-02-11 -324 13"),
        (6.53, "doubling every 6.5 months"),
        (1250, "1,250 bills were introduced"),
    ],
)
def test_a_number_shown_at_its_precision_leaks(answer, text):
    leaks = transfer.find_leaks([_answer(answer)], [_record([text])])
    assert leaks, f"{answer} should be found in {text!r}"
    assert "01-lesson cell 0 output" in str(leaks[0])


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (15.647, "about 15.7 per 1000 words"),  # another number at that precision
        (15.647, "about 16 per 1000 words"),  # a fraction shown as a whole is not the answer
        (51, "signed on 51 May"),  # not a unit: a day
        (51, "EO 14365 of 11 December 2025, row 51 of the table"),  # no unit after it
        (3, "3 days"),  # trivial: under 10
        (2024, "in 2024 there were"),  # a year
        (0.5, "half, 0.5"),  # one decimal
        (5.5089, "figsize=(12, 5.5)"),  # two digits and no unit
    ],
)
def test_a_number_not_shown_does_not_leak(answer, text):
    assert transfer.find_leaks([_answer(answer)], [_record([text])]) == []


def test_a_number_the_lesson_computes_leaks_even_unshown():
    leaks = transfer.find_leaks([_answer(0.0909090909)], [_record(values=[1 / 11])])
    assert leaks and "a value the lesson computes" in str(leaks[0])
    assert transfer.find_leaks([_answer(0.0909)], [_record(values=[1 / 11])]) == []


def test_id_lists_leak_as_sets_when_sorted_and_in_order_when_ranked():
    ids = ["bis-ai-diffusion-rule", "eo-14110"]
    shown = "['eo-14110', 'bis-ai-diffusion-rule']"
    assert transfer.find_leaks([_answer(ids)], [_record([shown])])
    assert transfer.find_leaks([_answer(ids)], [_record(values=[list(reversed(ids))])])
    assert not transfer.find_leaks([_answer(ids)], [_record(["['eo-14110']"])])
    assert not transfer.find_leaks([_answer(ids + ["eo-14409"])], [_record([shown])])
    ranking = ["public", "none", "private"]  # not sorted: order is the answer
    assert not transfer.find_leaks([_answer(ranking)], [_record(values=[sorted(ranking)])])
    assert transfer.find_leaks([_answer(ranking)], [_record(values=[list(ranking)])])
    claims = [1, 11, 12]
    assert transfer.find_leaks([_answer(claims)], [_record(["The list is [1, 11, 12]."])])


def test_tables_and_mappings_leak_when_a_lesson_computes_the_same_rows():
    import pandas as pd

    frame = pd.DataFrame({"state": ["CA", "NY", "UT"], "n": [10, 4, 2]})
    assert transfer.find_leaks([_answer(frame)], [_record(values=[frame.iloc[::-1]])])
    counts = {"CA": 10, "NY": 4, "UT": 2}
    assert transfer.find_leaks([_answer(counts)], [_record(values=[frame.set_index("state")["n"]])])
    assert not transfer.find_leaks(
        [_answer({"CA": 10, "NY": 5, "UT": 2})], [_record(values=[frame])]
    )


def test_bound_and_read_names():
    source = "a = 1\nb, (c, d) = f()\nfor e in x:\n    inner = 2\n_hidden = 3\n%matplotlib inline"
    assert transfer.bound_names(source) == ["a", "b", "c", "d", "e"]
    assert transfer.read_names("assert isinstance(n, int) and n > limit") >= {"n", "limit"}

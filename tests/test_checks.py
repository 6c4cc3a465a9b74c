"""course.checks: right answers pass; wrong ones say what is wrong and never show the answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course.checks import CheckResult, check_frame, check_items, check_number


class AlwaysEqual:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def test_number_right_and_tolerance():
    assert check_number(12, expected=12)
    assert check_number(np.int64(12), expected=12)
    assert check_number(0.3333, expected=1 / 3, rel_tol=1e-3)
    assert not check_number(0.33, expected=1 / 3, rel_tol=1e-3)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (None, "no answer yet"),
        ("12", "str"),
        (True, "bool"),
        (AlwaysEqual(), "AlwaysEqual"),
        (pd.Series([12]), ".item()"),
        (float("nan"), "not a finite number"),
        (20, "too high"),
        (3, "too low"),
        (13, "one away"),
    ],
)
def test_number_wrong_answers_say_why_without_the_answer(answer, fragment):
    result = check_number(answer, expected=12, name="days")
    assert isinstance(result, CheckResult)
    assert not result
    assert fragment in result.message
    assert "12" not in result.message.replace(repr(answer), "")


def test_number_hint_is_appended():
    assert (
        "use the ended column" in check_number(1, expected=5, hint="use the ended column").message
    )


def test_items_counts_missing_and_extra_without_naming_them():
    result = check_items(["a", "x"], expected=["a", "b", "c"], name="ids")
    assert not result
    assert "2 items are missing" in result.message and "1 item does not belong" in result.message
    assert "'b'" not in result.message and "'c'" not in result.message
    assert check_items(pd.Series(["c", "b", "a"]), expected=["a", "b", "c"])


@pytest.mark.parametrize("answer", ["abc", 3, pd.DataFrame({"a": [1]})])
def test_items_rejects_non_collections(answer):
    result = check_items(answer, expected=["a"])
    assert not result and "you gave" in result.message


def test_frame_checks_type_columns_rows_values():
    want = pd.DataFrame({"year": [2023, 2024], "n": [2, 3]})
    assert check_frame(want.iloc[::-1], want)
    assert not check_frame(want, want.iloc[::-1], check_order=True)
    assert "DataFrame" in check_frame(want.to_dict(), want).message
    assert "'n'" in check_frame(want[["year"]], want).message
    assert "1 rows; 2 are expected" in check_frame(want.head(1), want).message
    assert "values differ" in check_frame(want.assign(n=[2, 4]), want).message


def test_result_displays_its_message():
    result = check_number(1, expected=1, name="q")
    assert repr(result) == result._repr_markdown_() == "✅ q: correct."


def test_none_means_not_answered_yet_for_every_check():
    want = pd.DataFrame({"a": [1]})
    for result in (check_number(None, 1), check_items(None, [1]), check_frame(None, want)):
        assert not result and "no answer yet" in result.message


def test_frame_accepts_text_for_categorical_and_ignores_axis_names():
    want = pd.DataFrame({"who": pd.Categorical(["b", "a"], categories=["b", "a"]), "n": [1, 2]})
    got = pd.DataFrame({"who": ["a", "b"], "n": [2, 1]})
    got.columns.name = "kind"
    assert check_frame(got, want)


def test_items_of_the_wrong_kind_are_named():
    result = check_items(["1", "11"], expected=[1, 11], name="claims")
    assert not result and "text" in result.message and "numbers" in result.message
    assert "int(x)" in result.message


def test_messages_describe_series_and_numpy_numbers_plainly():
    series = check_number(pd.Series([1, 2, 3]), expected=2).message
    assert "a Series of 3 values" in series and "\n" not in series
    assert "np.float64" not in check_number(np.float64(0.5), expected=0.25).message
    assert "0.5 is too high" in check_number(np.float64(0.5), expected=0.25).message


def test_time_spans_point_to_days():
    span = pd.Series([pd.Timedelta(days=448)])
    assert ".days" in check_number(span, expected=448).message
    assert ".days" in check_number(pd.Timedelta(days=448), expected=448).message


# --- lesson exercises: expected values computed by course.exercises, never on screen ----------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402

from course import exercises  # noqa: E402
from course.checks import check_exercise  # noqa: E402

LESSONS = sorted((Path(__file__).resolve().parents[1] / "lessons").glob("[0-9][0-9]-*.ipynb"))
CHECK_CALL = re.compile(r'checks\.check_exercise\(\s*"([^"]+)",\s*(\w+)\s*\)')


def _check_cells():
    for path in LESSONS:
        nb = nbformat.read(path, 4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "check_" in cell.source:
                yield path, nb, i, cell


def test_check_cells_name_their_exercise_and_show_no_expected_value():
    used = []
    for path, _, i, cell in _check_cells():
        where = f"{path.name} cell {i}"
        assert "expected" not in cell.source, f"{where} passes an expected value in sight"
        match = CHECK_CALL.fullmatch(cell.source.strip())
        assert match, f'{where} should be one call: checks.check_exercise("<id>", answer)'
        exercise_id = match.group(1)
        assert exercise_id in exercises.EXERCISES, f"{where}: unknown exercise {exercise_id!r}"
        assert exercises.EXERCISES[exercise_id].lesson == path.stem, where
        used.append(exercise_id)
    assert sorted(used) == sorted(exercises.EXERCISES), "each exercise is checked exactly once"


@pytest.mark.parametrize("exercise_id", sorted(exercises.EXERCISES))
def test_each_exercise_accepts_its_answer_and_explains_wrong_ones(exercise_id):
    exercise = exercises.EXERCISES[exercise_id]
    want = exercises.expected_value(exercise_id)
    assert check_exercise(exercise_id, want), f"{exercise_id} rejects its own expected value"
    assert "no answer yet" in check_exercise(exercise_id, None).message
    assert not check_exercise(exercise_id, AlwaysEqual())
    if exercise.kind == "number":
        too_high = check_exercise(exercise_id, want * 1.5 + 1)
        assert not too_high and "too high" in too_high.message
        assert not check_exercise(exercise_id, str(want))
        assert f"{want}" not in too_high.message.replace(repr(want * 1.5 + 1), "")
    elif exercise.kind == "items":
        items = list(want)
        fewer = check_exercise(exercise_id, items[1:])
        assert not fewer and "missing" in fewer.message
        assert all(repr(item) not in fewer.message for item in items[:1] if isinstance(item, str))
    else:
        shorter = check_exercise(exercise_id, want.head(len(want) - 1))
        assert not shorter and "rows" in shorter.message


def test_unknown_exercise_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown exercise 'timeline.nope'.*timeline.aisi-days"):
        check_exercise("timeline.nope", 1)


def _solved(nb):
    """The lesson with each exercise's answer cell replaced by its folded solution's code."""
    solved = nbformat.from_dict(nb)
    for i, cell in enumerate(solved.cells):
        match = CHECK_CALL.fullmatch(cell.source.strip()) if cell.cell_type == "code" else None
        if not match:
            continue
        name = match.group(2)
        answer = next(
            c for c in reversed(solved.cells[:i]) if re.search(rf"^{name} = None", c.source, re.M)
        )
        details = next(c for c in solved.cells[i + 1 :] if "<details" in c.source)
        code = re.findall(r"```python\n(.*?)```", details.source, re.S)
        assert code, f"the solution after the check of {name} has no python block"
        answer.source = "\n".join(code)
    return solved


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_each_folded_solution_passes_its_check(path, tmp_path):
    """The hidden expected values agree with the solutions the lessons show."""
    from nbclient import NotebookClient

    nb = _solved(nbformat.read(path, 4))
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    verdicts = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and CHECK_CALL.fullmatch(cell.source.strip()):
            text = "".join(
                out.get("data", {}).get("text/plain", "") + out.get("text", "")
                for out in cell.outputs
            )
            verdicts[i] = text
    assert verdicts
    wrong = {i: t for i, t in verdicts.items() if "✅" not in t}
    assert not wrong, wrong

"""Friendly self-checks for the lessons' exercises.

Each check compares a learner's answer with the expected one and says what is
wrong (the type, the size, too high or too low, how many items are missing)
without ever showing the expected value. The result prints as one line and is
truthy only when the answer is right.

Examples
--------
>>> check_number(12, expected=12, name="days from cancellation to EO 14409")
✅ days from cancellation to EO 14409: correct.
>>> check_number(13, expected=12, name="days")
❌ days: 13 is too high. It is one away: is an end point counted twice or left out?
>>> bool(check_items(["a", "b"], expected=["a", "b", "c"], name="revoked orders"))
False

A lesson's check cell names its exercise instead of passing the expected value, so the
answer is never on screen (:mod:`course.exercises` computes it):

>>> check_exercise("review.each-step", None)
⏳ probability each of 4 equal steps needs for a 75 % chance of reaching the end: no answer yet; replace None with your answer and run again.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CheckResult", "check_number", "check_items", "check_frame", "check_exercise"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a self-check: ``ok`` and a message for the learner."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message


def _right(name: str) -> CheckResult:
    return CheckResult(True, f"✅ {name}: correct.")


def _wrong(name: str, why: str) -> CheckResult:
    return CheckResult(False, f"❌ {name}: {why}")


def _not_yet(name: str) -> CheckResult:
    return CheckResult(
        False, f"⏳ {name}: no answer yet; replace None with your answer and run again."
    )


def _type_name(value: object) -> str:
    return type(value).__name__


def _describe(value: object) -> str:
    """A short description of a value for a message: its type, and its size or value."""
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame of {value.shape[0]} rows and {value.shape[1]} columns"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"a {_type_name(value)} ({float(value)!r})"
    text = repr(value)
    return f"a {_type_name(value)} ({text[:40]}{'...' if len(text) > 40 else ''})"


def check_number(
    answer: object,
    expected: float,
    *,
    name: str = "answer",
    rel_tol: float = 1e-9,
    abs_tol: float = 0.0,
    hint: str | None = None,
) -> CheckResult:
    """Check a numeric answer, with a tolerance for floats.

    The message says whether the answer is too high or too low and, for whole
    numbers one away from the target, suggests an off-by-one.

    >>> check_number("12", expected=12, name="days")
    ❌ days: you gave a str ('12'); give a number, e.g. int(...) or len(...).
    >>> check_number(3.14, expected=3.14159, name="pi", rel_tol=1e-3)
    ✅ pi: correct.
    """
    if answer is None:
        return _not_yet(name)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        if isinstance(answer, pd.Series | pd.DataFrame) and answer.size == 1:
            inner = answer.to_numpy().ravel()[0]
            if isinstance(inner, pd.Timedelta | np.timedelta64):
                return _wrong(
                    name,
                    f"you gave a {_type_name(answer)} holding a time span; "
                    "take it out with .item() and count its days with .days.",
                )
            return _wrong(
                name,
                f"you gave a {_type_name(answer)} holding one value; take the value out with .item().",
            )
        if isinstance(answer, pd.Timedelta):
            return _wrong(name, "you gave a Timedelta (a time span); count its days with .days.")
        return _wrong(
            name, f"you gave {_describe(answer)}; give a number, e.g. int(...) or len(...)."
        )
    value = float(answer)
    shown = repr(int(value)) if isinstance(answer, numbers.Integral) else repr(value)
    if not math.isfinite(value):
        return _wrong(name, f"{shown} is not a finite number.")
    if math.isclose(value, float(expected), rel_tol=rel_tol, abs_tol=abs_tol):
        return _right(name)
    direction = "too high" if value > expected else "too low"
    why = f"{shown} is {direction}."
    if hint:
        why += f" {hint}"
    elif float(expected).is_integer() and value.is_integer() and abs(value - expected) == 1:
        why += " It is one away: is an end point counted twice or left out?"
    return _wrong(name, why)


def check_items(
    answer: object,
    expected: Iterable[object],
    *,
    name: str = "answer",
    hint: str | None = None,
) -> CheckResult:
    """Check a collection of items (order ignored): says how many are missing or extra.

    >>> check_items(["eo-14110", "eo-13859"], expected=["eo-14110"], name="revoked")
    ❌ revoked: 1 item does not belong.
    >>> check_items({"x"}, expected=["x"], name="ids")
    ✅ ids: correct.
    """
    if answer is None:
        return _not_yet(name)
    if isinstance(answer, str | bytes) or not isinstance(answer, Iterable):
        return _wrong(name, f"you gave {_describe(answer)}; give a list (or set) of items.")
    if isinstance(answer, pd.DataFrame):
        return _wrong(name, "you gave a whole DataFrame; pick one column, e.g. frame['event_id'].")
    given = set(answer)
    want = set(expected)
    missing = len(want - given)
    extra = len(given - want)
    if not missing and not extra:
        return _right(name)
    given_types = {_kind(item) for item in given}
    want_types = {_kind(item) for item in want}
    if given and want and not given_types & want_types:
        return _wrong(
            name,
            f"your items are {' and '.join(sorted(given_types))}, but the expected items are "
            f"{' and '.join(sorted(want_types))}; convert them (e.g. int(x) or str(x)).",
        )
    parts = []
    if missing:
        parts.append(f"{missing} item{'s are' if missing > 1 else ' is'} missing")
    if extra:
        parts.append(f"{extra} item{'s do' if extra > 1 else ' does'} not belong")
    why = " and ".join(parts) + "."
    return _wrong(name, why[0].upper() + why[1:] + (f" {hint}" if hint else ""))


def _kind(item: object) -> str:
    """'numbers' or 'text' or the type name, to spot items of the wrong kind."""
    if isinstance(item, numbers.Number) and not isinstance(item, bool):
        return "numbers"
    if isinstance(item, str):
        return "text"
    return type(item).__name__


def check_frame(
    answer: object,
    expected: pd.DataFrame,
    *,
    name: str = "answer",
    check_order: bool = False,
    hint: str | None = None,
) -> CheckResult:
    """Check a DataFrame: type, columns, number of rows, then values.

    >>> import pandas as pd
    >>> want = pd.DataFrame({"year": [2023, 2024], "n": [2, 3]})
    >>> check_frame(want.head(1), want, name="table")
    ❌ table: it has 1 rows; 2 are expected. Check your filter.
    """
    if answer is None:
        return _not_yet(name)
    if not isinstance(answer, pd.DataFrame):
        return _wrong(name, f"you gave a {_type_name(answer)}; give a pandas DataFrame.")
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        return _wrong(name, f"the column(s) {', '.join(map(repr, missing))} are missing.")
    if len(answer) != len(expected):
        return _wrong(
            name,
            f"it has {len(answer)} rows; {len(expected)} are expected. "
            + (hint or "Check your filter."),
        )
    got = answer[list(expected.columns)].reset_index(drop=True)
    want = expected.reset_index(drop=True)
    # compare values, not the kind of column: a categorical and a text column holding the
    # same labels are the same answer, and a columns-axis name is not part of it
    got = got.astype({c: str for c in got.columns if not pd.api.types.is_numeric_dtype(got[c])})
    want = want.astype({c: str for c in want.columns if not pd.api.types.is_numeric_dtype(want[c])})
    got.columns.name = want.columns.name = None
    if not check_order:
        keys = list(expected.columns)
        got = got.sort_values(keys, ignore_index=True)
        want = want.sort_values(keys, ignore_index=True)
    try:
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    except AssertionError:
        return _wrong(name, "the shape is right but some values differ. " + (hint or ""))
    return _right(name)


_CHECKS = {"number": check_number, "items": check_items, "frame": check_frame}


def check_exercise(exercise_id: str, answer: object) -> CheckResult:
    """Check a lesson exercise by its id; the expected value is computed, never shown.

    The message is the one the matching check gives (:func:`check_number`,
    :func:`check_items` or :func:`check_frame`), with the exercise's name and hint.

    >>> check_exercise("timeline.aisi-days", "600")
    ❌ days the US AI Safety Institute kept its first name: you gave a str ('600'); give a number, e.g. int(...) or len(...).
    >>> check_exercise("no.such-exercise", 1)
    Traceback (most recent call last):
    ...
    ValueError: unknown exercise 'no.such-exercise'; ...
    """
    from course.exercises import EXERCISES, expected_value

    if exercise_id not in EXERCISES:
        expected_value(exercise_id)  # raises the ValueError that lists the known ids
    exercise = EXERCISES[exercise_id]
    if answer is None:
        return _not_yet(exercise.name)
    return _CHECKS[exercise.kind](
        answer,
        expected_value(exercise_id),
        name=exercise.name,
        hint=exercise.hint,
        **exercise.options,
    )

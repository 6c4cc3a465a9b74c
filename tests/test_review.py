"""course.review: the review-window model and the slippery-slope chain."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course import review
from course.review import ReviewAssumptions

BASE = ReviewAssumptions(
    participation=0.8, detection_max=0.5, detection_days=30, flaw=0.1, harm=1000, cost_per_day=0.5
)


def test_net_benefit_by_hand():
    w = 30
    det = 0.5 * (1 - math.exp(-1))
    expected = 0.8 * (0.1 * 1000 * det - 0.5 * 30)
    assert review.expected_net_benefit(w, BASE) == pytest.approx(expected)
    assert review.expected_net_benefit(0, BASE) == 0


def test_curve_parts_add_up():
    curve = review.benefit_curve(BASE, [0, 10, 30, 90])
    assert (curve["net"] == curve["harm_avoided"] - curve["delay_cost"]).all()
    assert curve["detection"].is_monotonic_increasing
    assert curve.loc[2, "net"] == pytest.approx(review.expected_net_benefit(30, BASE))


def test_best_window_is_the_grid_maximum():
    days, net = review.best_window(BASE)
    nets = [review.expected_net_benefit(w, BASE) for w in range(366)]
    assert net == pytest.approx(max(nets))
    assert days == nets.index(max(nets))


def test_no_review_when_delay_is_too_costly():
    costly = BASE.with_(cost_per_day=100)
    assert review.best_window(costly) == (0, 0.0)


def test_deterrence_shortens_the_best_window():
    patient, _ = review.best_window(BASE)
    deterred, _ = review.best_window(BASE.with_(participation_decay=0.02))
    assert deterred < patient


def test_break_even_cost_makes_net_zero():
    cost = review.break_even_cost_per_day(90, BASE)
    assert review.expected_net_benefit(90, BASE.with_(cost_per_day=cost)) == pytest.approx(
        0, abs=1e-9
    )
    with pytest.raises(ValueError, match="window > 0"):
        review.break_even_cost_per_day(0, BASE)


@given(
    st.floats(0, 1), st.floats(0, 1), st.floats(1, 200), st.floats(0, 1),
    st.floats(0, 1e6), st.floats(0, 1e3), st.floats(0, 365),
)  # fmt: skip
def test_net_benefit_never_exceeds_the_harm_at_stake(p, d, days, flaw, harm, cost, w):
    a = ReviewAssumptions(p, d, days, flaw, harm, cost)
    net = review.expected_net_benefit(w, a)
    assert net <= a.releases * p * flaw * harm * d + 1e-6


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"participation": 1.2}, "participation"),
        ({"flaw": -0.1}, "flaw"),
        ({"harm": -5}, "harm"),
        ({"detection_days": 0}, "detection_days"),
        ({"cost_per_day": float("inf")}, "cost_per_day"),
    ],
)
def test_bad_assumptions_are_refused(change, fragment):
    with pytest.raises(ValueError, match=fragment):
        BASE.with_(**change)


def test_negative_window_is_refused():
    with pytest.raises(ValueError, match="window"):
        review.expected_net_benefit(-1, BASE)


def test_mandate_chain():
    assert review.mandate_probability([0.9, 0.5, 0.4]) == pytest.approx(0.18)
    assert review.mandate_probability([1.0]) == 1.0
    with pytest.raises(ValueError, match="step 2"):
        review.mandate_probability([0.5, 1.5])
    with pytest.raises(ValueError, match="at least one step"):
        review.mandate_probability([])
    with pytest.raises(ValueError, match="list"):
        review.mandate_probability("0.5")


@given(st.floats(0.01, 0.99), st.integers(1, 10))
def test_step_needed_inverts_the_chain(target, steps):
    p = review.step_needed(target, steps)
    assert review.mandate_probability([p] * steps) == pytest.approx(target)


def test_slope_table_shows_which_step_matters():
    table = review.slope_table(
        [("voluntary review set up", 0.9), ("expected", 0.6), ("codified", 0.2)]
    )
    assert table["reached"].tolist() == pytest.approx([0.9, 0.54, 0.108])
    assert table.loc[table["if_certain"].idxmax(), "step"] == "codified"
    assert table["share_of_doubt"].sum() == pytest.approx(1.0)
    assert table["share_of_doubt"].idxmax() == 2  # the least likely step carries most doubt
    certain = review.slope_table([("a", 1.0), ("b", 0.5)])
    assert certain["share_of_doubt"].tolist() == pytest.approx([0.0, 1.0])

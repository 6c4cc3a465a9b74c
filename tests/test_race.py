"""course.race: closed forms, simulation and the paper's qualitative results agree."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import race

GRID = list(
    itertools.product(
        race.INFORMATION,
        [2, 3, 5],
        [0.3, 0.5, 1.0, 2.0, 4.0],
        [0.25, 0.5, 1.0],
    )
)


@pytest.mark.parametrize(("information", "n", "mu", "e"), GRID)
def test_simulation_agrees_with_closed_form(information, n, mu, e):
    exact = race.disaster_probability(n, mu, e, information)
    result = race.simulate(n, mu, e, information, races=40_000, seed=n * 1000 + int(mu * 10))
    assert result.agrees_with(exact, sigmas=4.5), (exact, result)


def test_simulation_is_seeded_and_reports_its_error():
    a = race.simulate(3, 1.0, 0.5, "private", races=5_000, seed=7)
    b = race.simulate(3, 1.0, 0.5, "private", races=5_000, seed=7)
    assert a == b
    assert 0 < a.standard_error < 0.01
    assert a.races == 5_000


def test_paper_numbers():
    # facts.md section 4: mu = 0.5, e = 0.5, n = 5: public 0.833, private 0.861
    assert race.disaster_probability(5, 0.5, 0.5, "public") == pytest.approx(5 / 6)
    assert race.disaster_probability(5, 0.5, 0.5, "private") == pytest.approx(0.8611, abs=1e-4)
    assert race.disaster_probability(2, 1.0, 1.0, "none") == pytest.approx(0.5)
    # capability dominates: with mu >= e n no information means no risk
    assert race.disaster_probability(2, 2.0, 1.0, "none") == 0.0


def test_closed_forms_are_continuous_at_their_kinks():
    for n, e in [(2, 1.0), (5, 0.5), (3, 0.25)]:
        k = e * n - e + 1
        for info, kink in [("none", e * n), ("private", k), ("public", e)]:
            below = race.disaster_probability(n, kink * (1 - 1e-9), e, info)
            above = race.disaster_probability(n, kink * (1 + 1e-9), e, info)
            assert below == pytest.approx(above, abs=1e-6), (info, n, e)


MUS = np.linspace(0.05, 8, 160)


@pytest.mark.parametrize("information", race.INFORMATION)
@pytest.mark.parametrize(("n", "e"), [(2, 1.0), (5, 1.0), (2, 0.5), (5, 0.5)])
def test_risk_falls_as_capability_matters_more(information, n, e):
    curve = race.risk_curve(n, e, information, MUS)
    assert np.all(np.diff(curve) <= 1e-12)
    assert np.all((curve >= 0) & (curve <= 1))


@pytest.mark.parametrize("information", race.INFORMATION)
@pytest.mark.parametrize("n", [2, 5])
def test_less_enmity_lowers_risk(information, n):
    high = race.risk_curve(n, 1.0, information, MUS)
    low = race.risk_curve(n, 0.5, information, MUS)
    assert np.all(low <= high + 1e-12)
    assert np.any(low < high)


@pytest.mark.parametrize(("n", "e"), [(2, 1.0), (5, 1.0), (2, 0.5), (5, 0.5), (3, 0.25)])
def test_no_information_is_safest(n, e):
    none = race.risk_curve(n, e, "none", MUS)
    assert np.all(none <= race.risk_curve(n, e, "private", MUS) + 1e-12)
    assert np.all(none <= race.risk_curve(n, e, "public", MUS) + 1e-12)


@pytest.mark.parametrize("n", [2, 5])
def test_with_full_enmity_private_is_safer_than_public(n):
    private = race.risk_curve(n, 1.0, "private", MUS)
    public = race.risk_curve(n, 1.0, "public", MUS)
    assert np.all(private <= public + 1e-12)


def test_with_low_enmity_and_capability_public_can_be_safer():
    assert race.disaster_probability(5, 0.5, 0.5, "public") < race.disaster_probability(
        5, 0.5, 0.5, "private"
    )


@pytest.mark.parametrize("information", ["none", "public"])
@pytest.mark.parametrize("e", [1.0, 0.5])
def test_more_teams_raise_risk_without_or_with_public_information(information, e):
    two = race.risk_curve(2, e, information, MUS)
    five = race.risk_curve(5, e, information, MUS)
    assert np.all(five >= two - 1e-12)


def test_private_information_crossover_near_3_8():
    """Under private information, more teams are worse at low mu and better at high mu."""
    mus = np.linspace(0.1, 10, 5000)
    diff = race.risk_curve(5, 0.5, "private", mus) - race.risk_curve(2, 0.5, "private", mus)
    assert diff[0] > 0 and diff[-1] < 0
    crossings = mus[np.where(np.diff(np.sign(diff)) != 0)[0]]
    assert len(crossings) == 1
    assert crossings[0] == pytest.approx(3.8, abs=0.05)


def test_equilibrium_safety_choices():
    caps = np.array([[0.2, 0.9, 0.5]])
    none = race.equilibrium_safety(3, 1.0, 1.0, "none")(caps)
    assert np.allclose(none, 1 / 3)
    private = race.equilibrium_safety(3, 1.0, 1.0, "private")(caps)
    assert np.allclose(private, caps / 3)  # K = e n - e + 1 = 3
    public = race.equilibrium_safety(3, 1.0, 0.5, "public")(caps)
    assert np.allclose(public, [[1.0, 0.8, 1.0]])  # leader: gap 0.4 / e 0.5


@given(
    st.integers(2, 8),
    st.floats(0.01, 20),
    st.floats(0.01, 1.0),
    st.sampled_from(race.INFORMATION),
)
@settings(max_examples=300)
def test_probability_is_always_a_probability(n, mu, e, information):
    p = race.disaster_probability(n, mu, e, information)
    assert 0 <= p <= 1


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n": 1}, "at least 2 teams"),
        ({"n": 2.5}, "whole number"),
        ({"n": True}, "whole number"),
        ({"mu": 0}, "mu"),
        ({"mu": -1}, "mu"),
        ({"mu": float("nan")}, "mu"),
        ({"enmity": 0}, "enmity"),
        ({"enmity": 1.5}, "enmity"),
        ({"information": "secret"}, "'none', 'private', 'public'"),
    ],
)
def test_invalid_parameters_are_refused(kwargs, fragment):
    args = {"n": 2, "mu": 1.0, "enmity": 1.0, "information": "none"} | kwargs
    with pytest.raises(ValueError, match=fragment):
        race.disaster_probability(**args)
    with pytest.raises(ValueError, match=fragment):
        race.simulate(**args, races=10)


def test_simulate_refuses_bad_race_counts():
    with pytest.raises(ValueError, match="races"):
        race.simulate(2, 1.0, 1.0, "none", races=0)

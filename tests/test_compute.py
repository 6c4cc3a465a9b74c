"""course.compute: the 6ND rule, thresholds, counts, the trend fit and release gaps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course import compute
from course.datasets import load_notable_models

positive = st.floats(min_value=1e-3, max_value=1e15, allow_nan=False, allow_infinity=False)


# --- estimating compute ----------------------------------------------------------------


def test_six_nd_matches_published_estimates():
    # facts.md section 3: GPT-3, Llama 3.1-405B, Kimi K2 (active parameters)
    assert compute.training_flop(175e9, 300e9) == pytest.approx(3.15e23)
    assert compute.training_flop(405e9, 15.6e12) == pytest.approx(3.79e25, rel=1e-3)
    assert compute.training_flop(32e9, 15.5e12) == pytest.approx(2.976e24)


def test_six_nd_agrees_with_epoch_where_tokens_are_known():
    models = load_notable_models().dropna(subset=["training_tokens"])
    assert len(models) >= 3
    n = models["active_parameters"].fillna(models["parameters"])
    estimate = compute.training_flop(n, models["training_tokens"])
    ratio = estimate / models["training_flop"]
    assert ratio.between(0.9, 1.1).all(), ratio


@given(positive, positive)
def test_six_nd_is_six_times_the_product(n, d):
    assert compute.training_flop(n, d) == pytest.approx(6 * n * d)


@given(positive, positive, st.floats(min_value=1.01, max_value=100))
def test_six_nd_scales_linearly_in_each_argument(n, d, k):
    base = compute.training_flop(n, d)
    assert compute.training_flop(n * k, d) == pytest.approx(base * k)
    assert compute.training_flop(n, d * k) == pytest.approx(base * k)


@pytest.mark.parametrize("bad", [0, -1, -1e9, math.nan, math.inf, -math.inf])
def test_six_nd_rejects_non_positive_or_non_finite(bad):
    with pytest.raises(ValueError, match="finite and greater than 0"):
        compute.training_flop(bad, 1e12)
    with pytest.raises(ValueError, match="tokens"):
        compute.training_flop(1e9, bad)


@pytest.mark.parametrize("bad", ["1e9", None, True, [1e9]])
def test_six_nd_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="must be a number"):
        compute.training_flop(bad, 1e12)


def test_six_nd_on_series_keeps_the_index_and_names_bad_rows():
    n = pd.Series([1e9, 2e9], index=["a", "b"])
    d = pd.Series([1e12, 1e12], index=["a", "b"])
    out = compute.training_flop(n, d)
    assert list(out.index) == ["a", "b"]
    assert out.tolist() == [6e21, 1.2e22]
    with pytest.raises(ValueError, match="index 'b'"):
        compute.training_flop(pd.Series([1e9, np.nan], index=["a", "b"]), d)
    with pytest.raises(TypeError, match="must hold numbers"):
        compute.training_flop(pd.Series(["x"]), 1.0)


@given(positive, positive, st.floats(min_value=0.01, max_value=1))
def test_hardware_estimate(hours, peak, share):
    assert compute.hardware_flop(hours, peak, share) == pytest.approx(hours * 3600 * peak * share)


def test_hardware_estimate_rejects_utilisation_above_one():
    with pytest.raises(ValueError, match="cannot exceed 1"):
        compute.hardware_flop(1e6, 1e15, 1.5)
    with pytest.raises(ValueError, match="cannot exceed 1"):
        compute.hardware_flop(1e6, 1e15, pd.Series([0.5, 1.2]))


# --- thresholds and counts ----------------------------------------------------------------


def _hand_count(models: pd.DataFrame, threshold: float) -> dict[int, int]:
    counts: dict[int, int] = {}
    for date, flop in zip(models["release_date"], models["training_flop"], strict=True):
        if flop > threshold:
            counts[date.year] = counts.get(date.year, 0) + 1
    return counts


@pytest.mark.parametrize("threshold", [1e25, 1e26])
def test_counts_per_year_agree_with_a_hand_count(threshold):
    models = load_notable_models()
    counts = compute.counts_by_year(models, threshold)
    hand = _hand_count(models, threshold)
    assert {year: n for year, n in counts.items() if n} == hand
    assert counts.sum() == len(compute.models_above(models, threshold))


def test_known_counts_above_1e25_and_1e26():
    models = load_notable_models()
    above_26 = compute.models_above(models, 1e26)
    assert sorted(above_26["model"]) == ["GPT-4.5", "Grok 4", "Grok-3"]
    per_year = compute.counts_by_year(models, 1e26)
    assert per_year[2025] == 3 and per_year.drop(2025).sum() == 0
    above_25 = compute.counts_by_year(models, 1e25)
    assert above_25[2021] == 1  # Wu Dao 2.0
    assert above_25[2020] == 0


def test_threshold_is_strictly_greater():
    toy = pd.DataFrame(
        {"training_flop": [1e25, 1.0000001e25], "release_date": pd.to_datetime(["2024", "2024"])}
    )
    assert len(compute.models_above(toy, 1e25)) == 1


@given(st.floats(min_value=18, max_value=28), st.floats(min_value=0, max_value=2))
def test_a_higher_threshold_never_covers_more(log_t, step):
    models = load_notable_models()
    low, high = 10**log_t, 10 ** (log_t + step)
    assert len(compute.models_above(models, high)) <= len(compute.models_above(models, low))
    assert set(compute.models_above(models, high).index) <= set(
        compute.models_above(models, low).index
    )


def test_cumulative_counts_and_fixed_years():
    models = load_notable_models()
    cumulative = compute.counts_by_year(models, 1e25, years=range(2020, 2027), cumulative=True)
    assert list(cumulative.index) == list(range(2020, 2027))
    assert cumulative.is_monotonic_increasing
    assert cumulative.iloc[-1] == len(compute.models_above(models, 1e25))


def test_counts_by_country_counts_joint_models_for_each():
    models = load_notable_models()
    by_country = compute.counts_by_country(models, 1e25)
    above = compute.models_above(models, 1e25)
    assert by_country.sum() == above["country"].str.count(";").add(1).sum()
    assert by_country["US"] == above["country"].str.contains("US").sum()


def test_threshold_must_be_positive():
    with pytest.raises(ValueError, match="threshold"):
        compute.models_above(load_notable_models(), 0)
    with pytest.raises(TypeError, match="DataFrame"):
        compute.models_above([1, 2], 1e25)


def test_coverage_collects_the_pieces():
    result = compute.coverage(load_notable_models(), 1e25)
    assert result["n_models"] == len(result["models"])
    assert result["by_year"].sum() == result["n_models"]
    assert result["countries"].sum() >= result["n_models"]
    assert 0 < result["share"] < 1
    assert result["models"]["release_date"].is_monotonic_decreasing


# --- the trend -----------------------------------------------------------------------------


def _synthetic(doubling_months: float, noise: float, n: int = 60, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.sort(rng.uniform(0, 8, n))
    slope = 12 * math.log10(2) / doubling_months
    logs = 20 + slope * years + rng.normal(0, noise, n)
    dates = pd.to_datetime("2016-01-01") + pd.to_timedelta(years * 365.25, unit="D")
    return pd.DataFrame({"training_flop": 10**logs, "release_date": dates})


@pytest.mark.parametrize("doubling", [4.0, 6.0, 12.0])
def test_fit_recovers_a_known_doubling_time(doubling):
    fit = compute.fit_trend(_synthetic(doubling, noise=0.2))
    assert fit.doubling_months == pytest.approx(doubling, rel=0.08)
    low, high = fit.doubling_months_ci
    assert low < doubling < high
    assert fit.r_squared > 0.9


def test_fit_interval_widens_with_noise():
    tight = compute.fit_trend(_synthetic(6, noise=0.1)).doubling_months_ci
    wide = compute.fit_trend(_synthetic(6, noise=0.8)).doubling_months_ci
    assert (wide[1] - wide[0]) > (tight[1] - tight[0])


def test_fit_exact_line_and_prediction():
    toy = pd.DataFrame(
        {
            "training_flop": [1e20, 1e21, 1e22],
            "release_date": pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"]),
        }
    )
    fit = compute.fit_trend(toy)
    assert fit.slope == pytest.approx(1.0)
    assert fit.growth_per_year == pytest.approx(10.0)
    assert fit.predict(2022.0) == pytest.approx(1e23)
    assert fit.predict("2020-01-01") == pytest.approx(1e21)
    assert "doubling every" in str(fit)


def test_fit_rejects_too_few_or_flat_data():
    toy = _synthetic(6, 0.1).head(2)
    with pytest.raises(ValueError, match="at least 3 models"):
        compute.fit_trend(toy)
    flat = pd.DataFrame(
        {
            "training_flop": [1e22, 1e21, 1e20],
            "release_date": pd.to_datetime(["2019", "2020", "2021"]),
        }
    )
    with pytest.raises(ValueError, match="does not grow"):
        compute.fit_trend(flat)


def test_frontier_is_the_running_record():
    models = load_notable_models()
    front = compute.frontier(models)
    assert front["training_flop"].is_monotonic_increasing
    assert front.iloc[-1]["training_flop"] == models["training_flop"].max()


def test_real_fit_gives_months_not_years():
    fit = compute.fit_trend(load_notable_models(), since="2018-01-01")
    assert 3 < fit.doubling_months < 12
    low, high = fit.doubling_months_ci
    assert low < fit.doubling_months < high


def test_projection_counts_grow_and_respect_the_base_year():
    models = load_notable_models()
    fit = compute.fit_trend(models, since="2018-01-01")
    projected = compute.project_counts(models, 1e26, fit, base_year=2024, years=range(2025, 2029))
    assert projected.is_monotonic_increasing
    assert projected.iloc[-1] <= (models["release_date"].dt.year == 2024).sum()
    with pytest.raises(ValueError, match="base_year=1990"):
        compute.project_counts(models, 1e26, fit, base_year=1990, years=range(2025, 2026))


def test_release_gaps_against_a_hand_computation():
    toy = pd.DataFrame(
        {
            "organisation": ["A", "A", "A", "A", "B"],
            "release_date": pd.to_datetime(
                ["2024-01-01", "2024-01-21", "2024-04-30", "2024-12-01", "2024-05-05"]
            ),
        }
    )
    gaps = compute.release_gaps(toy)
    assert list(gaps.index) == ["A"]  # B has too few releases
    row = gaps.loc["A"]
    assert row["releases"] == 4
    assert row["shortest_gap_days"] == 20
    assert row["median_gap_days"] == 100  # gaps 20, 100, 215
    assert row["share_gaps_under_90"] == pytest.approx(1 / 3)
    assert row["share_gaps_under_30"] == pytest.approx(1 / 3)
    assert compute.release_gaps(toy, min_releases=10).empty

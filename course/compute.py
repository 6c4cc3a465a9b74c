"""Thread 1, part 2: training compute, and what a compute threshold covers.

Pure functions over numbers, Series and the frames of
:func:`course.datasets.load_notable_models` and
:func:`course.datasets.load_compute_thresholds`.

Examples
--------
GPT-3: 175 billion parameters trained on 300 billion tokens.

>>> f"{training_flop(175e9, 300e9):.3g}"
'3.15e+23'
>>> from course.datasets import load_notable_models
>>> models = load_notable_models()
>>> len(models_above(models, 1e26))
3
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "SECONDS_PER_HOUR",
    "training_flop",
    "hardware_flop",
    "models_above",
    "counts_by_year",
    "counts_by_country",
    "coverage",
    "frontier",
    "TrendFit",
    "fit_trend",
    "project_counts",
    "release_gaps",
]

SECONDS_PER_HOUR = 3600.0


def _positive(value: object, name: str) -> float | pd.Series:
    """Check that ``value`` (a number or a Series of numbers) is finite and > 0."""
    if isinstance(value, pd.Series):
        if not pd.api.types.is_numeric_dtype(value) or pd.api.types.is_bool_dtype(value):
            raise TypeError(f"{name} must hold numbers, got a Series of {value.dtype}")
        numbers_ = value.astype("float64")
        bad = numbers_[~(np.isfinite(numbers_) & (numbers_ > 0))]
        if len(bad):
            raise ValueError(
                f"{name} must be finite and greater than 0; "
                f"{len(bad)} value(s) are not, e.g. {bad.iloc[0]!r} at index {bad.index[0]!r}. "
                "Drop or fill missing values first (e.g. .dropna())."
            )
        return numbers_
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r:.40})")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be finite and greater than 0, got {value!r}")
    return number


def training_flop(parameters: float | pd.Series, tokens: float | pd.Series) -> float | pd.Series:
    """Training compute by the 6 N D rule: about 6 operations per parameter per token.

    ``parameters`` counts the parameters used per token (the *active* ones for a
    mixture-of-experts model); ``tokens`` counts training tokens. Both may be
    numbers or pandas Series; the result has the same shape. The rule comes from
    Kaplan et al. (2020, arXiv:2001.08361): 2 N D for the forward pass and 4 N D
    for the backward pass.

    >>> training_flop(405e9, 15.6e12) > 1e25
    True
    >>> training_flop(-1, 10)
    Traceback (most recent call last):
    ...
    ValueError: parameters must be finite and greater than 0, got -1
    """
    n = _positive(parameters, "parameters")
    d = _positive(tokens, "tokens")
    return 6.0 * n * d


def hardware_flop(
    gpu_hours: float | pd.Series,
    peak_flop_per_second: float | pd.Series,
    utilisation: float | pd.Series,
) -> float | pd.Series:
    """Training compute from the hardware side: GPU-hours x peak FLOP/s x utilisation.

    ``utilisation`` is the share of peak throughput actually achieved (model FLOP
    utilisation), a number in (0, 1].

    >>> f"{hardware_flop(1e6, 1e15, 0.4):.2g}"  # a million H100-class hours at 40 %
    '1.4e+24'
    """
    hours = _positive(gpu_hours, "gpu_hours")
    peak = _positive(peak_flop_per_second, "peak_flop_per_second")
    share = _positive(utilisation, "utilisation")
    too_high = (share > 1).any() if isinstance(share, pd.Series) else share > 1
    if too_high:
        raise ValueError("utilisation is a share of peak throughput and cannot exceed 1")
    return hours * SECONDS_PER_HOUR * peak * share


def _check_models(models: pd.DataFrame, columns: set[str]) -> None:
    if not isinstance(models, pd.DataFrame):
        raise TypeError(
            f"models must be a pandas DataFrame, got {type(models).__name__}; "
            "load it with course.datasets.load_notable_models()"
        )
    missing = sorted(columns - set(models.columns))
    if missing:
        raise ValueError(f"models lacks the columns {', '.join(missing)}")


def _threshold(value: object) -> float:
    return float(_positive(value, "threshold"))


def models_above(
    models: pd.DataFrame, threshold: float, *, column: str = "training_flop"
) -> pd.DataFrame:
    """The rows whose ``column`` is strictly greater than ``threshold``.

    US texts (EO 14110, SB 53, RAISE) and the EU AI Act all use "greater than".

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"training_flop": [1e25, 2e25, 1e26]})
    >>> models_above(toy, 1e25)["training_flop"].tolist()
    [2e+25, 1e+26]
    """
    _check_models(models, {column})
    return models[models[column] > _threshold(threshold)]


def counts_by_year(
    models: pd.DataFrame,
    threshold: float,
    *,
    years: range | None = None,
    cumulative: bool = False,
) -> pd.Series:
    """Models released each year with training compute above ``threshold``.

    Every year of ``years`` (default: first to last release year in ``models``) is
    present, with 0 where no model crossed. ``cumulative=True`` gives running totals.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"training_flop": [1e24, 3e25, 2e25],
    ...                     "release_date": pd.to_datetime(["2021-05-01", "2023-01-01", "2023-06-01"])})
    >>> counts_by_year(toy, 1e25).to_dict()
    {2021: 0, 2022: 0, 2023: 2}
    """
    _check_models(models, {"training_flop", "release_date"})
    if years is None:
        all_years = models["release_date"].dt.year
        years = range(int(all_years.min()), int(all_years.max()) + 1)
    above = models_above(models, threshold)
    counts = above["release_date"].dt.year.value_counts().reindex(years, fill_value=0)
    counts.index.name = "year"
    counts = counts.rename("models").astype(int)
    return counts.cumsum() if cumulative else counts


def counts_by_country(models: pd.DataFrame, threshold: float) -> pd.Series:
    """Models above ``threshold`` per country; a joint model counts once for each country.

    ``country`` holds one or more codes joined by ``;`` (``"US;UK"``).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"training_flop": [3e25, 2e25], "country": ["US;UK", "US"]})
    >>> counts_by_country(toy, 1e25).to_dict()
    {'US': 2, 'UK': 1}
    """
    _check_models(models, {"training_flop", "country"})
    above = models_above(models, threshold)
    countries = above["country"].str.split(";").explode()
    counts = countries.value_counts().rename("models")
    counts.index.name = "country"
    return counts.sort_values(ascending=False, kind="stable")


def coverage(models: pd.DataFrame, threshold: float) -> dict[str, object]:
    """Everything a threshold covers, for the threshold explorer and the lesson.

    Returns a dict with ``models`` (the covered rows, newest first), ``n_models``,
    ``share`` (of all rows), ``organisations`` and ``countries`` (counts) and
    ``by_year`` (counts per release year, all years present).

    >>> from course.datasets import load_notable_models
    >>> result = coverage(load_notable_models(), 1e26)
    >>> result["n_models"], sorted(result["organisations"].index)
    (3, ['OpenAI', 'xAI'])
    """
    _check_models(models, {"training_flop", "release_date", "country", "organisation"})
    covered = models_above(models, threshold).sort_values("release_date", ascending=False)
    organisations = covered["organisation"].str.split(";").explode().value_counts()
    organisations.index.name = "organisation"
    return {
        "threshold": _threshold(threshold),
        "models": covered,
        "n_models": len(covered),
        "share": len(covered) / len(models) if len(models) else 0.0,
        "organisations": organisations.rename("models"),
        "countries": counts_by_country(models, threshold),
        "by_year": counts_by_year(models, threshold),
    }


def frontier(models: pd.DataFrame) -> pd.DataFrame:
    """The models that set a new record for training compute when they were released.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"model": list("abcd"), "training_flop": [1e20, 5e19, 3e21, 2e21],
    ...                     "release_date": pd.to_datetime(["2018", "2019", "2020", "2021"])})
    >>> frontier(toy)["model"].tolist()
    ['a', 'c']
    """
    _check_models(models, {"training_flop", "release_date"})
    ordered = models.sort_values("release_date", kind="stable")
    record = ordered["training_flop"].cummax()
    return ordered[ordered["training_flop"] >= record]


@dataclass(frozen=True)
class TrendFit:
    """A least-squares line through log10(training FLOP) against time in years.

    ``slope`` is orders of magnitude per year; ``doubling_months`` is how long
    compute takes to double along the line, with a 95 % confidence interval
    ``doubling_months_ci`` from the slope's standard error (t distribution).
    """

    slope: float
    slope_se: float
    intercept: float
    n: int
    r_squared: float
    start_year: float

    @property
    def growth_per_year(self) -> float:
        """The factor by which compute grows in one year along the line."""
        return float(10**self.slope)

    @property
    def doubling_months(self) -> float:
        return float(12 * math.log10(2) / self.slope)

    @property
    def doubling_months_ci(self) -> tuple[float, float]:
        from scipy import stats

        t = stats.t.ppf(0.975, self.n - 2)
        low, high = self.slope - t * self.slope_se, self.slope + t * self.slope_se
        if low <= 0:
            return (12 * math.log10(2) / high, math.inf)
        return (12 * math.log10(2) / high, 12 * math.log10(2) / low)

    def predict(self, when: object) -> float:
        """Training FLOP on the line at date ``when`` (a date or a decimal year)."""
        year = _decimal_year(when)
        return float(10 ** (self.intercept + self.slope * (year - self.start_year)))

    def __str__(self) -> str:
        low, high = self.doubling_months_ci
        return (
            f"x{self.growth_per_year:.2f} per year; doubling every {self.doubling_months:.1f} "
            f"months (95 % CI {low:.1f}-{high:.1f}); n = {self.n}, R^2 = {self.r_squared:.2f}"
        )


def _decimal_year(when: object) -> float:
    if isinstance(when, numbers.Real) and not isinstance(when, bool):
        return float(when)
    stamp = pd.Timestamp(when)
    start = pd.Timestamp(year=stamp.year, month=1, day=1)
    length = pd.Timestamp(year=stamp.year + 1, month=1, day=1) - start
    return stamp.year + (stamp - start) / length


def fit_trend(
    models: pd.DataFrame,
    *,
    since: object | None = None,
    frontier_only: bool = False,
) -> TrendFit:
    """Fit log10(training FLOP) = a + b (year - first year) by ordinary least squares.

    ``since`` keeps models released on or after a date; ``frontier_only`` keeps only
    the record-setters (see :func:`frontier`).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"training_flop": [1e20, 1e21, 1e22, 1e23],
    ...                     "release_date": pd.to_datetime(["2019-01-01", "2020-01-01",
    ...                                                     "2021-01-01", "2022-01-01"])})
    >>> fit = fit_trend(toy)
    >>> round(fit.slope, 3), round(fit.doubling_months, 2)
    (1.0, 3.61)
    """
    _check_models(models, {"training_flop", "release_date"})
    rows = models.dropna(subset=["training_flop", "release_date"])
    if since is not None:
        rows = rows[rows["release_date"] >= pd.Timestamp(since)]
    if frontier_only:
        rows = frontier(rows)
    if len(rows) < 3:
        raise ValueError(
            f"a trend needs at least 3 models, got {len(rows)}; use an earlier `since` "
            "or frontier_only=False"
        )
    _positive(rows["training_flop"], "training_flop")
    x = np.array([_decimal_year(d) for d in rows["release_date"]])
    start = float(np.floor(x.min()))
    x = x - start
    y = np.log10(rows["training_flop"].to_numpy(dtype=float))
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coef
    n = len(x)
    sigma2 = residuals @ residuals / (n - 2)
    sxx = ((x - x.mean()) ** 2).sum()
    if sxx == 0:
        raise ValueError("all models have the same release date; a trend needs a spread of dates")
    total = ((y - y.mean()) ** 2).sum()
    r2 = 1 - (residuals @ residuals) / total if total > 0 else 1.0
    if coef[1] <= 0:
        raise ValueError("compute does not grow over these models (slope <= 0): no doubling time")
    return TrendFit(
        slope=float(coef[1]),
        slope_se=float(math.sqrt(sigma2 / sxx)),
        intercept=float(coef[0]),
        n=n,
        r_squared=float(r2),
        start_year=start,
    )


def project_counts(
    models: pd.DataFrame,
    threshold: float,
    fit: TrendFit,
    *,
    base_year: int,
    years: range,
) -> pd.Series:
    """A naive projection: shift the base year's models up the trend and count those above.

    Each model released in ``base_year`` is moved along the fitted growth rate
    (``fit.slope`` orders of magnitude per year) to each year of ``years``, and the
    shifted models above ``threshold`` are counted. It assumes the number of
    notable models per year stays as in the base year; it is a teaching model for
    how fast a fixed line is overtaken, not a forecast.

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"training_flop": [1e24, 2e25, 5e25],
    ...                     "release_date": pd.to_datetime(["2024-03-01"] * 3)})
    >>> fit = TrendFit(slope=0.5, slope_se=0.1, intercept=0, n=10, r_squared=0.9, start_year=2020)
    >>> project_counts(toy, 1e26, fit, base_year=2024, years=range(2025, 2028)).tolist()
    [1, 2, 2]
    """
    _check_models(models, {"training_flop", "release_date"})
    limit = math.log10(_threshold(threshold))
    base = models[models["release_date"].dt.year == base_year]
    if base.empty:
        raise ValueError(f"no models were released in base_year={base_year}")
    logs = np.log10(base["training_flop"].to_numpy(dtype=float))
    counts = {year: int((logs + fit.slope * (year - base_year) > limit).sum()) for year in years}
    return pd.Series(counts, name="projected models").rename_axis("year")


def release_gaps(models: pd.DataFrame, *, min_releases: int = 3) -> pd.DataFrame:
    """Days between consecutive releases of each organisation in ``models``.

    Returns one row per organisation with at least ``min_releases`` releases:
    ``releases``, ``median_gap_days``, ``shortest_gap_days``, and
    ``share_gaps_under_90`` / ``share_gaps_under_30`` (the share of gaps shorter than
    a 90- or 30-day review window).

    >>> import pandas as pd
    >>> toy = pd.DataFrame({"organisation": ["A"] * 3,
    ...                     "release_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-07-01"])})
    >>> float(release_gaps(toy).loc["A", "median_gap_days"])  # gaps of 31 and 151 days
    91.0
    """
    _check_models(models, {"organisation", "release_date"})
    rows = []
    for organisation, group in models.groupby("organisation", sort=True):
        dates = group["release_date"].sort_values()
        if len(dates) < min_releases:
            continue
        gaps = dates.diff().dropna().dt.days
        rows.append(
            {
                "organisation": organisation,
                "releases": len(dates),
                "median_gap_days": float(gaps.median()),
                "shortest_gap_days": int(gaps.min()),
                "share_gaps_under_90": float((gaps < 90).mean()),
                "share_gaps_under_30": float((gaps < 30).mean()),
            }
        )
    columns = [
        "releases",
        "median_gap_days",
        "shortest_gap_days",
        "share_gaps_under_90",
        "share_gaps_under_30",
    ]
    if not rows:
        return pd.DataFrame(columns=columns).rename_axis("organisation")
    return pd.DataFrame(rows).set_index("organisation")[columns]

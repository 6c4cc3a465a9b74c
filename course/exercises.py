"""The lessons' exercises, keyed by id, with their expected answers kept off screen.

A lesson's check cell names the exercise and passes the learner's answer::

    checks.check_exercise("timeline.aisi-days", aisi_days)

The expected value is computed here, from the course datasets and models, at the moment of
the check: it never appears in the notebook, and it stays right when a dataset is revised.
The message is the one :mod:`course.checks` gives (the type, too high or too low, how many
items are missing), with the exercise's own hint.

These are the *lessons'* self-checks, not graded work: no problem set asks for any of these
values (``tests/test_transfer.py`` fails if one does).

>>> from course import exercises
>>> "timeline.aisi-days" in exercises.EXERCISES
True
>>> exercises.EXERCISES["timeline.aisi-days"].lesson
'01-the-scrapped-order'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Exercise", "EXERCISES", "expected_value", "expected_values"]


@dataclass(frozen=True)
class Exercise:
    """One lesson exercise: how to check it and where it is taught.

    ``kind`` is ``"number"``, ``"items"`` or ``"frame"`` (the :mod:`course.checks` function
    used); ``options`` go to that function (tolerances, ``check_order``).
    """

    exercise_id: str
    lesson: str
    kind: str
    name: str
    expected: Callable[[], Any] = field(repr=False)
    hint: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


EXERCISES: dict[str, Exercise] = {}


def _exercise(exercise_id: str, lesson: str, kind: str, name: str, hint=None, **options):
    def register(function: Callable[[], Any]) -> Callable[[], Any]:
        EXERCISES[exercise_id] = Exercise(exercise_id, lesson, kind, name, function, hint, options)
        return function

    return register


def expected_value(exercise_id: str) -> Any:
    """The expected answer of one exercise (for tests and instructors; lessons never show it)."""
    if exercise_id not in EXERCISES:
        raise ValueError(
            f"unknown exercise {exercise_id!r}; known exercises are {', '.join(sorted(EXERCISES))}"
        )
    return EXERCISES[exercise_id].expected()


def expected_values() -> dict[str, Any]:
    """Every exercise's expected answer, by id."""
    return {exercise_id: expected_value(exercise_id) for exercise_id in EXERCISES}


# --- lesson 01: the scrapped order -----------------------------------------------------------

L01 = "01-the-scrapped-order"


def _policy() -> pd.DataFrame:
    from course import datasets

    return datasets.load_federal_timeline()


@_exercise(
    "timeline.eo-per-administration",
    L01,
    "frame",
    "executive orders per administration",
    hint="Count only rows of kind 'executive order', grouped by the administration column "
    "of timeline.with_administration, and keep every administration, even one with a count "
    "of 0 (observed=False).",
)
def _eo_per_administration() -> pd.DataFrame:
    from course import timeline

    counts = timeline.counts_by_administration(_policy())["executive order"]
    return counts.rename("executive_orders").reset_index()


@_exercise(
    "timeline.aisi-days", L01, "number", "days the US AI Safety Institute kept its first name"
)
def _aisi_days() -> int:
    from course import timeline

    return int(timeline.durations(_policy())["us-aisi"])


@_exercise(
    "timeline.ended-by-decision",
    L01,
    "items",
    "revoked or rescinded instruments",
    hint="Count both 'revoked' and 'rescinded', and filter on the status column "
    "(not on superseded_by).",
)
def _ended_by_decision() -> list[str]:
    policy = _policy()
    return list(policy.loc[policy["status"].isin(["revoked", "rescinded"]), "event_id"])


@_exercise(
    "timeline.binding-on-vote-day",
    L01,
    "number",
    "binding instruments in force on 1 July 2025",
    hint="Start from timeline.in_force_on(policy, '2025-07-01') and count the rows whose "
    "force is 'binding'.",
)
def _binding_on_vote_day() -> int:
    from course import timeline

    return int((timeline.in_force_on(_policy(), "2025-07-01")["force"] == "binding").sum())


# --- lessons 02 and 03: compute thresholds ---------------------------------------------------

L02 = "02-estimating-compute-and-thresholds"
L03 = "03-compute-trends-and-critiques"


def _models() -> pd.DataFrame:
    from course import datasets

    return datasets.load_notable_models()


@_exercise(
    "compute.llama-6nd",
    L02,
    "number",
    "6ND estimate for Llama 3.1-405B",
    hint="Multiply 6 by the parameters and by the tokens; a trillion is 1e12, a billion 1e9.",
    rel_tol=1e-6,
)
def _llama_6nd() -> float:
    from course import compute

    llama = _models().set_index("model_id").loc["llama-3.1-405b"]
    return float(compute.training_flop(llama["parameters"], llama["training_tokens"]))


@_exercise(
    "compute.above-1e24-in-2023",
    L02,
    "number",
    "models above 1e24 released in 2023",
    hint="Count the rows that meet both conditions at once: released in 2023 (the year from "
    ".dt.year) and training_flop more than (>) 1e24.",
)
def _above_1e24_in_2023() -> int:
    from course import compute

    return int(compute.counts_by_year(_models(), 1e24)[2023])


@_exercise(
    "compute.orgs-above-1e26",
    L02,
    "items",
    "organisations with a model above 1e26",
    hint="Filter with models_above (or a mask), then take the unique values of `organisation`.",
)
def _orgs_above_1e26() -> list[str]:
    from course import compute

    return list(compute.coverage(_models(), 1e26)["organisations"].index)


@_exercise(
    "compute.doubling-since-2018",
    L03,
    "number",
    "doubling time since 2018, in months",
    hint="Solve slope * t = log10(2) for t in years, using the unrounded fit_all.slope, "
    "then multiply by 12 to get months.",
    rel_tol=1e-6,
)
def _doubling_since_2018() -> float:
    from course import compute

    return float(compute.fit_trend(_models(), since="2018-01-01").doubling_months)


@_exercise(
    "compute.gaps-under-90",
    L03,
    "frame",
    "organisations with a gap under 90 days (two releases or more)",
    hint="Start from compute.release_gaps(models, min_releases=2), keep the organisations whose "
    "shortest gap is under 90 days, and give organisation and shortest_gap_days as columns.",
)
def _gaps_under_90() -> pd.DataFrame:
    from course import compute

    gaps = compute.release_gaps(_models(), min_releases=2)
    return gaps.query("share_gaps_under_90 > 0")[["shortest_gap_days"]].reset_index()


# --- lessons 04 and 05: accelerationism vs. safety -------------------------------------------

L04 = "04-the-two-cases-and-a-racing-model"
L05 = "05-the-review-window-and-slippery-slopes"


@_exercise(
    "race.safety-race-ids",
    L04,
    "items",
    "safety-side arguments linked to the race model",
    hint="Keep the rows where side is 'safety' and model_link is 'race' (both conditions at "
    "once), then take the position_id column.",
)
def _safety_race_ids() -> list[str]:
    from course import datasets

    positions = datasets.load_positions()
    mask = (positions["side"] == "safety") & (positions["model_link"] == "race")
    return list(positions.loc[mask, "position_id"])


@_exercise(
    "race.private-four-teams",
    L04,
    "number",
    "P(disaster), private information, n = 4, mu = 2, e = 0.5",
    hint="With private information K = e n - e + 1, and the formula has one branch for "
    "mu < K and one for mu >= K; race.disaster_probability takes n, mu, enmity, information "
    "in that order.",
    abs_tol=5e-4,
)
def _private_four_teams() -> float:
    from course import race

    return float(race.disaster_probability(4, 2.0, 0.5, "private"))


@_exercise(
    "race.mu-safe",
    L04,
    "number",
    "smallest mu with zero risk (none, n = 4, e = 0.75)",
    hint="Compute race.risk_curve(4, 0.75, 'none', mu_grid), keep the grid values where the "
    "risk equals 0 and take the smallest of them.",
)
def _mu_safe() -> float:
    from course import race

    mu_grid = np.round(np.arange(1, 161) * 0.05, 2)  # the lesson's grid: 0.05, 0.10, ..., 8.00
    return float(mu_grid[race.risk_curve(4, 0.75, "none", mu_grid) == 0].min())


def _lesson_review_assumptions():
    """The review exercise's assumptions: the lesson's neutral set, then its changes."""
    from course import review

    base = review.assumption_set("neutral")
    return base.with_(cost_per_day=0.25, detection_days=60, participation_decay=0.01)


@_exercise(
    "review.best-window",
    L05,
    "number",
    "best review window (days)",
    hint="Call review.best_window on exercise_assumptions (not on assumptions) and keep the "
    "number of days, the first of the two values it returns.",
)
def _best_window() -> int:
    from course import review

    return int(review.best_window(_lesson_review_assumptions())[0])


@_exercise(
    "review.each-step",
    L05,
    "number",
    "probability each of 4 equal steps needs for a 75 % chance of reaching the end",
    hint="If each of the four steps has probability p, the chain has probability p**4; "
    "solve p**4 = 0.75 for p.",
    abs_tol=1e-3,
)
def _each_step() -> float:
    from course import review

    return float(review.step_needed(0.75, 4))


# --- lessons 06 and 07: the state patchwork --------------------------------------------------

L06 = "06-state-ai-laws-as-data"
L07 = "07-company-duties-and-preemption"


def _laws_and_duties() -> tuple[pd.DataFrame, pd.DataFrame]:
    from course import datasets

    return datasets.load_state_laws(), datasets.load_law_obligations()


@_exercise(
    "patchwork.in-effect-count",
    L06,
    "number",
    "laws in effect on 3 December 2026",
    hint="Keep rows whose status is enacted AND whose effective date is on or before the day.",
)
def _in_effect_count() -> int:
    from course import datasets, patchwork

    laws, _ = _laws_and_duties()
    return len(patchwork.laws_in_effect(laws, datasets.FACTS_AS_OF))


@_exercise(
    "patchwork.duty-types-per-state",
    L06,
    "frame",
    "obligation types per state",
    hint="Count distinct obligations (nunique), not rows, and only for laws in effect.",
)
def _duty_types_per_state() -> pd.DataFrame:
    from course import datasets, patchwork

    matrix = patchwork.obligation_matrix(*_laws_and_duties(), on=datasets.FACTS_AS_OF)
    return matrix.sum(axis=1).rename("obligation_types").reset_index()


@_exercise(
    "patchwork.jaccard-ca-ut",
    L06,
    "number",
    "Jaccard similarity of California and Utah",
    hint="Use only laws in effect, and divide |A & B| by |A | B|.",
    rel_tol=1e-6,
)
def _jaccard_ca_ut() -> float:
    from course import datasets, patchwork

    matrix = patchwork.obligation_matrix(*_laws_and_duties(), on=datasets.FACTS_AS_OF)
    return float(patchwork.jaccard_matrix(matrix).loc["CA", "UT"])


@_exercise(
    "patchwork.lab-duties-2027",
    L07,
    "number",
    "distinct duty types of the frontier lab on 1 January 2027",
    hint="Call applicable_laws with on='2027-01-01', then distinct_obligations, then len.",
)
def _lab_duties_2027() -> int:
    from course import patchwork

    lab = patchwork.CompanyProfile(
        states=("CA", "NY"),
        activities=("frontier-model",),
        training_flop=3e26,
        revenue_usd=2e9,
        name="frontier lab",
    )
    return len(patchwork.distinct_obligations(patchwork.applicable_laws(lab, on="2027-01-01")))


@_exercise(
    "patchwork.genai-laws",
    L07,
    "items",
    "laws that apply to the generative AI service",
    hint="The activity tag is 'genai-provider'; pass monthly_users as a number such as 2e6.",
)
def _genai_laws() -> list[str]:
    from course import datasets, patchwork

    service = patchwork.CompanyProfile(
        states=("CA", "UT", "TX"), activities=("genai-provider",), monthly_users=2e6
    )
    return list(patchwork.applicable_laws(service, on=datasets.FACTS_AS_OF)["law_id"])


@_exercise(
    "patchwork.surviving-duty-types",
    L07,
    "items",
    "duty types that survive the framework reading on 1 January 2027",
    hint="Keep the rows where survives is True, then collect every duty of those laws.",
)
def _surviving_duty_types() -> list[str]:
    from course import patchwork

    laws, duties = _laws_and_duties()
    scenario = patchwork.preemption_scenario(laws, duties, "framework-2026", on="2027-01-01")
    return list(patchwork.distinct_obligations(scenario[scenario["survives"]]))


# --- lessons 08 and 09: reading the sources --------------------------------------------------

L08 = "08-checking-the-claims"
L09 = "09-framing-and-weighing-evidence"


@_exercise(
    "sources.claims-in-both",
    L08,
    "number",
    "claims made by both seed articles",
    hint="Count rows whose articles value names both seeds.",
)
def _claims_in_both() -> int:
    from course import datasets

    claims = datasets.load_seed_claims()
    return int(claims["articles"].str.split(";").str.len().gt(1).sum())


@_exercise(
    "sources.timeline-contradicts",
    L08,
    "items",
    "claims contradicted by the federal timeline",
    hint="Filter the evidence table on both conditions at once, dataset == 'federal_timeline' "
    "and relation == 'contradicts' (each in brackets, joined by &), then take claim_id.",
)
def _timeline_contradicts() -> list[int]:
    from course import datasets

    evidence = datasets.load_claim_evidence()
    mask = (evidence["dataset"] == "federal_timeline") & (evidence["relation"] == "contradicts")
    return [int(i) for i in evidence.loc[mask, "claim_id"]]


@_exercise(
    "sources.claim-1-gap",
    L08,
    "number",
    "days from the claimed range of claim 1 to the documented date",
)
def _claim_1_gap() -> int:
    from course import datasets, sources

    table = sources.evidence_table(datasets.load_seed_claims(), datasets.load_claim_evidence())
    return int(sources.date_gaps(table).set_index("claim_id").loc[1, "gap_days"])


def _frame_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    from course import datasets, sources

    counts = datasets.load_seed_frame_counts()
    raw_hits = counts.pivot_table(
        index="article_id", columns="frame", values="count", aggfunc="sum"
    )
    return raw_hits, sources.frame_rates(counts, datasets.load_seed_articles())


@_exercise(
    "sources.race-rate-000",
    L09,
    "number",
    "race-with-China hits per 1000 words in seed 000",
    hint="Sum the seed-000 rows of that frame, divide by seed 000's word count, times 1000.",
    abs_tol=0.05,
)
def _race_rate_000() -> float:
    _, rates = _frame_tables()
    return float(rates.loc["seed-000", "race with China"])


@_exercise(
    "sources.flipped-frames",
    L09,
    "items",
    "frames where the raw count and the rate disagree",
    hint="A frame belongs when 'seed 000 has more' gives a different answer for the two tables.",
)
def _flipped_frames() -> list[str]:
    raw_hits, rates = _frame_tables()
    flipped = (raw_hits.loc["seed-000"] > raw_hits.loc["seed-002"]) != (
        rates.loc["seed-000"] > rates.loc["seed-002"]
    )
    return list(rates.columns[flipped.reindex(rates.columns).to_numpy()])

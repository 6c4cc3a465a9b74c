"""Thread 3: the state patchwork - which state AI laws bind a company, and what preemption changes.

Pure functions over :func:`course.datasets.load_state_laws` and
:func:`course.datasets.load_law_obligations`.

How a law is matched to a company (:func:`applicable_laws`), stated so it can be
argued with:

* the law is ``enacted`` and its ``effective`` date is on or before the date asked
  about (vetoed, failed, enjoined, struck-down and repealed laws bind no one);
* the company operates in the law's state;
* the company does at least one of the activities in the law's ``covers``;
* every numeric trigger the law has is exceeded (strictly, as the statutes say
  "more than"): training compute over ``compute_threshold``, annual revenue over
  ``revenue_threshold_usd``, training cost over ``cost_threshold_usd``, monthly
  users over ``users_threshold``. A law with a revenue test (SB 53, RAISE) is
  treated as covering only the developers above it, a simplification: SB 53 puts
  some duties on smaller frontier developers too.

Examples
--------
>>> lab = CompanyProfile(states=("CA", "NY"), activities=("frontier-model",),
...                      training_flop=3e26, revenue_usd=2e9)
>>> applicable_laws(lab, on="2026-12-03")["law_id"].tolist()
['ca-sb-53']
>>> applicable_laws(lab, on="2027-01-01")["law_id"].tolist()
['ca-sb-53', 'ny-raise-act']
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import pandas as pd

from course import datasets
from course.datasets import ACTIVITIES, FACTS_AS_OF, STATES

__all__ = [
    "ACTIVITIES",
    "STATES",
    "CompanyProfile",
    "laws_in_effect",
    "applicable_laws",
    "distinct_obligations",
    "obligation_matrix",
    "jaccard_matrix",
    "SCENARIOS",
    "FRAMEWORK_CARVE_OUTS",
    "preemption_scenario",
]


def _amount(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class CompanyProfile:
    """Where a company operates, what it does, and its size.

    states : postal codes of the states it operates in (``"CA"``, ``"NY"``, ...).
    activities : what it builds or deploys, from :data:`ACTIVITIES`
        (``"frontier-model"``, ``"hiring-tool"``, ``"companion-chatbot"``, ...).
    training_flop : compute of its largest training run (0 if it trains none).
    revenue_usd : annual revenue; training_cost_usd : cost of its largest run;
    monthly_users : users of its generative AI service.
    """

    states: tuple[str, ...]
    activities: tuple[str, ...]
    training_flop: float = 0.0
    revenue_usd: float = 0.0
    training_cost_usd: float = 0.0
    monthly_users: float = 0.0
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        states = (self.states,) if isinstance(self.states, str) else tuple(self.states)
        activities = (
            (self.activities,) if isinstance(self.activities, str) else tuple(self.activities)
        )
        bad = [s for s in states if s not in STATES]
        if bad:
            raise ValueError(
                f"unknown state {bad[0]!r}; use two-letter postal codes such as 'CA', 'NY', 'TX'"
            )
        if not states:
            raise ValueError("a profile needs at least one state it operates in")
        bad = [a for a in activities if a not in ACTIVITIES]
        if bad:
            raise ValueError(f"unknown activity {bad[0]!r}; choose from {', '.join(ACTIVITIES)}")
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "activities", activities)
        for name in ("training_flop", "revenue_usd", "training_cost_usd", "monthly_users"):
            object.__setattr__(self, name, _amount(getattr(self, name), name))


def _date(value: object) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"on={value!r} is not a date; write it like {FACTS_AS_OF!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"on is missing; give a date like {FACTS_AS_OF!r}")
    return stamp


def laws_in_effect(laws: pd.DataFrame, on: object) -> pd.DataFrame:
    """Enacted laws whose obligations have started by ``on``.

    >>> laws = datasets.load_state_laws()
    >>> "ny-raise-act" in set(laws_in_effect(laws, "2026-12-03")["law_id"])
    False
    """
    day = _date(on)
    return laws[
        (laws["status"] == "enacted") & laws["effective"].notna() & (laws["effective"] <= day)
    ]


_TRIGGERS = (
    ("compute_threshold", "training_flop", "training compute {value:.1e} > {limit:.0e} operations"),
    ("revenue_threshold_usd", "revenue_usd", "revenue ${value:,.0f} > ${limit:,.0f}"),
    ("cost_threshold_usd", "training_cost_usd", "training cost ${value:,.0f} > ${limit:,.0f}"),
    ("users_threshold", "monthly_users", "{value:,.0f} monthly users > {limit:,.0f}"),
)


def applicable_laws(
    profile: CompanyProfile,
    on: object = FACTS_AS_OF,
    *,
    laws: pd.DataFrame | None = None,
    obligations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The laws that apply to ``profile`` on date ``on``, with their obligations and why.

    Returns one row per law: ``law_id``, ``state``, ``short_name``, ``category``,
    ``effective``, ``why`` (the state, activity and thresholds that matched) and
    ``obligations`` (a list of obligation types, possibly empty), ordered by state
    and law.

    >>> hr = CompanyProfile(states=("IL", "NY"), activities=("hiring-tool",))
    >>> applicable_laws(hr)[["law_id", "obligations"]].to_dict("records")[0]["law_id"]
    'il-hb-3773'
    """
    if not isinstance(profile, CompanyProfile):
        raise TypeError(
            f"profile must be a CompanyProfile, got {type(profile).__name__}; "
            "build one with CompanyProfile(states=(...), activities=(...))"
        )
    laws = datasets.load_state_laws() if laws is None else laws
    obligations = datasets.load_law_obligations() if obligations is None else obligations
    rows = []
    for law in laws_in_effect(laws, on).itertuples(index=False):
        if law.state not in profile.states:
            continue
        matched = [a for a in str(law.covers).split(";") if a in profile.activities]
        if not matched:
            continue
        reasons = [f"operates in {law.state}", "does " + ", ".join(matched)]
        triggered = True
        for column, attribute, text in _TRIGGERS:
            limit = getattr(law, column)
            if pd.isna(limit):
                continue
            value = getattr(profile, attribute)
            if value > limit:
                reasons.append(text.format(value=value, limit=limit))
            else:
                triggered = False
                break
        if not triggered:
            continue
        duties = obligations.loc[obligations["law_id"] == law.law_id, "obligation"].astype(str)
        rows.append(
            {
                "law_id": law.law_id,
                "state": law.state,
                "short_name": law.short_name,
                "category": str(law.category),
                "effective": law.effective,
                "why": "; ".join(reasons),
                "obligations": sorted(duties),
            }
        )
    columns = ["law_id", "state", "short_name", "category", "effective", "why", "obligations"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["state", "law_id"], ignore_index=True)


def distinct_obligations(applicable: pd.DataFrame) -> list[str]:
    """The distinct obligation types across the laws of :func:`applicable_laws`.

    >>> lab = CompanyProfile(states=("CA",), activities=("frontier-model",),
    ...                      training_flop=3e26, revenue_usd=2e9)
    >>> "incident reporting" in distinct_obligations(applicable_laws(lab))
    True
    """
    return sorted({duty for duties in applicable["obligations"] for duty in duties})


def obligation_matrix(
    laws: pd.DataFrame, obligations: pd.DataFrame, *, on: object | None = FACTS_AS_OF
) -> pd.DataFrame:
    """States x obligation types: 1 where some law of the state imposes that duty.

    With ``on`` set, only laws in effect on that date count; ``on=None`` counts every
    law in the table whatever its status (useful for "what if" comparisons).

    >>> m = obligation_matrix(datasets.load_state_laws(), datasets.load_law_obligations())
    >>> int(m.loc["CA", "incident reporting"])
    1
    """
    chosen = laws if on is None else laws_in_effect(laws, on)
    merged = obligations.merge(chosen[["law_id", "state"]], on="law_id")
    if merged.empty:
        return pd.DataFrame(dtype=int)
    matrix = pd.crosstab(merged["state"], merged["obligation"].astype(str)).clip(upper=1)
    matrix.columns.name = "obligation"
    return matrix.astype(int)


def jaccard_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """Pairwise Jaccard similarity of the rows of a 0/1 matrix (|A and B| / |A or B|).

    1 means two states impose the same set of duties, 0 that they share none. Two
    states with no duties at all get 1 (identical empty sets).

    >>> m = pd.DataFrame({"x": [1, 1, 0], "y": [1, 0, 0]}, index=["A", "B", "C"])
    >>> jaccard_matrix(m).loc["A", "B"], jaccard_matrix(m).loc["A", "C"]
    (np.float64(0.5), np.float64(0.0))
    """
    values = (matrix.to_numpy() > 0).astype(int)
    both = values @ values.T
    sizes = values.sum(axis=1)
    either = sizes[:, None] + sizes[None, :] - both
    similarity = pd.DataFrame(
        [[both[i, j] / either[i, j] if either[i, j] else 1.0 for j in range(len(values))]
         for i in range(len(values))],
        index=matrix.index, columns=matrix.index,
    )  # fmt: skip
    return similarity


#: Preemption scenarios and the rule each applies to a state law.
SCENARIOS = {
    "none": "no federal preemption: every state law stands",
    "framework-2026": (
        "the narrow reading of the 20 March 2026 Legislative Recommendations: Congress "
        'preempts state AI laws that "impose undue burdens" and the only AI-specific laws '
        "kept are those protecting minors, read as falling under the child-protection "
        "carve-out; every other AI-specific law falls"
    ),
    "framework-2026-broad": (
        "a broad reading of the same carve-outs (generally applicable child protection, "
        "consumer protection and fraud law, infrastructure siting and zoning, and states' "
        "own use of AI): a law survives if any of its duties is one those carve-outs "
        "plausibly cover (see FRAMEWORK_CARVE_OUTS)"
    ),
    "moratorium-2025": (
        "the 10-year moratorium struck from the budget bill on 1 July 2025 (Senate 99-1) had "
        "passed: no state AI-specific law can be enforced"
    ),
}

#: For the broad reading: duty type -> the carve-out of the 20 March 2026
#: recommendations that could be read to keep it. A judgement call stated so it can
#: be argued with; the recommendations themselves list no duty types.
FRAMEWORK_CARVE_OUTS = {
    "minor protections": "child protection",
    "self-harm protocol": "child protection",
    "government-use limits": "states' own use of AI",
    "prohibited uses": "consumer protection and fraud",
    "ai disclosure": "consumer protection",
    "notice to individuals": "consumer protection",
    "explanation of adverse decision": "consumer protection",
    "correction and human review": "consumer protection",
}


def preemption_scenario(
    laws: pd.DataFrame,
    obligations: pd.DataFrame,
    scenario: str,
    *,
    on: object = FACTS_AS_OF,
) -> pd.DataFrame:
    """Which laws in effect on ``on`` survive a preemption ``scenario`` (see :data:`SCENARIOS`).

    Returns the laws in effect with a boolean ``survives``, the ``obligations`` each
    would lose or keep, and ``carve_outs``: the carve-outs that keep it under
    ``"framework-2026-broad"`` (empty otherwise). The scenarios are deliberately
    simple readings of the texts; which one a real statute would follow depends on
    its wording, which does not exist yet.

    >>> laws, duties = datasets.load_state_laws(), datasets.load_law_obligations()
    >>> out = preemption_scenario(laws, duties, "framework-2026", on="2026-12-03")
    >>> sorted(out.loc[out["survives"], "law_id"])
    ['ca-sb-243']
    >>> broad = preemption_scenario(laws, duties, "framework-2026-broad", on="2026-12-03")
    >>> int(broad["survives"].sum()) > 1
    True
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    in_effect = laws_in_effect(laws, on)[["law_id", "state", "short_name", "category"]].copy()
    duties = (
        obligations.assign(obligation=obligations["obligation"].astype(str))
        .groupby("law_id")["obligation"]
        .agg(lambda s: sorted(s))
    )
    in_effect["obligations"] = [duties.get(law, []) for law in in_effect["law_id"]]
    carve_outs = [[] for _ in range(len(in_effect))]
    if scenario == "none":
        survives = [True] * len(in_effect)
    elif scenario == "moratorium-2025":
        survives = [False] * len(in_effect)
    elif scenario == "framework-2026":
        survives = ["minor protections" in duty for duty in in_effect["obligations"]]
    else:
        carve_outs = [
            sorted({FRAMEWORK_CARVE_OUTS[d] for d in duty if d in FRAMEWORK_CARVE_OUTS})
            for duty in in_effect["obligations"]
        ]
        survives = [bool(kept) for kept in carve_outs]
    in_effect["survives"] = survives
    in_effect["carve_outs"] = carve_outs
    return in_effect.reset_index(drop=True)

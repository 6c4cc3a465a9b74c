"""Thread 2: two transparent models of a voluntary pre-release review.

1. **The expected value of a review window.** A lab that takes part delays a
   release by the window; during the window the review may catch a serious flaw,
   which is then fixed before release. Per year::

       net = releases x participation(w) x [flaw x fix x harm x detection(w) - cost_per_day x w]

   Assumptions, all of them contestable, and the point of the model is to make
   them visible:

   * every participating release is delayed by the full window ``w`` (days);
   * the chance that a review catches a serious flaw grows with the window and
     levels off: ``detection(w) = detection_max x (1 - exp(-w / detection_days))``;
   * a voluntary scheme loses participants as the window grows:
     ``participation(w) = participation x exp(-participation_decay x w)``
     (``participation_decay = 0`` means the window does not deter anyone);
   * a caught flaw is fixed with probability ``fix``; a missed one causes ``harm``;
   * delay costs the same every day (lost revenue, lost lead over rivals), in the
     same units as ``harm``; non-participants are neither delayed nor protected.

2. **"Voluntary becomes mandatory"** as a chain of steps. The slippery-slope claim
   (raised against the May 2026 draft, as Politico reported) needs each step to
   happen: the probability of reaching a mandate is the product of the steps'
   conditional probabilities, so a student can see which step carries the claim.

The model ships no single default. :data:`ASSUMPTION_SETS` holds three labelled
readings of the evidence, each argued in :data:`ASSUMPTION_NOTES`: a
``"pro-innovation"`` reading, a ``"safety"`` reading, and a ``"neutral"`` one that is
simply the :func:`midpoint` of the other two (no parameter was tuned to land the
best window anywhere in particular). Their best windows are 0, 37 and 106 days: the
spread, not any one of them, is the lesson.

Examples
--------
>>> [best_window(assumption_set(name))[0] for name in ASSUMPTION_SETS]
[0, 37, 106]
>>> a = ReviewAssumptions(participation=0.8, detection_max=0.5, detection_days=30,
...                       flaw=0.1, harm=1000, cost_per_day=0.5)
>>> round(expected_net_benefit(30, a), 2)
13.28
>>> round(mandate_probability([0.9, 0.5, 0.4]), 2)
0.18
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

__all__ = [
    "ReviewAssumptions",
    "ASSUMPTION_SETS",
    "ASSUMPTION_NOTES",
    "assumption_set",
    "midpoint",
    "detection",
    "participation",
    "expected_net_benefit",
    "benefit_curve",
    "best_window",
    "break_even_cost_per_day",
    "mandate_probability",
    "step_needed",
    "slope_table",
]


def _share(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} is a probability and must lie in [0, 1], got {value!r}")
    return float(value)


def _non_negative(value: object, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class ReviewAssumptions:
    """The inputs of the review model (see the module docstring).

    participation : share of releases offered for review at a zero-day window.
    detection_max : chance a long review catches a serious flaw that is there.
    detection_days : days for detection to reach about 63 % of ``detection_max``.
    flaw : chance a release carries a serious flaw.
    harm : damage done by a serious flaw that ships (any unit, e.g. $ million).
    cost_per_day : cost of delaying one release by a day (same unit as ``harm``).
    fix : chance a caught flaw is fixed before release.
    participation_decay : per-day rate at which a longer window deters participants.
    releases : frontier releases per year.
    """

    participation: float
    detection_max: float
    detection_days: float
    flaw: float
    harm: float
    cost_per_day: float
    fix: float = 1.0
    participation_decay: float = 0.0
    releases: float = 1.0

    def __post_init__(self) -> None:
        for name in ("participation", "detection_max", "flaw", "fix"):
            _share(getattr(self, name), name)
        for name in ("harm", "cost_per_day", "participation_decay", "releases"):
            _non_negative(getattr(self, name), name)
        if _non_negative(self.detection_days, "detection_days") == 0:
            raise ValueError(
                "detection_days must be > 0 (the time scale on which reviews find flaws)"
            )

    def with_(self, **changes: float) -> ReviewAssumptions:
        """A copy with some assumptions changed (validated again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def midpoint(a: ReviewAssumptions, b: ReviewAssumptions) -> ReviewAssumptions:
    """The assumptions halfway between ``a`` and ``b``.

    Shares, days and rates take the arithmetic mean; ``harm`` and ``cost_per_day``,
    which the two sides put orders of magnitude apart, take the geometric mean.

    >>> m = midpoint(ReviewAssumptions(0.6, 0.3, 30, 0.05, 1000, 2.0),
    ...              ReviewAssumptions(0.9, 0.7, 45, 0.2, 10000, 0.5))
    >>> m.participation, m.detection_days, round(m.harm), m.cost_per_day
    (0.75, 37.5, 3162, 1.0)
    """
    if not isinstance(a, ReviewAssumptions) or not isinstance(b, ReviewAssumptions):
        raise TypeError("midpoint takes two ReviewAssumptions")
    values = {}
    for name, first in a.as_dict().items():
        second = getattr(b, name)
        if name in ("harm", "cost_per_day"):
            values[name] = math.sqrt(first * second)
        else:
            values[name] = (first + second) / 2
    return ReviewAssumptions(**values)


_PRO_INNOVATION = ReviewAssumptions(
    participation=0.6,
    participation_decay=0.02,
    detection_max=0.3,
    detection_days=30,
    flaw=0.05,
    harm=1000,
    cost_per_day=2.0,
)
_SAFETY = ReviewAssumptions(
    participation=0.9,
    participation_decay=0.002,
    detection_max=0.7,
    detection_days=45,
    flaw=0.2,
    harm=10000,
    cost_per_day=0.5,
)

#: Three labelled readings of the evidence; see :data:`ASSUMPTION_NOTES` for the case
#: behind each number. Money is in $ million; the numbers are illustrations of each
#: side's claims, not estimates anyone has published.
ASSUMPTION_SETS: dict[str, ReviewAssumptions] = {
    "pro-innovation": _PRO_INNOVATION,
    "neutral": midpoint(_PRO_INNOVATION, _SAFETY),
    "safety": _SAFETY,
}

#: Why each set holds the numbers it does, in the words of the side it reads.
ASSUMPTION_NOTES: dict[str, str] = {
    "pro-innovation": (
        "Delay is expensive: each day costs revenue and ground against Chinese rivals "
        "(cost_per_day 2). Labs already test their own models, so a government review "
        "finds little more (detection_max 0.3, flaw 0.05). Voluntary means optional, and "
        "a long window drives developers away (participation 0.6, falling 2 % a day): the "
        "objection Sacks raised against the draft and Andreessen's case that delay costs "
        "lives."
    ),
    "safety": (
        "Frontier models often carry serious flaws (flaw 0.2), as Claude Mythos "
        "Preview's cyber abilities showed, and a missed one can be catastrophic (harm "
        "10,000). Careful testing finds much but takes time (detection_max 0.7, "
        "detection_days 45). Developers with testing agreements keep taking part "
        "(participation 0.9, barely deterred) and a short delay is cheap next to the "
        "harm (cost_per_day 0.5): the case of the CAIS statement and Bengio et al. (2024)."
    ),
    "neutral": (
        "Halfway between the two readings on every assumption (see midpoint): not a "
        "considered view of the evidence, only the point that splits the difference. "
        "That its best window falls between the draft's 90 days and EO 14409's 30 is a "
        "consequence of splitting, not evidence for either."
    ),
}


def assumption_set(name: str) -> ReviewAssumptions:
    """One of the labelled :data:`ASSUMPTION_SETS`, by name.

    >>> assumption_set("safety").harm
    10000
    """
    try:
        return ASSUMPTION_SETS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown assumption set {name!r}; choose one of {', '.join(ASSUMPTION_SETS)}"
        ) from None


def _window(value: object) -> float:
    return _non_negative(value, "window (days)")


def detection(window: float, a: ReviewAssumptions) -> float:
    """Chance that a review of ``window`` days catches a serious flaw that is there.

    >>> a = ReviewAssumptions(1, 0.6, 20, 0.1, 100, 1)
    >>> detection(0, a), round(detection(20, a), 3)
    (0.0, 0.379)
    """
    return a.detection_max * (1 - math.exp(-_window(window) / a.detection_days))


def participation(window: float, a: ReviewAssumptions) -> float:
    """Share of releases that take part when the window is ``window`` days.

    >>> a = ReviewAssumptions(0.9, 0.6, 20, 0.1, 100, 1, participation_decay=0.01)
    >>> round(participation(90, a), 3)
    0.366
    """
    return a.participation * math.exp(-a.participation_decay * _window(window))


def expected_net_benefit(window: float, a: ReviewAssumptions) -> float:
    """Expected harm avoided minus delay cost, per year, for a ``window``-day review.

    >>> a = ReviewAssumptions(1, 0.5, 30, 0.1, 1000, 0.5)
    >>> expected_net_benefit(0, a)
    0.0
    """
    w = _window(window)
    per_release = a.flaw * a.fix * a.harm * detection(w, a) - a.cost_per_day * w
    return a.releases * participation(w, a) * per_release


def benefit_curve(a: ReviewAssumptions, windows: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """The model's parts over a range of windows, one row per window.

    Columns: ``window``, ``participation``, ``detection``, ``harm_avoided``,
    ``delay_cost``, ``net``.

    >>> a = ReviewAssumptions(1, 0.5, 30, 0.1, 1000, 0.5)
    >>> benefit_curve(a, [0, 30, 90])["window"].tolist()
    [0.0, 30.0, 90.0]
    """
    rows = []
    for w in windows:
        w = _window(float(w))
        share = participation(w, a)
        avoided = a.releases * share * a.flaw * a.fix * a.harm * detection(w, a)
        cost = a.releases * share * a.cost_per_day * w
        rows.append(
            {
                "window": w,
                "participation": share,
                "detection": detection(w, a),
                "harm_avoided": avoided,
                "delay_cost": cost,
                "net": avoided - cost,
            }
        )
    return pd.DataFrame(rows)


def best_window(a: ReviewAssumptions, *, longest: int = 365) -> tuple[int, float]:
    """The whole number of days in ``[0, longest]`` with the highest net benefit.

    Returns ``(days, net benefit)``; 0 days means no review is worth its delay.

    >>> a = ReviewAssumptions(1, 0.5, 30, 0.1, 1000, 0.5)
    >>> days, net = best_window(a)
    >>> days, round(net, 2)
    (36, 16.94)
    """
    windows = np.arange(0, int(longest) + 1)
    nets = np.array([expected_net_benefit(float(w), a) for w in windows])
    i = int(np.argmax(nets))
    return int(windows[i]), float(nets[i])


def break_even_cost_per_day(window: float, a: ReviewAssumptions) -> float:
    """The daily delay cost at which a ``window``-day review exactly pays for itself.

    Above it the review costs more than it saves; participation does not change
    the sign, only the size.

    >>> a = ReviewAssumptions(1, 0.5, 30, 0.1, 1000, 0.5)
    >>> round(break_even_cost_per_day(90, a), 3)
    0.528
    """
    w = _window(window)
    if w == 0:
        raise ValueError("a zero-day window costs nothing; give a window > 0 days")
    return a.flaw * a.fix * a.harm * detection(w, a) / w


def _steps(probabilities: Sequence[float]) -> list[float]:
    if isinstance(probabilities, str) or not isinstance(probabilities, Sequence | np.ndarray):
        raise ValueError("give the steps' probabilities as a list, e.g. [0.9, 0.5, 0.4]")
    steps = [_share(p, f"step {i + 1}") for i, p in enumerate(probabilities)]
    if not steps:
        raise ValueError("a slope needs at least one step")
    return steps


def mandate_probability(probabilities: Sequence[float]) -> float:
    """Chance of reaching the last step: the product of the steps' conditional chances.

    ``probabilities[i]`` is the chance of step ``i + 1`` *given* all earlier steps.

    >>> mandate_probability([0.5, 0.5])
    0.25
    """
    return float(math.prod(_steps(probabilities)))


def step_needed(target: float, steps: int) -> float:
    """How likely each of ``steps`` equal steps must be for the chain to reach ``target``.

    >>> round(step_needed(0.5, 4), 3)
    0.841
    """
    _share(target, "target")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps must be a whole number >= 1, got {steps!r}")
    return float(target ** (1 / steps))


def slope_table(steps: Sequence[tuple[str, float]]) -> pd.DataFrame:
    """Each step of a slippery-slope chain, with the running chance of getting that far.

    ``steps`` is a list of ``(description, conditional probability)``. The column
    ``if_certain`` shows the final chance if that one step were certain, and
    ``share_of_doubt`` each step's share of the total improbability
    (``log p_i / log p_final``; the shares add up to 1): both show which step the
    claim leans on most.

    >>> table = slope_table([("a", 0.5), ("b", 0.2)])
    >>> table["reached"].round(2).tolist(), table["if_certain"].round(2).tolist()
    ([0.5, 0.1], [0.2, 0.5])
    """
    if not steps:
        raise ValueError("a slope needs at least one step")
    names = [str(name) for name, _ in steps]
    probabilities = _steps([p for _, p in steps])
    final = math.prod(probabilities)
    reached = np.cumprod(probabilities)
    if_certain = [
        math.prod(p for j, p in enumerate(probabilities) if j != i)
        for i in range(len(probabilities))
    ]
    return pd.DataFrame(
        {
            "step": names,
            "probability": probabilities,
            "reached": reached,
            "if_certain": if_certain,
            "share_of_doubt": [
                math.log(p) / math.log(final) if 0 < final < 1 else (1.0 if p == 0 else 0.0)
                for p in probabilities
            ],
        }
    )

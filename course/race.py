"""Thread 2: a formal model of an AI race (Armstrong, Bostrom & Shulman, 2016).

"Racing to the precipice: a model of artificial intelligence development",
*AI & Society* 31(2):201-206, doi:10.1007/s00146-015-0590-y (FHI technical
report 2013-1).

The game
--------
``n`` teams race to build a powerful AI. Team *i* has a capability ``c_i`` drawn
independently and uniformly from ``[0, mu]`` and chooses how much to invest in
safety, ``s_i`` in ``[0, 1]``. Its score is ``c_i - s_i``: safety costs speed. The
team with the highest score finishes first; its AI is safe with probability equal
to its safety ``s`` and a disaster otherwise. Payoffs: 1 to a team that wins
safely, ``1 - e`` to every other team when someone else wins safely (``e`` is the
*enmity* in ``(0, 1]``: how much a team minds that a rival wins), and 0 to all
after a disaster.

What teams know changes the equilibrium:

* ``"none"``: no team knows any capability, its own included;
* ``"private"``: each team knows only its own capability;
* ``"public"``: every team knows every capability.

:func:`disaster_probability` gives the closed-form probability of disaster in the
symmetric Nash equilibrium, :func:`equilibrium_safety` the equilibrium safety
choices, and :func:`simulate` plays the game many times with those choices.

Examples
--------
>>> round(disaster_probability(n=2, mu=1.0, enmity=1.0, information="none"), 3)
0.5
>>> round(disaster_probability(n=5, mu=0.5, enmity=0.5, information="public"), 3)
0.833
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "INFORMATION",
    "disaster_probability",
    "equilibrium_safety",
    "SimulationResult",
    "simulate",
    "risk_curve",
]

#: The information conditions of the paper.
INFORMATION = ("none", "private", "public")


def _check(n: object, mu: object, enmity: object, information: object) -> tuple[int, float, float]:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f"n is the number of teams and must be a whole number >= 2, got {n!r}")
    if n < 2:
        raise ValueError(f"a race needs at least 2 teams; got n={n}")
    if isinstance(mu, bool) or not isinstance(mu, numbers.Real) or not math.isfinite(mu) or mu <= 0:
        raise ValueError(
            f"mu is the upper end of the capability range and must be a finite number > 0, got {mu!r}"
        )
    if isinstance(enmity, bool) or not isinstance(enmity, numbers.Real) or not 0 < enmity <= 1:
        raise ValueError(f"enmity must lie in (0, 1] (0 excluded), got {enmity!r}")
    if information not in INFORMATION:
        raise ValueError(
            f"information must be one of {', '.join(map(repr, INFORMATION))}, got {information!r}"
        )
    return int(n), float(mu), float(enmity)


def disaster_probability(n: int, mu: float, enmity: float, information: str) -> float:
    """Equilibrium probability of disaster, in closed form.

    Parameters
    ----------
    n : number of teams (>= 2).
    mu : capabilities are uniform on ``[0, mu]``; a larger ``mu`` means capability
        matters more than safety for who wins.
    enmity : ``e`` in ``(0, 1]``.
    information : ``"none"``, ``"private"`` or ``"public"``.

    Notes
    -----
    With ``K = e n - e + 1``:

    * none: ``1 - mu / (e n)`` if ``mu < e n``, else 0;
    * private: ``1 - n mu / ((n + 1) K)`` if ``mu < K``, else ``K**n / ((n + 1) mu**n)``;
    * public: ``1 - mu / (e (n + 1))`` if ``mu < e``, else
      ``(mu - e)**(n + 1) / (e (n + 1) mu**n) - mu / (e (n + 1)) + 1``.

    >>> round(disaster_probability(5, 0.5, 0.5, "private"), 3)
    0.861
    >>> disaster_probability(1, 1.0, 1.0, "none")
    Traceback (most recent call last):
    ...
    ValueError: a race needs at least 2 teams; got n=1
    """
    n, mu, e = _check(n, mu, enmity, information)
    if information == "none":
        return 1 - mu / (e * n) if mu < e * n else 0.0
    if information == "private":
        k = e * n - e + 1
        if mu < k:
            return 1 - n * mu / ((n + 1) * k)
        return k**n / ((n + 1) * mu**n)
    # public
    if mu < e:
        return 1 - mu / (e * (n + 1))
    return (mu - e) ** (n + 1) / (e * (n + 1) * mu**n) - mu / (e * (n + 1)) + 1


def equilibrium_safety(
    n: int, mu: float, enmity: float, information: str
) -> Callable[[np.ndarray], np.ndarray]:
    """The equilibrium safety choices, as a function of the teams' capabilities.

    Returns ``strategy(capabilities) -> safety``: given an array of shape
    ``(..., n)`` of capabilities (one row per race), it returns each team's safety
    in the symmetric equilibrium:

    * none: every team picks ``min(mu / (e n), 1)``, whatever the capabilities;
    * private: a team with capability ``x`` picks ``min(x / K, 1)``, ``K = e n - e + 1``;
    * public: the leader picks ``min(gap / e, 1)``, where ``gap`` is its lead over
      the runner-up, just enough that no rival gains by skimping on safety to
      overtake; the others cannot win, and pick full safety.

    >>> import numpy as np
    >>> s = equilibrium_safety(2, 1.0, 0.5, "public")
    >>> s(np.array([0.9, 0.6])).round(2).tolist()
    [0.6, 1.0]
    """
    n, mu, e = _check(n, mu, enmity, information)
    if information == "none":
        level = min(mu / (e * n), 1.0)

        def strategy(caps: np.ndarray) -> np.ndarray:
            return np.full(np.shape(caps), level)

    elif information == "private":
        k = e * n - e + 1

        def strategy(caps: np.ndarray) -> np.ndarray:
            return np.minimum(np.asarray(caps, dtype=float) / k, 1.0)

    else:

        def strategy(caps: np.ndarray) -> np.ndarray:
            caps = np.asarray(caps, dtype=float)
            top_two = np.sort(caps, axis=-1)[..., -2:]
            gap = top_two[..., 1] - top_two[..., 0]
            leader = caps == top_two[..., 1:2]
            return np.where(leader, np.minimum(gap / e, 1.0)[..., None], 1.0)

    return strategy


@dataclass(frozen=True)
class SimulationResult:
    """A Monte Carlo estimate of the probability of disaster."""

    probability: float
    standard_error: float
    races: int

    def agrees_with(self, value: float, sigmas: float = 4.0) -> bool:
        """Whether ``value`` lies within ``sigmas`` standard errors of the estimate."""
        return abs(self.probability - value) <= sigmas * max(self.standard_error, 1e-12)


def simulate(
    n: int,
    mu: float,
    enmity: float,
    information: str,
    *,
    races: int = 100_000,
    seed: int = 0,
) -> SimulationResult:
    """Play ``races`` independent races with the equilibrium strategies.

    Each race draws the capabilities, applies :func:`equilibrium_safety`, lets the
    highest score ``c - s`` win, and draws whether the winner's AI is a disaster
    (probability ``1 - s``). Seeded, so the same call gives the same answer.

    >>> result = simulate(2, 1.0, 1.0, "none", races=20_000, seed=1)
    >>> result.agrees_with(disaster_probability(2, 1.0, 1.0, "none"))
    True
    """
    n, mu, e = _check(n, mu, enmity, information)
    if isinstance(races, bool) or not isinstance(races, numbers.Integral) or races < 1:
        raise ValueError(f"races must be a whole number >= 1, got {races!r}")
    rng = np.random.default_rng(seed)
    caps = rng.uniform(0.0, mu, size=(races, n))
    safety = equilibrium_safety(n, mu, e, information)(caps)
    winner = np.argmax(caps - safety, axis=1)
    winner_safety = safety[np.arange(races), winner]
    disaster = rng.random(races) >= winner_safety
    p = float(disaster.mean())
    return SimulationResult(p, math.sqrt(max(p * (1 - p), 1e-12) / races), races)


def risk_curve(n: int, enmity: float, information: str, mu: np.ndarray) -> np.ndarray:
    """:func:`disaster_probability` over an array of ``mu`` values (for figures).

    >>> risk_curve(2, 1.0, "none", np.array([0.5, 1.0, 4.0])).tolist()
    [0.75, 0.5, 0.0]
    """
    return np.array([disaster_probability(n, float(m), enmity, information) for m in mu])

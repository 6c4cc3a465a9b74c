"""Known-wrong submissions for ``ps03-race`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 11 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same names as the reference answer, so only the tests decide the points.

Points per question: Q1 3, Q2 3, Q3 3, Q4 2 (total 11; Q5 and Q6, 9 points, are written
and manually graded, so they are not part of the autograded total).

Cases named ``copies_lesson_*`` reuse what lessons 04 and 05 or the installed package computes for
the uniform race, the exponential review profile or lesson 04's own crossover, instead of
the variant the question asks for; each must earn nothing for its item.
"""

AUTOGRADED_TOTAL = 11

CASES = [
    # Not wrong: other correct ways (the closed form written with the winner's CDF exponent,
    # a root finder on risk_curve over a fine grid, numpy arrays converted with float/int, the
    # break-even from a zero of the net benefit per release). Full autograded total.
    (
        "correct_alternatives",
        {
            "q1_p_disaster_skewed": (
                "def p_disaster_skewed(n, mu, e):\n"
                "    k = e * (n - 1) + 1\n"
                "    m = 2 * n\n"
                "    if mu >= k:\n"
                "        return (k / mu) ** m / (m + 1)\n"
                "    return 1 - m * mu / ((m + 1) * k)"
            ),
            "q2_crossover_mu": (
                "grid = np.linspace(1, 10, 90001)\n"
                'gap = race.risk_curve(5, 0.7, "private", grid) - race.risk_curve(2, 0.7, '
                '"private", grid)\n'
                "crossover_mu = float(grid[np.argmax(gap <= 0)])"
            ),
            "q3_s_curve_review": (
                "w = np.arange(181)\n"
                "d = 0.6 * w**2 / (w**2 + 42**2)\n"
                "net = 10 * 0.7 * np.exp(-0.005 * w) * (0.05 * 0.8 * 2000 * d - 0.5 * w)\n"
                "s_curve_answer = (int(w[np.argmax(net)]), float(0.05 * 0.8 * 2000 * d[30] / 30))"
            ),
            "q4_last_step_needed": "last_step_needed = math.sqrt(0.25 / 0.8 / 0.6)",
        },
        11,
    ),
    # Copied from the package: the uniform private-information risk of course.race, which is
    # what lesson 04 computes, not the skewed distribution: -3 (Q1).
    (
        "copies_lesson_uniform_private",
        {
            "q1_p_disaster_skewed": (
                "def p_disaster_skewed(n, mu, e):\n"
                '    return float(race.disaster_probability(n, mu, e, "private"))'
            )
        },
        8,
    ),
    # Wrong density: averages 1 - s(x) over one team's capability (density 2x / mu**2) instead
    # of the winner's, the largest of n: -3 (Q1).
    (
        "density_of_one_team",
        {
            "q1_p_disaster_skewed": (
                "def p_disaster_skewed(n, mu, e):\n"
                "    k = e * n - e + 1\n"
                "    if mu < k:\n"
                "        return float(1 - 2 * mu / (3 * k))\n"
                "    return float(k**2 / (3 * mu**2))"
            )
        },
        8,
    ),
    # Only one regime: the formula for mu < K used everywhere, so it goes negative for large mu:
    # the visible check passes (mu = 1 < K), the hidden checks fail: -3 (Q1).
    (
        "one_regime_only",
        {
            "q1_p_disaster_skewed": (
                "def p_disaster_skewed(n, mu, e):\n"
                "    k = e * n - e + 1\n"
                "    return float(1 - 2 * n * mu / ((2 * n + 1) * k))"
            )
        },
        8,
    ),
    # Returns a numpy float (np.float64 from numpy arithmetic), not a plain float: -3 (Q1).
    (
        "numpy_float_returned",
        {
            "q1_p_disaster_skewed": (
                "def p_disaster_skewed(n, mu, e):\n"
                "    k = e * n - e + 1\n"
                "    m = 2 * n\n"
                "    if mu < k:\n"
                "        return np.float64(1 - m * mu / ((m + 1) * k))\n"
                "    return np.float64(k**m / ((m + 1) * mu**m))"
            )
        },
        8,
    ),
    # Copied from the lesson: lesson 04's crossover for e = 0.5 (about 3.8), not e = 0.7: -3 (Q2).
    (
        "copies_lesson_crossover",
        {
            "q2_crossover_mu": (
                "mus = np.linspace(0.5, 6.0, 5501)\n"
                'diff = race.risk_curve(2, 0.5, "private", mus) - race.risk_curve(5, 0.5, '
                '"private", mus)\n'
                "crossover_mu = float(mus[np.argmax(diff > 0)])"
            )
        },
        8,
    ),
    # Wrong information condition: where the no-information curves meet (both reach zero): -3 (Q2).
    (
        "wrong_information_condition",
        {
            "q2_crossover_mu": (
                "grid = np.linspace(1, 10, 9001)\n"
                'gap = race.risk_curve(5, 0.7, "none", grid) - race.risk_curve(2, 0.7, '
                '"none", grid)\n'
                "crossover_mu = float(grid[np.argmax(gap <= 0)])"
            )
        },
        8,
    ),
    # Copied from the package: course.review's own exponential profile (best_window and
    # break_even_cost_per_day with detection_days = 40), not the S-shaped one: -3 (Q3).
    (
        "copies_package_exponential_profile",
        {
            "q3_s_curve_review": (
                "a = review.ReviewAssumptions(participation=0.7, detection_max=0.6, "
                "detection_days=40, flaw=0.05, harm=2000, cost_per_day=0.5, fix=0.8, "
                "participation_decay=0.005, releases=10)\n"
                "days, _ = review.best_window(a, longest=180)\n"
                "s_curve_answer = (int(days), float(review.break_even_cost_per_day(30, a)))"
            )
        },
        8,
    ),
    # Forgets that participation falls with the window (decay 0): a longer best window: -3 (Q3).
    (
        "no_participation_decay",
        {
            "q3_s_curve_review": (
                "def net(w):\n"
                "    d = 0.6 * w**2 / (w**2 + 42**2)\n"
                "    return 10 * 0.7 * (0.05 * 0.8 * 2000 * d - 0.5 * w)\n\n\n"
                "nets = [net(w) for w in range(181)]\n"
                "s_curve_answer = (nets.index(max(nets)), float(0.05 * 0.8 * 2000 * 0.6 * 900 / "
                "(900 + 42**2) / 30))"
            )
        },
        8,
    ),
    # Right values, wrong types: a numpy int from argmax and a numpy float: -3 (Q3).
    (
        "wrong_types_numpy",
        {
            "q3_s_curve_review": (
                "w = np.arange(181)\n"
                "d = 0.6 * w**2 / (w**2 + 42**2)\n"
                "net = 10 * 0.7 * np.exp(-0.005 * w) * (0.05 * 0.8 * 2000 * d - 0.5 * w)\n"
                "s_curve_answer = (np.argmax(net), 0.05 * 0.8 * 2000 * d[30] / 30)"
            )
        },
        8,
    ),
    # Copied from the package: review.step_needed(0.25, 4), four equal steps, ignoring the two
    # steps the question gives: -2 (Q4).
    (
        "copies_package_equal_steps",
        {"q4_last_step_needed": "last_step_needed = float(review.step_needed(0.25, 4))"},
        9,
    ),
    # Forgets the square root: the product of the last two steps, not each of them: -2 (Q4).
    (
        "product_not_each_step",
        {"q4_last_step_needed": "last_step_needed = 0.25 / (0.8 * 0.6)"},
        9,
    ),
    # Objects whose __eq__ always answers True: a float subclass and a tuple subclass: -3 (Q2) -3 (Q3).
    (
        "always_equal_objects",
        {
            "q2_crossover_mu": (
                "class Sly(float):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True\n"
                "    __hash__ = float.__hash__\n\n\n"
                "crossover_mu = Sly(5.0)"
            ),
            "q3_s_curve_review": (
                "class Yes(tuple):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "s_curve_answer = Yes((45, 0.5))"
            ),
        },
        5,
    ),
]

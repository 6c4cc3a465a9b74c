"""Known-wrong submissions for ``ps03-race`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 15 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same function or assigns the same variable as the reference answer, so only the
tests decide the points.

Points per question: Q1 3, Q2 3, Q3 3, Q4 3, Q5 3 (total 15; Q6 is written and manually
graded, so it is not part of the autograded total).
"""

AUTOGRADED_TOTAL = 15

CASES = [
    # Not wrong: other correct ways to reach the answers (the cap written as max(0.0, ...),
    # math.pow and the regimes tested the other way round, numpy argsort with .tolist(),
    # scipy's root finder, benefit_curve with bool(...)). The tests must not reject legitimate
    # variants, so this keeps the full autograded total.
    (
        "correct_alternatives",
        {
            "q1_p_disaster_none": (
                "def p_disaster_none(n, mu, e):\n    return max(0.0, 1 - mu / (e * n))"
            ),
            "q2_p_disaster_private": (
                "import math\n\n\n"
                "def p_disaster_private(n, mu, e):\n"
                "    k = e * (n - 1) + 1\n"
                "    if mu >= k:\n"
                "        return math.pow(k / mu, n) / (n + 1)\n"
                "    return 1 - n / (n + 1) * mu / k"
            ),
            "q3_safety_rankings": (
                "from course.race import disaster_probability\n\n"
                "names = np.array(CONDITIONS)\n"
                "rankings = []\n"
                "for mu in (0.5, 3):\n"
                "    risk = [disaster_probability(5, mu, 0.5, c) for c in CONDITIONS]\n"
                "    rankings.append(names[np.argsort(risk)].tolist())\n"
                "safety_rankings = tuple(rankings)"
            ),
            "q4_crossover_mu": (
                "from scipy.optimize import brentq\n\n"
                "from course.race import disaster_probability as p\n\n"
                "crossover_mu = float(\n"
                '    brentq(lambda mu: p(5, mu, 0.75, "private") - p(2, mu, 0.75, "private"), 1, 10)\n'
                ")"
            ),
            "q5_review_answer": (
                "from course.review import ReviewAssumptions, benefit_curve\n\n"
                "a = ReviewAssumptions(0.7, 0.6, 40, 0.05, 2000, 0.5, fix=0.8,\n"
                "                      participation_decay=0.005, releases=10)\n"
                "curve = benefit_curve(a, range(181))\n"
                'best = int(curve.loc[curve["net"].idxmax(), "window"])\n'
                'review_answer = (best, bool(curve.loc[90, "net"] > 0))'
            ),
        },
        15,
    ),
    # Wrong regime: forgets the cap of safety at 1, so for mu > e n the "probability" goes
    # negative. The visible call (2, 1.0, 1.0) sits on the boundary and passes; the hidden grid
    # includes mu > e n: -3 (Q1).
    (
        "no_cap_at_one",
        {
            "q1_p_disaster_none": "def p_disaster_none(n, mu, e):\n    return float(1 - mu / (e * n))"
        },
        12,
    ),
    # Wrong constant: K = e n - 1 instead of e n - e + 1. The visible call (2, 1.0, 0.5) still
    # returns a number in [0, 1] (K = 0 there, so it takes the second branch and returns 0.0), but
    # the values on the hidden grid are wrong: -3 (Q2).
    (
        "wrong_K",
        {
            "q2_p_disaster_private": (
                "def p_disaster_private(n, mu, e):\n"
                "    k = e * n - 1\n"
                "    if mu < k:\n"
                "        return float(1 - n * mu / ((n + 1) * k))\n"
                "    return float(k**n / ((n + 1) * mu**n))"
            )
        },
        12,
    ),
    # Right values, wrong type: np.minimum returns numpy.float64, a float subclass that equals
    # the right value; the prompt asks for a plain float and `type(x) is float` rejects it: -3 (Q1).
    (
        "wrong_type_numpy_float64",
        {
            "q1_p_disaster_none": (
                "def p_disaster_none(n, mu, e):\n    return 1 - np.minimum(mu / (e * n), 1.0)"
            )
        },
        12,
    ),
    # Right values, wrong type: max(0, ...) returns the int 0 whenever the cap binds (for float
    # arguments too; and at mu == e n with int arguments, since max keeps the first of equal
    # values). The visible call does not reach the cap; the prompt asks for a float in every case,
    # and the hidden type check on the grid fails: -3 (Q1).
    (
        "int_zero_for_int_arguments",
        {
            "q1_p_disaster_none": "def p_disaster_none(n, mu, e):\n    return max(0, 1 - mu / (e * n))"
        },
        12,
    ),
    # Right values, forbidden means: both functions hand the work to course.race (Q1 through a
    # helper and a module alias, Q2 as a functools.partial). The values are exact, but the prompt
    # forbids the course package in Q1 and Q2 and the hidden check finds it: -3 (Q1) -3 (Q2).
    (
        "uses_course_race",
        {
            "q1_p_disaster_none": (
                "import course.race as cr\n\n\n"
                "def _lookup(n, mu, e, condition):\n"
                "    return cr.disaster_probability(n, mu, e, condition)\n\n\n"
                "def p_disaster_none(n, mu, e):\n"
                '    return _lookup(n, mu, e, "none")'
            ),
            "q2_p_disaster_private": (
                "import functools\n\n"
                "from course.race import disaster_probability\n\n"
                "p_disaster_private = functools.partial(disaster_probability, "
                'information="private")'
            ),
        },
        9,
    ),
    # Two questions at once: an off-by-one in the integral (n where n + 1 belongs, in both
    # regimes) makes Q2 wrong, and Q4 reuses that function for its bisection, so its crossover
    # (about 5.11 instead of about 5.51) is wrong too. Types and ranges are right, so only the
    # hidden tests fail: -3 (Q2) -3 (Q4).
    (
        "off_by_one_private_reused_in_q4",
        {
            "q2_p_disaster_private": (
                "def p_disaster_private(n, mu, e):\n"
                "    k = e * n - e + 1\n"
                "    if mu < k:\n"
                "        return float(1 - n * mu / (n * k))\n"
                "    return float(k**n / (n * mu**n))"
            ),
            "q4_crossover_mu": (
                "low, high = 1.0, 10.0\n"
                "for _ in range(60):\n"
                "    middle = (low + high) / 2\n"
                "    if p_disaster_private(5, middle, 0.75) > p_disaster_private(2, middle, 0.75):\n"
                "        low = middle\n"
                "    else:\n"
                "        high = middle\n"
                "crossover_mu = (low + high) / 2"
            ),
        },
        9,
    ),
    # Copied from the lesson: lesson 3's crossover cell, run as printed (e = 0.5, not the 0.75
    # that Q4 asks about), finds the lesson's crossover (about 3.78). A float between 1 and 10,
    # so the visible tests pass; the hidden check of the crossover at e = 0.75 fails: -3 (Q4).
    (
        "copies_lesson_crossover_e_0_5",
        {
            "q4_crossover_mu": (
                "from course.race import risk_curve\n\n"
                "mus = np.linspace(0.5, 6.0, 5501)\n"
                'gap = risk_curve(2, 0.5, "private", mus) - risk_curve(5, 0.5, "private", mus)\n'
                "crossover_mu = float(mus[np.argmax(gap > 0)])"
            )
        },
        12,
    ),
    # Order reversed: sorts from most dangerous to safest. The right names, each once, so the
    # visible tests pass; the hidden order check fails: -3 (Q3).
    (
        "rankings_reversed",
        {
            "q3_safety_rankings": (
                "from course.race import disaster_probability\n\n"
                "safety_rankings = tuple(\n"
                "    sorted(CONDITIONS, key=lambda c, mu=mu: disaster_probability(5, mu, 0.5, c),\n"
                "           reverse=True)\n"
                "    for mu in (0.5, 3.0)\n"
                ")"
            )
        },
        12,
    ),
    # Right orders, wrong containers: numpy arrays of names instead of lists: -3 (Q3).
    (
        "wrong_type_arrays_of_names",
        {
            "q3_safety_rankings": (
                "from course.race import disaster_probability\n\n"
                "names = np.array(CONDITIONS)\n"
                "safety_rankings = tuple(\n"
                "    names[np.argsort([disaster_probability(5, mu, 0.5, c) for c in CONDITIONS])]\n"
                "    for mu in (0.5, 3.0)\n"
                ")"
            )
        },
        12,
    ),
    # Objects whose __eq__ always answers True: Q1's function returns one (it also claims to lie
    # between 0 and 1), and Q4 assigns a float subclass that equals everything and is "close" to
    # anything. `type(x) is float` rejects both before any comparison: -3 (Q1) -3 (Q4).
    (
        "always_equal_objects",
        {
            "q1_p_disaster_none": (
                "class Any:\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = object.__hash__\n"
                "    __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True\n\n\n"
                "def p_disaster_none(n, mu, e):\n"
                "    return Any()"
            ),
            "q4_crossover_mu": (
                "class Sly(float):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = float.__hash__\n"
                "    __sub__ = __rsub__ = lambda self, other: 0.0\n\n\n"
                "crossover_mu = Sly(5.0)"
            ),
        },
        9,
    ),
    # Tuple subclasses that equal everything: `type(x) is tuple` must reject them before the
    # elements are compared: -3 (Q3) -3 (Q5).
    (
        "always_equal_tuples",
        {
            "q3_safety_rankings": (
                "class Yes(tuple):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = tuple.__hash__\n\n\n"
                'safety_rankings = Yes((["none", "private", "public"], ["none", "private", "public"]))'
            ),
            "q5_review_answer": (
                "class Yes2(tuple):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = tuple.__hash__\n\n\n"
                "review_answer = Yes2((30, True))"
            ),
        },
        9,
    ),
    # Right values, wrong type: comparing a DataFrame cell with 0 gives numpy.bool_, not bool
    # (`type(x) is bool` rejects it; the prompt asks for a plain bool): -3 (Q5).
    (
        "wrong_type_numpy_bool",
        {
            "q5_review_answer": (
                "from course.review import ReviewAssumptions, benefit_curve\n\n"
                "a = ReviewAssumptions(0.7, 0.6, 40, 0.05, 2000, 0.5, fix=0.8,\n"
                "                      participation_decay=0.005, releases=10)\n"
                "curve = benefit_curve(a, range(181))\n"
                'best = int(curve.loc[curve["net"].idxmax(), "window"])\n'
                'review_answer = (best, curve.loc[90, "net"] > 0)'
            )
        },
        12,
    ),
    # One assumption left out: without fix=0.8 every caught flaw is fixed (the default 1.0), which
    # moves the best window (37 days, not the right one) and makes the 90-day window pay. Types
    # are right, values wrong: -3 (Q5).
    (
        "forgets_fix_assumption",
        {
            "q5_review_answer": (
                "from course.review import ReviewAssumptions, best_window, expected_net_benefit\n\n"
                "a = ReviewAssumptions(participation=0.7, detection_max=0.6, detection_days=40,\n"
                "                      flaw=0.05, harm=2000, cost_per_day=0.5,\n"
                "                      participation_decay=0.005, releases=10)\n"
                "days, _ = best_window(a, longest=180)\n"
                "review_answer = (days, expected_net_benefit(90, a) > 0)"
            )
        },
        12,
    ),
]

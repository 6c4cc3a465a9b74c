"""Known-wrong submissions for ``ps02-compute`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 15 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same names as the reference answer, so only the tests decide the points.

Points per question: Q1 3, Q2 3, Q3 3, Q4 2, Q5 2, Q6 2 (total 15; Q7 is written and
manually graded, so it is not part of the autograded total).
"""

AUTOGRADED_TOTAL = 15

# The reference Q1 answer, reused by cases that break other questions.
_SIX_ND = (
    "def six_nd(parameters, tokens):\n"
    "    if parameters <= 0 or tokens <= 0:\n"
    '        raise ValueError("both must be positive")\n'
    "    return 6.0 * float(parameters) * float(tokens)\n\n\n"
)

CASES = [
    # Not wrong: other correct ways to reach the answers (the library's training_flop, which
    # raises ValueError itself; counts_by_year(...).to_dict(), which gives plain ints; years
    # counted from 1 Jan 2018 in days / 365.25 with lstsq, within the 0.02-month tolerance;
    # a query string sorted by pandas; release_gaps, which returns a numpy float64, a float
    # subclass the tests accept; a query for Q6). The tests must not reject them: full marks.
    (
        "correct_alternatives",
        {
            "q1_six_nd": (
                "from course.compute import training_flop\n\n\n"
                "def six_nd(parameters, tokens):\n"
                "    return training_flop(parameters, tokens)\n\n\n"
                "llama_flop = six_nd(405_000_000_000, 15.6e12)"
            ),
            "q2_covered_by_year": (
                "from course.compute import counts_by_year\n"
                "covered_by_year = counts_by_year(models, 1e25, years=range(2020, 2027)).to_dict()"
            ),
            "q3_doubling_months": (
                "recent = models.query(\"release_date >= '2018-01-01'\")\n"
                'years = (recent["release_date"] - pd.Timestamp("2018-01-01")).dt.days / 365.25\n'
                "design = np.column_stack([np.ones(len(years)), years.to_numpy()])\n"
                'logs = np.log10(recent["training_flop"].to_numpy())\n'
                "coef = np.linalg.lstsq(design, logs, rcond=None)[0]\n"
                "doubling_months = 12 * np.log10(2) / coef[1]"
            ),
            "q4_eu_only_ids": (
                'eu_only_ids = models.query("1e25 < training_flop <= 1e26")["model_id"]'
                ".sort_values().tolist()"
            ),
            "q5_openai_median_gap": (
                "from course.compute import release_gaps\n"
                'openai_median_gap = release_gaps(models).loc["OpenAI", "median_gap_days"]'
            ),
            "q6_public_lines": (
                "n_public_lines = len(\n"
                "    thresholds.query(\n"
                "        \"status in ['in force', 'enacted, not yet effective'] \"\n"
                '        "and threshold.notna()", engine="python"\n'
                "    )\n"
                ")"
            ),
        },
        15,
    ),
    # Wrong filter: ">= 1e25" instead of "> 1e25" also counts Inflection-2, estimated at
    # exactly 1.00e25, in 2023. Types and years are right, so only the hidden counts fail: -3 (Q2).
    (
        "wrong_filter_at_least",
        {
            "q2_covered_by_year": (
                'year = models.loc[models["training_flop"] >= 1e25, "release_date"].dt.year\n'
                "covered_by_year = {y: int((year == y).sum()) for y in range(2020, 2027)}"
            )
        },
        12,
    ),
    # Wrong filter: "covered by the EU but not by 1e26" computed as "above 1e25" only, which keeps
    # Grok-3, GPT-4.5 and Grok 4. A sorted list of real ids, so only the hidden check fails: -2 (Q4).
    (
        "wrong_filter_forgets_upper_line",
        {
            "q4_eu_only_ids": (
                'eu_only_ids = sorted(models.loc[models["training_flop"] > 1e25, "model_id"].tolist())'
            )
        },
        13,
    ),
    # Off by one: range(2020, 2026) stops at 2025, so 2026 (a zero year) is missing. The visible
    # test of the keys catches it: -3 (Q2).
    (
        "off_by_one_years_missing_2026",
        {
            "q2_covered_by_year": (
                'year = models.loc[models["training_flop"] > 1e25, "release_date"].dt.year\n'
                "covered_by_year = {y: int((year == y).sum()) for y in range(2020, 2026)}"
            )
        },
        12,
    ),
    # Off by one: counts both release days (gap + 1), so the median is 291, not 290. A positive
    # float, so the visible tests pass; the hidden value check fails: -2 (Q5).
    (
        "off_by_one_inclusive_gap",
        {
            "q5_openai_median_gap": (
                'openai = models[models["organisation"] == "OpenAI"].sort_values("release_date")\n'
                'gaps = openai["release_date"].diff().dropna().dt.days + 1\n'
                "openai_median_gap = float(gaps.median())"
            )
        },
        13,
    ),
    # Right values, wrong type: dict(Series) keeps numpy.int64 counts; the prompt asks for plain
    # int values, and the visible test says so: -3 (Q2).
    (
        "wrong_type_numpy_counts",
        {
            "q2_covered_by_year": (
                'year = models.loc[models["training_flop"] > 1e25, "release_date"].dt.year\n'
                "covered_by_year = dict(year.value_counts().reindex(range(2020, 2027), fill_value=0))"
            )
        },
        12,
    ),
    # Right values, wrong container: a tuple of the ids instead of a list: -2 (Q4).
    (
        "wrong_type_tuple_of_ids",
        {
            "q4_eu_only_ids": (
                'flop = models["training_flop"]\n'
                'eu_only_ids = tuple(sorted(models.loc[(flop > 1e25) & (flop <= 1e26), "model_id"]))'
            )
        },
        13,
    ),
    # Right value, wrong type: slicing the polyfit array ([:1]) leaves a one-element array, not a
    # float: -3 (Q3).
    (
        "wrong_type_one_element_array",
        {
            "q3_doubling_months": (
                'recent = models[models["release_date"] >= "2018-01-01"]\n'
                'day = recent["release_date"]\n'
                "x = day.dt.year + (day.dt.day_of_year - 1) / np.where(day.dt.is_leap_year, 366, 365)\n"
                'fit = np.polyfit(x, np.log10(recent["training_flop"]), 1)\n'
                "doubling_months = 12 * np.log10(2) / fit[:1]"
            )
        },
        12,
    ),
    # Right value, wrong type: Series.sum() returns numpy.int64, not int; `type(x) is int`
    # rejects it (the prompt asks for a plain int): -2 (Q6).
    (
        "wrong_type_numpy_int64",
        {
            "q6_public_lines": (
                'in_place = thresholds["status"].isin(["in force", "enacted, not yet effective"])\n'
                'n_public_lines = (in_place & thresholds["threshold"].notna()).sum()'
            )
        },
        13,
    ),
    # Natural log instead of log10: fitting ln(FLOP) makes the slope 2.30 times larger, and the
    # log10(2) conversion of the prompt then gives about 2.8 months instead of 6.5. Plausible
    # enough for the visible range check; the hidden value check fails: -3 (Q3).
    (
        "natural_log_instead_of_log10",
        {
            "q3_doubling_months": (
                'recent = models[models["release_date"] >= "2018-01-01"]\n'
                'day = recent["release_date"]\n'
                "x = day.dt.year + (day.dt.day_of_year - 1) / np.where(day.dt.is_leap_year, 366, 365)\n"
                'slope = np.polyfit(x, np.log(recent["training_flop"]), 1)[0]\n'
                "doubling_months = float(12 * np.log10(2) / slope)"
            )
        },
        12,
    ),
    # Q1 without the input check: negative or zero inputs give a "compute" of 0 or below instead
    # of a ValueError. The values for positive inputs are right, so only the hidden error check
    # fails: -3 (Q1).
    (
        "no_value_error",
        {
            "q1_six_nd": (
                "def six_nd(parameters, tokens):\n"
                "    return 6.0 * parameters * tokens\n\n\n"
                "llama_flop = six_nd(405e9, 15.6e12)"
            )
        },
        12,
    ),
    # Q1 checks with `assert`, which raises AssertionError (and disappears under python -O),
    # not the ValueError the prompt asks for: -3 (Q1).
    (
        "assert_instead_of_value_error",
        {
            "q1_six_nd": (
                "def six_nd(parameters, tokens):\n"
                '    assert parameters > 0 and tokens > 0, "inputs must be positive"\n'
                "    return 6.0 * parameters * tokens\n\n\n"
                "llama_flop = six_nd(405e9, 15.6e12)"
            )
        },
        12,
    ),
    # Q1 checks only the parameters: six_nd(405e9, 0) returns 0.0 instead of raising: -3 (Q1).
    (
        "checks_only_parameters",
        {
            "q1_six_nd": (
                "def six_nd(parameters, tokens):\n"
                "    if parameters <= 0:\n"
                '        raise ValueError("parameters must be positive")\n'
                "    return 6.0 * parameters * tokens\n\n\n"
                "llama_flop = six_nd(405e9, 15.6e12)"
            )
        },
        12,
    ),
    # Q1 returns an int for int inputs (6 * 2 * 3 == 36): the visible test calls six_nd with
    # floats and passes; the hidden one calls six_nd(2, 3) and wants a float: -3 (Q1).
    (
        "int_for_int_inputs",
        {
            "q1_six_nd": (
                "def six_nd(parameters, tokens):\n"
                "    if parameters <= 0 or tokens <= 0:\n"
                '        raise ValueError("both must be positive")\n'
                "    return 6 * parameters * tokens\n\n\n"
                "llama_flop = six_nd(405e9, 15.6e12)"
            )
        },
        12,
    ),
    # An object whose __eq__ always answers True, returned by six_nd and assigned to llama_flop:
    # the type check rejects it before any comparison: -3 (Q1).
    (
        "always_equal_object",
        {
            "q1_six_nd": (
                "class Any:\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = object.__hash__\n"
                "    __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True\n"
                "    __float__ = lambda self: 3.79e25\n\n\n"
                "def six_nd(parameters, tokens):\n"
                "    return Any()\n\n\n"
                "llama_flop = Any()"
            )
        },
        12,
    ),
    # A float subclass that equals everything: isinstance(x, float) accepts it, but the hidden
    # test compares float(x), the real value 6.0, with the expected 6.53 (tolerance 0.02): -3 (Q3).
    (
        "always_equal_float_subclass",
        {
            "q3_doubling_months": (
                "class Sly(float):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = float.__hash__\n\n\n"
                "doubling_months = Sly(6.0)"
            )
        },
        12,
    ),
    # A dict subclass and a list subclass that equal everything: `type(x) is dict` /
    # `type(x) is list` reject them before any comparison: -3 (Q2) -2 (Q4).
    (
        "always_equal_containers",
        {
            "q2_covered_by_year": (
                "class Yes(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "covered_by_year = Yes({y: 0 for y in range(2020, 2027)})"
            ),
            "q4_eu_only_ids": (
                "class Yes2(list):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'eu_only_ids = Yes2(["gpt-4"])'
            ),
        },
        10,
    ),
    # Two questions at once, one mistake: ">=" for the EU line puts Inflection-2 (1.00e25) in
    # the 2023 count and in the list of EU-only models: -3 (Q2) -2 (Q4).
    (
        "two_questions_at_least_filter",
        {
            "q2_covered_by_year": (
                'year = models.loc[models["training_flop"] >= 1e25, "release_date"].dt.year\n'
                "covered_by_year = {y: int((year == y).sum()) for y in range(2020, 2027)}"
            ),
            "q4_eu_only_ids": (
                'flop = models["training_flop"]\n'
                'eu_only_ids = sorted(models.loc[(flop >= 1e25) & (flop <= 1e26), "model_id"].tolist())'
            ),
        },
        10,
    ),
    # Wrong statistic: the mean gap (338 days) instead of the median (290): -2 (Q5).
    (
        "mean_instead_of_median",
        {
            "q5_openai_median_gap": (
                'openai = models[models["organisation"] == "OpenAI"].sort_values("release_date")\n'
                'openai_median_gap = float(openai["release_date"].diff().dt.days.mean())'
            )
        },
        13,
    ),
    # Wrong filter: only "in force", leaving out RAISE as amended (enacted, effective 2027).
    # A plain positive int, so only the hidden value check fails: -2 (Q6).
    (
        "wrong_filter_in_force_only",
        {
            "q6_public_lines": (
                'live = (thresholds["status"] == "in force") & thresholds["threshold"].notna()\n'
                "n_public_lines = int(live.sum())"
            )
        },
        13,
    ),
    # Changing the shared data: the Q1 answer "checks" the rule by writing its 6 N D estimates
    # over Epoch's figures in `models` itself, for the three rows with a token count, and uses
    # Kimi K2's total parameters (1e12) instead of the 32e9 active ones, which lifts Kimi K2 from
    # 2.98e24 to 9.3e25 FLOP. Q1 itself is right; the reference answers to Q2-Q4 then compute from
    # the damaged frame, and the hidden tests, which reload the data, fail: Kimi K2 (2025) is
    # counted above 1e25 and listed as EU-only, and the doubling time moves to 6.32 months:
    # -3 (Q2) -3 (Q3) -2 (Q4). Q5 and Q6 do not read training_flop and keep their points.
    (
        "mutates_shared_models",
        {
            "q1_six_nd": (
                'has_tokens = models["training_tokens"].notna()\n'
                'models.loc[has_tokens, "training_flop"] = (\n'
                '    6 * models.loc[has_tokens, "parameters"] * models.loc[has_tokens, "training_tokens"]\n'
                ")\n\n\n" + _SIX_ND + "llama_flop = six_nd(405e9, 15.6e12)"
            )
        },
        7,
    ),
]

"""Known-wrong submissions for ``ps02-compute`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 12 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same names as the reference answer, so only the tests decide the points.

Points per question: Q1 3, Q2 3, Q3 2, Q4 2, Q5 2 (total 12; Q6-Q8, 8 points, are written
and manually graded, so they are not part of the autograded total).

Cases named ``copies_lesson_*`` type in what lessons 02 and 03 compute on screen (its Llama
estimate, its table of models above 1e25 by year, its fitted doubling time, OpenAI's median
gap from its ``release_gaps`` table) instead of doing the computation asked for; each must
earn nothing for its item.
"""

AUTOGRADED_TOTAL = 12

_SIX_ND = (
    "def six_nd(parameters, tokens):\n"
    "    if parameters <= 0 or tokens <= 0:\n"
    "        raise ValueError('both must be positive')\n"
    "    return 6.0 * parameters * tokens\n\n\n"
)

CASES = [
    # Not wrong: other correct ways to reach the answers (the package's training_flop inside a
    # checked function, counts_by_year per year, a groupby on a year column, query strings,
    # np.median). The tests must not reject legitimate variants: full autograded total.
    (
        "correct_alternatives",
        {
            "q1_six_nd": (
                "from course.compute import training_flop\n\n\n"
                "def six_nd(parameters, tokens):\n"
                "    if not (parameters > 0 and tokens > 0):\n"
                '        raise ValueError(f"need positive inputs, got {parameters}, {tokens}")\n'
                "    return float(training_flop(parameters, tokens))\n\n\n"
                'row = models[models["model_id"] == "deepseek-v3"]\n'
                'deepseek_v3_flop = six_nd(row["active_parameters"].item(), 14.8e12)'
            ),
            "q2_indexed_counts": (
                "from course.compute import counts_by_year\n"
                "indexed_counts = {}\n"
                "for year in range(2021, 2027):\n"
                "    counts = counts_by_year(models, 1e25 * 3 ** (year - 2023))\n"
                "    indexed_counts[year] = int(counts.get(year, 0))"
            ),
            "q3_yearly_max_doubling": (
                'frame = models.assign(year=models["release_date"].dt.year)\n'
                'frame = frame.query("2018 <= year <= 2025")\n'
                'top = frame.groupby("year")["training_flop"].max().reset_index()\n'
                'b = np.polyfit(top["year"], np.log10(top["training_flop"]), 1)[0]\n'
                "yearly_max_doubling = float(12 * np.log10(2) / b)"
            ),
            "q5_deepmind_mean_gap": (
                "rows = models.query(\"organisation in ['DeepMind', 'Google DeepMind']\")\n"
                'days = rows["release_date"].sort_values().diff().dt.days.dropna()\n'
                "deepmind_mean_gap = float(np.mean(days))"
            ),
        },
        12,
    ),
    # Copied from the lesson: lesson 02's worked Llama 3.1-405B estimate (exercise 1) in place of
    # DeepSeek-V3. The function is right (its hidden checks pass), the estimate is not: the
    # cell is all-or-nothing: -3 (Q1).
    (
        "copies_lesson_llama_estimate",
        {"q1_six_nd": _SIX_ND + "deepseek_v3_flop = six_nd(405e9, 15.6e12)"},
        9,
    ),
    # Mixture of experts counted with every stored parameter (671e9) instead of the active
    # ones: about 18 times too large: -3 (Q1).
    (
        "moe_total_parameters",
        {
            "q1_six_nd": _SIX_ND
            + (
                'row = models.set_index("model_id").loc["deepseek-v3"]\n'
                'deepseek_v3_flop = six_nd(float(row["parameters"]), 14.8e12)'
            )
        },
        9,
    ),
    # No ValueError: the function returns 6 N D for any input, so a zero or negative argument
    # gives a number instead of an error: -3 (Q1).
    (
        "no_value_error",
        {
            "q1_six_nd": (
                "def six_nd(parameters, tokens):\n"
                "    return 6.0 * parameters * tokens\n\n\n"
                "deepseek_v3_flop = six_nd(37e9, 14.8e12)"
            )
        },
        9,
    ),
    # Returns an int for int inputs (6 * 2 * 3 == 36, not 36.0): -3 (Q1).
    (
        "int_for_int_inputs",
        {
            "q1_six_nd": (
                "def six_nd(parameters, tokens):\n"
                "    if parameters <= 0 or tokens <= 0:\n"
                "        raise ValueError('both must be positive')\n"
                "    return 6 * parameters * tokens\n\n\n"
                "deepseek_v3_flop = six_nd(37e9, 14.8e12)"
            )
        },
        9,
    ),
    # Copied from the lesson: the fixed 1e25 line of lesson 02's table of models by year, not a
    # line that triples each year: right shape, wrong counts: -3 (Q2).
    (
        "copies_lesson_fixed_line",
        {
            "q2_indexed_counts": (
                "from course.compute import counts_by_year\n"
                "fixed = counts_by_year(models, 1e25)\n"
                "indexed_counts = {y: int(fixed.get(y, 0)) for y in range(2021, 2027)}"
            )
        },
        9,
    ),
    # Off by one in the exponent: the line is pinned at 1e25 in 2024 instead of 2023: -3 (Q2).
    (
        "wrong_base_year",
        {
            "q2_indexed_counts": (
                'year = models["release_date"].dt.year\n'
                "indexed_counts = {y: int(((year == y) & (models['training_flop'] > "
                "1e25 * 3.0 ** (y - 2024))).sum()) for y in range(2021, 2027)}"
            )
        },
        9,
    ),
    # Leaves out the years with no model above the line: the visible test asks for every year: -3 (Q2).
    (
        "drops_zero_years",
        {
            "q2_indexed_counts": (
                'year = models["release_date"].dt.year\n'
                "indexed_counts = {}\n"
                "for y in range(2021, 2027):\n"
                "    n = int(((year == y) & (models['training_flop'] > 1e25 * 3.0 ** (y - 2023))).sum())\n"
                "    if n:\n"
                "        indexed_counts[y] = n"
            )
        },
        9,
    ),
    # Copied from the lesson: the doubling time of lesson 03's fit to all notable models since
    # 2018 (compute.fit_trend), not the yearly maxima: -2 (Q3).
    (
        "copies_lesson_fit_all",
        {
            "q3_yearly_max_doubling": (
                "from course.compute import fit_trend\n"
                'yearly_max_doubling = float(fit_trend(models, since="2018-01-01").doubling_months)'
            )
        },
        10,
    ),
    # Natural logarithm instead of log10 with the log10(2) conversion: a slope in e-folds per
    # year, so the doubling time comes out 2.3 times too long: -2 (Q3).
    (
        "natural_log_slope",
        {
            "q3_yearly_max_doubling": (
                'year = models["release_date"].dt.year\n'
                "window = models[(year >= 2018) & (year <= 2025)]\n"
                'top = window.groupby(window["release_date"].dt.year)["training_flop"].max()\n'
                "b = np.polyfit(top.index.to_numpy(dtype=float), np.log(top), 1)[0]\n"
                "yearly_max_doubling = float(12 * np.log10(2) / b)"
            )
        },
        10,
    ),
    # Right value, wrong type: numpy.float64 (no float(...)): -2 (Q3).
    (
        "wrong_type_numpy_float",
        {
            "q3_yearly_max_doubling": (
                'year = models["release_date"].dt.year\n'
                "window = models[(year >= 2018) & (year <= 2025)]\n"
                'top = window.groupby(window["release_date"].dt.year)["training_flop"].max()\n'
                "b = np.polyfit(top.index.to_numpy(dtype=float), np.log10(top), 1)[0]\n"
                "yearly_max_doubling = 12 * np.log10(2) / b"
            )
        },
        10,
    ),
    # Forgets the start date: every model between the lines, whenever released: -2 (Q4).
    (
        "ignores_start_date",
        {
            "q4_eu_only_since_start": (
                'flop = models["training_flop"]\n'
                "eu_only_since_start = sorted(models.loc[(flop > 1e25) & (flop <= 1e26), "
                '"model_id"].tolist())'
            )
        },
        10,
    ),
    # Model names instead of model_ids: the visible test names the problem: -2 (Q4).
    (
        "names_not_ids",
        {
            "q4_eu_only_since_start": (
                'flop = models["training_flop"]\n'
                'keep = (flop > 1e25) & (flop <= 1e26) & (models["release_date"] >= "2025-08-02")\n'
                'eu_only_since_start = sorted(models.loc[keep, "model"].tolist())'
            )
        },
        10,
    ),
    # Copied from the lesson: OpenAI's median gap from lesson 03's release_gaps table: -2 (Q5).
    (
        "copies_lesson_openai_gap",
        {
            "q5_deepmind_mean_gap": (
                "from course.compute import release_gaps\n"
                'deepmind_mean_gap = float(release_gaps(models).loc["OpenAI", "median_gap_days"])'
            )
        },
        10,
    ),
    # Only the post-2023 name, "Google DeepMind": the two names are not merged: -2 (Q5).
    (
        "one_name_only",
        {
            "q5_deepmind_mean_gap": (
                'rows = models[models["organisation"] == "Google DeepMind"]\n'
                'gaps = rows.sort_values("release_date")["release_date"].diff().dropna().dt.days\n'
                "deepmind_mean_gap = float(gaps.mean())"
            )
        },
        10,
    ),
    # Median instead of mean (it happens to equal the median of DeepMind's old name alone, which
    # lesson 03's release_gaps table prints): -2 (Q5).
    (
        "median_not_mean",
        {
            "q5_deepmind_mean_gap": (
                'rows = models[models["organisation"].isin(["DeepMind", "Google DeepMind"])]\n'
                'gaps = rows.sort_values("release_date")["release_date"].diff().dropna().dt.days\n'
                "deepmind_mean_gap = float(gaps.median())"
            )
        },
        10,
    ),
    # Objects whose __eq__ always answers True: a dict subclass and a float subclass: -3 (Q2) -2 (Q5).
    (
        "always_equal_objects",
        {
            "q2_indexed_counts": (
                "class Yes(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "indexed_counts = Yes({y: 0 for y in range(2021, 2027)})"
            ),
            "q5_deepmind_mean_gap": (
                "class Sly(float):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = float.__hash__\n\n\n"
                "deepmind_mean_gap = Sly(100.0)"
            ),
        },
        7,
    ),
]

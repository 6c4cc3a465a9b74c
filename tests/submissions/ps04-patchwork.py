"""Known-wrong submissions for ``ps04-patchwork`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 15 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same function or assigns the same variables as the reference answer, so only the
tests decide the points.

Points per question: Q1 3, Q2 3, Q3 4, Q4 3, Q5 2 (total 15; Q6 is written and manually
graded, so it is not part of the autograded total).

Values on 25 November 2026, for reading the comments: 11 laws in effect (9 on 1 January 2026,
when five of them started); CA-UT Jaccard 1/11; the top pairs (IL, NY) and (TX, UT) tie at
0.25; only ``ca-sb-243`` survives the "minor protections" carve-out, and 19 of the 22
obligation rows in effect go; BSA has the highest 2024 count; the 2023 ratio is 200/125 = 1.6.
"""

AUTOGRADED_TOTAL = 15

# The reference Q1 answer written with a filter that ignores status, reused by two cases.
_Q1_IGNORES_STATUS = (
    "def started_by(day):\n"
    '    return laws["effective"] <= pd.Timestamp(day)\n\n\n'
    'n_in_effect = int(started_by("2026-11-25").sum())\n'
    'n_in_effect_new_year = int(started_by("2026-01-01").sum())\n'
    'counts = laws[started_by("2026-11-25")].groupby("category", observed=True).size()\n'
    "in_effect_by_category = {str(k): int(v) for k, v in counts.items() if v > 0}"
)

# A laws_for whose matching rules can be varied: {date} compares `effective` with `start`,
# {status} filters the status, {size} compares the company's size with a threshold `line`.
_LAWS_FOR = (
    "def laws_for(states, activity, on, training_flop=0.0, revenue_usd=0.0, monthly_users=0.0):\n"
    "    start = pd.Timestamp(on)\n"
    "    found = []\n"
    "    for row in laws.itertuples():\n"
    "        if {status}pd.isna(row.effective) or not ({date}):\n"
    "            continue\n"
    '        if row.state not in states or activity not in row.covers.split(";"):\n'
    "            continue\n"
    "        checks = [(row.compute_threshold, training_flop),\n"
    "                  (row.revenue_threshold_usd, revenue_usd),\n"
    "                  (row.users_threshold, monthly_users)]\n"
    "        if all(pd.isna(line) or {size} for line, size in checks):\n"
    "            found.append(row.law_id)\n"
    "    return sorted(found)"
)
_RIGHT = {
    "status": 'row.status != "enacted" or ',
    "date": "row.effective <= start",
    "size": "size > line",
}

CASES = [
    # Not wrong: other correct ways to reach the answers (query strings and value_counts
    # with the empty categories dropped; per-state Python sets and itertools.combinations,
    # after course.patchwork.laws_in_effect, which Q2 allows; laws_for as a plain loop over
    # itertuples; merge + groupby for the scenario; a pivot table for the bill counts). The
    # tests must not reject legitimate variants, so this keeps the full autograded total.
    (
        "correct_alternatives",
        {
            "q1_in_effect": (
                "now = laws.query(\"status == 'enacted' and effective <= '2026-11-25'\")\n"
                "n_in_effect = len(now)\n"
                "n_in_effect_new_year = len(\n"
                "    laws.query(\"status == 'enacted' and effective <= '2026-01-01'\")\n"
                ")\n"
                'counts = now["category"].value_counts().to_dict()\n'
                "in_effect_by_category = {k: v for k, v in counts.items() if v}"
            ),
            "q2_similarity": (
                "from itertools import combinations\n\n"
                "from course.patchwork import laws_in_effect\n\n"
                'current = laws_in_effect(laws, "2026-11-25")\n'
                'rows = obligations.merge(current[["law_id", "state"]], on="law_id")\n'
                "duty_sets = {\n"
                '    state: set(group["obligation"].astype(str))\n'
                '    for state, group in rows.groupby(rows["state"].astype(str))\n'
                "}\n\n\n"
                "def jac(a, b):\n"
                "    return len(a & b) / len(a | b)\n\n\n"
                'jaccard_ca_ut = jac(duty_sets["CA"], duty_sets["UT"])\n'
                "sims = {\n"
                "    (a, b): jac(duty_sets[a], duty_sets[b])\n"
                "    for a, b in combinations(sorted(duty_sets), 2)\n"
                "}\n"
                "top = max(sims.values())\n"
                "most_similar_pairs = [pair for pair, v in sorted(sims.items()) if v == top]"
            ),
            "q3_laws_for": _LAWS_FOR.format(**_RIGHT),
            "q4_preemption": (
                "from course.patchwork import laws_in_effect\n\n"
                'current = laws_in_effect(laws, "2026-11-25")\n'
                'rows = obligations.merge(current[["law_id"]], on="law_id")\n'
                'keeps = rows.groupby("law_id")["obligation"].apply(\n'
                '    lambda s: (s == "minor protections").any()\n'
                ")\n"
                "surviving_laws = keeps[keeps].index.tolist()\n"
                'n_obligations_removed = int((~rows["law_id"].isin(surviving_laws)).sum())'
            ),
            "q5_bill_counts": (
                "table = bill_counts.query(\"measure == 'introduced'\").pivot(\n"
                '    index="year", columns="tracker", values="count"\n'
                ")\n"
                "top_tracker_2024 = str(table.loc[2024].idxmax())\n"
                "row = table.loc[2023].dropna()\n"
                "ratio_2023 = float(row.max()) / float(row.min())"
            ),
        },
        15,
    ),
    # Wrong filter: counts every law whose `effective` date has passed, whatever its status,
    # which sweeps in Colorado's repealed SB 24-205 (30 June 2026): 12 laws and a
    # "comprehensive high-risk" category. The types are right, so only the hidden values
    # fail: -3 (Q1).
    ("wrong_filter_all_statuses", {"q1_in_effect": _Q1_IGNORES_STATUS}, 12),
    # Off by one on the date boundary: `effective < day` leaves out the five laws that
    # started on 1 January 2026 itself (4 instead of 9). No law starts on 25 November 2026,
    # so the other two answers are right by luck; the cell is all-or-nothing: -3 (Q1).
    (
        "off_by_one_strictly_before",
        {
            "q1_in_effect": (
                "def in_effect_on(day):\n"
                '    return (laws["status"] == "enacted") & (laws["effective"] < pd.Timestamp(day))\n\n\n'
                'n_in_effect = int(in_effect_on("2026-11-25").sum())\n'
                'n_in_effect_new_year = int(in_effect_on("2026-01-01").sum())\n'
                'counts = laws[in_effect_on("2026-11-25")].groupby("category", observed=True).size()\n'
                "in_effect_by_category = {str(k): int(v) for k, v in counts.items() if v > 0}"
            )
        },
        12,
    ),
    # Right values, wrong type: Series.sum() returns numpy.int64, which equals the right count,
    # but the prompt asks for a plain int and `type(x) is int` rejects it: -3 (Q1).
    (
        "wrong_type_numpy_int64",
        {
            "q1_in_effect": (
                'mask = (laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")\n'
                "n_in_effect = mask.sum()\n"
                'n_in_effect_new_year = int(((laws["status"] == "enacted")\n'
                '                            & (laws["effective"] <= "2026-01-01")).sum())\n'
                'counts = laws[mask]["category"].value_counts()\n'
                "in_effect_by_category = {k: v for k, v in counts.to_dict().items() if v}"
            )
        },
        12,
    ),
    # Empty categories kept: `category` is a pandas categorical, so value_counts() also lists
    # the three categories with no law in effect (count 0), which the prompt says to leave
    # out. The counts are right otherwise: -3 (Q1).
    (
        "zero_categories_kept",
        {
            "q1_in_effect": (
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                "n_in_effect = len(now)\n"
                'n_in_effect_new_year = int(((laws["status"] == "enacted")\n'
                '                            & (laws["effective"] <= "2026-01-01")).sum())\n'
                'in_effect_by_category = now["category"].value_counts().to_dict()'
            )
        },
        12,
    ),
    # Two questions at once, one mistake: the status filter is forgotten in Q1 (as above) and
    # in the matrix of Q2. The repealed Colorado act adds a CO row whose similarity with NY is
    # 0.25 too, so a third pair joins the top; CA-UT (1/11) is right by luck, but the cell is
    # all-or-nothing: -3 (Q1) -3 (Q2).
    (
        "two_questions_ignore_status",
        {
            "q1_in_effect": _Q1_IGNORES_STATUS,
            "q2_similarity": (
                'started = laws[laws["effective"] <= pd.Timestamp("2026-11-25")]\n'
                'duties = obligations.merge(started[["law_id", "state"]], on="law_id")\n'
                'matrix = pd.crosstab(duties["state"].astype(str), duties["obligation"].astype(str))\n'
                "values = matrix.clip(upper=1).to_numpy()\n"
                "both = values @ values.T\n"
                "sizes = values.sum(axis=1)\n"
                "sim = pd.DataFrame(both / (sizes[:, None] + sizes[None, :] - both),\n"
                "                   index=matrix.index, columns=matrix.index)\n"
                'jaccard_ca_ut = float(sim.loc["CA", "UT"])\n'
                "pairs = sim.where(np.triu(np.ones(sim.shape, dtype=bool), k=1)).stack().dropna()\n"
                "most_similar_pairs = sorted((a, b) for (a, b), v in pairs.items() if v == pairs.max())"
            ),
        },
        9,
    ),
    # Ties dropped: idxmax() returns only the first of the two pairs tied at 0.25, so the list
    # misses (TX, UT). The prompt asks for every pair tied for the top: -3 (Q2).
    (
        "single_top_pair",
        {
            "q2_similarity": (
                'current = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                'duties = obligations.merge(current[["law_id", "state"]], on="law_id")\n'
                'matrix = pd.crosstab(duties["state"].astype(str), duties["obligation"].astype(str))\n'
                "values = matrix.clip(upper=1).to_numpy()\n"
                "both = values @ values.T\n"
                "sizes = values.sum(axis=1)\n"
                "sim = pd.DataFrame(both / (sizes[:, None] + sizes[None, :] - both),\n"
                "                   index=matrix.index, columns=matrix.index)\n"
                'jaccard_ca_ut = float(sim.loc["CA", "UT"])\n'
                "pairs = sim.where(np.triu(np.ones(sim.shape, dtype=bool), k=1)).stack().dropna()\n"
                "most_similar_pairs = [tuple(pairs.idxmax())]"
            )
        },
        12,
    ),
    # A float subclass whose __eq__ always answers True (and that compares close to anything):
    # math.isclose on it, or `x == expected`, could pass it; `type(x) is float` does not. The
    # pairs are right, so only this value loses the cell: -3 (Q2).
    (
        "always_equal_float",
        {
            "q2_similarity": (
                "class Sly(float):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = float.__hash__\n\n\n"
                "jaccard_ca_ut = Sly(0.5)\n"
                'most_similar_pairs = [("IL", "NY"), ("TX", "UT")]'
            )
        },
        12,
    ),
    # Always-equal objects for two questions: a list subclass and an object that equal
    # everything (Q4), and a str subclass that does (Q5). `type(x) is list / int / str` must
    # reject them before any comparison: -3 (Q4) -2 (Q5).
    (
        "always_equal_objects",
        {
            "q4_preemption": (
                "class Yes(list):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "class Any:\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = object.__hash__\n"
                "    __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True\n\n\n"
                'surviving_laws = Yes(["ca-sb-53"])\n'
                "n_obligations_removed = Any()"
            ),
            "q5_bill_counts": (
                "class Same(str):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = str.__hash__\n\n\n"
                'top_tracker_2024 = Same("NCSL")\n'
                "ratio_2023 = 1.6"
            ),
        },
        10,
    ),
    # Off by one on the date boundary, in the function: `effective < start` misses every law
    # on the day it starts (SB 53 on 1 January 2026, SB 942 on 2 August 2026, RAISE on
    # 1 January 2027). The visible calls use 25 November 2026, when nothing starts, so they
    # pass; the hidden comparison fails: -4 (Q3).
    (
        "laws_for_strictly_before",
        {"q3_laws_for": _LAWS_FOR.format(**{**_RIGHT, "date": "row.effective < start"})},
        11,
    ),
    # "At least" instead of "more than": a company exactly on a line (1e26 FLOP, $500 million,
    # 1,000,000 users) is wrongly covered. The hidden tests try sizes on the lines: -4 (Q3).
    (
        "laws_for_at_least_thresholds",
        {"q3_laws_for": _LAWS_FOR.format(**{**_RIGHT, "size": "size >= line"})},
        11,
    ),
    # Wrong filter in the function: checks the start date but not the status, so Colorado's
    # repealed SB 24-205 binds a CO company making consequential decisions from 30 June 2026:
    # -4 (Q3).
    (
        "laws_for_ignores_status",
        {"q3_laws_for": _LAWS_FOR.format(**{**_RIGHT, "status": ""})},
        11,
    ),
    # Right values by the forbidden route: laws_for wraps course.patchwork.applicable_laws,
    # which the prompt rules out. Every value matches the oracle; the check that the function
    # does not reach course.patchwork fails: -4 (Q3).
    (
        "laws_for_calls_applicable_laws",
        {
            "q3_laws_for": (
                "import course.patchwork\n\n\n"
                "def laws_for(states, activity, on, training_flop=0.0, revenue_usd=0.0, "
                "monthly_users=0.0):\n"
                "    profile = course.patchwork.CompanyProfile(\n"
                "        states=tuple(states), activities=(activity,), training_flop=training_flop,\n"
                "        revenue_usd=revenue_usd, monthly_users=monthly_users,\n"
                "    )\n"
                '    return sorted(course.patchwork.applicable_laws(profile, on)["law_id"].tolist())'
            )
        },
        11,
    ),
    # Right values, wrong type: returns the sorted Series of law_ids instead of a list. The
    # visible type check rejects it: -4 (Q3).
    (
        "laws_for_returns_series",
        {
            "q3_laws_for": (
                "def laws_for(states, activity, on, training_flop=0.0, revenue_usd=0.0, "
                "monthly_users=0.0):\n"
                '    ok = (laws["status"] == "enacted") & (laws["effective"] <= pd.Timestamp(on))\n'
                '    ok &= laws["state"].isin(list(states))\n'
                '    ok &= laws["covers"].str.split(";").map(lambda t: activity in t).astype(bool)\n'
                '    for col, size in [("compute_threshold", training_flop),\n'
                '                      ("revenue_threshold_usd", revenue_usd),\n'
                '                      ("users_threshold", monthly_users)]:\n'
                "        ok &= laws[col].isna() | (size > laws[col])\n"
                '    return laws.loc[ok, "law_id"].sort_values()'
            )
        },
        11,
    ),
    # Scenario error: reads the child-safety carve-out as "laws that cover companion chatbots",
    # which also spares Connecticut's SB 5 (its chatbot part names no duty for minors): two
    # survivors and 18 rows removed instead of one and 19: -3 (Q4).
    (
        "scenario_keeps_chatbot_coverage",
        {
            "q4_preemption": (
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                'kept = now.loc[now["covers"].str.contains("companion-chatbot"), "law_id"]\n'
                "surviving_laws = sorted(kept.tolist())\n"
                'rows = obligations[obligations["law_id"].isin(now["law_id"])]\n'
                'n_obligations_removed = int((~rows["law_id"].isin(kept)).sum())'
            )
        },
        12,
    ),
    # Scenario error in the count: removes the rows of every bill, vetoed and failed ones too
    # (30 rows), although bills not in effect bind no one already. The survivors are right,
    # the count is not: -3 (Q4).
    (
        "scenario_counts_all_rows",
        {
            "q4_preemption": (
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                'minors = obligations.loc[obligations["obligation"] == "minor protections", "law_id"]\n'
                'surviving_laws = sorted(set(minors) & set(now["law_id"]))\n'
                'n_obligations_removed = int((~obligations["law_id"].isin(surviving_laws)).sum())'
            )
        },
        12,
    ),
    # Right values, wrong container: a tuple of the surviving ids instead of a list: -3 (Q4).
    (
        "wrong_type_tuple_of_ids",
        {
            "q4_preemption": (
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                'rows = obligations[obligations["law_id"].isin(now["law_id"])]\n'
                'minors = set(rows.loc[rows["obligation"] == "minor protections", "law_id"])\n'
                "surviving_laws = tuple(sorted(minors))\n"
                'n_obligations_removed = int((~rows["law_id"].isin(minors)).sum())'
            )
        },
        12,
    ),
    # A known blind spot, not a correct answer: keeping the laws whose *category* is
    # "chatbots" instead of those imposing "minor protections". On this data the only
    # chatbots law in effect, SB 243, is also the only law with minor protections, so both
    # readings give the same survivors and count and no test can tell them apart. The prompt
    # says to judge by the obligation; the written answer and the instructor catch the rest.
    # Pinned at full marks so that a data change that separates the readings shows up here.
    (
        "blind_spot_category_chatbots",
        {
            "q4_preemption": (
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                'kept = now.loc[now["category"] == "chatbots", "law_id"]\n'
                "surviving_laws = sorted(kept.tolist())\n"
                'rows = obligations[obligations["law_id"].isin(now["law_id"])]\n'
                'n_obligations_removed = int((~rows["law_id"].isin(kept)).sum())'
            )
        },
        15,
    ),
    # Ratio upside down: lowest / highest (0.625). The visible check that a highest-over-lowest
    # ratio is at least 1 catches it: -2 (Q5).
    (
        "ratio_inverted",
        {
            "q5_bill_counts": (
                'intro = bill_counts[bill_counts["measure"] == "introduced"]\n'
                'y24 = intro[intro["year"] == 2024]\n'
                'top_tracker_2024 = str(y24.loc[y24["count"].idxmax(), "tracker"])\n'
                'y23 = intro.loc[intro["year"] == 2023, "count"]\n'
                "ratio_2023 = float(y23.min() / y23.max())"
            )
        },
        13,
    ),
    # Right value, wrong type: dividing two values of the Int64 column gives numpy.float64
    # (a float subclass, equal to 1.6); the prompt asks for a plain float: -2 (Q5).
    (
        "wrong_type_numpy_float64",
        {
            "q5_bill_counts": (
                'intro = bill_counts[bill_counts["measure"] == "introduced"]\n'
                'y24 = intro[intro["year"] == 2024]\n'
                'top_tracker_2024 = str(y24.loc[y24["count"].idxmax(), "tracker"])\n'
                'y23 = intro.loc[intro["year"] == 2023, "count"]\n'
                "ratio_2023 = y23.max() / y23.min()"
            )
        },
        13,
    ),
    # Wrong filter: the tracker with the most bills over all years (MultiState, whose series
    # runs to 2026) rather than in 2024 alone: -2 (Q5).
    (
        "top_tracker_all_years",
        {
            "q5_bill_counts": (
                'intro = bill_counts[bill_counts["measure"] == "introduced"]\n'
                'totals = intro.groupby("tracker", observed=True)["count"].sum()\n'
                "top_tracker_2024 = str(totals.idxmax())\n"
                'y23 = intro.loc[intro["year"] == 2023, "count"]\n'
                "ratio_2023 = float(y23.max() / y23.min())"
            )
        },
        13,
    ),
    # Changing the shared data breaks a later question: the Q1 answer narrows `laws` itself to
    # the laws in effect on 25 November 2026 and answers Q1 correctly from it. Q2 and Q4
    # filter the same date again and stay right, but the reference laws_for reads `laws`, so it
    # can no longer see RAISE or Colorado's SB 26-189 (both start 1 January 2027): -4 (Q3).
    (
        "reassigns_shared_laws",
        {
            "q1_in_effect": (
                'laws = laws[(laws["status"] == "enacted") & (laws["effective"] <= "2026-11-25")]\n'
                "n_in_effect = len(laws)\n"
                'n_in_effect_new_year = int((laws["effective"] <= "2026-01-01").sum())\n'
                'counts = laws.groupby("category", observed=True).size()\n'
                "in_effect_by_category = {str(k): int(v) for k, v in counts.items()}"
            )
        },
        11,
    ),
]

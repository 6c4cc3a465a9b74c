"""Known-wrong submissions for ``ps04-patchwork`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 12 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same function or assigns the same variables as the reference answer, so only the
tests decide the points.

Points per question: Q1 3, Q2 3, Q3 3, Q4 3 (total 12; Q5 and Q6 are written and manually
graded, 9 points, so they are not part of the autograded total).

Every item asks for a computation lessons 06 and 07 do not show (another day, another similarity
measure, another filter, another preemption rule), so the cases named ``copies_lesson_*``
type in, or recompute the lesson's way, what the lesson prints, and get 0 for that item.

Values on 3 December 2026, for reading the comments: 3 laws in effect on 1 July 2025, 7 enacted
laws starting in 2026; on 1 January 2027 California's overlap with Connecticut is 1.0, with New
York and Utah 0.5; the provision-by-provision rule keeps 7 rows (CA 3, CT 1, TX 2, UT 1) and
wipes out 8 laws. The hidden tests compute every expected value from the data.
"""

AUTOGRADED_TOTAL = 12

_CARVE_OUT = 'carve_out = {"minor protections", "self-harm protocol", "whistleblower protection"}\n'

# The eleven law_ids lesson 06 lists as in effect on 25 November 2026 (its Exercise 1 and the
# table after it), typed in from the screen.
_LESSON_IN_EFFECT = [
    "ca-ab-2013",
    "ca-sb-243",
    "ca-sb-53",
    "ca-sb-942",
    "ct-sb-5-2026",
    "il-hb-1806",
    "il-hb-3773",
    "nyc-ll-144",
    "tn-elvis-act",
    "tx-hb-149",
    "ut-sb-149",
]

CASES = [
    # Not wrong: other correct ways to reach the answers (laws_in_effect and .dt.year; a
    # crosstab matrix and numpy; a plain loop over itertuples with its own matching rules;
    # merge + query + value_counts). The tests must not reject legitimate variants.
    (
        "correct_alternatives",
        {
            "q1_in_effect": (
                "from course.patchwork import laws_in_effect\n\n"
                'n_on_vote_day = len(laws_in_effect(laws, "2025-07-01"))\n'
                'mask = (laws["status"] == "enacted") & (laws["effective"].dt.year == 2026)\n'
                'started_in_2026 = sorted(laws.loc[mask, "law_id"].tolist())'
            ),
            "q2_overlap": (
                "from course.patchwork import obligation_matrix\n\n"
                'm = obligation_matrix(laws, obligations, on="2027-01-01")\n'
                "v = m.to_numpy()\n"
                "shared = v @ v.T\n"
                "size = v.sum(axis=1)\n"
                "smaller = np.minimum(size[:, None], size[None, :])\n"
                "ov = pd.DataFrame(shared / smaller, index=[str(s) for s in m.index],\n"
                "                  columns=[str(s) for s in m.index])\n"
                'overlap_with_ca = {s: float(ov.loc["CA", s]) for s in ov.index if s != "CA"}\n'
                "cells = [(a, b, ov.loc[a, b]) for a in ov.index for b in ov.index if a < b]\n"
                "top = max(x for _, _, x in cells)\n"
                "top_overlap_pairs = sorted((a, b) for a, b, x in cells if abs(x - top) <= 1e-9)"
            ),
            "q3_duties_for": (
                "def duties_for(states, activity, role, on, training_flop=0.0, revenue_usd=0.0,\n"
                "               monthly_users=0.0):\n"
                "    day = pd.Timestamp(on)\n"
                "    found = set()\n"
                "    for law in laws.itertuples():\n"
                '        if law.status != "enacted" or pd.isna(law.effective) or law.effective > day:\n'
                "            continue\n"
                '        if law.state not in states or activity not in law.covers.split(";"):\n'
                "            continue\n"
                "        lines = [(law.compute_threshold, training_flop),\n"
                "                 (law.revenue_threshold_usd, revenue_usd),\n"
                "                 (law.cost_threshold_usd, 0.0),\n"
                "                 (law.users_threshold, monthly_users)]\n"
                "        if not all(pd.isna(line) or size > line for line, size in lines):\n"
                "            continue\n"
                "        for duty in obligations.itertuples():\n"
                "            if duty.law_id == law.law_id and duty.duty_holder == role:\n"
                "                found.add((str(duty.law_id), str(duty.obligation)))\n"
                "    return sorted(found)"
            ),
            "q4_provisions": _CARVE_OUT
            + (
                "from course.patchwork import laws_in_effect\n\n"
                'now = laws_in_effect(laws, "2027-01-01")[["law_id", "state"]]\n'
                'rows = obligations.merge(now, on="law_id")\n'
                'rows = rows.assign(keep=rows["obligation"].isin(list(carve_out))\n'
                '                   | rows["duty_holder"].eq("government"))\n'
                'counts = rows.query("keep")["state"].astype(str).value_counts()\n'
                "kept_by_state = {k: int(v) for k, v in counts.items() if v}\n"
                'any_kept = rows.groupby("law_id", observed=True)["keep"].any()\n'
                "laws_fully_preempted = sorted(str(i) for i in any_kept[~any_kept].index)"
            ),
        },
        12,
    ),
    # Copies lesson 06: the count of laws in effect on 25 November 2026 (11, Exercise 1 and the
    # key points) and the ids of the table printed after it, typed in. Right types, so the
    # visible tests pass; the hidden values do not: -3 (Q1).
    (
        "copies_lesson_in_effect",
        {"q1_in_effect": (f"n_on_vote_day = 11\nstarted_in_2026 = {_LESSON_IN_EFFECT!r}")},
        9,
    ),
    # Copies lesson 06's method: the Jaccard index of patchwork.jaccard_matrix (the lesson's
    # section 4 and its 2027 table) instead of the overlap coefficient. California's long list
    # makes every Jaccard value small, so both variables are wrong: -3 (Q2).
    (
        "copies_lesson_jaccard",
        {
            "q2_overlap": (
                "from course.patchwork import jaccard_matrix, obligation_matrix\n\n"
                'j = jaccard_matrix(obligation_matrix(laws, obligations, on="2027-01-01"))\n'
                "j.index = [str(s) for s in j.index]\n"
                "j.columns = [str(s) for s in j.columns]\n"
                'overlap_with_ca = {s: float(j.loc["CA", s]) for s in j.index if s != "CA"}\n'
                "cells = [(a, b, j.loc[a, b]) for a in j.index for b in j.index if a < b]\n"
                "top = max(x for _, _, x in cells)\n"
                "top_overlap_pairs = sorted((a, b) for a, b, x in cells if abs(x - top) <= 1e-9)"
            )
        },
        9,
    ),
    # Copies lesson 07's answer for the lab of section 1: every recorded duty of the laws that
    # apply (applicable_laws' own obligations column), whatever the role. A vendor is told about
    # its customers' duties: -3 (Q3).
    (
        "copies_lesson_ignores_role",
        {
            "q3_duties_for": (
                "from course.patchwork import CompanyProfile, applicable_laws\n\n\n"
                "def duties_for(states, activity, role, on, training_flop=0.0, revenue_usd=0.0,\n"
                "               monthly_users=0.0):\n"
                "    p = CompanyProfile(states=tuple(states), activities=(activity,),\n"
                "                       training_flop=training_flop, revenue_usd=revenue_usd,\n"
                "                       monthly_users=monthly_users)\n"
                "    table = applicable_laws(p, on=on)\n"
                "    return sorted({(str(law), str(d)) for law, duties in\n"
                '                   zip(table["law_id"], table["obligations"]) for d in duties})'
            )
        },
        9,
    ),
    # Copies lesson 07's whole-law rule (preemption_scenario's way): a law with any carve-out
    # row survives with all its rows, so SB 53's and SB 243's other duties are counted as kept
    # (CA 7, not 3), and no law is half kept: -3 (Q4).
    (
        "copies_lesson_whole_laws",
        {
            "q4_provisions": _CARVE_OUT
            + (
                'day = pd.Timestamp("2027-01-01")\n'
                'now = laws.loc[(laws["status"] == "enacted") & (laws["effective"] <= day),\n'
                '               ["law_id", "state"]]\n'
                'rows = obligations.merge(now, on="law_id")\n'
                'hit = rows["obligation"].isin(list(carve_out)) | (rows["duty_holder"] == "government")\n'
                'survivors = set(rows.loc[hit, "law_id"])\n'
                'kept = rows[rows["law_id"].isin(survivors)]\n'
                'kept_by_state = {str(s): int(n) for s, n in kept.groupby("state", observed=True).size().items() if n}\n'
                'laws_fully_preempted = sorted(str(i) for i in set(rows["law_id"]) - survivors)'
            )
        },
        9,
    ),
    # Wrong filter: the year test without the status test sweeps in Colorado's repealed
    # SB 24-205 (its effective column keeps 30 June 2026): -3 (Q1).
    (
        "wrong_filter_ignores_status",
        {
            "q1_in_effect": (
                'n_on_vote_day = int(((laws["status"] == "enacted")\n'
                '                     & (laws["effective"] <= "2025-07-01")).sum())\n'
                'started_in_2026 = sorted(laws.loc[laws["effective"].dt.year == 2026, "law_id"].tolist())'
            )
        },
        9,
    ),
    # Wrong denominator: the larger set instead of the smaller one: -3 (Q2).
    (
        "wrong_denominator_max",
        {
            "q2_overlap": (
                'day = pd.Timestamp("2027-01-01")\n'
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= day)]\n'
                'rows = obligations.merge(now[["law_id", "state"]], on="law_id")\n'
                'sets = {str(s): set(g["obligation"].astype(str)) for s, g in rows.groupby("state", observed=True)}\n'
                "ov = lambda a, b: len(a & b) / max(len(a), len(b))\n"
                'overlap_with_ca = {s: float(ov(sets["CA"], t)) for s, t in sets.items() if s != "CA"}\n'
                "pairs = {(a, b): ov(sets[a], sets[b]) for a in sets for b in sets if a < b}\n"
                "top = max(pairs.values())\n"
                "top_overlap_pairs = sorted(p for p, v in pairs.items() if abs(v - top) <= 1e-9)"
            )
        },
        9,
    ),
    # Wrong day: the lesson's 25 November 2026 instead of 1 January 2027, so Colorado is
    # missing and New York has only Local Law 144's duties: -3 (Q2).
    (
        "wrong_day_2026",
        {
            "q2_overlap": (
                'day = pd.Timestamp("2026-11-25")\n'
                'now = laws[(laws["status"] == "enacted") & (laws["effective"] <= day)]\n'
                'rows = obligations.merge(now[["law_id", "state"]], on="law_id")\n'
                'sets = {str(s): set(g["obligation"].astype(str)) for s, g in rows.groupby("state", observed=True)}\n'
                "ov = lambda a, b: len(a & b) / min(len(a), len(b))\n"
                'overlap_with_ca = {s: float(ov(sets["CA"], t)) for s, t in sets.items() if s != "CA"}\n'
                "pairs = {(a, b): ov(sets[a], sets[b]) for a in sets for b in sets if a < b}\n"
                "top = max(pairs.values())\n"
                "top_overlap_pairs = sorted(p for p, v in pairs.items() if abs(v - top) <= 1e-9)"
            )
        },
        9,
    ),
    # Wrong shape: pairs as lists, not tuples (the visible test says so): -3 (Q3).
    (
        "wrong_type_lists_not_tuples",
        {
            "q3_duties_for": (
                "from course.patchwork import CompanyProfile, applicable_laws\n\n\n"
                "def duties_for(states, activity, role, on, training_flop=0.0, revenue_usd=0.0,\n"
                "               monthly_users=0.0):\n"
                "    p = CompanyProfile(states=tuple(states), activities=(activity,),\n"
                "                       training_flop=training_flop, revenue_usd=revenue_usd,\n"
                "                       monthly_users=monthly_users)\n"
                '    ids = applicable_laws(p, on=on)["law_id"]\n'
                '    rows = obligations[obligations["law_id"].isin(ids) & (obligations["duty_holder"] == role)]\n'
                '    return sorted([str(a), str(b)] for a, b in zip(rows["law_id"], rows["obligation"]))'
            )
        },
        9,
    ),
    # Forgets the second exception: the government's own rules in Texas and Utah are dropped,
    # so TX and UT vanish from kept_by_state and their laws count as fully preempted: -3 (Q4).
    (
        "forgets_government_exception",
        {
            "q4_provisions": _CARVE_OUT
            + (
                'day = pd.Timestamp("2027-01-01")\n'
                'now = laws.loc[(laws["status"] == "enacted") & (laws["effective"] <= day),\n'
                '               ["law_id", "state"]]\n'
                'rows = obligations.merge(now, on="law_id")\n'
                'hit = rows["obligation"].isin(list(carve_out))\n'
                'kept_by_state = {str(s): int(n) for s, n in rows[hit].groupby("state", observed=True).size().items() if n}\n'
                'laws_fully_preempted = sorted(str(i) for i in set(rows["law_id"]) - set(rows.loc[hit, "law_id"]))'
            )
        },
        9,
    ),
    # Right values, wrong type: Series.to_dict() of a groupby size keeps plain ints, but
    # dict(series) keeps numpy.int64 values, which equal the right counts: -3 (Q4).
    (
        "wrong_type_numpy_int64_counts",
        {
            "q4_provisions": _CARVE_OUT
            + (
                'day = pd.Timestamp("2027-01-01")\n'
                'now = laws.loc[(laws["status"] == "enacted") & (laws["effective"] <= day),\n'
                '               ["law_id", "state"]]\n'
                'rows = obligations.merge(now, on="law_id")\n'
                'rows["state"] = rows["state"].astype(str)\n'
                'hit = rows["obligation"].isin(list(carve_out)) | (rows["duty_holder"] == "government")\n'
                'kept_by_state = dict(rows[hit].groupby("state").size())\n'
                'laws_fully_preempted = sorted(str(i) for i in set(rows["law_id"]) - set(rows.loc[hit, "law_id"]))'
            )
        },
        9,
    ),
    # A dict subclass and a list subclass whose == always says yes: `type(x) is dict` and
    # `type(x) is list` reject them before any comparison: -3 (Q2) -3 (Q4).
    (
        "always_equal_containers",
        {
            "q2_overlap": (
                "class Yes(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "class YesList(list):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'overlap_with_ca = Yes({"UT": 0.5})\n'
                'top_overlap_pairs = YesList([("CA", "UT")])'
            ),
            "q4_provisions": _CARVE_OUT
            + (
                "class Yes(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'kept_by_state = Yes({"CA": 1})\n'
                "laws_fully_preempted = []"
            ),
        },
        6,
    ),
]

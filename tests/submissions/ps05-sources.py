"""Known-wrong submissions for ``ps05-sources`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 15 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
assigns the same variables as the reference answer, so only the tests decide the points.

Points per question: Q1 3, Q2 4, Q3 4, Q4 4 (total 15; Q5 is written and manually graded, so
it is not part of the autograded total). A test cell is all or nothing: Q2 and Q3 each check two
variables, and one wrong variable costs the whole question.
"""

AUTOGRADED_TOTAL = 15

CASES = [
    # Not wrong: other correct ways to reach the answers (claims merged first and filtered with
    # query, drop_duplicates and astype(int); the gaps with an if/elif on plain datetimes; the
    # rates with groupby and rounded to eight decimals, the heavier article by comparison; the
    # verdicts with str.contains and value_counts().to_dict(), whose keys are the category names).
    # The tests must not reject legitimate variants, so this keeps the full autograded total.
    (
        "correct_alternatives",
        {
            "q1_timeline_contradicts": (
                'both = claims.merge(evidence, on="claim_id")\n'
                "rows = both.query(\"dataset == 'federal_timeline' and relation == 'contradicts'\")\n"
                'timeline_contradicts = sorted(rows["claim_id"].drop_duplicates().astype(int).tolist())'
            ),
            "q2_date_gaps": (
                "def gap(claim_id, row_id):\n"
                '    row = evidence[(evidence["claim_id"] == claim_id) & (evidence["row_id"] == row_id)]\n'
                '    start = row["claimed_from"].iloc[0].to_pydatetime()\n'
                '    end = row["claimed_to"].iloc[0].to_pydatetime()\n'
                '    day = timeline.loc[timeline["event_id"] == row_id, "date"].iloc[0].to_pydatetime()\n'
                "    if day > end:\n"
                "        return (day - end).days\n"
                "    if day < start:\n"
                "        return (day - start).days\n"
                "    return 0\n\n\n"
                'gap_claim_1 = gap(1, "draft-order-2026")\n'
                'gap_claim_12 = gap(12, "eo-13859")'
            ),
            "q3_frame_rates": (
                'totals = frame_counts.groupby(["article_id", "frame"], observed=True)["count"].sum()\n'
                'size = articles.set_index("article_id")["word_count"]\n'
                "race_rates = {\n"
                '    a: round(float(totals[(a, "race with China")] / size[a] * 1000), 8)\n'
                '    for a in ["seed-000", "seed-002"]\n'
                "}\n"
                'industry = {a: totals[(a, "industry influence")] / size[a] for a in size.index}\n'
                'heavier_industry = "seed-000" if industry["seed-000"] > industry["seed-002"] else "seed-002"'
            ),
            "q4_seed_002_verdicts": (
                'mine = claims[claims["articles"].str.contains("seed-002", regex=False)]\n'
                'seed_002_verdicts = mine["verdict"].value_counts().to_dict()'
            ),
        },
        15,
    ),
    # Wrong filter: keeps every timeline row that does not support its claim, so the 'context'
    # rows (claims 2, 5, 8 and 21) come in too. A sorted list of distinct ints, so only the hidden
    # value check fails: -3 (Q1).
    (
        "wrong_filter_context_rows",
        {
            "q1_timeline_contradicts": (
                'not_support = (evidence["dataset"] == "federal_timeline") & (evidence["relation"] != "supports")\n'
                'timeline_contradicts = sorted(evidence.loc[not_support, "claim_id"].unique().tolist())'
            )
        },
        12,
    ),
    # Wrong filter: every 'contradicts' row, whatever dataset it points at, so claims 5 and 6
    # (contradicted by order_components, not by the timeline) come in too: -3 (Q1).
    (
        "wrong_filter_all_datasets",
        {
            "q1_timeline_contradicts": (
                'rows = evidence[evidence["relation"] == "contradicts"]\n'
                'timeline_contradicts = sorted(rows["claim_id"].unique().tolist())'
            )
        },
        12,
    ),
    # Right values, wrong type: sorted() of Series.unique() keeps the numpy.int64 elements (the
    # list is equal to the right one); the prompt asks for plain int and the visible element check
    # rejects them: -3 (Q1).
    (
        "wrong_type_numpy_int64_ids",
        {
            "q1_timeline_contradicts": (
                'mask = (evidence["dataset"] == "federal_timeline") & (evidence["relation"] == "contradicts")\n'
                'timeline_contradicts = sorted(evidence.loc[mask, "claim_id"].unique())'
            )
        },
        12,
    ),
    # Off by one: counts calendar days with both ends included (52 instead of 51 for claim 1).
    # Plain ints of a plausible size, so only the hidden check fails: -4 (Q2).
    (
        "off_by_one_inclusive_days",
        {
            "q2_date_gaps": (
                'cited = evidence.merge(timeline[["event_id", "date"]], left_on="row_id", right_on="event_id")\n'
                'one = cited[cited["claim_id"] == 1].iloc[0]\n'
                'twelve = cited[cited["claim_id"] == 12].iloc[0]\n'
                'gap_claim_1 = (one["date"] - one["claimed_to"]).days + 1\n'
                'gap_claim_12 = (twelve["date"] - twelve["claimed_from"]).days'
            )
        },
        11,
    ),
    # Wrong sign convention: claim 12's record (11 February 2019) is earlier than the claimed
    # year, but the gap is given as a distance (324), not as the negative -324 the prompt
    # defines. Claim 1 is right; the cell is all or nothing: -4 (Q2).
    (
        "wrong_sign_claim_12",
        {
            "q2_date_gaps": (
                'cited = evidence.merge(timeline[["event_id", "date"]], left_on="row_id", right_on="event_id")\n'
                'one = cited[cited["claim_id"] == 1].iloc[0]\n'
                'twelve = cited[cited["claim_id"] == 12].iloc[0]\n'
                'gap_claim_1 = (one["date"] - one["claimed_to"]).days\n'
                'gap_claim_12 = abs((twelve["date"] - twelve["claimed_from"]).days)'
            )
        },
        11,
    ),
    # Wrong end of the range: always measures from claimed_from, so claim 1's gap is 62 days
    # (from 20 March) instead of 51 (from 31 March); claim 12 happens to come out right: -4 (Q2).
    (
        "wrong_end_of_range",
        {
            "q2_date_gaps": (
                'cited = evidence.merge(timeline[["event_id", "date"]], left_on="row_id", right_on="event_id")\n'
                'gap = (cited["date"] - cited["claimed_from"]).dt.days\n'
                'gap_claim_1 = int(gap[cited["claim_id"] == 1].iloc[0])\n'
                'gap_claim_12 = int(gap[cited["claim_id"] == 12].iloc[0])'
            )
        },
        11,
    ),
    # Right values, wrong type: the reference computation without the final int(...). Series.loc
    # on one (claim_id, row_id) label gives a numpy.int64, equal to the right number; the prompt
    # asks for plain int: -4 (Q2).
    (
        "wrong_type_numpy_int64_gaps",
        {
            "q2_date_gaps": (
                'cited = evidence.merge(timeline[["event_id", "date"]], left_on="row_id", right_on="event_id")\n'
                'dated = cited.dropna(subset=["claimed_from", "claimed_to"])\n'
                'after = (dated["date"] - dated["claimed_to"]).dt.days.clip(lower=0)\n'
                'before = (dated["date"] - dated["claimed_from"]).dt.days.clip(upper=0)\n'
                'gap = (after + before).set_axis(pd.MultiIndex.from_frame(dated[["claim_id", "row_id"]]))\n'
                'gap_claim_1 = gap.loc[(1, "draft-order-2026")]\n'
                'gap_claim_12 = gap.loc[(12, "eo-13859")]'
            )
        },
        11,
    ),
    # An object whose __eq__ always answers True, and an int subclass likewise: `x == expected`
    # and `isinstance(x, int)` would accept them, `type(x) is int` does not: -4 (Q2).
    (
        "always_equal_object",
        {
            "q2_date_gaps": (
                "class Any:\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = object.__hash__\n"
                "    __abs__ = lambda self: 0\n"
                "    __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True\n\n\n"
                "class Sly(int):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = int.__hash__\n\n\n"
                "gap_claim_1 = Any()\n"
                "gap_claim_12 = Sly(0)"
            )
        },
        11,
    ),
    # A list subclass and a dict subclass that equal everything: `type(x) is list` and
    # `type(x) is dict` must reject them before any comparison: -3 (Q1) -4 (Q4).
    (
        "always_equal_containers",
        {
            "q1_timeline_contradicts": (
                "class Yes(list):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "timeline_contradicts = Yes([1])"
            ),
            "q4_seed_002_verdicts": (
                "class Yes2(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'seed_002_verdicts = Yes2({"supported": 0, "partly supported": 0,\n'
                '                          "contradicted": 0, "unverifiable": 0})'
            ),
        },
        8,
    ),
    # Raw counts instead of rates: the race "rates" are hit counts (11.0 and 14.0, which pass the
    # visible range check), and by raw counts seed 002 has more industry-influence hits (22 to
    # 13), although per 1000 words seed 000, two and a half times shorter, uses them more
    # densely. Both variables are wrong: -4 (Q3).
    (
        "raw_counts_not_rates",
        {
            "q3_frame_rates": (
                'raw = frame_counts.pivot_table(index="article_id", columns="frame", values="count",\n'
                '                               aggfunc="sum", observed=True)\n'
                'race_rates = {str(a): float(n) for a, n in raw["race with China"].items()}\n'
                'heavier_industry = str(raw["industry influence"].idxmax())'
            )
        },
        11,
    ),
    # Right values, wrong type: dict(Series) keeps numpy.float64 rates (a float subclass that
    # equals the right value); the prompt asks for plain float: -4 (Q3).
    (
        "wrong_type_numpy_float_rates",
        {
            "q3_frame_rates": (
                'hits = frame_counts.pivot_table(index="article_id", columns="frame", values="count",\n'
                '                                aggfunc="sum", observed=True)\n'
                'rates = hits.div(articles.set_index("article_id")["word_count"], axis=0) * 1000\n'
                'race_rates = dict(rates["race with China"])\n'
                'heavier_industry = str(rates["industry influence"].idxmax())'
            )
        },
        11,
    ),
    # Wrong filter: `articles == "seed-002"` misses the four claims both seeds make (2, 3, 11
    # and 17), giving 6/3/3/2 instead of 8/4/4/2. A dict of the four verdicts with int counts,
    # so only the hidden check fails: -4 (Q4).
    (
        "exact_match_misses_shared_claims",
        {
            "q4_seed_002_verdicts": (
                'only = claims[claims["articles"] == "seed-002"]\n'
                'seed_002_verdicts = only["verdict"].value_counts().to_dict()'
            )
        },
        11,
    ),
    # Right values, wrong type: the value_counts Series itself, equal value by value but not a
    # dict: -4 (Q4).
    (
        "wrong_type_series_of_counts",
        {
            "q4_seed_002_verdicts": (
                'mine = claims[claims["articles"].str.contains("seed-002")]\n'
                'seed_002_verdicts = mine["verdict"].value_counts()'
            )
        },
        11,
    ),
    # One mistake breaking two questions: Q1 rebinds the shared name `claims` to the join (one
    # row per evidence row, the prompt says not to reassign the setup tables). Q1 then lists
    # claims 14 and 16 twice (each has two contradicting timeline rows), and the untouched
    # reference answer of Q4, reading the damaged `claims`, counts evidence rows instead of claims
    # (e.g. 10 supported instead of 8): -3 (Q1) -4 (Q4).
    (
        "rebinds_claims_breaks_q1_and_q4",
        {
            "q1_timeline_contradicts": (
                'claims = claims.merge(evidence, on="claim_id", how="left")\n'
                'mask = (claims["dataset"] == "federal_timeline") & (claims["relation"] == "contradicts")\n'
                'timeline_contradicts = sorted(claims.loc[mask, "claim_id"].tolist())'
            )
        },
        8,
    ),
]

"""Known-wrong submissions for ``ps05-sources`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 12 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same function or assigns the same variables as the reference answer, so only the
tests decide the points.

Points per question: Q1 3, Q2 3, Q3 3, Q4 3 (total 12; Q5 and Q6 are written and manually
graded, 10 points, so they are not part of the autograded total).

Every item asks for a computation lessons 08 and 09 do not show, so the cases named ``copies_lesson_*``
answer with what the lesson computes (its Exercise 2 filter, ``sources.date_gaps``, the rates of
``sources.frame_rates``, the register-wide shares) and get 0 for that item.

Values on 3 December 2026, for reading the comments: 7 contradicting rows behind `contradicted`
claims and 3 behind `partly supported` ones; strict gaps (claim 1 left out: lesson 08 gives its
62 days) of -689 (claim 12),
94 and 430 (claim 14) and 19 (claim 15); seed 002 would match seed 000's race rate at about 895
words. The hidden tests compute every expected value from the data.
"""

AUTOGRADED_TOTAL = 12

_SHARE_HEAD = "def verdict_share(article_id, verdict, topic=None):\n"

CASES = [
    # Not wrong: other correct ways (value_counts and reindex; numpy-free date arithmetic with
    # apply; a groupby of the hit totals; str.contains and a mean of booleans). The tests must
    # not reject legitimate variants.
    (
        "correct_alternatives",
        {
            "q1_contradicting_rows": (
                'both = claims.merge(evidence, on="claim_id")\n'
                'n = both.query("relation == \'contradicts\'")["verdict"].value_counts()\n'
                'scale = ["supported", "partly supported", "contradicted", "unverifiable"]\n'
                "contradicts_rows_by_verdict = {v: int(n.get(v, 0)) for v in scale}"
            ),
            "q2_strict_gaps": (
                'rows = evidence.dropna(subset=["claimed_from", "claimed_to"])\n'
                'when = dict(zip(timeline["event_id"], timeline["date"]))\n'
                "strict_gaps = {}\n"
                "for c, r, a, b in zip(rows['claim_id'], rows['row_id'], rows['claimed_from'],\n"
                "                      rows['claimed_to']):\n"
                "    if c == 1:\n"
                "        continue\n"
                "    d = when[r]\n"
                "    g = (d - a).days if d > b else (d - b).days if d < a else 0\n"
                "    strict_gaps[(int(c), str(r))] = int(g)"
            ),
            "q3_equal_rate_words": (
                'totals = frame_counts.groupby(["article_id", "frame"], observed=True)["count"].sum()\n'
                'w = articles.set_index("article_id")["word_count"]\n'
                "equal_rate_words = {}\n"
                'for f in frame_counts["frame"].astype(str).unique():\n'
                '    h0, h2 = totals[("seed-000", f)], totals[("seed-002", f)]\n'
                "    if h0 and h2:\n"
                '        equal_rate_words[f] = float(h2 / (h0 / w["seed-000"]))'
            ),
            "q4_verdict_share": _SHARE_HEAD
            + (
                '    mine = claims[claims["articles"].str.contains(article_id, regex=False)]\n'
                "    if topic is not None:\n"
                '        mine = mine[mine["topic"] == topic]\n'
                '    return float((mine["verdict"] == verdict).mean()) if len(mine) else 0.0'
            ),
        },
        12,
    ),
    # Copies lesson 08's Exercise 2 filter: only the rows pointing at federal_timeline, so the
    # order_components rows of claims 5 and 6 are missed: -3 (Q1).
    (
        "copies_lesson_timeline_only",
        {
            "q1_contradicting_rows": (
                'both = evidence.merge(claims[["claim_id", "verdict"]], on="claim_id")\n'
                'keep = (both["dataset"] == "federal_timeline") & (both["relation"] == "contradicts")\n'
                'scale = ["supported", "partly supported", "contradicted", "unverifiable"]\n'
                'contradicts_rows_by_verdict = {v: int((both.loc[keep, "verdict"] == v).sum()) for v in scale}'
            )
        },
        9,
    ),
    # Counts claims, not rows: claims 14 and 16 each have two contradicting rows: -3 (Q1).
    (
        "counts_claims_not_rows",
        {
            "q1_contradicting_rows": (
                'ids = evidence.loc[evidence["relation"] == "contradicts", "claim_id"].unique()\n'
                'mine = claims[claims["claim_id"].isin(ids)]\n'
                'scale = ["supported", "partly supported", "contradicted", "unverifiable"]\n'
                'contradicts_rows_by_verdict = {v: int((mine["verdict"] == v).sum()) for v in scale}'
            )
        },
        9,
    ),
    # Copies lesson 08's generous reading: sources.date_gaps measures from the nearer end
    # (51, -324, ...), which the question replaces by the far end: -3 (Q2).
    (
        "copies_lesson_nearest_end",
        {
            "q2_strict_gaps": (
                "from course.sources import date_gaps, evidence_table\n\n"
                "g = date_gaps(evidence_table(claims, evidence))\n"
                "strict_gaps = {(int(c), str(r)): int(d)\n"
                '               for c, r, d in zip(g["claim_id"], g["row_id"], g["gap_days"]) if c != 1}'
            )
        },
        9,
    ),
    # Sign lost: the far-end distances without their sign, so claim 12's -689 becomes 689:
    # -3 (Q2).
    (
        "strict_gaps_without_sign",
        {
            "q2_strict_gaps": (
                'cited = evidence.merge(timeline[["event_id", "date"]], left_on="row_id", right_on="event_id")\n'
                'ranged = cited.dropna(subset=["claimed_from", "claimed_to"])\n'
                "strict_gaps = {}\n"
                "for row in ranged.itertuples(index=False):\n"
                "    if row.claim_id == 1:\n"
                "        continue\n"
                "    inside = row.claimed_from <= row.date <= row.claimed_to\n"
                "    far = max(abs((row.date - row.claimed_from).days), abs((row.date - row.claimed_to).days))\n"
                "    strict_gaps[(int(row.claim_id), str(row.row_id))] = 0 if inside else int(far)"
            )
        },
        9,
    ),
    # Copies lesson 09's rates (sources.frame_rates, hits per 1000 words) into the dict, as if
    # the rate were the answer: -3 (Q3).
    (
        "copies_lesson_rates",
        {
            "q3_equal_rate_words": (
                "from course.sources import frame_rates\n\n"
                "r = frame_rates(frame_counts, articles)\n"
                'equal_rate_words = {str(f): float(r.loc["seed-002", f]) for f in r.columns\n'
                '                    if r.loc["seed-000", f] > 0 and r.loc["seed-002", f] > 0}'
            )
        },
        9,
    ),
    # The equation solved the wrong way round: the length seed 000 would need to match seed 002
    # (h0 * w2 / h2): -3 (Q3).
    (
        "solves_for_the_other_article",
        {
            "q3_equal_rate_words": (
                'hits = frame_counts.pivot_table(index="article_id", columns="frame", values="count",\n'
                '                                aggfunc="sum", observed=True)\n'
                'w = articles.set_index("article_id")["word_count"]\n'
                'equal_rate_words = {str(f): float(hits.loc["seed-000", f] * w["seed-002"] / hits.loc["seed-002", f])\n'
                '                    for f in hits.columns if hits.loc["seed-000", f] > 0 and hits.loc["seed-002", f] > 0}'
            )
        },
        9,
    ),
    # Exact match on `articles == article_id` misses the claims both seeds make (2, 3, 11, 17):
    # -3 (Q4).
    (
        "exact_match_misses_shared_claims",
        {
            "q4_verdict_share": _SHARE_HEAD
            + (
                '    mine = claims[claims["articles"] == article_id]\n'
                "    if topic is not None:\n"
                '        mine = mine[mine["topic"] == topic]\n'
                "    if len(mine) == 0:\n"
                "        return 0.0\n"
                '    return float((mine["verdict"] == verdict).sum() / len(mine))'
            )
        },
        9,
    ),
    # Wrong denominator: divides by all claims of the topic in the register, both articles',
    # as a register-wide share would: -3 (Q4).
    (
        "divides_by_the_whole_register",
        {
            "q4_verdict_share": _SHARE_HEAD
            + (
                "    pool = claims if topic is None else claims[claims['topic'] == topic]\n"
                "    if len(pool) == 0:\n"
                "        return 0.0\n"
                '    mine = pool[pool["articles"].str.contains(article_id, regex=False)]\n'
                '    return float((mine["verdict"] == verdict).sum() / len(pool))'
            )
        },
        9,
    ),
    # Right values, wrong type: a numpy.float64 share (the visible test asks for float): -3 (Q4).
    (
        "wrong_type_numpy_float",
        {
            "q4_verdict_share": _SHARE_HEAD
            + (
                '    mine = claims[claims["articles"].str.contains(article_id, regex=False)]\n'
                "    if topic is not None:\n"
                '        mine = mine[mine["topic"] == topic]\n'
                "    if len(mine) == 0:\n"
                "        return 0.0\n"
                '    return (mine["verdict"] == verdict).mean()'
            )
        },
        9,
    ),
    # Dict subclasses whose == always says yes: `type(x) is dict` rejects them: -3 (Q1) -3 (Q2).
    (
        "always_equal_containers",
        {
            "q1_contradicting_rows": (
                "class Yes(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'contradicts_rows_by_verdict = Yes({"supported": 0, "partly supported": 0,\n'
                '                                   "contradicted": 0, "unverifiable": 0})'
            ),
            "q2_strict_gaps": (
                "class Yes2(dict):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'strict_gaps = Yes2({(1, "draft-order-2026"): 0})'
            ),
        },
        6,
    ),
]

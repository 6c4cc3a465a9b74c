"""Known-wrong submissions for ``ps01-the-order`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 15 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
assigns the same variable as the reference answer, so only the tests decide the points.

Points per question: Q1 2, Q2 2, Q3 3, Q4 2, Q5 3, Q6 3 (total 15; Q7 is written and
manually graded, so it is not part of the autograded total).
"""

AUTOGRADED_TOTAL = 15

CASES = [
    # Not wrong: other correct ways to reach the answers (a query string, value_counts, a
    # numpy float64 share rounded to three decimals, .item()). The tests must not reject
    # legitimate variants, so this keeps the full autograded total.
    (
        "correct_alternatives",
        {
            "q1_executive_orders": (
                "n_executive_orders = len(\n"
                "    timeline.query(\"kind == 'executive order' and status != 'not signed'\")\n"
                ")"
            ),
            "q3_binding_by_administration": (
                "from course.timeline import with_administration\n"
                "admin = with_administration(timeline)\n"
                'counts = admin.loc[admin["force"] == "binding", "administration"].value_counts()\n'
                "binding_by_administration = {k: v for k, v in counts.to_dict().items() if v}"
            ),
            "q4_eo_14110_days": (
                'row = timeline[timeline["event_id"] == "bis-ai-diffusion-rule"]\n'
                'diffusion_rule_days = int((row["ended"] - row["date"]).dt.days.item())'
            ),
            "q5_voluntary_shares": (
                'inst = timeline[timeline["kind"] != "event"]\n'
                'yr = inst["date"].dt.year\n'
                'a = (inst.loc[yr.isin([2023, 2024]), "force"] == "voluntary").mean()\n'
                'b = (inst.loc[yr.isin([2025, 2026]), "force"] == "voluntary").mean()\n'
                "voluntary_shares = (round(a, 3), round(b, 3))"
            ),
        },
        15,
    ),
    # Wrong filter: counts every binding row (memos, statutes, the BIS rule), not only
    # executive orders. The type is right, so only the hidden value check fails: -2 (Q1).
    (
        "wrong_filter_binding_rows",
        {"q1_executive_orders": 'n_executive_orders = int((timeline["force"] == "binding").sum())'},
        13,
    ),
    # Wrong filter: "anything not in force" sweeps in superseded, removed and n/a rows as
    # well as the revoked and rescinded ones. Sorted list of str, so only the value fails: -2 (Q2).
    (
        "wrong_filter_not_in_force",
        {
            "q2_revoked_ids": (
                'revoked_ids = sorted(timeline.loc[timeline["status"] != "in force", '
                '"event_id"].tolist())'
            )
        },
        13,
    ),
    # Off by one: counts both the first and the last day of the AI Diffusion Rule (ended - date
    # + 1, 119 instead of 118). A positive int, so the visible tests pass; the hidden check of
    # the day count fails: -2 (Q4).
    (
        "off_by_one_inclusive_days",
        {
            "q4_eo_14110_days": (
                'rule = timeline.set_index("event_id").loc["bis-ai-diffusion-rule"]\n'
                'diffusion_rule_days = int((rule["ended"] - rule["date"]).days) + 1'
            )
        },
        13,
    ),
    # Copied from the lesson: lesson 01's worked solution to exercise 2 (the days EO 14110 was in
    # effect, 448), not the AI Diffusion Rule that Q4 asks about. A positive int, so the visible
    # tests pass; the hidden check of the day count fails: -2 (Q4).
    (
        "copies_lesson_eo_14110_days",
        {
            "q4_eo_14110_days": (
                'row = timeline.set_index("event_id").loc["eo-14110"]\n'
                'diffusion_rule_days = (row["ended"] - row["date"]).days'
            )
        },
        13,
    ),
    # Off by one on a boundary: puts each instrument in the administration of its calendar
    # year (2021 -> Biden) instead of using inauguration days, which moves the 1 Jan 2021 Act
    # to Biden and the 15 Jan 2025 BIS rule to Trump II. Types are right, counts wrong: -3 (Q3).
    (
        "wrong_boundary_calendar_year",
        {
            "q3_binding_by_administration": (
                'binding = timeline[timeline["force"] == "binding"]\n'
                'year = binding["date"].dt.year\n'
                "names = pd.cut(year, bins=[0, 2016, 2020, 2024, 9999],\n"
                '               labels=["Obama", "Trump I", "Biden", "Trump II"])\n'
                "counts = names.value_counts()\n"
                "binding_by_administration = {str(k): int(v) for k, v in counts.items() if v > 0}"
            )
        },
        12,
    ),
    # Right value, wrong type: Series.sum() returns numpy.int64, not int. Equal to the right
    # count, but `type(x) is int` must reject it (the prompt asks for a plain int): -2 (Q1).
    (
        "wrong_type_numpy_int64",
        {
            "q1_executive_orders": 'n_executive_orders = (timeline["kind"] == "executive order").sum()'
        },
        13,
    ),
    # Right value, wrong type: a one-element Series of days (118) instead of an int: -2 (Q4).
    (
        "wrong_type_one_element_series",
        {
            "q4_eo_14110_days": (
                'row = timeline[timeline["event_id"] == "bis-ai-diffusion-rule"]\n'
                'diffusion_rule_days = (row["ended"] - row["date"]).dt.days'
            )
        },
        13,
    ),
    # Right value, wrong type: the count as a float (17.0) instead of an int: -3 (Q6).
    (
        "wrong_type_float_count",
        {
            "q6_in_force_21_may": (
                'day = pd.Timestamp("2026-05-21")\n'
                'rows = timeline[timeline["kind"] != "event"]\n'
                'running = (rows["status"] == "in force") | (rows["ended"] > day)\n'
                'n_in_force = float(((rows["date"] <= day) & running).sum())'
            )
        },
        12,
    ),
    # Right values, wrong type: dict(Series) keeps numpy.int64 counts; the prompt asks for
    # plain int values (Series.to_dict() would give them): -3 (Q3).
    (
        "wrong_type_numpy_dict_values",
        {
            "q3_binding_by_administration": (
                "from course.timeline import with_administration\n"
                "binding = with_administration(timeline).query(\"force == 'binding'\")\n"
                'binding_by_administration = dict(binding.groupby("administration", '
                "observed=True).size())"
            )
        },
        12,
    ),
    # Right values, wrong container: a numpy array of the ids instead of a list: -2 (Q2).
    (
        "wrong_type_array_of_ids",
        {
            "q2_revoked_ids": (
                'mask = timeline["status"].isin(["revoked", "rescinded"])\n'
                'revoked_ids = timeline.loc[mask, "event_id"].sort_values().to_numpy()'
            )
        },
        13,
    ),
    # An object whose __eq__ always answers True: `x == expected` would pass it, so the tests
    # must check the type first: -2 (Q1).
    (
        "always_equal_object",
        {
            "q1_executive_orders": (
                "class Any:\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = object.__hash__\n"
                "    __le__ = __lt__ = __ge__ = __gt__ = lambda self, other: True\n\n\n"
                "n_executive_orders = Any()"
            )
        },
        13,
    ),
    # An int subclass that equals everything: isinstance(x, int) and x == expected would both
    # accept it, `type(x) is int` does not: -3 (Q6).
    (
        "always_equal_int_subclass",
        {
            "q6_in_force_21_may": (
                "class Sly(int):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = int.__hash__\n\n\n"
                "n_in_force = Sly(1)"
            )
        },
        12,
    ),
    # A list subclass that equals everything and a tuple subclass likewise: `type(x) is list`
    # / `type(x) is tuple` must reject them before any comparison: -2 (Q2) -3 (Q5).
    (
        "always_equal_containers",
        {
            "q2_revoked_ids": (
                "class Yes(list):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'revoked_ids = Yes(["eo-14110"])'
            ),
            "q5_voluntary_shares": (
                "class Yes2(tuple):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "voluntary_shares = Yes2((0.5, 0.5))"
            ),
        },
        10,
    ),
    # Two questions at once: Q3 keeps the empty Obama category (observed=False gives a zero
    # count the prompt says to leave out), and Q6 uses course.timeline.in_force_on, which also
    # counts rows with no end date (superseded, removed, n/a) and so answers a different
    # question: -3 (Q3) -3 (Q6).
    (
        "two_questions_zero_category_and_loose_in_force",
        {
            "q3_binding_by_administration": (
                "from course.timeline import with_administration\n"
                "binding = with_administration(timeline).query(\"force == 'binding'\")\n"
                'binding_by_administration = binding.groupby("administration", '
                "observed=False).size().to_dict()"
            ),
            "q6_in_force_21_may": (
                "from course.timeline import in_force_on\n"
                'n_in_force = len(in_force_on(timeline, "2026-05-21"))'
            ),
        },
        9,
    ),
    # Wrong denominator: divides by all rows of each period, events included. 2023-2024 has no
    # events, so the first share is right by luck; the second is not. The hidden test checks
    # each share separately and the cell is all-or-nothing: -3 (Q5).
    (
        "wrong_denominator_events_counted",
        {
            "q5_voluntary_shares": (
                'year = timeline["date"].dt.year\n'
                'early = timeline[year.between(2023, 2024)]["force"] == "voluntary"\n'
                'late = timeline[year.between(2025, 2026)]["force"] == "voluntary"\n'
                "voluntary_shares = (float(early.mean()), float(late.mean()))"
            )
        },
        12,
    ),
    # Periods swapped: the right two numbers in the wrong order: -3 (Q5).
    (
        "periods_swapped",
        {
            "q5_voluntary_shares": (
                'instruments = timeline[timeline["kind"] != "event"]\n'
                'year = instruments["date"].dt.year\n'
                'early = instruments[year.between(2023, 2024)]["force"] == "voluntary"\n'
                'late = instruments[year.between(2025, 2026)]["force"] == "voluntary"\n'
                "voluntary_shares = (float(late.mean()), float(early.mean()))"
            )
        },
        12,
    ),
    # Changing the shared data: the answer cell relabels EO 14365 as an "event" in `timeline`
    # itself, then counts consistently with the damaged frame (16). The hidden test reloads
    # the data, so the count is still wrong: -3 (Q6). Q6 is the last code question, so no
    # other answer reads the damaged frame.
    (
        "mutates_shared_timeline",
        {
            "q6_in_force_21_may": (
                'timeline.loc[timeline["event_id"] == "eo-14365", "kind"] = "event"\n'
                'day = pd.Timestamp("2026-05-21")\n'
                'rows = timeline[timeline["kind"] != "event"]\n'
                'running = (rows["status"] == "in force") | (rows["ended"] > day)\n'
                'n_in_force = int(((rows["date"] <= day) & running).sum())'
            )
        },
        12,
    ),
]

"""Known-wrong submissions for ``ps01-the-order`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 12 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
assigns the same variable as the reference answer, so only the tests decide the points.

Points per question: Q1 2, Q2 3, Q3 2, Q4 2, Q5 3 (total 12; Q6-Q8, 8 points, are written
and manually graded, so they are not part of the autograded total).

Cases named ``copies_lesson_*`` type in what lesson 01 shows on screen (a table, a printed
number, a worked solution) instead of doing the computation the question asks for; each
must earn nothing for its item.
"""

AUTOGRADED_TOTAL = 12

CASES = [
    # Not wrong: other correct ways to reach the answers (str.contains, value_counts with
    # to_dict, dropna with a numpy median wrapped in float, a query string). The tests must
    # not reject legitimate variants, so this keeps the full autograded total.
    (
        "correct_alternatives",
        {
            "q1_claimed_and_signed": (
                'has_seed = components["claimed_by_seeds"].str.contains("seed-")\n'
                'rows = components[has_seed & (components["in_eo_14409"] == "yes")]\n'
                'claimed_and_signed = sorted(set(rows["component_id"]))'
            ),
            "q2_binding_in_force": (
                "from course.timeline import with_administration\n"
                "admin = with_administration(timeline)\n"
                "kept = admin.query(\"force == 'binding' and status == 'in force'\")\n"
                'counts = kept["administration"].value_counts()\n'
                "binding_in_force_by_administration = {k: v for k, v in counts.to_dict().items() "
                "if v}"
            ),
            "q3_median_recorded_life": (
                "import numpy as np\n"
                'rows = timeline.dropna(subset=["ended"])\n'
                'median_recorded_life = float(np.median((rows["ended"] - rows["date"]).dt.days))'
            ),
            "q5_in_force_before_handover": (
                'day = pd.Timestamp("2025-01-19")\n'
                "ins = timeline.query(\"kind != 'event' and force == 'binding' and date <= @day\")\n"
                'ok = (ins["status"] == "in force") | (ins["ended"] > day)\n'
                'in_force_before_handover = sorted(ins.loc[ok, "event_id"])'
            ),
        },
        12,
    ),
    # Copied from the lesson: the five parts that lesson 01's table of EO 14409 shows
    # (components with in_eo_14409 == "yes"), without the seeds' claims: -2 (Q1).
    (
        "copies_lesson_final_parts",
        {
            "q1_claimed_and_signed": (
                'claimed_and_signed = sorted(components.loc[components["in_eo_14409"] == "yes", '
                '"component_id"].tolist())'
            )
        },
        10,
    ),
    # Wrong filter: only the parts claimed by seed 000, not by either seed: -2 (Q1).
    (
        "wrong_filter_one_seed",
        {
            "q1_claimed_and_signed": (
                'one_seed = components["claimed_by_seeds"].str.contains("seed-000")\n'
                'signed = components["in_eo_14409"] == "yes"\n'
                'claimed_and_signed = sorted(components.loc[one_seed & signed, "component_id"])'
            )
        },
        10,
    ),
    # Copied from the lesson: lesson 01's table of binding rows per administration
    # (timeline.counts_by_administration(policy, "force")), which counts every binding row,
    # ended or not: right type, wrong counts: -3 (Q2).
    (
        "copies_lesson_binding_counts",
        {
            "q2_binding_in_force": (
                "from course.timeline import counts_by_administration\n"
                'column = counts_by_administration(timeline, "force")["binding"]\n'
                "binding_in_force_by_administration = {str(k): int(v) for k, v in "
                "column.items() if v > 0}"
            )
        },
        9,
    ),
    # Off by one on a boundary: puts each instrument in the administration of its calendar
    # year, which moves the 1 Jan 2021 Act from Trump I to Biden: -3 (Q2).
    (
        "wrong_boundary_calendar_year",
        {
            "q2_binding_in_force": (
                'kept = timeline[(timeline["force"] == "binding") & '
                '(timeline["status"] == "in force")]\n'
                'names = pd.cut(kept["date"].dt.year, bins=[0, 2016, 2020, 2024, 9999],\n'
                '               labels=["Obama", "Trump I", "Biden", "Trump II"])\n'
                "binding_in_force_by_administration = {str(k): int(v) for k, v in "
                "names.value_counts().items() if v > 0}"
            )
        },
        9,
    ),
    # Right values, wrong type: dict(Series) keeps numpy.int64 counts: -3 (Q2).
    (
        "wrong_type_numpy_dict_values",
        {
            "q2_binding_in_force": (
                "from course.timeline import with_administration\n"
                "admin = with_administration(timeline)\n"
                'kept = admin[(admin["force"] == "binding") & (admin["status"] == "in force")]\n'
                "binding_in_force_by_administration = dict(kept.groupby('administration', "
                "observed=True).size())"
            )
        },
        9,
    ),
    # Keeps the empty categories (observed=False), which the prompt says to leave out: -3 (Q2).
    (
        "zero_categories_kept",
        {
            "q2_binding_in_force": (
                "from course.timeline import with_administration\n"
                "admin = with_administration(timeline)\n"
                'kept = admin[(admin["force"] == "binding") & (admin["status"] == "in force")]\n'
                "binding_in_force_by_administration = kept.groupby('administration', "
                "observed=False).size().to_dict()"
            )
        },
        9,
    ),
    # Copied from the lesson: the 448 days of EO 14110 that lesson 01 prints
    # (timeline.durations), not the median over the ended rows: -2 (Q3).
    (
        "copies_lesson_eo_14110_days",
        {
            "q3_median_recorded_life": (
                "from course.timeline import durations\n"
                'median_recorded_life = float(durations(timeline)["eo-14110"])'
            )
        },
        10,
    ),
    # Mean instead of median: -2 (Q3).
    (
        "mean_not_median",
        {
            "q3_median_recorded_life": (
                'recorded = timeline[timeline["ended"].notna()]\n'
                'median_recorded_life = float((recorded["ended"] - recorded["date"]).dt.days.mean())'
            )
        },
        10,
    ),
    # Right value, wrong type: numpy.float64 from Series.median() is not a plain float: -2 (Q3).
    (
        "wrong_type_numpy_float",
        {
            "q3_median_recorded_life": (
                'recorded = timeline[timeline["ended"].notna()]\n'
                'median_recorded_life = (recorded["ended"] - recorded["date"]).dt.days.median()'
            )
        },
        10,
    ),
    # Wrong denominator: keeps the instruments whose force is "n/a" (the AI Safety Institute,
    # CAISI) in the denominator, which the prompt says to leave out: -2 (Q4).
    (
        "wrong_denominator_na_counted",
        {
            "q4_voluntary_shares": (
                "from course.timeline import with_administration\n"
                "admin = with_administration(timeline)\n"
                'ins = admin[admin["kind"] != "event"]\n'
                'shares = [float((ins.loc[ins["administration"] == w, "force"] == "voluntary").mean())\n'
                '          for w in ("Biden", "Trump II")]\n'
                "voluntary_shares = tuple(shares)"
            )
        },
        10,
    ),
    # Calendar years instead of administrations (2021-2024 against 2025-2026), which moves the
    # 1 January 2021 Act into the first group and the BIS rule of 15 January 2025 into the
    # second: -2 (Q4).
    (
        "calendar_years_not_administrations",
        {
            "q4_voluntary_shares": (
                'ins = timeline[(timeline["kind"] != "event") & '
                'timeline["force"].isin(["binding", "voluntary"])]\n'
                'year = ins["date"].dt.year\n'
                'early = ins.loc[year.between(2021, 2024), "force"] == "voluntary"\n'
                'late = ins.loc[year.between(2025, 2026), "force"] == "voluntary"\n'
                "voluntary_shares = (float(early.mean()), float(late.mean()))"
            )
        },
        10,
    ),
    # Periods swapped: the right two numbers in the wrong order: -2 (Q4).
    (
        "administrations_swapped",
        {
            "q4_voluntary_shares": (
                "from course.timeline import with_administration\n"
                "admin = with_administration(timeline)\n"
                'rated = admin[(admin["kind"] != "event") & admin["force"].isin(["binding", "voluntary"])]\n'
                'shares = [float((rated.loc[rated["administration"] == w, "force"] == "voluntary").mean())\n'
                '          for w in ("Trump II", "Biden")]\n'
                "voluntary_shares = tuple(shares)"
            )
        },
        10,
    ),
    # Loose rule: course.timeline.in_force_on keeps the superseded OMB memo M-21-06, which has
    # no end date, and so answers a different question: -3 (Q5).
    (
        "loose_in_force_on",
        {
            "q5_in_force_before_handover": (
                "from course.timeline import in_force_on\n"
                'rows = in_force_on(timeline, "2025-01-19")\n'
                'in_force_before_handover = sorted(rows.loc[rows["force"] == "binding", '
                '"event_id"].tolist())'
            )
        },
        9,
    ),
    # Wrong day: inauguration day itself, 20 January 2025, drops EO 14110 and adds EO 14148: -3 (Q5).
    (
        "wrong_day_inauguration",
        {
            "q5_in_force_before_handover": (
                'day = pd.Timestamp("2025-01-20")\n'
                'rows = timeline[(timeline["kind"] != "event") & (timeline["force"] == "binding")]\n'
                'ok = (rows["date"] <= day) & ((rows["status"] == "in force") | (rows["ended"] > day))\n'
                'in_force_before_handover = sorted(rows.loc[ok, "event_id"].tolist())'
            )
        },
        9,
    ),
    # Copied from the lesson: the binding instruments lesson 01 finds in force on the day of the
    # Senate's moratorium vote (1 July 2025), not on 19 January 2025: -3 (Q5).
    (
        "copies_lesson_vote_day",
        {
            "q5_in_force_before_handover": (
                "from course.timeline import in_force_on\n"
                'rows = in_force_on(timeline, "2025-07-01")\n'
                'in_force_before_handover = sorted(rows.loc[rows["force"] == "binding", '
                '"event_id"].tolist())'
            )
        },
        9,
    ),
    # An object whose __eq__ always answers True, and a list subclass that does the same: the
    # type checks must reject both before any comparison: -2 (Q1) -3 (Q5).
    (
        "always_equal_objects",
        {
            "q1_claimed_and_signed": (
                "class Yes(list):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                'claimed_and_signed = Yes(["pre-release-review"])'
            ),
            "q5_in_force_before_handover": (
                "class Any:\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = object.__hash__\n\n\n"
                "in_force_before_handover = Any()"
            ),
        },
        7,
    ),
    # A float subclass that equals everything and a tuple subclass likewise: -2 (Q3) -2 (Q4).
    (
        "always_equal_float_and_tuple",
        {
            "q3_median_recorded_life": (
                "class Sly(float):\n"
                "    __eq__ = lambda self, other: True\n"
                "    __hash__ = float.__hash__\n\n\n"
                "median_recorded_life = Sly(1.0)"
            ),
            "q4_voluntary_shares": (
                "class Yes2(tuple):\n"
                "    __eq__ = lambda self, other: True\n\n\n"
                "voluntary_shares = Yes2((0.5, 0.5))"
            ),
        },
        8,
    ),
    # Changing the shared data: the answer cell relabels EO 14110 as voluntary in `timeline`
    # itself, then answers consistently with the damaged frame. The hidden test reloads the
    # data, so the list is still wrong: -3 (Q5), the last code question.
    (
        "mutates_shared_timeline",
        {
            "q5_in_force_before_handover": (
                'timeline.loc[timeline["event_id"] == "eo-14110", "force"] = "voluntary"\n'
                'day = pd.Timestamp("2025-01-19")\n'
                'rows = timeline[(timeline["kind"] != "event") & (timeline["force"] == "binding")]\n'
                'ok = (rows["date"] <= day) & ((rows["status"] == "in force") | (rows["ended"] > day))\n'
                'in_force_before_handover = sorted(rows.loc[ok, "event_id"].tolist())'
            )
        },
        9,
    ),
]

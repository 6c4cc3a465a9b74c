"""Known-wrong submissions for ``ps06-memo`` and the autograded score each must get.

The harness starts from the source notebook (every answer right, 11 autograded points),
replaces the source of the answer cells named by ``grade_id`` with the code given here,
autogrades, and compares the autograded total with the expected score. Each replacement
defines the same names as the reference answer, so only the tests decide the points.

Points per question: Q1 3, Q2 3, Q3 3, Q4 2 (total 11; Q5 and the memo are written and manually
graded, so they are not part of the autograded total). Q4 calls the Q3 function, so a case that
replaces only Q3 also decides Q4 with the replaced function.
"""

AUTOGRADED_TOTAL = 11

# The reference Q3 answer, reused by cases that break other questions.
_PEAK = (
    "def peak_reviews(models, line, window_days):\n"
    "    if not line > 0:\n"
    '        raise ValueError("line must be positive")\n'
    "    if window_days < 1:\n"
    '        raise ValueError("window_days must be at least 1")\n'
    "    under_review = {}\n"
    '    for released in models.loc[models["training_flop"] > line, "release_date"]:\n'
    "        last_day = released - pd.Timedelta(days=1)\n"
    "        for day in pd.date_range(end=last_day, periods=int(window_days)):\n"
    "            under_review[day] = under_review.get(day, 0) + 1\n"
    "    return int(max(under_review.values(), default=0))\n"
)

CASES = [
    # Not wrong: other correct ways to the answers (value_counts with normalize; the first row
    # per organisation after sorting by date; windows as sets of dates, counted with a Counter).
    # The tests must not reject them: full marks.
    (
        "correct_alternatives",
        {
            "q1_speculative_share": (
                'above = models.query("training_flop > @DRAFT_LINE")\n'
                "speculative_share = float(\n"
                '    above["epoch_confidence"].value_counts(normalize=True).get("Speculative", 0.0)\n'
                ")"
            ),
            "q2_first_above": (
                "first_above = (\n"
                '    models[models["training_flop"] > DRAFT_LINE]\n'
                '    .sort_values("release_date")\n'
                '    .drop_duplicates("organisation")\n'
                '    .set_index("organisation")["release_date"]\n'
                ")"
            ),
            "q3_peak_reviews": (
                "from collections import Counter\n\n\n"
                "def peak_reviews(models, line, window_days):\n"
                "    if line <= 0 or window_days < 1:\n"
                '        raise ValueError("line must be positive and window_days at least 1")\n'
                "    counter = Counter()\n"
                '    for released in models[models["training_flop"] > line]["release_date"]:\n'
                "        counter.update(\n"
                "            released - pd.Timedelta(days=k) for k in range(1, window_days + 1)\n"
                "        )\n"
                "    return max(counter.values()) if counter else 0\n"
            ),
            "q4_peaks": (
                "peaks = {}\n"
                "for days in [30, 60, 90]:\n"
                "    peaks[days] = peak_reviews(models, DRAFT_LINE, days)"
            ),
        },
        11,
    ),
    # Wrong filter: counts "Likely" as weak too ("not Confident"), which is not the question's
    # label. Only Q1's hidden value fails: -3.
    (
        "not_confident_is_not_speculative",
        {
            "q1_speculative_share": (
                "above = models[models['training_flop'] > DRAFT_LINE]\n"
                "speculative_share = float((above['epoch_confidence'] != 'Confident').mean())"
            )
        },
        8,
    ),
    # Copies a number printed in lesson 02 (12 of the 17 rows without a parameter count are
    # Speculative) instead of computing the share above the line: -3 (Q1).
    ("copies_lesson_share", {"q1_speculative_share": "speculative_share = 12 / 17"}, 8),
    # A percentage where a share is asked: the visible range check fails: -3 (Q1).
    (
        "percentage_not_share",
        {
            "q1_speculative_share": (
                "above = models[models['training_flop'] > DRAFT_LINE]\n"
                "speculative_share = float((above['epoch_confidence'] == 'Speculative').mean() * 100)"
            )
        },
        8,
    ),
    # The 10^25 line of lesson 02 instead of the draft's line: more organisations, other dates:
    # -3 (Q2).
    (
        "lesson_line_not_draft_line",
        {
            "q2_first_above": (
                "above = models[models['training_flop'] > 1e25]\n"
                "first_above = above.groupby('organisation', observed=True)['release_date']"
                ".min().sort_values()"
            )
        },
        8,
    ),
    # Sorted by organisation name, not by date: the visible sort check fails: -3 (Q2).
    (
        "sorted_by_name",
        {
            "q2_first_above": (
                "above = models[models['training_flop'] > DRAFT_LINE]\n"
                "first_above = above.groupby('organisation', observed=True)['release_date'].min()"
                ".sort_index()"
            )
        },
        8,
    ),
    # The last model above the line instead of the first: -3 (Q2).
    (
        "last_not_first",
        {
            "q2_first_above": (
                "above = models[models['training_flop'] > DRAFT_LINE]\n"
                "first_above = above.groupby('organisation', observed=True)['release_date']"
                ".max().sort_values()"
            )
        },
        8,
    ),
    # Off by one: counts both ends, so each window is one day too long and windows that only
    # touch overlap; the visible toy case still passes but a hidden one fails: -3 (Q3). On the
    # real data the longer windows happen to give the same peaks, so Q4 keeps its points.
    (
        "window_one_day_too_long",
        {
            "q3_peak_reviews": _PEAK.replace(
                "periods=int(window_days)", "periods=int(window_days) + 1"
            )
        },
        8,
    ),
    # No check of the arguments: a window of 0 days returns 0 instead of raising: -3 (Q3); the
    # peaks of Q4 are right.
    (
        "no_value_error",
        {
            "q3_peak_reviews": _PEAK.replace(
                '    if not line > 0:\n        raise ValueError("line must be positive")\n'
                '    if window_days < 1:\n        raise ValueError("window_days must be at least 1")\n',
                "",
            )
        },
        8,
    ),
    # Counts releases, not overlapping windows: the number of models above the line, whatever
    # the window: -3 (Q3), and Q4's peaks are all that count, which passes its visible checks
    # but not its hidden values: -2 (Q4).
    (
        "counts_models_not_overlaps",
        {
            "q3_peak_reviews": (
                "def peak_reviews(models, line, window_days):\n"
                "    if line <= 0 or window_days < 1:\n"
                '        raise ValueError("bad arguments")\n'
                "    return int((models['training_flop'] > line).sum())\n"
            )
        },
        6,
    ),
    # A numpy integer where an int is asked (max over a pandas Series): -3 (Q3), and Q4's peaks
    # are numpy integers too: -2 (Q4).
    (
        "numpy_int",
        {
            "q3_peak_reviews": (
                "def peak_reviews(models, line, window_days):\n"
                "    if line <= 0 or window_days < 1:\n"
                '        raise ValueError("bad arguments")\n'
                "    days = pd.Series(dtype='datetime64[ns]')\n"
                "    parts = [\n"
                "        pd.Series(pd.date_range(end=r - pd.Timedelta(days=1), periods=window_days))\n"
                "        for r in models.loc[models['training_flop'] > line, 'release_date']\n"
                "    ]\n"
                "    if not parts:\n"
                "        return 0\n"
                "    days = pd.concat(parts)\n"
                "    return days.value_counts().max()\n"
            )
        },
        6,
    ),
    # Window lengths as strings: the visible key check fails: -2 (Q4).
    (
        "string_keys",
        {"q4_peaks": "peaks = {str(d): peak_reviews(models, DRAFT_LINE, d) for d in (30, 60, 90)}"},
        9,
    ),
]

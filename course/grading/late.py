"""The course's late-submission penalty (an nbgrader plugin) and its part of the report.

nbgrader computes a penalty for each late notebook when it autogrades it
(``AssignLatePenalties``), through a ``LateSubmissionPlugin``; its own plugin knows only
"none" and "zero". :class:`PerDayPenalty` takes a share of the notebook's score per day,
or part of a day, past the student's due date (the assignment's due date plus any
extension, see :mod:`course.grading.extensions`), capped. The course root's
``nbgrader_config.py`` chooses it::

    c.AssignLatePenalties.plugin_class = "course.grading.late.PerDayPenalty"
    c.PerDayPenalty.percent_per_day = 10.0

nbgrader computes the penalty from the score at autograding time, before written answers
are graded; ``course regrade ID STUDENT`` after manual grading recomputes it from the
whole score (manual scores are kept).

Examples
--------
>>> plugin = PerDayPenalty(percent_per_day=10.0)
>>> plugin.late_submission_penalty("ada", 8.0, 30 * 3600)  # 30 h late: two days started
1.6
>>> plugin.late_submission_penalty("ada", 8.0, 0) is None
True
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

__all__ = ["PerDayPenalty", "days_late", "html_section", "late_rows"]

DAY = 86_400.0


def days_late(seconds_late: float, grace_minutes: float = 0.0) -> int:
    """Days, or parts of a day, after the grace period: 0 s -> 0, 1 s -> 1, 25 h -> 2.

    >>> days_late(0), days_late(1), days_late(25 * 3600), days_late(600, grace_minutes=15)
    (0, 1, 2, 0)
    """
    late = float(seconds_late) - 60.0 * float(grace_minutes)
    return 0 if late <= 0 else math.ceil(late / DAY)


class PerDayPenalty(LateSubmissionPlugin):
    """``percent_per_day`` of the notebook's score per started day late, up to ``max_percent``."""

    percent_per_day = Float(
        10.0, help="Share of the notebook's score taken per day (or part of one) late, in %."
    ).tag(config=True)
    max_percent = Float(100.0, help="The largest share taken, in %.").tag(config=True)
    grace_minutes = Float(
        0.0, help="Minutes after the due date before a submission counts as late."
    ).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = days_late(total_seconds_late, self.grace_minutes)
        if days == 0:
            return None
        share = min(self.max_percent, days * self.percent_per_day) / 100.0
        penalty = round(float(score) * share, 6)
        self.log.info(
            "%s is %d day(s) late: penalty %g (%g %% of %g)",
            student_id,
            days,
            penalty,
            share * 100,
            score,
        )
        return penalty


def late_rows(rows: list[dict]) -> list[list[str]]:
    """The rows of the report's table of late or extended submissions.

    ``rows`` holds one dict per student with ``student``, ``raw_score``, ``late_penalty``,
    ``seconds_late`` and ``extension`` (a ``timedelta`` or None); students neither late nor
    extended are left out. Each row: student, extension, late by, score, penalty, final score.

    >>> late_rows([{"student": "ada", "raw_score": 3, "late_penalty": 1, "seconds_late": 5400}])
    [['ada', '', '1 h 30 min', '3', '1', '2']]
    """
    shown = [
        r for r in rows if r.get("late_penalty") or r.get("seconds_late") or r.get("extension")
    ]
    table = []
    for r in shown:
        raw = float(r.get("raw_score") or 0.0)
        penalty = float(r.get("late_penalty") or 0.0)
        extension = r.get("extension")
        late = float(r.get("seconds_late") or 0.0)
        table.append(
            [
                str(r["student"]),
                _duration(extension.total_seconds()) if extension else "",
                _duration(late) if late else "on time",
                f"{raw:g}",
                f"{penalty:g}",
                f"{max(0.0, raw - penalty):g}",
            ]
        )
    return table


def html_section(rows: list[dict]) -> str:
    """The report's "Late submissions and extensions" section (template ``late.html.j2``).

    ``rows`` as for :func:`late_rows`.

    >>> html_section([])
    '<h2>Late submissions and extensions</h2>\\n<p>No submission was late and nobody has an extension.</p>'
    """
    from course.grading.pages import render

    return render("late.html.j2", rows=late_rows(rows))


def _duration(seconds: float) -> str:
    """``seconds`` as days, hours and minutes, e.g. ``1 d 2 h``."""
    minutes = int(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
    ]
    return " ".join(p for p in parts if p) or "0 min"

"""The instructor's grading pipeline around nbgrader: parallel, sandboxed, resumable.

``course grade ASSIGNMENT`` (see :func:`grade`) grades ``ROOT/submitted/*/ASSIGNMENT/``
into the course's ordinary nbgrader gradebook. This package depends on nbgrader and on
nothing in the teaching modules.
"""

from course.grading.config import CourseConfig, load_course_config
from course.grading.results import Ledger, Result, Status
from course.grading.runner import NOT_SANDBOXED, GradingReport, format_summary, grade
from course.grading.sandbox import bwrap_available

__all__ = [
    "NOT_SANDBOXED",
    "CourseConfig",
    "GradingReport",
    "Ledger",
    "Result",
    "Status",
    "bwrap_available",
    "format_summary",
    "grade",
    "load_course_config",
]

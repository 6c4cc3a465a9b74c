"""``course regrade ID STUDENT``: grade one student again, in one command.

For a student whose work was collected again, who got an extension after grading, or whose
written answers were graded after autograding (nbgrader's late penalty is computed when a
notebook is autograded, so it then counts the manual scores too). It runs ``course grade``
for that student only, with ``force`` (everyone else's grades and ledger lines stay as they
are; manual scores and comments in the gradebook are kept, as nbgrader keeps them), then
rewrites that student's feedback pages.

Examples
--------
>>> regrade("/nonexistent", "ps01", "ada")
Traceback (most recent call last):
...
ValueError: ada has no submission of ps01 in /nonexistent/submitted: collect it first ...
"""

from __future__ import annotations

import glob
from pathlib import Path

__all__ = ["regrade"]


def regrade(
    root: str | Path,
    assignment: str,
    student: str,
    *,
    db_url: str | None = None,
    feedback: bool = True,
    progress: bool = False,
):
    """Regrade ``student`` on ``assignment``; return ``(report, feedback pages)``.

    ``student`` is an exact id (no glob). ``report`` is the
    :class:`~course.grading.runner.GradingReport` of that one student.
    """
    from course.grading import feedback as feedback_pages
    from course.grading.runner import grade

    root = Path(root)
    if not student or student != student.strip() or "/" in student:
        raise ValueError(f"student id {student!r} is not one: give it as in submitted/")
    folder = root / "submitted" / student / assignment
    if not folder.exists() and not folder.is_symlink():
        raise ValueError(
            f"{student} has no submission of {assignment} in {root / 'submitted'}: collect it "
            "first (nbgrader collect, or formgrader's Collect) and check the spelling"
        )
    exact = glob.escape(student)
    report = grade(
        root, assignment, student=exact, force=True, jobs=1, db_url=db_url, progress=progress
    )
    pages = []
    if feedback and report.ok:
        pages = feedback_pages.generate(root, assignment, student=exact)
    return report, pages

"""One grading pipeline for every door: ``course grade``, ``nbgrader autograde``, formgrader.

:func:`configure` sets nbgrader's own configurable preprocessor lists so that whoever
starts nbgrader's ``Autograde`` or ``GenerateFeedback`` converter (``course grade``'s
workers, ``nbgrader autograde`` and ``nbgrader generate_feedback`` on the command line,
formgrader's Autograde and Generate Feedback buttons) gets the same verified, sandboxed
grading and the same hidden-test-free feedback:

* ``Autograde.sanitize_preprocessors`` start with :class:`VerifySubmission` (the checks of
  :mod:`course.grading.submissions`: no symlink, hard link, special or over-size file, a
  student id nbgrader would read as a pattern), then nbgrader's own sanitising with the gradebook's metadata put
  back (:class:`~course.grading.verified.RestoreCellMetadata`);
* ``Autograde.autograde_preprocessors`` use
  :class:`~course.grading.verified.VerifiedExecute` (verdicts outside the kernel, hidden
  tests never in the kernel) with the kernel in
  :class:`~course.grading.sandbox.SandboxedKernelManager`;
* ``GenerateFeedback.preprocessors`` end with :class:`~course.grading.visible.StudentView`.

The course root's ``nbgrader_config.py`` calls :func:`configure`; the worker loads that
file, so both run the very same lists.

Examples
--------
>>> from traitlets.config import Config
>>> c = Config()
>>> configure(c, "/course")
>>> [p.__name__ for p in c.Autograde.autograde_preprocessors][:1]
['VerifiedExecute']
>>> c.GenerateFeedback.preprocessors[-1].__name__
'StudentView'
"""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

from course.grading.submissions import MAX_BYTES, check_student_id, check_submission

__all__ = ["VerifySubmission", "configure"]


class VerifySubmission(NbGraderPreprocessor):
    """Refuse a submission that :func:`~course.grading.submissions.check_submission` refuses.

    Runs first in ``Autograde.sanitize_preprocessors``: the student's submitted folder is
    checked (lstat only) before any kernel runs, whichever door started the grading. A
    refusal raises, so nbgrader records no grade for that student and goes on with the
    others.
    """

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader") or {}
        student, assignment = str(info.get("student", "")), str(info.get("assignment", ""))
        coursedir = CourseDirectory(config=self.config)
        reason = check_student_id(student)
        if reason is None:
            submitted = Path(coursedir.root) / coursedir.submitted_directory / student
            source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
            notebooks = sorted(p.name for p in source.glob("*.ipynb"))
            reason = check_submission(
                submitted / assignment, notebooks, MAX_BYTES, student_dir=submitted
            )
        if reason:
            raise RuntimeError(f"refused before grading: {reason}")
        return nb, resources


def configure(c, root: str | os.PathLike, *, sandbox: bool | None = None) -> None:
    """Route nbgrader's Autograde and GenerateFeedback through the course's pipeline.

    ``c`` is the traitlets config of an ``nbgrader_config.py`` (or any
    :class:`~traitlets.config.Config`); ``root`` the course root. ``sandbox`` defaults to
    whether bubblewrap works here (when it does not, kernels run with caps only, and
    ``course grade`` says so loudly).
    """
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearOutput,
        DeduplicateIds,
        GetGrades,
        IgnorePattern,
        LimitOutput,
        OverwriteCells,
        OverwriteKernelspec,
        SaveAutoGrades,
    )

    from course.grading.config import find_tools
    from course.grading.extensions import ApplyExtensions
    from course.grading.verified import RestoreCellMetadata, VerifiedExecute
    from course.grading.visible import StudentView

    find_tools()  # nbgrader runs `alembic` on a fresh gradebook, even when run by its path
    root = str(Path(root).resolve())
    if sandbox is None:
        from course.grading.sandbox import bwrap_available

        sandbox = bwrap_available()
    c.Autograde.sanitize_preprocessors = [
        VerifySubmission,
        ClearOutput,
        RestoreCellMetadata,
        DeduplicateIds,
        OverwriteKernelspec,
        OverwriteCells,
        CheckCellMetadata,
    ]
    c.Autograde.autograde_preprocessors = [
        VerifiedExecute,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        ApplyExtensions,  # ROOT/extensions.csv, read just before the late penalty
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, StudentView]
    c.OverwriteCells.add_missing_cells = True
    # nbgrader copies a submission's other files before any preprocessor runs: it skips
    # files over this size (apparent size) instead of copying them
    c.CourseDirectory.max_file_size = MAX_BYTES // 1000
    c.Execute.kernel_manager_class = "course.grading.sandbox.SandboxedKernelManager"
    c.VerifiedExecute.kernel_manager_class = "course.grading.sandbox.SandboxedKernelManager"
    c.SandboxedKernelManager.sandbox = bool(sandbox)
    c.VerifiedExecute.course_root = root
    c.VerifiedExecute.shutdown_kernel = "immediate"

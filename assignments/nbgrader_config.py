"""nbgrader configuration of the course root (this folder).

``make lab`` starts JupyterLab at the repository root; the root's
``nbgrader_config.py`` loads this file, so formgrader and the command line see
the same course whichever folder they start in.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "ai-policy-course"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
# Release, fetch, submit and collect go through this folder (created by `make lab`).
c.Exchange.root = str(HERE / "exchange")

# What students see in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Grading: restore deleted or edited test cells from the gradebook's copy, and bound the
# time a cell may run so a looping submission cannot stall a batch.
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 60

# Late work: nbgrader's late penalty with the course's plugin, 10 % of the notebook's score
# per day (or part of one) past the due date plus the student's extension
# (extensions.csv here; see course/grading/late.py and course/grading/extensions.py).
# Due dates: formgrader's Manage Assignments, or `nbgrader db assignment add ID --duedate=...`.
c.AssignLatePenalties.plugin_class = "course.grading.late.PerDayPenalty"
c.PerDayPenalty.percent_per_day = 10.0

# Every nbgrader door grades like `course grade`: `nbgrader autograde`, `nbgrader
# generate_feedback` and formgrader's Autograde / Generate Feedback buttons run the
# course's verified, sandboxed preprocessors and build feedback without hidden tests.
from course.grading.pipeline import configure  # noqa: E402

configure(c, HERE)

# On a JupyterHub (deploy/jupyterhub/) the hub hands every server the shared exchange and,
# optionally, a gradebook URL (PostgreSQL); they win over the local defaults above.
if os.environ.get("COURSE_EXCHANGE"):
    c.Exchange.root = os.environ["COURSE_EXCHANGE"]
if os.environ.get("COURSE_DB_URL"):
    c.CourseDirectory.db_url = os.environ["COURSE_DB_URL"]

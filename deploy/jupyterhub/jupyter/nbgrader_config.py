"""nbgrader settings of every server the hub starts (students, instructors, the formgrader).

The hub puts this folder on ``JUPYTER_CONFIG_PATH`` and sets the variables read here
(see ``jupyterhub_config.py`` beside it). The course root's own ``nbgrader_config.py``
is read after this file and honours ``COURSE_EXCHANGE`` and ``COURSE_DB_URL`` too.
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets

c.CourseDirectory.course_id = os.environ["COURSE_ID"]
c.Exchange.root = os.environ["COURSE_EXCHANGE"]
# Who belongs to the course is the hub's groups: nbgrader-<course> students may fetch and
# submit, formgrade-<course> members may grade.
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
if os.environ.get("COURSE_ROOT"):  # the formgrader service
    c.CourseDirectory.root = os.environ["COURSE_ROOT"]

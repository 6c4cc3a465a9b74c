"""nbgrader finds this file when JupyterLab or `nbgrader` starts at the repository root.

The course root is ``assignments/``; its own configuration holds the settings.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - injected by traitlets
load_subconfig(str(Path(__file__).resolve().parent / "assignments" / "nbgrader_config.py"))  # noqa: F821

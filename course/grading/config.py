"""The course's nbgrader configuration, read once through nbgrader's own machinery.

Every part of the grading package (runner, worker, report, feedback, the cluster and LMS
code) asks :func:`load_course_config` instead of re-reading ``nbgrader_config.py`` by
hand. It loads the course root's ``nbgrader_config.py`` with traitlets' loader (as
nbgrader does), applies the caller's overrides (``db_url``, the cell timeout), and reads
each setting from the nbgrader class that owns it, so nbgrader's defaults apply where the
course sets nothing: the gradebook URL from ``CourseDirectory``, the cell timeout from
``Execute``, the solution delimiters from ``ClearSolutions`` and the hidden-test delimiters
from ``ClearHiddenTests``.

Examples
--------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "nbgrader_config.py").write_text("c = get_config()\\nc.Execute.timeout = 7\\n")
>>> cfg = load_course_config(root, db_url="sqlite:////tmp/other.db")
>>> cfg.cell_timeout, cfg.db_url
(7, 'sqlite:////tmp/other.db')
>>> cfg.hidden_test_delimiters[0].split()[0]
'BEGIN'
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

__all__ = ["CONFIG_FILE", "CourseConfig", "find_tools", "load_course_config"]

CONFIG_FILE = "nbgrader_config.py"
"""The file nbgrader reads in a course root."""


@dataclass(frozen=True)
class CourseConfig:
    """What the grading package needs to know about a course, with nbgrader's defaults.

    ``config`` is the merged traitlets :class:`~traitlets.config.Config` (the course file
    plus the overrides): pass it to nbgrader's apps and preprocessors.
    """

    root: Path
    db_url: str
    cell_timeout: int
    solution_delimiters: tuple[str, str]
    hidden_test_delimiters: tuple[str, str]
    config: Config = field(repr=False, compare=False)

    @property
    def sqlite_path(self) -> Path | None:
        """The gradebook file when ``db_url`` is a ``sqlite:///`` URL, else None."""
        if not self.db_url.startswith("sqlite:///"):
            return None
        path = Path(self.db_url.removeprefix("sqlite:///").split("?", 1)[0])
        return path if path.is_absolute() else self.root / path


def load_course_config(
    root: str | Path,
    *,
    db_url: str | None = None,
    cell_timeout: int | None = None,
) -> CourseConfig:
    """Read the course root's ``nbgrader_config.py`` once (through traitlets) with overrides.

    Parameters
    ----------
    root : the nbgrader course root.
    db_url : a gradebook URL that wins over the configured one (``course grade --db-url``).
    cell_timeout : seconds a cell may run, winning over ``Execute.timeout``.

    Raises
    ------
    ValueError
        when the configuration file cannot be loaded, or an override is malformed.
    """
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions, Execute

    root = Path(root).resolve()
    config = Config()
    if (root / CONFIG_FILE).is_file():
        try:
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config())
        except Exception as exc:  # traitlets re-raises whatever the file raised
            raise ValueError(
                f"{root / CONFIG_FILE} could not be loaded ({type(exc).__name__}: {exc}); "
                "fix the file or point --course at the right course root"
            ) from exc
    config.CourseDirectory.root = str(root)
    if db_url is not None:
        if not isinstance(db_url, str) or "://" not in db_url:
            raise ValueError(
                f"--db-url {db_url!r} is not a database URL: give one such as "
                "sqlite:////path/gradebook.db or postgresql+psycopg2://user@host/gradebook"
            )
        config.CourseDirectory.db_url = db_url
    if cell_timeout is not None:
        if type(cell_timeout) is not int or cell_timeout <= 0:
            raise ValueError(f"cell timeout {cell_timeout!r} must be a positive whole number")
        config.Execute.timeout = cell_timeout
    coursedir = CourseDirectory(config=config)
    url = coursedir.db_url or f"sqlite:///{root / 'gradebook.db'}"
    timeout = Execute(config=config).timeout
    if not isinstance(timeout, int) or timeout <= 0:
        timeout = 60  # nbgrader's None means no limit; grading always has one
    solutions = ClearSolutions(config=config)
    hidden = ClearHiddenTests(config=config)
    return CourseConfig(
        root=root,
        db_url=str(url),
        cell_timeout=int(timeout),
        solution_delimiters=(solutions.begin_solution_delimeter, solutions.end_solution_delimeter),
        hidden_test_delimiters=(hidden.begin_test_delimeter, hidden.end_test_delimeter),
        config=config,
    )


def find_tools() -> str:
    """Put this Python environment's ``bin`` folder first on ``PATH``; return that folder.

    nbgrader runs ``alembic`` as a command when it creates or upgrades a gradebook, so
    ``.venv/bin/course grade`` run by its path (the venv not activated) would otherwise
    fail on a fresh gradebook. Worker processes inherit the fixed ``PATH``.
    """
    folder = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if not parts or parts[0] != folder:
        os.environ["PATH"] = os.pathsep.join([folder, *(p for p in parts if p and p != folder)])
    return folder

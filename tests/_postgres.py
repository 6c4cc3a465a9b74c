"""A real, throw-away PostgreSQL server for the gradebook tests (Debian's ``postgresql``).

:func:`postgres_server` runs ``initdb`` and ``pg_ctl`` as an unprivileged user (``nobody``
when the tests run as root, since PostgreSQL refuses to run as root), on a private socket
folder with no TCP port, and stops it and removes its files afterwards. Where the server
programs are missing the test is skipped with how to install them, except under
``CI=true`` where it fails: ``.ci/run`` installs the package.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from _support import in_ci

INSTALL_HINT = (
    "Install PostgreSQL's server with `apt-get install -y postgresql` (Debian/Ubuntu, as root); "
    "set COURSE_PG_BIN to the folder holding initdb and pg_ctl to use another build."
)


@dataclass
class Server:
    """A running server: its socket folder, its database and the gradebook URL."""

    bindir: Path
    socket_dir: Path
    user: str
    database: str

    @property
    def url(self) -> str:
        """The SQLAlchemy URL nbgrader's ``db_url`` takes (the driver must be named)."""
        return f"postgresql+psycopg2://{self.user}@/{self.database}?host={self.socket_dir}"

    def connect(self):
        import psycopg2

        return psycopg2.connect(dbname=self.database, user=self.user, host=str(self.socket_dir))

    def connections(self) -> int:
        """Client connections to the gradebook database now (this query's own excluded)."""
        with contextlib.closing(self.connect()) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            )
            return int(cur.fetchone()[0])


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: COURSE_PG_BIN, PATH, or Debian's layout."""
    candidates = [os.environ.get("COURSE_PG_BIN", "")]
    if shutil.which("initdb"):  # often a link into Debian's versioned folder
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and all((Path(folder) / exe).is_file() for exe in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


def require_postgres() -> Path:
    bindir = find_bindir()
    missing = None
    if bindir is None:
        missing = "no PostgreSQL server programs (initdb, pg_ctl) found"
    else:
        try:
            import psycopg2  # noqa: F401
        except ImportError as error:
            missing = f"psycopg2 does not import ({error}); `pip install -e '.[dev]'` installs it"
    if missing:
        message = f"PostgreSQL test: {missing}. {INSTALL_HINT}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return bindir


@contextlib.contextmanager
def postgres_server(max_connections: int = 20, database: str = "gradebook") -> Iterator[Server]:
    """Start a server (``max_connections`` clients at most) and yield it; stop it after."""
    bindir = require_postgres()
    home = Path(tempfile.mkdtemp(prefix="course-pg-"))
    data, sockets = home / "data", home / "run"
    sockets.mkdir()
    demote: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("nobody")
        for path in (home, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
        demote = [
            "setpriv",
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--clear-groups",
            "--",
        ]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": str(home)}

    def run(*args: str) -> None:
        done = subprocess.run(
            [*demote, *args], env=env, cwd=home, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    import psycopg2

    user = "course"
    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8")
    options = (
        f"-k {sockets} -c listen_addresses='' -c max_connections={max_connections} -c fsync=off"
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(home / "log"),
        "-w",
        "start",
    )
    try:
        admin = psycopg2.connect(dbname="postgres", user=user, host=str(sockets))
        admin.autocommit = True
        with contextlib.closing(admin), admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{database}"')
        yield Server(bindir=bindir, socket_dir=sockets, user=user, database=database)
    finally:
        with contextlib.suppress(Exception):
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)

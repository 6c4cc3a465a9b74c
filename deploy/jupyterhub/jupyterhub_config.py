"""JupyterHub for one class of ai-policy-course: real Unix users, nbgrader's exchange, formgrader.

What runs where (step by step in README.md beside this file):

* the hub (this file), as root, on ``COURSE_HUB_IP:COURSE_HUB_PORT`` behind Debian's
  ``configurable-http-proxy``; it logs people in with their Unix password (PAM) and starts
  each one's JupyterLab as that Unix user (``LocalProcessSpawner``) from the course's Python
  environment, so every kernel is the course's ``python3`` kernel with ``course`` installed;
* the formgrader: a hub *service* named after the course, a JupyterLab run as the grader
  account ``grader-<course>`` in that account's home, which holds the instructor's checkout
  of the course (``<home>/ai-policy-course/assignments`` is the nbgrader course root: the
  source notebooks, solutions and the gradebook never leave that account);
* nbgrader's exchange: one shared folder (``COURSE_EXCHANGE``) through which release, fetch,
  submit, collect and feedback travel, with nbgrader's own permissions (inbound is
  write-only for students, so nobody can list another's submission). The hub makes the
  root ``1777`` (writable by all as nbgrader requires, and sticky, so nobody moves another's
  folder in it) and the course's folder in it the grader account's own, before any student
  could create or replace it.

Homes are private: the hub takes group and other access off the grader account's home when
it starts and off each user's home before it starts their server (``useradd -m`` on Debian
makes homes ``0755``, which would let every student read the source notebooks, the
gradebook and each other's work). So the course environment must live outside the grader's
home (e.g. ``/opt/ai-policy-course``), and so must this kit's folder; the hub refuses
to start otherwise.

Who may do what comes from nbgrader's groups: ``formgrade-<course>`` (instructors and graders)
may open the service, ``nbgrader-<course>`` (students) may fetch and submit. They are loaded
from ``COURSE_PEOPLE``, a CSV file ``username,role`` with role ``instructor``, ``grader`` or
``student``. Nobody else may log in.

Settings, all from the environment so one file serves every deployment (and the test):

=====================  ===========================================================
``COURSE_ID``          nbgrader course id and service name (``ai-policy-course``)
``COURSE_PEOPLE``      the people file (``/etc/ai-policy-course/people.csv``)
``COURSE_GRADER``      Unix account of the formgrader (``grader-<course>``)
``COURSE_ROOT``        nbgrader course root in that account
                       (``~grader/ai-policy-course/assignments``)
``COURSE_EXCHANGE``    the shared exchange folder (``/srv/nbgrader/exchange``)
``COURSE_DB_URL``      optional gradebook URL, e.g. PostgreSQL:
                       ``postgresql+psycopg2://grader@/gradebook?host=/run/postgresql``
``COURSE_VENV``        the course's environment (default: the one running the hub)
``COURSE_HUB_IP``,     where the proxy listens (``127.0.0.1``, ``8000``); put TLS in
``COURSE_HUB_PORT``    front of it (nginx, Caddy) for a real class
``COURSE_SERVICE_PORT`` the formgrader service's port (``9999``)
=====================  ===========================================================

Start it with ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` (as root).
"""

import csv
import importlib.util
import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - injected by traitlets

KIT = Path(__file__).resolve().parent
COURSE = os.environ.get("COURSE_ID", "ai-policy-course")
PEOPLE = Path(os.environ.get("COURSE_PEOPLE", "/etc/ai-policy-course/people.csv"))
GRADER = os.environ.get("COURSE_GRADER", f"grader-{COURSE}")
EXCHANGE = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
DB_URL = os.environ.get("COURSE_DB_URL", "")
VENV = Path(os.environ.get("COURSE_VENV", sys.prefix))
SERVICE_PORT = int(os.environ.get("COURSE_SERVICE_PORT", "9999"))
ROLES = ("instructor", "grader", "student")


def read_people(path: Path) -> dict[str, list[str]]:
    """The people file as {role: [username, ...]}; a clear error for a bad row."""
    if not path.is_file():
        raise SystemExit(
            f"COURSE_PEOPLE {path} does not exist: write a CSV file with a header "
            "'username,role' and one row per person (role: instructor, grader or student)"
        )
    people: dict[str, list[str]] = {role: [] for role in ROLES}
    with path.open(newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            name = (row.get("username") or "").strip()
            role = (row.get("role") or "").strip().lower()
            if not name or role not in ROLES:
                raise SystemExit(
                    f"{path} line {number}: need a username and a role among {', '.join(ROLES)} "
                    f"(got {row!r})"
                )
            people[role].append(name)
    return people


people = read_people(PEOPLE)
staff = people["instructor"] + people["grader"]
try:
    grader_home = Path(pwd.getpwnam(GRADER).pw_dir)
except KeyError:
    raise SystemExit(
        f"the grader account {GRADER!r} does not exist: create it (useradd -m {GRADER}) "
        "and put the instructor's checkout of the course in its home"
    ) from None
COURSE_ROOT = os.environ.get("COURSE_ROOT", str(grader_home / "ai-policy-course" / "assignments"))


def make_private(home: Path) -> None:
    """Take group and other access off a home folder (its owner keeps theirs)."""
    mode = home.stat().st_mode
    if mode & 0o077:
        home.chmod(mode & ~0o077)


def prepare_exchange(root: Path, course: str, owner: pwd.struct_passwd) -> None:
    """The exchange root ``1777`` and the course's folder in it owned by ``owner``.

    nbgrader needs a root every user may write to; without the sticky bit any user could
    also rename the course's folder and put one of their own in its place, which would
    receive everyone's submissions. The course folder is created here, as the grader's, so
    no student can create it first.
    """
    root.mkdir(parents=True, exist_ok=True)
    if root.is_symlink() or not root.is_dir():
        raise SystemExit(f"COURSE_EXCHANGE {root} must be a folder, not a link or a file")
    root.chmod(0o1777)
    folder = root / course
    if not folder.exists() and not folder.is_symlink():
        folder.mkdir(mode=0o755)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        folder.chmod(0o755)
    info = folder.lstat()
    if folder.is_symlink() or not folder.is_dir() or info.st_uid != owner.pw_uid:
        raise SystemExit(
            f"{folder} is not a folder of the grader account {owner.pw_name}: someone else "
            "created it. Look at what it holds, remove it and start the hub again."
        )


grader_account = pwd.getpwnam(GRADER)
# Every server reads these; in the grader's (private) home nobody else could.
shared = {"the course environment (COURSE_VENV)": VENV, "this kit's folder": KIT}
if VENV.resolve() == Path(sys.prefix).resolve():
    spec = importlib.util.find_spec("course")
    if spec is not None and spec.origin:
        shared["the installed course package"] = Path(spec.origin).parent
for what, path in shared.items():
    if path.resolve().is_relative_to(grader_home.resolve()):
        raise SystemExit(
            f"{what} {path} is inside the grader account's home {grader_home}, which must "
            "stay private: install the course (not editable) and copy deploy/jupyterhub "
            "into a folder every user can read, e.g. /opt/ai-policy-course (see README.md "
            "beside this file)"
        )
make_private(grader_home)
prepare_exchange(Path(EXCHANGE), COURSE, grader_account)

# ----------------------------------------------------------------------- the hub itself
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
# Debian's configurable-http-proxy keeps its modules in /usr/share/nodejs, where a Node.js
# from elsewhere (NodeSource, nvm) does not look: tell it.
if Path("/usr/share/nodejs/configurable-http-proxy").is_dir():
    c.ConfigurableHTTPProxy.command = [
        "env",
        f"NODE_PATH={os.pathsep.join(filter(None, ['/usr/share/nodejs', os.environ.get('NODE_PATH')]))}",
        "configurable-http-proxy",
    ]
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(staff + people["student"])
# The people file alone decides: without this, JupyterHub (5 and later) goes on letting in
# everyone already in its database, so a row deleted from the file would not lock them out.
c.Authenticator.allow_existing_users = False
c.JupyterHub.spawner_class = "localprocess"

# Every server runs from the course's environment: its python3 kernel has `course` installed
# at the locked versions, the same the grader uses.
course_env = {
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "COURSE_ID": COURSE,
    "COURSE_EXCHANGE": EXCHANGE,
    # nbgrader of every server reads the kit's nbgrader_config.py (course id, exchange,
    # groups-based access): JUPYTER_CONFIG_PATH puts it on the config path.
    "JUPYTER_CONFIG_PATH": str(KIT / "jupyter"),
}
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = dict(course_env)
c.Spawner.notebook_dir = "~"


def private_home_hook(spawner) -> None:
    """Before a server starts: its user's home readable by that user alone."""
    make_private(Path(pwd.getpwnam(spawner.user.name).pw_dir))


c.Spawner.pre_spawn_hook = private_home_hook

# -------------------------------------------------------------------- nbgrader's groups
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": [*staff, GRADER]},
    f"nbgrader-{COURSE}": {"users": list(people["student"])},
}
c.JupyterHub.load_roles = [
    {
        # instructors and graders open the formgrader service
        "name": f"formgrade-{COURSE}",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [
            f"access:services!service={COURSE}",
            "list:services",
            f"read:services!service={COURSE}",
        ],
    },
    {
        # students see the course in the Assignments tab
        "name": f"nbgrader-{COURSE}",
        "groups": [f"nbgrader-{COURSE}"],
        "scopes": ["list:services", f"read:services!service={COURSE}"],
    },
    {
        # nbgrader in a user's server asks the hub which groups its user is in
        "name": "server",
        "scopes": ["inherit"],
    },
    {
        # the formgrader reads group membership and adds students it is told about
        "name": f"{COURSE}-service",
        "services": [COURSE],
        "scopes": [
            "list:users",
            "read:users:groups",
            "list:groups",
            "read:groups",
            f"groups!group=nbgrader-{COURSE}",
        ],
    },
]

# ------------------------------------------------------------------------- formgrader
service_env = {
    **course_env,
    "COURSE_ROOT": COURSE_ROOT,
    "JUPYTERHUB_DEFAULT_URL": "/formgrader",
    "HOME": str(grader_home),
}
if DB_URL:
    service_env["COURSE_DB_URL"] = DB_URL
c.JupyterHub.services = [
    {
        "name": COURSE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [
            str(VENV / "bin" / "jupyterhub-singleuser"),
            f"--ServerApp.root_dir={grader_home}",
        ],
        "user": GRADER,
        "cwd": str(grader_home),
        "environment": service_env,
        "oauth_no_confirm": True,
    }
]

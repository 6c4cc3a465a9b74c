"""The deployment kit end to end: a real JupyterHub, real Unix users, nbgrader's exchange.

The test starts ``deploy/jupyterhub/jupyterhub_config.py`` (with a test authenticator in
place of PAM) on 127.0.0.1, creates three students, one instructor and the grader account
as Unix users, and plays a whole problem set through the hub's REST API and each person's
own server:

* the instructor generates and releases ps01 in the formgrader service;
* each student fetches it in their own JupyterLab, writes answers (all of the source's
  solutions, some of them, none) through the contents API and submits;
* the instructor collects, runs ``course grade`` in the formgrader service's kernel, enters
  a manual score through formgrader's REST API, writes feedback with ``course feedback``
  and releases it; each student fetches feedback and gets only their own.

It also checks that no student can open another's work, the source notebooks or the
gradebook, neither through the hub's routes nor from code in their own kernel, nor move
the course's folder in the exchange aside (homes are left as ``useradd`` makes them and
the exchange root ``0777``: the kit itself must close both). The
answers come from the source notebook's solutions, so the test follows ps01 as it changes.

Needs root (to create Unix users and for the hub to start servers as them) and Debian's
``configurable-http-proxy``: outside CI it skips with a message when either is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from _support import in_ci

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
KIT = REPO / "deploy" / "jupyterhub"
COURSE = "ai-policy-course"
ASSIGNMENT = "ps01-the-order"
VENV_BIN = Path(sys.executable).parent


def _require(condition: bool, message: str) -> None:
    if not condition:
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _world_runnable(path: Path) -> bool:
    """Whether any Unix user can run ``path`` (every folder above it searchable by others)."""
    real = path.resolve()
    if not real.is_file() or not real.stat().st_mode & 0o001:
        return False
    return all(parent.stat().st_mode & 0o001 for parent in real.parents)


def _course_env(scratch: Path) -> tuple[Path, dict[str, str]]:
    """This environment as every hub user can run it: its ``bin`` folder and extra variables.

    When this interpreter is reachable by everyone, that is this environment as it is. A
    Python kept where other users cannot go (pyenv's under ``/root``, say) is made reachable
    without touching its folder: its files are hard-linked (same file system, no copy) into
    ``scratch``, a virtual environment made from that link sees this environment's
    packages, scripts and Jupyter data, and ``LD_LIBRARY_PATH`` points at the linked
    ``libpython``. A real deployment installs the course environment in a shared place
    (e.g. ``/opt/ai-policy-course``) instead.
    """
    here = Path(sys.executable).parent
    if _world_runnable(Path(sys.executable)):
        return here, {}
    _require(
        all(p.stat().st_mode & 0o001 for p in (REPO, *REPO.parents)),
        f"the hub's users must read the course at {REPO}: put the checkout where every "
        "user can reach it (each folder above it o+x)",
    )
    base = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    linked = scratch / "python"
    _require(
        os.stat(base).st_dev == os.stat(scratch).st_dev,
        f"{sys.executable} is not runnable by other users and {base} is on another file "
        "system than /tmp: install the course into a Python every user can run",
    )
    skip = {base / "lib" / version / "site-packages", base / "lib" / version / "test"}
    shutil.copytree(
        base,
        linked,
        symlinks=True,
        copy_function=os.link,
        ignore=lambda folder, names: [n for n in names if Path(folder, n) in skip],
    )
    for folder in [linked, *(p for p in linked.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(folder.stat().st_mode | 0o055)
    extra = {"LD_LIBRARY_PATH": str(linked / "lib")}
    env = scratch / "env"
    subprocess.run(
        [str(linked / "bin" / version), "-m", "venv", "--without-pip", str(env)],
        check=True,
        env={**os.environ, **extra},
    )
    site_packages = Path(sys.prefix) / "lib" / version / "site-packages"
    (env / "lib" / version / "site-packages" / "course-env.pth").write_text(
        f"import site; site.addsitedir({str(site_packages)!r})\n"
    )
    for name in ("share", "etc"):
        if (Path(sys.prefix) / name).is_dir():
            (env / name).symlink_to(Path(sys.prefix) / name)
    for script in here.iterdir():
        target = env / "bin" / script.name
        if target.exists() or not script.is_file():
            continue
        with contextlib.suppress(UnicodeDecodeError, OSError):
            text = script.read_text()
            first, _, rest = text.partition("\n")
            if first.startswith("#!") and str(here) in first:
                target.write_text(f"#!{env / 'bin' / 'python'}\n{rest}")
                target.chmod(0o755)
    return env / "bin", extra


# ------------------------------------------------------------------ talking to the hub


class Hub:
    """The running hub: REST calls with a token, and code run in a server's kernel."""

    def __init__(self, port: int, admin_token: str):
        import requests

        self.url = f"http://127.0.0.1:{port}"
        self.port = port
        self.admin = admin_token
        self.proc = None
        self.http = requests.Session()

    def call(self, method: str, path: str, token: str, **kwargs):
        headers = {"Authorization": f"token {token}"}
        return self.http.request(
            method, self.url + path, headers=headers, timeout=120, allow_redirects=False, **kwargs
        )

    def api(self, method: str, path: str, **kwargs):
        response = self.call(method, "/hub/api" + path, self.admin, **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def wait(self, path: str, token: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"the hub exited ({self.proc.returncode})")
            with contextlib.suppress(Exception):
                last = self.call("GET", path, token)
                if last.status_code == 200:
                    return
            time.sleep(0.5)
        raise AssertionError(f"{path} did not answer 200 within {timeout} s (last: {last})")

    def start_server(self, user: str, token: str) -> str:
        self.api("POST", f"/users/{user}/server")
        base = f"/user/{user}"
        self.wait(f"{base}/api/status", token)
        return base

    def run(self, base: str, token: str, code: str, timeout: float = 600) -> str:
        """Run ``code`` in a new python3 kernel of the server at ``base``; return its stdout.

        Fails on an error in the code (with its traceback).
        """
        import websocket

        kernel = self.call("POST", f"{base}/api/kernels", token, json={"name": "python3"})
        assert kernel.status_code == 201, kernel.text
        kernel_id = kernel.json()["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}{base}/api/kernels/{kernel_id}/channels",
            header=[f"Authorization: token {token}"],
            timeout=timeout,
        )
        msg_id = uuid.uuid4().hex
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": "test",
                        "session": uuid.uuid4().hex,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        out, error = [], None
        try:
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream" and msg["content"]["name"] == "stdout":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = "\n".join(msg["content"]["traceback"])
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
        finally:
            ws.close()
            self.call("DELETE", f"{base}/api/kernels/{kernel_id}", token)
        assert error is None, f"code failed in {base}:\n{error}\n{''.join(out)}"
        return "".join(out)


# ----------------------------------------------------------------- the answers we write


def _answers(source: Path, release: Path, fill: str) -> nbformat.NotebookNode:
    """The release notebook with answer cells from the source's solutions.

    ``fill`` is ``all`` (every solution), ``some`` (the first half of the autograded
    answers, no written ones) or ``none`` (the release as it is).
    """
    src = nbformat.read(source, as_version=4)
    nb = nbformat.read(release, as_version=4)
    solutions = {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in src.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    code = [gid for gid, cell in solutions.items() if cell.cell_type == "code"]
    chosen = {"all": set(solutions), "some": set(code[: max(1, len(code) // 2)]), "none": set()}
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in chosen[fill]:
            lines = solutions[gid].source.splitlines()
            cell.source = "\n".join(line for line in lines if line.strip() not in markers)
    return nb


# ---------------------------------------------------------------------- the deployment


def _useradd(name: str, base: Path) -> Path:
    subprocess.run(
        ["useradd", "--create-home", "--base-dir", str(base), "--shell", "/bin/bash", name],
        check=True,
        capture_output=True,
    )
    # left as useradd makes it (0755 on Debian): the kit must make it private itself
    return Path(pwd.getpwnam(name).pw_dir)


def _kill_user_processes(uids: set[int]) -> None:
    import psutil

    for proc in psutil.process_iter(["uids"]):
        with contextlib.suppress(Exception):
            if proc.info["uids"] and proc.info["uids"].real in uids:
                proc.kill()


@pytest.fixture(scope="module")
def deployment():
    _require(
        hasattr(os, "geteuid") and os.geteuid() == 0,
        "the hub test creates Unix users and starts servers as them: run it as root "
        "(CI does), e.g. `sudo .venv/bin/python -m pytest tests/test_hub.py`",
    )
    _require(
        shutil.which("useradd") is not None,
        "the hub test needs useradd (Debian's passwd package)",
    )
    _require(
        shutil.which("configurable-http-proxy") is not None,
        "JupyterHub needs configurable-http-proxy: `apt-get install -y "
        "node-configurable-http-proxy` (Debian), or `npm install -g configurable-http-proxy`",
    )
    tag = secrets.token_hex(2)
    names = {
        "grader": f"aipc{tag}-grader",
        "instructor": f"aipc{tag}-prof",
        "right": f"aipc{tag}-s1",
        "partly": f"aipc{tag}-s2",
        "blank": f"aipc{tag}-s3",
    }
    scratch = Path(tempfile.mkdtemp(prefix="course-hub-"))
    scratch.chmod(0o755)
    homes, created = scratch / "home", []
    homes.mkdir(mode=0o755)
    proc = None
    try:
        venv_bin, extra_env = _course_env(scratch)
        for name in names.values():
            _useradd(name, homes)
            created.append(name)
        grader = pwd.getpwnam(names["grader"])
        # the instructor's checkout in the grader account: the course root of assignments/
        root = Path(grader.pw_dir) / "ai-policy-course" / "assignments"
        (root / "source").mkdir(parents=True)
        shutil.copy(REPO / "assignments" / "nbgrader_config.py", root)
        shutil.copytree(REPO / "assignments" / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
        subprocess.run(
            ["chown", "-R", f"{grader.pw_uid}:{grader.pw_gid}", str(root.parents[1])], check=True
        )
        exchange = scratch / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)  # as nbgrader's docs have it; the kit makes it sticky (1777)

        people = scratch / "people.csv"
        people.write_text(
            "username,role\n"
            f"{names['instructor']},instructor\n"
            + "".join(f"{names[k]},student\n" for k in ("right", "partly", "blank"))
        )
        admin_token = secrets.token_hex(32)
        hub_dir = scratch / "hub"
        hub_dir.mkdir(mode=0o700)
        config = hub_dir / "test_config.py"
        config.write_text(
            textwrap.dedent(
                f"""
                c = get_config()
                load_subconfig({str(KIT / "jupyterhub_config.py")!r})
                # the test logs nobody in with a password: tokens come from the admin API
                c.JupyterHub.authenticator_class = "dummy"
                c.JupyterHub.hub_port = {_free_port()}
                c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
                c.JupyterHub.cookie_secret_file = {str(hub_dir / "cookie_secret")!r}
                c.JupyterHub.db_url = "sqlite:///{hub_dir / "jupyterhub.sqlite"}"
                c.ConfigurableHTTPProxy.pid_file = {str(hub_dir / "proxy.pid")!r}
                c.Spawner.start_timeout = 120
                c.Spawner.http_timeout = 120
                c.JupyterHub.services.append({{"name": "e2e-admin", "api_token": {admin_token!r}}})
                c.JupyterHub.load_roles.append({{"name": "admin", "services": ["e2e-admin"]}})
                for key, value in {extra_env!r}.items():
                    c.Spawner.environment[key] = value
                    c.JupyterHub.services[0]["environment"][key] = value
                """
            )
        )
        port = _free_port()
        env = {
            "PATH": f"{VENV_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(hub_dir),
            "COURSE_ID": COURSE,
            "COURSE_PEOPLE": str(people),
            "COURSE_GRADER": names["grader"],
            "COURSE_ROOT": str(root),
            "COURSE_EXCHANGE": str(exchange),
            "COURSE_VENV": str(venv_bin.parent),
            "COURSE_HUB_PORT": str(port),
            "COURSE_SERVICE_PORT": str(_free_port()),
        }
        log = (hub_dir / "hub.log").open("w")
        proc = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
            cwd=hub_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = Hub(port, admin_token)
        hub.proc = proc
        try:
            hub.wait("/hub/api/", admin_token, timeout=90)
        except AssertionError:
            raise AssertionError((hub_dir / "hub.log").read_text()[-4000:]) from None
        tokens = {
            role: hub.api("POST", f"/users/{name}/tokens", json={"note": "e2e"})["token"]
            for role, name in names.items()
            if role != "grader"
        }
        yield {
            "hub": hub,
            "names": names,
            "tokens": tokens,
            "root": root,
            "exchange": exchange,
            "log": hub_dir / "hub.log",
        }
    finally:
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        uids = set()
        for name in created:
            with contextlib.suppress(KeyError):
                uids.add(pwd.getpwnam(name).pw_uid)
        _kill_user_processes(uids)
        for name in created:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


def _formgrader(dep, path: str, method: str = "POST", **kwargs):
    hub = dep["hub"]
    response = hub.call(
        method, f"/services/{COURSE}/formgrader/api{path}", dep["tokens"]["instructor"], **kwargs
    )
    assert response.status_code == 200, (path, response.status_code, response.text[:2000])
    return response.json()


def _exchange(hub, base: str, token: str, action: str):
    """nbgrader's assignment-list server extension, as the student's browser calls it."""
    done = hub.call(
        "POST",
        f"{base}/assignments/{action}",
        token,
        data={"assignment_id": ASSIGNMENT, "course_id": COURSE},
    )
    assert done.status_code == 200, f"{action}: {done.text}"
    return done


def test_a_problem_set_through_the_hub(deployment):
    dep = deployment
    hub, names, tokens, root = dep["hub"], dep["names"], dep["tokens"], dep["root"]
    service = f"/services/{COURSE}"
    hub.wait(f"{service}/api/status", tokens["instructor"], timeout=120)

    # --- the instructor generates and releases ps01 in the formgrader service
    generated = _formgrader(dep, f"/assignment/{ASSIGNMENT}/assign")
    assert generated["success"], generated
    released = _formgrader(dep, f"/assignment/{ASSIGNMENT}/release")
    assert released["success"], released

    # --- each student fetches, answers in their own server, and submits
    students = {role: names[role] for role in ("right", "partly", "blank")}
    bases = {role: hub.start_server(name, tokens[role]) for role, name in students.items()}
    notebook = f"{ASSIGNMENT}.ipynb"
    source_nb = REPO / "assignments" / "source" / ASSIGNMENT / notebook
    release_nb = root / "release" / ASSIGNMENT / notebook
    for role in students:
        base, token = bases[role], tokens[role]
        listing = hub.call("GET", f"{base}/assignments", token, params={"course_id": COURSE})
        assert listing.status_code == 200, listing.text
        assert ASSIGNMENT in {a["assignment_id"] for a in listing.json()["value"]}, listing.text
        _exchange(hub, base, token, "fetch")
        path = f"{base}/api/contents/{ASSIGNMENT}/{notebook}"
        got = hub.call("GET", path, token)
        assert got.status_code == 200, got.text
        fill = {"right": "all", "partly": "some", "blank": "none"}[role]
        answered = _answers(source_nb, release_nb, fill)
        saved = hub.call(
            "PUT", path, token, json={"type": "notebook", "format": "json", "content": answered}
        )
        assert saved.status_code == 200, saved.text
        submitted = _exchange(hub, base, token, "submit")
        assert "success" not in submitted.json() or submitted.json()["success"], submitted.text

    # --- the instructor collects and grades with `course grade` in the service's kernel
    collected = _formgrader(dep, f"/assignment/{ASSIGNMENT}/collect")
    assert collected["success"], collected
    for name in students.values():
        assert (root / "submitted" / name / ASSIGNMENT / notebook).is_file()
    instructor = service
    out = hub.run(
        instructor,
        tokens["instructor"],
        textwrap.dedent(
            f"""
            import subprocess
            run = subprocess.run(["course", "grade", {ASSIGNMENT!r}, "--course", {str(root)!r},
                                  "--jobs", "1"], capture_output=True, text=True)
            print(run.stdout)
            print("EXIT", run.returncode)
            print(run.stderr[-3000:])
            """
        ),
    )
    assert "EXIT 0" in out or "EXIT 1" in out, out

    # scores, read back through formgrader's REST API
    subs = _formgrader(dep, f"/submissions/{ASSIGNMENT}", method="GET")
    scores = {s["student"]: s for s in subs}
    by_role = {role: scores[name] for role, name in students.items()}
    assert all(s["autograded"] for s in by_role.values()), out
    right, partly, blank = (by_role[r] for r in ("right", "partly", "blank"))
    assert right["score"] > partly["score"] > blank["score"] == 0, (scores, out)

    # --- the instructor enters a manual score for the right student's written answer
    nbsubs = _formgrader(dep, f"/submitted_notebooks/{ASSIGNMENT}/{ASSIGNMENT}", method="GET")
    submission = next(s for s in nbsubs if s["student"] == names["right"])
    grades = _formgrader(dep, "/grades", method="GET", params={"submission_id": submission["id"]})
    manual = [g for g in grades if g["needs_manual_grade"] or g["auto_score"] is None]
    assert manual, "ps01 has a manually graded written answer"
    target = manual[0]
    put = _formgrader(
        dep,
        f"/grade/{target['id']}",
        method="PUT",
        json={"manual_score": target["max_score"], "extra_credit": None},
    )
    assert put["manual_score"] == target["max_score"]
    after = {s["student"]: s for s in _formgrader(dep, f"/submissions/{ASSIGNMENT}", method="GET")}
    assert after[names["right"]]["score"] == pytest.approx(right["score"] + target["max_score"])

    # --- feedback (course feedback: hidden tests stay hidden), released, each fetches own
    out = hub.run(
        instructor,
        tokens["instructor"],
        textwrap.dedent(
            f"""
            import subprocess
            run = subprocess.run(["course", "feedback", {ASSIGNMENT!r}, "--course",
                                  {str(root)!r}], capture_output=True, text=True)
            print(run.stdout, run.stderr[-2000:], "EXIT", run.returncode)
            """
        ),
    )
    assert "EXIT 0" in out, out
    feedback = _formgrader(dep, f"/assignment/{ASSIGNMENT}/release_feedback")
    assert feedback["success"], feedback
    pages = {}
    for role in students:
        base, token = bases[role], tokens[role]
        got = hub.call(
            "POST",
            f"{base}/assignments/fetch_feedback",
            token,
            data={"assignment_id": ASSIGNMENT, "course_id": COURSE},
        )
        assert got.status_code == 200, got.text
        folder = hub.call("GET", f"{base}/api/contents/{ASSIGNMENT}/feedback", token).json()
        stamps = [item for item in folder["content"] if item["type"] == "directory"]
        assert len(stamps) == 1, folder
        files = hub.call("GET", f"{base}/api/contents/{stamps[0]['path']}", token).json()
        htmls = [f for f in files["content"] if f["name"].endswith(".html")]
        assert [f["name"] for f in htmls] == [f"{ASSIGNMENT}.html"], files
        page = hub.call("GET", f"{base}/api/contents/{htmls[0]['path']}", token).json()
        pages[role] = page["content"]
    # each page is that student's own: it names them, and nobody else
    for role, page in pages.items():
        assert f"<td>{students[role]}</td>" in page, (role, page[:500])
        for other in set(students.values()) - {students[role]}:
            assert other not in page, (role, other)

    # --- isolation: nobody reads another's work, the source or the gradebook
    _check_isolation(dep, bases, students)


def _hidden_lines(source: Path) -> list[str]:
    """Distinctive lines of the source's hidden tests and solutions (a release holds none)."""
    lines, inside = [], False
    for cell in nbformat.read(source, as_version=4).cells:
        for line in cell.source.splitlines():
            text = line.strip()
            if text in ("### BEGIN HIDDEN TESTS", "### BEGIN SOLUTION"):
                inside = True
            elif text in ("### END HIDDEN TESTS", "### END SOLUTION"):
                inside = False
            elif inside and len(text) > 24 and not text.startswith("#"):
                lines.append(text)
    return lines


def _check_isolation(dep, bases, students):
    """Each student tries, as their own Unix user, to open what is not theirs; all fails.

    Through the hub: another student's server, the formgrader service (its contents,
    files, kernels and terminals: the grader account's rights), the hub's API. From code
    in the student's own kernel (their Unix user on the hub's machine): the exchange's
    inbound and feedback folders, another student's home and fetched notebook, the
    collected submissions, the source notebook and the gradebook; nor rename the course's
    folder in the exchange (which would let them put their own inbound in its place); and
    the release they can read holds no solution or hidden test of the source. Every target exists
    (checked as root first), so a refusal is the file system's, not a wrong path.
    """
    hub, tokens, root, names = dep["hub"], dep["tokens"], dep["root"], dep["names"]
    exchange = dep["exchange"] / COURSE
    notebook = f"{ASSIGNMENT}.ipynb"
    other = students["right"]
    other_home = Path(pwd.getpwnam(other).pw_dir)
    service = f"/services/{COURSE}"
    secret = _hidden_lines(root / "source" / ASSIGNMENT / notebook)
    assert secret, "ps01's source has solutions and hidden tests to look for"
    targets = {
        "inbound listing": ("listdir", exchange / "inbound"),
        "feedback listing": ("listdir", exchange / "feedback"),
        "other's home": ("listdir", other_home),
        "other's notebook": ("read", other_home / ASSIGNMENT / notebook),
        "collected": ("listdir", root / "submitted"),
        "other's collected": ("read", root / "submitted" / other / ASSIGNMENT / notebook),
        "source": ("read", root / "source" / ASSIGNMENT / notebook),
        "gradebook": ("read", root / "gradebook.db"),
        "course exchange folder": ("rename", exchange),
    }
    for what, (_, path) in targets.items():
        assert path.exists(), f"{what}: {path} should exist for the check to mean anything"
    plain = {what: (how, str(path)) for what, (how, path) in targets.items()}
    probe = textwrap.dedent(
        f"""
        import json, os
        for what, (how, path) in {plain!r}.items():
            try:
                if how == "listdir":
                    os.listdir(path)
                elif how == "read":
                    open(path, "rb").read(16)
                else:
                    os.rename(path, path + ".moved")
                    os.rename(path + ".moved", path)
            except PermissionError:
                print(what, "DENIED")
            else:
                print(what, "READABLE")
        # what the exchange gives students holds no solution and no hidden test
        with open({str(exchange / "outbound" / ASSIGNMENT / notebook)!r}) as handle:
            cells = json.load(handle)["cells"]
        release = "\\n".join("".join(c["source"]) for c in cells)
        leaked = [s for s in {["BEGIN HIDDEN TESTS", "BEGIN SOLUTION", *secret]!r}
                  if s in release]
        print("RELEASE", len(release), "LEAKED", leaked)
        """
    )
    for role in ("partly", "blank"):
        token = tokens[role]
        # through the hub's routes: nothing of another user's or of the grader's server
        for method, path in (
            ("GET", f"/user/{other}/api/contents/{ASSIGNMENT}"),
            ("GET", f"/user/{other}/files/{ASSIGNMENT}/{notebook}"),
            ("POST", f"/user/{other}/api/kernels"),
            ("GET", f"{service}/api/contents/ai-policy-course/assignments/source"),
            ("GET", f"{service}/files/ai-policy-course/assignments/gradebook.db"),
            ("GET", f"{service}/formgrader/api/submissions/{ASSIGNMENT}"),
            ("POST", f"{service}/formgrader/api/assignment/{ASSIGNMENT}/collect"),
            ("POST", f"{service}/api/kernels"),
            ("POST", f"{service}/api/terminals"),
            ("GET", f"/hub/api/users/{other}"),
            ("GET", f"/hub/api/users/{other}/tokens"),
            ("POST", f"/hub/api/users/{other}/tokens"),
        ):
            response = hub.call(method, path, token)
            assert response.status_code in (302, 403, 404), (
                role,
                method,
                path,
                response.status_code,
                response.text[:300],
            )
            assert not response.text.lstrip().startswith(('{"content"', "[", '{"id"')), (role, path)
        # from code in their own kernel: the file system says no
        out = hub.run(bases[role], token, probe)
        for what in targets:
            assert f"{what} DENIED" in out, (role, what, out)
        assert "LEAKED []" in out and "RELEASE 0 " not in out, (role, out)
    assert names["instructor"]  # the instructor did all of the above through the service

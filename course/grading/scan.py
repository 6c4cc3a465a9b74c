"""A static scan of a student's nbgrader submission, for the instructor's grading report.

Nothing is executed: code cells are read with :mod:`ast` (IPython syntax such as ``%magic``,
``!shell`` and ``x?`` is neutralised first and reported on its own), and with regular
expressions when a cell still does not parse. The scan also compares the submission with the
instructor's source notebook (edited locked or test cells, changed nbgrader metadata) and
looks at the submission folder (extra files that can shadow imports, symlinks, broken
notebooks). Each finding is a :class:`Flag`; :data:`KINDS` explains the kinds.

A flag is a reason to look, not a verdict: a determined attacker can hide code from any
static scan, and a curious honest student can trip one.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("import numpy as np\\nx = np.mean([1, 2, 3])"),
...     nbformat.v4.new_code_cell("ip = get_ipython()\\nip.events.register('post_run_cell', f)"),
... ])
>>> for flag in scan_notebook(nb, name="hw.ipynb"):
...     print(flag.cell, flag.kind, flag.detail, sep=" | ")
cell 2 | ipython-internals | calls get_ipython
cell 2 | ipython-internals | calls get_ipython().events.register (as ip.events.register)
"""

from __future__ import annotations

import ast
import builtins
import difflib
import functools
import io
import json
import os
import re
import stat
import textwrap
import tokenize
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.grading.submissions import HIDDEN, MAX_BYTES, markers

__all__ = ["KINDS", "Flag", "scan_notebook", "scan_submission"]


@dataclass(frozen=True)
class Flag:
    """One suspicious finding in a submission.

    ``notebook`` is the notebook's file name ("" for folder-level findings); ``cell`` is the
    cell's nbgrader ``grade_id``, else ``"cell 7"`` (1-based), "" for notebook- or folder-level
    findings; ``kind`` is a key of :data:`KINDS`; ``detail`` says what was seen.

    Examples
    --------
    >>> Flag("hw.ipynb", "cell 3", "subprocess", "calls os.system").kind
    'subprocess'
    """

    notebook: str
    cell: str
    kind: str
    detail: str


KINDS: dict[str, str] = {
    "ipython-internals": "reaches into IPython or the kernel (get_ipython, hooks, transformers, "
    "display/except hooks, magics that change the shell)",
    "file-access": "reads or writes outside its folder, deletes or re-permissions files, "
    "or writes Python files (absolute paths, '..', '~', os/shutil file operations)",
    "sqlite": "touches a database or the nbgrader gradebook (sqlite3, sqlalchemy, nbgrader.api)",
    "subprocess": "starts, signals or stops processes (subprocess, os.system, !shell, %%bash, "
    "multiprocessing, signal, exit)",
    "network": "opens network connections (socket, urllib, requests, http.client, URLs)",
    "threads": "runs code later or in the background (threading, concurrent.futures, asyncio "
    "tasks, atexit, __del__)",
    "dynamic-code": "runs code built at run time or from elsewhere (exec, eval, compile, "
    "__import__, importlib, %run, %load, %%writefile)",
    "introspection": "rewires the interpreter (frames, gc, ctypes, builtins, sys.modules, "
    "sys.path, monkeypatched modules, redefined builtins)",
    "fake-value": "defines objects that can pass equality or type checks with a wrong value "
    "(__eq__, __float__, subclasses of int/float/list...)",
    "edited-locked-cell": "a locked or test cell whose source differs from the released one",
    "metadata": "nbgrader metadata removed, added or changed (points, grade, solution, locked, "
    "cell type, kernel)",
    "prefilled-output": "a test cell arrives with outputs already in it",
    "extra-file": "a file the assignment does not expect (.py/.pth/.so files can shadow imports)",
    "symlink": "a symlink in the submission (never followed: it may point at another's work)",
    "unreadable": "a notebook that is missing, not JSON, not a notebook, or could not be scanned",
}

# ---------------------------------------------------------------------------------------------
# Rules over resolved names. A name is resolved to a dotted path: imports and aliases are
# followed (``o.system`` -> ``os.system``), calls keep ``()``, names that are neither imported
# nor builtins start with ``?`` (a student's own variable ``signal`` is not the module).

_ATTR_IPYTHON = (
    "set_custom_exc|showtraceback|_showtraceback|showsyntaxerror|showindentationerror|"
    "input_transformers_cleanup|input_transformers_post|input_transformer_manager|"
    "ast_transformers|register_magic_function|register_magics|run_cell|run_cell_magic|"
    "run_line_magic|run_ast_nodes|run_code|displayhook|display_pub|display_formatter|"
    "excepthook|custom_exceptions|error_in_exec|error_before_exec|user_ns|user_global_ns|"
    "execution_count|InteractiveTB|SyntaxTB|iopub_socket|parent_header|_parent_header|"
    "payload_manager|InteractiveShell|pre_run_cell|post_run_cell|pre_execute|post_execute"
)
_ATTR_FRAMES = (
    "__globals__|__code__|__closure__|__builtins__|__subclasses__|__bases__|__base__|__mro__|"
    "__dict__|__defaults__|__kwdefaults__|f_back|f_globals|f_locals|f_builtins|f_code|"
    "tb_frame|tb_next|gi_frame|cr_frame|ag_frame|co_code|co_consts"
)
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("ipython-internals", r"^get_ipython\b"),
        ("ipython-internals", r"^IPython\b(?!\.(core\.)?display\b)"),
        ("ipython-internals", r"^(ipykernel|jupyter_client|nbclient|traitlets)\b"),
        ("ipython-internals", r"^sys\.(displayhook|excepthook|__displayhook__|__excepthook__)\b"),
        ("ipython-internals", r"^(_ih|_oh|_dh|__IPYTHON__|_exit_code)\b"),
        ("ipython-internals", rf"\.({_ATTR_IPYTHON})\b"),
        (
            "file-access",
            r"^os\.(remove|unlink|rmdir|removedirs|rename|renames|replace|chmod|lchmod|fchmod|"
            r"chown|lchown|fchown|link|symlink|chdir|fchdir|chroot|truncate|ftruncate|utime|"
            r"mkfifo|mknod|setuid|setgid|umask|environ|putenv|unsetenv|getenv|setxattr)\b",
        ),
        ("file-access", r"^os\.path\.(expanduser|expandvars)\b"),
        ("file-access", r"^shutil\.(?!(which|get_terminal_size|disk_usage)\b)"),
        ("file-access", r"^(tempfile|tarfile|zipfile|fcntl|mmap)\b"),
        ("file-access", r"\.(home|expanduser|unlink|rmdir|chmod|lchmod|symlink_to|hardlink_to)\b"),
        ("sqlite", r"^(sqlite3|_sqlite3|sqlalchemy|dbm|shelve|nbgrader|psycopg2?|pymysql)\b"),
        ("sqlite", r"^(\?)?Gradebook\b|\.(read_sql\w*|to_sql)\b"),
        ("subprocess", r"^(subprocess|_posixsubprocess|posix|signal|multiprocessing|pty)\b"),
        ("subprocess", r"^(pexpect|sh|plumbum|psutil|resource|commands)\b"),
        (
            "subprocess",
            r"^os\.(system|popen|exec\w*|spawn\w*|posix_spawn\w*|fork\w*|kill\w*|_exit|abort|"
            r"setsid|setpgid|wait\w*|startfile|pidfd_open)\b",
        ),
        ("subprocess", r"^asyncio\.(create_subprocess_\w+|subprocess)\b|^platform\.popen\b"),
        ("subprocess", r"^(exit|quit)\b"),
        (
            "network",
            r"^(socket|_socket|ssl|urllib|urllib2|urllib3|http|requests|httpx|aiohttp|ftplib|"
            r"smtplib|poplib|imaplib|nntplib|telnetlib|websocket|websockets|xmlrpc|socketserver|"
            r"webbrowser|paramiko|pycurl|zmq|asyncore|asynchat)\b",
        ),
        ("network", r"^asyncio\.(open_connection|start_server|open_unix_connection)\b"),
        ("threads", r"^(threading|_thread|concurrent|atexit|sched)\b|^weakref\.finalize\b"),
        (
            "threads",
            r"^asyncio\.(create_task|ensure_future|get_event_loop|get_running_loop|"
            r"new_event_loop|run_coroutine_threadsafe|to_thread|Task)\b",
        ),
        ("threads", r"\.(call_soon|call_soon_threadsafe|call_later|call_at|run_in_executor)\b"),
        ("dynamic-code", r"^(builtins\.)?(exec|eval|compile|__import__|breakpoint)\b"),
        ("dynamic-code", r"^(importlib|runpy|code|codeop|marshal|imp|pkgutil|zipimport|site)\b"),
        ("dynamic-code", r"^(pickle|_pickle|dill|cloudpickle)\.(loads?|Unpickler)\b"),
        ("dynamic-code", r"^types\.(FunctionType|CodeType|LambdaType|ModuleType)\b"),
        (
            "introspection",
            r"^sys\.(_getframe|_current_frames|settrace|setprofile|addaudithook|modules|path|"
            r"meta_path|path_hooks|path_importer_cache)\b",
        ),
        (
            "introspection",
            r"^inspect\.(currentframe|stack|getouterframes|getinnerframes|trace|getframeinfo)\b",
        ),
        ("introspection", r"^gc\.(?!collect\b)|^(ctypes|_ctypes|cffi|faulthandler)\b"),
        ("introspection", r"^(builtins|__builtins__|__builtin__)\b|^(unittest\.)?mock\b"),
        ("introspection", r"^(globals|locals)\(\)\.(update|setdefault|__setitem__|pop)\b"),
        ("introspection", rf"\.({_ATTR_FRAMES})\b"),
    ]
]

# Fallback for cells that do not parse even after neutralising IPython syntax.
_TEXT_RULES: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("ipython-internals", r"\bget_ipython\b|\bIPython\b(?!\.(core\.)?display\b)"),
        ("ipython-internals", rf"\bsys\.(displayhook|excepthook)\b|\.({_ATTR_IPYTHON})\b"),
        ("file-access", r"\bos\.(remove|unlink|rmdir|chmod|chown|rename|chdir|symlink|environ)\b"),
        ("file-access", r"\bshutil\.\w+|\bexpanduser\b|\.home\(|['\"](\.\./|~/|/(home|root|etc)/)"),
        ("sqlite", r"\b(sqlite3|sqlalchemy)\b|(?i:gradebook)"),
        (
            "subprocess",
            r"\bsubprocess\b|\bos\.(system|popen|exec\w*|spawn\w*|fork|kill\w*|_exit)\b",
        ),
        ("subprocess", r"\b(multiprocessing|pty)\b|\bimport\s+signal\b|\bsignal\.\w+"),
        ("network", r"\b(socket|urllib\d?|requests|ftplib|smtplib|websockets?|httpx|aiohttp)\b"),
        ("network", r"\bhttp\.client\b"),
        (
            "threads",
            r"\b(threading|_thread|concurrent\.futures|atexit|create_task|ensure_future)\b",
        ),
        ("dynamic-code", r"\b(exec|eval|compile|__import__)\s*\(|\bimportlib\b"),
        ("introspection", r"\bsys\.(_getframe|modules|settrace|setprofile)\b|\bctypes\b"),
        ("introspection", r"\binspect\.(currentframe|stack)\b|\bgc\.get_\w+|\bbuiltins\.\w+"),
        ("introspection", r"__builtins__|__globals__|__code__|__subclasses__"),
    ]
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BUILTIN_NAMES = frozenset(dir(builtins)) | {
    "get_ipython",
    "display",
    "exit",
    "quit",
    "_ih",
    "_oh",
    "_dh",
    "__IPYTHON__",
    "_exit_code",
    "__builtins__",
}
# Builtins that tests lean on: rebinding them to a function fools ``assert len(x) == 5``.
_TESTED_BUILTINS = _words(
    "abs all any bool callable dict float frozenset getattr hasattr hash id int isinstance "
    "issubclass iter len list max min next print range repr round set sorted str sum tuple "
    "type zip map filter enumerate format object super AssertionError Exception"
)
_FAKE_DUNDERS = _words(
    "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ __bool__ __float__ __int__ __index__ "
    "__complex__ __abs__ __round__ __len__ __instancecheck__ __subclasscheck__ "
    "__getattribute__ __getattr__ __class__"
)
_VALUE_TYPES = _words(
    "int float complex str bytes list tuple dict set frozenset type numpy.ndarray "
    "numpy.float64 numpy.int64 numpy.generic numpy.number numpy.floating numpy.integer "
    "pandas.DataFrame pandas.Series fractions.Fraction decimal.Decimal "
    "collections.UserList collections.UserDict collections.UserString"
)
_IMPORTERS = frozenset(
    {"__import__", "builtins.__import__", "importlib.import_module", "importlib.__import__"}
)
_RUNNERS = frozenset({"exec", "eval", "compile", "builtins.exec", "builtins.eval"})
_OPENERS = frozenset({"open", "io.open", "codecs.open", "builtins.open"})
_CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyd", ".pth", ".so", ".dylib", ".dll", ".ipynb")
_SENSITIVE_PATH = re.compile(
    r"\.ipython|\.jupyter|site-packages|dist-packages|nbgrader_config|sitecustomize|"
    r"usercustomize|\.pth$|^/(home|root|etc|proc|sys|tmp|usr|var|dev|opt|srv|mnt|run|boot|"
    r"bin|sbin|lib\w*|media|snap|Users|Library|private)(/|$)|^[A-Za-z]:[\\/]"
)
_URL = re.compile(r"^(https?|ftp|wss?|file)://", re.IGNORECASE)
_HIDDEN_TESTS = HIDDEN
_SOLUTION = markers("SOLUTION")
_MARK_SCHEME = markers("MARK SCHEME", "===")
_MAX_DEPTH = 3  # exec("...") strings scanned recursively, this deep
_MAX_ENTRIES = 2000  # files listed per submission folder

# ---------------------------------------------------------------------------------------------
# IPython syntax: magics and shell escapes are reported, then replaced by plain Python.

_SAFE_MAGICS = _words(
    "matplotlib time timeit prun precision pprint who whos who_ls lsmagic magic quickref "
    "history autoreload pinfo pinfo2 pdoc pdef psearch debug pdb tb colors page doctest_mode "
    "latex markdown svg"
)
_MAGIC_KINDS = {
    "subprocess": "system sx sc sh bash script python python2 python3 pypy perl ruby alias "
    "unalias rehashx killbgscripts pip conda mamba micromamba ls cat less more man mkdir rm "
    "rmdir cp mv clear",
    "dynamic-code": "run load macro recall rerun rep edit ed writefile file load_ext "
    "reload_ext unload_ext javascript js html",
    "file-access": "cd pushd popd dhist bookmark env set_env store logstart logon save notebook "
    "pfile psource",
    "ipython-internals": "config reset reset_selective xdel xmode autocall automagic "
    "autoindent autoawait capture connect_info qtconsole",
    "threads": "gui",
}
_MAGIC_KIND = {name: kind for kind, names in _MAGIC_KINDS.items() for name in names.split()}
_PYTHON_BODY_MAGICS = frozenset({"time", "timeit", "prun", "capture", "debug"})
_MAGIC_LINE = re.compile(r"^(\s*)(%{1,2})([A-Za-z_]\w*)(.*)$")
_SHELL_LINE = re.compile(r"^(\s*)!!?(.*)$")
_ASSIGN_ESCAPE = re.compile(r"^(\s*)([\w.,\s*\[\]()]+?)\s*=\s*([!%].*)$")
_HELP_LINE = re.compile(r"^(\s*)(\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")
_AUTOCALL_LINE = re.compile(r"^(\s*)([/,;])([A-Za-z_][\w.]*)\s*(.*)$")


def _magic_flag(sign: str, name: str, args: str) -> list[tuple[str, str]]:
    """Flags for one ``%name args`` (``sign`` is ``%`` or ``%%``); none for harmless magics."""
    shown = f"{sign}{name} {args.strip()}".strip()[:80]
    if name in _SAFE_MAGICS or (
        name in {"load_ext", "reload_ext"} and args.strip() == "autoreload"
    ):
        return []
    if name in {"writefile", "file"}:
        found = [("dynamic-code", f"writes a file with {shown}")]
        target = args.split()[-1] if args.split() else ""
        if target.endswith(_CODE_SUFFIXES) or _path_problem(target):
            found.append(("file-access", f"writes {target!r} with {sign}{name}"))
        return found
    kind = _MAGIC_KIND.get(name, "ipython-internals")
    verb = {"subprocess": "runs", "ipython-internals": "uses"}.get(kind, "uses")
    return [(kind, f"{verb} {shown}")]


def _python_args(args: str) -> str | None:
    """The Python statement behind ``%time``-like magics (options dropped), if it parses."""
    words = args.split()
    for start in range(min(len(words), 4) + 1):
        candidate = " ".join(words[start:])
        if candidate and _parse(candidate) is not None:
            return candidate
    return None


def _neutralise(src: str) -> tuple[str, list[tuple[str, str]], str]:
    """Split IPython syntax out of a cell.

    Returns the Python text (magic lines replaced, line numbers kept), the flags for the
    magics and shell escapes seen, and extra Python text to scan as well (a ``.py`` file
    written by ``%%writefile``).

    Examples
    --------
    >>> text, found, extra = _neutralise("%matplotlib inline\\n!ls ..\\nx = 1")
    >>> text.splitlines(), found
    (['pass', 'pass', 'x = 1'], [('subprocess', 'runs shell command !ls ..')])
    """
    for candidate in (src, textwrap.dedent(src)):  # IPython dedents a cell, too
        if _parse(candidate) is not None:
            return candidate, [], ""
    lines = src.splitlines()
    found: list[tuple[str, str]] = []
    extra = ""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        match = _MAGIC_LINE.match(lines[first])
        name, args = (match.group(3), match.group(4)) if match else ("", lines[first])
        found += _magic_flag("%%", name, args)
        body = "\n".join(lines[first + 1 :])
        if name in _PYTHON_BODY_MAGICS:
            text, more, extra = _neutralise(body)
            return "\n" * (first + 1) + text, found + more, extra
        if name in {"writefile", "file"} and args.strip().endswith(".py"):
            extra = body
        return "", found, extra
    if len(lines) == 1:
        word, _, rest = src.strip().partition(" ")
        if word in _MAGIC_KIND:  # automagic: a one-line `pip install x` is `%pip install x`
            return "", _magic_flag("%", word, rest), ""
    out = []
    for line in lines:
        text, more = _neutralise_line(line)
        out.append(text)
        found += more
    text = "\n".join(out)
    if _parse(text) is None and _parse(textwrap.dedent(text)) is not None:
        text = textwrap.dedent(text)
    return text, found, extra


def _neutralise_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    """One line of IPython syntax as Python, plus its flags."""
    if match := _ASSIGN_ESCAPE.match(line):
        indent, target, rhs = match.groups()
        _, found = _neutralise_line(rhs)
        return f"{indent}{target} = None", found
    if match := _SHELL_LINE.match(line):
        indent, command = match.groups()
        return f"{indent}pass", [("subprocess", f"runs shell command !{command.strip()[:70]}")]
    if match := _MAGIC_LINE.match(line):
        indent, sign, name, args = match.groups()
        found = _magic_flag(sign, name, args)
        code = _python_args(args) if name in _PYTHON_BODY_MAGICS else None
        return f"{indent}{code or 'pass'}", found
    if match := _HELP_LINE.match(line):
        return f"{match.group(1)}pass", []
    if match := _AUTOCALL_LINE.match(line):
        indent, escape, name, rest = match.groups()
        call = f"{name}({rest})" if escape == "/" else f"{name}({rest!r})"
        return f"{indent}{call if _parse(call) else name + '()'}", []
    return line, []


def _parse(text: str) -> ast.Module | None:
    """``ast.parse`` without warnings; None when the text is not Python."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


# ---------------------------------------------------------------------------------------------
# Names: what each name in the notebook stands for.


@dataclass
class _Names:
    """Imports and aliases of one notebook (all cells share one namespace)."""

    aliases: dict[str, str] = field(default_factory=dict)
    imported: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    stars: list[str] = field(default_factory=list)

    def resolve(self, name: str) -> str:
        """The dotted path a bare name stands for; ``?name`` for the student's own names."""
        if name in self.aliases:
            return self.aliases[name]
        for module in self.stars:
            candidate = f"{module}.{name}"
            if _kinds(candidate):
                return candidate
        return name if name in _BUILTIN_NAMES else f"?{name}"

    def learn(self, tree: ast.AST) -> None:
        """Record the imports and simple aliases (``f = os.system``) of one cell."""
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.aliases[local] = alias.name if alias.asname else local
                    self.imported.add(local)
                    self.modules.add(local)
            elif isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name == "*":
                        self.stars.append(module)
                        continue
                    self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
                    self.imported.add(alias.asname or alias.name)
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                self._alias(node.targets[0].id, node.value)

    def _alias(self, name: str, value: ast.AST) -> None:
        try:
            path = _Resolver(self).dotted(value)
        except RecursionError:
            return
        if path is None or path.startswith("?") or name in self.imported:
            return
        old = self.aliases.get(name)
        if old is None or (_kinds(path) and not _kinds(old)):
            self.aliases[name] = path


@functools.lru_cache(maxsize=4096)
def _kinds(path: str) -> tuple[str, ...]:
    """The kinds whose rules match a resolved path, in rule order, without repeats."""
    kinds: list[str] = []
    for kind, pattern in _RULES:
        if kind not in kinds and pattern.search(path):
            kinds.append(kind)
    return tuple(kinds)


def _const_str(node: ast.AST | None) -> str | None:
    """The value of a constant string expression (``"o" + "s"`` included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _const_str(node.left), _const_str(node.right)
        return None if left is None or right is None else left + right
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.List | ast.Tuple)
    ):
        sep = _const_str(node.func.value)
        parts = [_const_str(item) for item in node.args[0].elts]
        if sep is not None and all(part is not None for part in parts):
            return sep.join(parts)  # type: ignore[arg-type]
    return None


@dataclass
class _Resolver:
    """Turns expressions into dotted paths with one notebook's names."""

    names: _Names

    def dotted(self, node: ast.AST) -> str | None:
        """``o.system`` -> ``os.system``; ``getattr(__import__("os"), "system")`` too."""
        if isinstance(node, ast.Name):
            return self.names.resolve(node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return None if base is None else f"{base}.{node.attr}"
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        return None

    def _call(self, node: ast.Call) -> str | None:
        func = self.dotted(node.func)
        if func is None:
            return None
        args = node.args
        if func in _IMPORTERS and args:
            return _const_str(args[0]) or "?module"
        if func in {"getattr", "builtins.getattr"} and len(args) >= 2:
            base, attr = self.dotted(args[0]), _const_str(args[1])
            return None if base is None or attr is None else f"{base}.{attr}"
        if func in {"vars", "builtins.vars"} and args:
            base = self.dotted(args[0])
            return None if base is None else f"{base}.__dict__"
        return f"{func}()"

    def _subscript(self, node: ast.Subscript) -> str | None:
        base = self.dotted(node.value)
        if base is None:
            return None
        key = _const_str(node.slice)
        if key is None:
            return f"{base}[]"
        if base == "sys.modules":
            return key
        if base in {"globals()", "locals()"}:
            return self.names.resolve(key)
        if base in {"__builtins__", "builtins", "__builtins__.__dict__", "builtins.__dict__"}:
            return f"builtins.{key}"
        if base.endswith(".__dict__"):
            return f"{base[: -len('.__dict__')]}.{key}"
        return f"{base}[{key!r}]"


# ---------------------------------------------------------------------------------------------
# One cell's code.


def _shown(path: str) -> str:
    return path.replace("?", "")


def _path_problem(text: str) -> str | None:
    """Why a string looks like a path outside the submission's folder, else None.

    Examples
    --------
    >>> _path_problem("../../gradebook.db"), _path_problem("data.csv"), _path_problem("km/h")
    ("goes up with '..'", None, None)
    """
    text = text.strip()
    if not text or len(text) > 500 or "\n" in text:
        return None
    if ".." in re.split(r"[\\/]", text):
        return "goes up with '..'"
    if text == "~" or re.match(r"^~[\w.-]*([\\/]|$)", text):
        return "a home folder"
    if _SENSITIVE_PATH.search(text):
        return "an absolute or sensitive path"
    return None


class _CellScanner:
    """Collects ``(kind, detail)`` pairs for the code of one cell."""

    def __init__(self, names: _Names, depth: int = 0) -> None:
        self.names = names
        self.resolver = _Resolver(names)
        self.depth = depth
        self.found: list[tuple[str, str]] = []

    def add(self, kind: str, detail: str) -> None:
        self.found.append((kind, detail[:160]))

    def check(self, path: str | None, verb: str, node: ast.AST | None = None) -> bool:
        """Flag ``path`` under every kind whose rules match; True when one did."""
        if not path:
            return False
        kinds = _kinds(path)
        if not kinds:
            return False
        detail = f"{verb} {_shown(path)}"
        if node is not None:
            written = ast.unparse(node)[:60]
            if written != _shown(path) and f"{written}()" != _shown(path):
                detail += f" (as {written})"
        for kind in kinds:
            self.add(kind, detail)
        return True

    def scan(self, tree: ast.AST) -> list[tuple[str, str]]:
        """Every finding in ``tree``."""
        nodes = list(ast.walk(tree))
        parents = {id(child): parent for parent in nodes for child in ast.iter_child_nodes(parent)}
        docstrings = {
            id(node.value)
            for node in nodes
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                self._import(node)
            elif isinstance(node, ast.Call):
                self._call(node, parents.get(id(node)))
            elif isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
                self._reference(node, parents.get(id(node)))
            elif isinstance(node, ast.ClassDef):
                self._class(node)
            elif isinstance(node, ast.Constant) and id(node) not in docstrings:
                self._string(node.value)
        self._rebound_builtins(tree)
        return self.found

    # -- the pieces of ``scan`` -------------------------------------------------------------

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.check(alias.name, "imports")
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                if not self.check(module, "imports * from"):
                    self.add("introspection", f"imports * from {module} (names not tracked)")
            else:
                self.check(f"{module}.{alias.name}", "imports")
            if alias.asname in _TESTED_BUILTINS:
                self.add("introspection", f"redefines builtin {alias.asname} by an import")

    @staticmethod
    def _in_spine(node: ast.AST, parent: ast.AST | None) -> bool:
        """True when ``node`` is part of a longer name chain (``a`` in ``a.b``, ``f`` in f())."""
        return (
            (isinstance(parent, ast.Attribute) and parent.value is node)
            or (isinstance(parent, ast.Call) and parent.func is node)
            or (isinstance(parent, ast.Subscript) and parent.value is node)
        )

    def _call(self, node: ast.Call, parent: ast.AST | None) -> None:
        func = self.resolver.dotted(node.func)
        full = self.resolver.dotted(node)
        hidden = func is not None and full is not None and not full.startswith(func)
        if not self._in_spine(node, parent):
            self.check(func, "calls", node.func)
            if hidden:  # getattr(os, "system") used as a value
                self.check(full, "uses", node)
        elif hidden:  # __import__("os") inside __import__("os").system
            self.check(func, "calls", node.func)
        if func is None:
            return
        self._call_details(node, func)

    def _call_details(self, node: ast.Call, func: str) -> None:
        """Calls whose arguments matter: open(), setattr(), exec("..."), type(name, ...)."""
        args = node.args
        if func in _OPENERS and args:
            self._open(node)
        elif func.split(".")[-1] in {"write_text", "write_bytes", "touch"}:
            for const in ast.walk(node.func):
                target = _const_str(const)
                if target and target.endswith(_CODE_SUFFIXES):
                    self.add("file-access", f"writes {target!r} (can shadow an import)")
        elif func in {"setattr", "delattr", "builtins.setattr", "object.__setattr__"} and args:
            self._setattr(node, func)
        elif func in {"getattr", "builtins.getattr"} and len(args) >= 2:
            base = self.resolver.dotted(args[0])
            if base and not base.startswith("?") and "()" not in base and not _const_str(args[1]):
                self.add("introspection", f"getattr on {_shown(base)} with a computed name")
        elif func in _RUNNERS or func.endswith(".run_cell"):
            code = _const_str(args[0]) if args else None
            if code and self.depth < _MAX_DEPTH:
                tree = _parse(code) or _parse(code.strip())
                if tree is not None:
                    inner = _CellScanner(self.names, self.depth + 1)
                    self.found += [(k, f"{d} (in a code string)") for k, d in inner.scan(tree)]
        elif func in {"type", "builtins.type"} and len(args) == 3:
            self.add("fake-value", "creates a class with type(name, bases, namespace)")

    def _open(self, node: ast.Call) -> None:
        target = node.args[0]
        if isinstance(target, ast.Constant) and isinstance(target.value, int):
            self.add("file-access", f"opens file descriptor {target.value}")
            return
        name = _const_str(target)
        mode_node = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "mode":
                mode_node = keyword.value
        mode = _const_str(mode_node) or "r"
        if name and set(mode) & set("wax+") and name.endswith(_CODE_SUFFIXES):
            self.add("file-access", f"writes {name!r} with open() (can shadow an import)")

    def _setattr(self, node: ast.Call, func: str) -> None:
        base = self.resolver.dotted(node.args[0])
        attr = _const_str(node.args[1]) if len(node.args) > 1 else None
        if base is None or base.startswith("?") or "()" in base:
            return
        target = f"{base}.{attr or '<computed name>'}"
        if not self.check(target, f"{func.split('.')[-1]} on"):
            self.add("introspection", f"{func.split('.')[-1]} on {_shown(target)} (monkeypatch)")

    def _reference(self, node: ast.AST, parent: ast.AST | None) -> None:
        ctx = getattr(node, "ctx", None)
        if isinstance(ctx, ast.Store | ast.Del):
            self._store(node, "deletes" if isinstance(ctx, ast.Del) else "assigns")
            return
        full = self.resolver.dotted(node)
        naive = self.resolver.dotted(node.value) if isinstance(node, ast.Subscript) else None
        hidden = naive is not None and full is not None and not full.startswith(naive)
        if not self._in_spine(node, parent):
            self.check(full, "uses", node)
        if hidden:  # sys.modules["os"], vars(np)["x"]
            self.check(naive, "uses")

    def _store(self, node: ast.AST, verb: str) -> None:
        if isinstance(node, ast.Name):
            self._store_name(node.id, verb)
            return
        if isinstance(node, ast.Attribute) and node.attr in _FAKE_DUNDERS:
            self.add("fake-value", f"{verb} {ast.unparse(node)[:60]}")
        elif isinstance(node, ast.Attribute) and node.attr == "__del__":
            self.add("threads", f"{verb} {ast.unparse(node)[:60]} (runs at collection)")
        base = self.resolver.dotted(node.value)  # type: ignore[attr-defined]
        if base is None:
            return
        if isinstance(node, ast.Subscript):
            if base in {"globals()", "locals()"} or base.endswith(".__dict__"):
                self.add("introspection", f"writes into {_shown(base)}")
            else:
                self.check(base, f"{verb} an item of", node.value)
            return
        path = f"{base}.{node.attr}"  # type: ignore[attr-defined]
        if self.check(path, verb, node):
            return
        segments = path.split(".")
        if path.startswith("?") or "()" in path or {"options", "rcParams"} & set(segments):
            return
        self.add("introspection", f"{verb} {_shown(path)} (monkeypatches an imported module)")

    def _store_name(self, name: str, verb: str) -> None:
        if name in self.names.modules and name in self.names.aliases:
            self.add("introspection", f"{verb} {name}, the imported {self.names.aliases[name]}")
        elif name in _BUILTIN_NAMES and name not in _TESTED_BUILTINS:
            for kind in _kinds(name):
                self.add(kind, f"{verb} {name}")

    def _class(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            path = self.resolver.dotted(base)
            if path in _VALUE_TYPES:
                self.add("fake-value", f"class {node.name} subclasses {path}")
        if any(keyword.arg == "metaclass" for keyword in node.keywords):
            self.add("fake-value", f"class {node.name} uses a metaclass")
        for statement in node.body:
            names: list[str] = []
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [statement.name]
            elif isinstance(statement, ast.Assign):
                names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
            for name in names:
                if name == "__del__":
                    self.add("threads", f"class {node.name} defines __del__ (runs at collection)")
                elif name in _FAKE_DUNDERS:
                    self.add("fake-value", f"class {node.name} defines {name}")

    def _string(self, value: object) -> None:
        if not isinstance(value, str):
            return
        if re.search(r"gradebook", value, re.IGNORECASE) or value.endswith((".db", ".sqlite")):
            self.add("sqlite", f"mentions {value[:60]!r}")
        problem = _path_problem(value)
        if problem:
            self.add("file-access", f"path {value[:60]!r} ({problem})")
        if _URL.match(value):
            self.add("network", f"URL {value[:60]!r}")

    def _rebound_builtins(self, tree: ast.AST) -> None:
        """Top-level ``def len``, ``len = lambda ...``, ``type = my_type``: tests use those."""
        for node in _top_level(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
                node.value, ast.Lambda | ast.Name | ast.Attribute
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
            else:
                continue
            for name in names:
                if name in _TESTED_BUILTINS:
                    self.add("introspection", f"redefines builtin {name} (tests rely on it)")


def _top_level(tree: ast.AST) -> Iterable[ast.stmt]:
    """The statements that run in the notebook's global namespace (not in defs)."""
    stack = list(getattr(tree, "body", []))
    while stack:
        node = stack.pop(0)
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for name in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, name, []) or [])


def _strip_comments(text: str) -> str:
    """The text without the ``#`` comments that tokenising finds before any error."""
    lines = text.splitlines()
    comments = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments.append(token.start)
    except (tokenize.TokenError, SyntaxError):
        pass  # unclosed brackets or strings: keep the comments found so far
    for row, col in comments:
        lines[row - 1] = lines[row - 1][:col]
    return "\n".join(lines)


def _scan_text(text: str) -> list[tuple[str, str]]:
    """Regular-expression findings for a cell that is not Python."""
    text = _strip_comments(text)
    found = []
    for kind, pattern in _TEXT_RULES:
        for match in pattern.finditer(text):
            found.append((kind, f"mentions {match.group(0).strip()[:60]} (cell does not parse)"))
    return found


def _scan_code(names: _Names, tree: ast.Module | None, text: str) -> list[tuple[str, str]]:
    """Findings for one code cell's Python (``tree``) or, when it does not parse, ``text``."""
    if tree is None:
        return _scan_text(text)
    try:
        return _CellScanner(names).scan(tree)
    except RecursionError:
        return [*_scan_text(text), ("dynamic-code", "code nested too deeply to analyse")]


# ---------------------------------------------------------------------------------------------
# Comparison with the instructor's source notebook.


def _source(cell: Mapping) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _nbgrader(cell: Mapping) -> dict:
    metadata = cell.get("metadata") or {}
    found = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    return dict(found) if isinstance(found, Mapping) else {}


def _is_test(meta: Mapping) -> bool:
    return bool(meta.get("grade")) and not bool(meta.get("solution"))


def _is_locked(meta: Mapping) -> bool:
    return bool(meta.get("locked")) or _is_test(meta)


def _remove_block(src: str, markers: tuple[str, str], replacement: str | None = None) -> str:
    """``src`` without the lines from ``markers[0]`` to ``markers[1]`` (both included)."""
    out, inside = [], False
    for line in src.splitlines():
        if line.strip() == markers[0]:
            inside = True
            if replacement is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out += [indent + part for part in replacement.splitlines()]
        elif line.strip() == markers[1] and inside:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _release_source(cell: Mapping) -> str:
    """The source of an instructor's cell as students received it (what nbgrader releases).

    Examples
    --------
    >>> import nbformat
    >>> begin, end = HIDDEN
    >>> cell = nbformat.v4.new_code_cell(f"assert f(1) == 2\\n{begin}\\nassert f(2) == 4\\n{end}")
    >>> _release_source(cell)
    'assert f(1) == 2'
    """
    src = _remove_block(_source(cell), _HIDDEN_TESTS)
    if _nbgrader(cell).get("solution"):
        if cell.get("cell_type") == "code":
            src = _remove_block(src, _SOLUTION, "# YOUR CODE HERE\nraise NotImplementedError()")
        src = _remove_block(src, _MARK_SCHEME)
    return src


def _norm(src: str) -> str:
    return "\n".join(line.rstrip() for line in src.splitlines() if line.strip())


def _edit_detail(released: str, submitted: str, what: str) -> str:
    """``test cell edited: 2 lines added, 1 removed; first added: '...'``."""
    diff = list(difflib.ndiff(released.splitlines(), submitted.splitlines()))
    added = [line[2:] for line in diff if line.startswith("+ ")]
    removed = [line for line in diff if line.startswith("- ")]
    detail = f"{what} edited: {len(added)} line(s) added, {len(removed)} removed"
    return detail + (f"; first added: {added[0].strip()[:60]!r}" if added else "")


def _points(meta: Mapping) -> object:
    value = meta.get("points", 0) or 0
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _metadata_changes(src_cell: Mapping, sub_cell: Mapping) -> list[str]:
    """What changed in a cell's nbgrader metadata and type, as human text."""
    src_meta, sub_meta = _nbgrader(src_cell), _nbgrader(sub_cell)
    changes = []
    if src_cell.get("cell_type") != sub_cell.get("cell_type"):
        changes.append(
            f"cell type changed from {src_cell.get('cell_type')} to {sub_cell.get('cell_type')}"
        )
    for key in ("grade", "solution", "locked", "task"):
        before, after = bool(src_meta.get(key)), bool(sub_meta.get(key))
        if before != after:
            changes.append(f"{key} changed from {before} to {after}")
    if src_meta.get("grade") or sub_meta.get("grade") or src_meta.get("task"):
        before, after = _points(src_meta), _points(sub_meta)
        if before != after:
            changes.append(f"points changed from {_fmt(before)} to {_fmt(after)}")
    return changes


def _what(meta: Mapping) -> str:
    if _is_test(meta):
        return f"test cell worth {_fmt(_points(meta))} point(s)"
    if meta.get("grade") or meta.get("task"):
        return f"manually graded cell worth {_fmt(_points(meta))} point(s)"
    return "answer cell" if meta.get("solution") else "locked cell"


def _compare(cells: list, labels: list[str], source: Mapping) -> list[tuple[str, str, str]]:
    """``(cell, kind, detail)`` for every difference from the source that matters."""
    found: list[tuple[str, str, str]] = []
    by_id: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id is not None:
            by_id.setdefault(str(grade_id), []).append(index)
        elif _nbgrader(cell):
            found.append((labels[index], "metadata", "nbgrader metadata without a grade_id"))
    for grade_id, indexes in by_id.items():
        if len(indexes) > 1:
            found.append((grade_id, "metadata", f"grade_id used by {len(indexes)} cells"))
    source_cells = {
        str(_nbgrader(c)["grade_id"]): c
        for c in source.get("cells", [])
        if _nbgrader(c).get("grade_id")
    }
    for grade_id, src_cell in source_cells.items():
        if grade_id in by_id:
            index = by_id[grade_id][0]
        else:
            index = _orphan(cells, src_cell)
            if index is None:
                found.append(
                    (grade_id, "metadata", f"cell deleted (was a {_what(_nbgrader(src_cell))})")
                )
                continue
            found.append((labels[index], "metadata", f"nbgrader metadata removed (was {grade_id})"))
        sub_cell = cells[index]
        if grade_id in by_id:
            found += [(labels[index], "metadata", c) for c in _metadata_changes(src_cell, sub_cell)]
        if _is_locked(_nbgrader(src_cell)):
            found += _locked_edit(src_cell, sub_cell, labels[index])
    for grade_id in by_id:
        if grade_id not in source_cells:
            found.append((grade_id, "metadata", "grade_id not in the source notebook"))
    return found


def _orphan(cells: list, src_cell: Mapping) -> int | None:
    """A submission cell without nbgrader metadata that is ``src_cell`` (same id or source)."""
    released = _norm(_release_source(src_cell))
    for index, cell in enumerate(cells):
        if _nbgrader(cell):
            continue
        if src_cell.get("id") and cell.get("id") == src_cell.get("id"):
            return index
        if _is_locked(_nbgrader(src_cell)) and released and _norm(_source(cell)) == released:
            return index
    return None


def _locked_edit(src_cell: Mapping, sub_cell: Mapping, label: str) -> list[tuple[str, str, str]]:
    released, submitted = _release_source(src_cell), _source(sub_cell)
    if _norm(released) == _norm(submitted):
        return []
    what = "test cell" if _is_test(_nbgrader(src_cell)) else "locked cell"
    if _norm(_source(src_cell)) == _norm(submitted):
        detail = f"{what} contains the hidden tests, which were never released"
    else:
        detail = _edit_detail(released, submitted, what)
    return [(label, "edited-locked-cell", detail)]


def _prefilled(cell: Mapping, meta: Mapping) -> str | None:
    """Why a test cell's outputs are suspicious (outputs other than errors), else None."""
    if cell.get("cell_type") != "code" or not _is_test(meta):
        return None
    types = [
        out.get("output_type", "?") for out in cell.get("outputs") or [] if isinstance(out, Mapping)
    ]
    if not [t for t in types if t != "error"]:
        return None
    return f"test cell holds {len(types)} output(s): {', '.join(sorted(set(types)))}"


# ---------------------------------------------------------------------------------------------
# Public API.


def _label(cell: Mapping, index: int) -> str:
    grade_id = _nbgrader(cell).get("grade_id")
    return str(grade_id) if grade_id else f"cell {index + 1}"


def _check_notebook(nb: object, what: str) -> list:
    if not isinstance(nb, Mapping) or not isinstance(nb.get("cells"), list):
        raise TypeError(
            f"{what} must be a notebook (an nbformat NotebookNode with a list of cells), got "
            f"{type(nb).__name__}; read it with nbformat.read(path, as_version=4)"
        )
    return [cell for cell in nb["cells"] if isinstance(cell, Mapping)]


def _dedup(flags: Iterable[Flag]) -> list[Flag]:
    return list(dict.fromkeys(flags))


def scan_notebook(nb: Mapping, *, name: str = "", source: Mapping | None = None) -> list[Flag]:
    """Flag the suspicious code and the tampering in one submitted notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The student's notebook (version 4).
    name : str
        The notebook's file name, copied into each :class:`Flag`.
    source : nbformat.NotebookNode or None
        The instructor's source notebook of the same assignment. With it, locked and test
        cells are compared with their released form and nbgrader metadata is checked.

    Returns
    -------
    list of Flag
        In cell order, each finding once.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("import subprocess as sp\\nsp.run(['ls'])")
    >>> [f.detail for f in scan_notebook(nbformat.v4.new_notebook(cells=[cell]))]
    ['imports subprocess', 'calls subprocess.run (as sp.run)']
    >>> honest = nbformat.v4.new_code_cell("import pandas as pd\\ndf = pd.read_csv('data.csv')")
    >>> scan_notebook(nbformat.v4.new_notebook(cells=[honest]))
    []
    """
    cells = _check_notebook(nb, "nb")
    source_cells = _check_notebook(source, "source") if source is not None else []
    labels = [_label(cell, index) for index, cell in enumerate(cells)]
    unchanged = {
        str(_nbgrader(c)["grade_id"]): _norm(_release_source(c))
        for c in source_cells
        if _nbgrader(c).get("grade_id") and _is_locked(_nbgrader(c))
    }
    found = _code_findings(cells, labels, unchanged)
    for index, cell in enumerate(cells):
        detail = _prefilled(cell, _nbgrader(cell))
        if detail:
            found.append((labels[index], "prefilled-output", detail))
    if source is not None:
        found += _compare(cells, labels, source) + _kernel_change(nb, source)
    return _dedup(Flag(name, cell, kind, detail) for cell, kind, detail in found)


def _code_findings(
    cells: list, labels: list[str], unchanged: dict[str, str]
) -> list[tuple[str, str, str]]:
    """``(cell, kind, detail)`` for the code cells, skipping unchanged instructor cells."""
    names = _Names()
    parsed: dict[int, tuple] = {}
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            text, magic, extra = _neutralise(_source(cell))
            tree, extra_tree = _parse(text), _parse(extra) if extra else None
            for module in (tree, extra_tree):
                if module is not None:
                    names.learn(module)
            parsed[index] = (text, magic, tree, extra_tree)
    found = []
    for index, (text, magic, tree, extra_tree) in parsed.items():
        if unchanged.get(labels[index]) == _norm(_source(cells[index])):
            continue  # the instructor's own locked code, as released
        pairs = magic + _scan_code(names, tree, text)
        if extra_tree is not None:
            pairs += [
                (k, f"{d} (in the written file)") for k, d in _scan_code(names, extra_tree, "")
            ]
        found += [(labels[index], kind, detail) for kind, detail in pairs]
    return found


def _kernel_change(nb: Mapping, source: Mapping) -> list[tuple[str, str, str]]:
    """The notebook's kernel must be the source's: another kernel runs the cells differently."""

    def kernel(notebook: Mapping) -> str | None:
        spec = (notebook.get("metadata") or {}).get("kernelspec") or {}
        return spec.get("name") if isinstance(spec, Mapping) else None

    before, after = kernel(source), kernel(nb)
    if before and before != after:
        return [("", "metadata", f"kernelspec changed from {before!r} to {after!r}")]
    return []


def scan_submission(
    folder: str | os.PathLike, source_folder: str | os.PathLike, *, max_bytes: int = MAX_BYTES
) -> list[Flag]:
    """Flag every notebook the assignment expects in ``folder``, and the folder itself.

    Parameters
    ----------
    folder : path
        ``ROOT/submitted/<student>/<assignment>``.
    source_folder : path
        ``ROOT/source/<assignment>``: its ``*.ipynb`` are the notebooks expected, its other
        files the ones released with them.
    max_bytes : int
        Notebooks larger than this are reported as unreadable, not read.

    Returns
    -------
    list of Flag
        Symlinks are reported and never followed; a missing, broken or non-JSON notebook gives
        a flag of kind ``unreadable`` instead of an exception.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "source").mkdir(); (root / "student").mkdir()
    >>> nbformat.write(nbformat.v4.new_notebook(), root / "source" / "hw.ipynb")
    >>> _ = (root / "student" / "hw.ipynb").write_text("not json")
    >>> _ = (root / "student" / "numpy.py").write_text("")
    >>> for flag in scan_submission(root / "student", root / "source"):
    ...     print(flag.kind, "|", flag.detail[:40])
    unreadable | hw.ipynb is not JSON (JSONDecodeError: E
    extra-file | numpy.py can shadow `import numpy`: a Py
    """
    folder, source_folder = Path(folder), Path(source_folder)
    if not source_folder.is_dir():
        raise ValueError(
            f"source folder {str(source_folder)!r} is not a folder; pass ROOT/source/<assignment>"
        )
    sources = sorted(p for p in source_folder.glob("*.ipynb") if p.is_file())
    if folder.is_symlink():
        return [Flag("", "", "symlink", "the submission folder is a symlink (not followed)")]
    if not folder.is_dir():
        return [Flag("", "", "unreadable", "no submission folder")]
    flags: list[Flag] = []
    for path in sources:
        try:
            source = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several kinds
            raise ValueError(f"cannot read the source notebook {path}: {exc}") from exc
        flags += _scan_file(folder / path.name, source, max_bytes)
    flags += _folder_flags(folder, source_folder, {p.name for p in sources})
    return _dedup(flags)


def _read_notebook(path: Path, max_bytes: int) -> tuple[object, str | None]:
    """``(notebook, None)`` or ``(None, why it cannot be read)``; links are not followed."""
    name = path.name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, f"{name} is missing"
    except OSError as exc:
        return None, f"{name} cannot be examined ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "symlink"
    if not stat.S_ISREG(info.st_mode):
        return None, f"{name} is not a regular file"
    if info.st_size > max_bytes:
        return None, f"{name} is too large ({info.st_size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB)"
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(max_bytes + 1)
        text = data.decode("utf-8")
        json.loads(text)
    except OSError as exc:
        return None, f"{name} cannot be read ({exc.strerror})"
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"{name} is not JSON ({type(exc).__name__}: {str(exc)[:60]})"
    try:
        return nbformat.reads(text, as_version=4, capture_validation_error={}), None
    except Exception as exc:  # nbformat raises several kinds
        return None, f"{name} is not a notebook ({type(exc).__name__}: {str(exc)[:60]})"


def _scan_file(path: Path, source: Mapping, max_bytes: int) -> list[Flag]:
    name = path.name
    nb, problem = _read_notebook(path, max_bytes)
    if problem == "symlink":
        target = os.readlink(path)
        return [Flag(name, "", "symlink", f"{name} is a symlink to {target!r} (not followed)")]
    if problem is not None:
        return [Flag(name, "", "unreadable", problem)]
    try:
        return scan_notebook(nb, name=name, source=source)
    except Exception as exc:  # a malformed notebook must not stop the report
        return [Flag(name, "", "unreadable", f"{name} could not be scanned ({type(exc).__name__})")]


NBGRADER_FILES = frozenset({"timestamp.txt", "submission_secret.txt"})
"""Files ``nbgrader submit`` itself writes into every submission (never flagged)."""


def _released_files(source_folder: Path) -> dict[str, Path]:
    """Relative path -> file, for the regular files of the source folder."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(source_folder):
        dirnames[:] = [d for d in dirnames if d != ".ipynb_checkpoints"]
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(source_folder).as_posix()] = path
    return found


def _folder_flags(folder: Path, source_folder: Path, notebooks: set[str]) -> list[Flag]:
    """Symlinks, special files and files the assignment does not expect."""
    released = _released_files(source_folder)
    flags: list[Flag] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for entry in sorted(dirnames) + sorted(filenames):
            path = Path(dirpath) / entry
            rel = path.relative_to(folder).as_posix()
            seen += 1
            if seen > _MAX_ENTRIES:
                return [*flags, Flag("", "", "extra-file", f"more than {_MAX_ENTRIES} files")]
            if rel in notebooks:
                continue  # flagged by the notebook's own scan
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode):
                target = os.readlink(path)
                flags.append(
                    Flag("", "", "symlink", f"{rel} is a symlink to {target!r} (not followed)")
                )
            elif stat.S_ISDIR(mode):
                continue
            elif not stat.S_ISREG(mode):
                flags.append(Flag("", "", "extra-file", f"{rel} is not a regular file"))
            elif not _expected(rel, path, notebooks, released):
                flags.append(Flag("", "", "extra-file", _extra_detail(rel, path, released)))
    return flags


def _expected(rel: str, path: Path, notebooks: set[str], released: dict[str, Path]) -> bool:
    if rel in notebooks or rel in NBGRADER_FILES:
        return True
    parts = rel.split("/")
    if ".ipynb_checkpoints" in parts and rel.endswith("-checkpoint.ipynb"):
        return True
    if rel in released:
        try:
            size = os.lstat(path).st_size
            if size != released[rel].stat().st_size or size > MAX_BYTES:
                return False
            return path.read_bytes() == released[rel].read_bytes()
        except OSError:
            return False
    return False


def _extra_detail(rel: str, path: Path, released: dict[str, Path]) -> str:
    """What an unexpected file is, loudly for the ones that can shadow imports."""
    name = path.name
    module = name.split(".")[0]
    what = "differs from the released copy" if rel in released else "is not part of the assignment"
    if name.endswith(".pth"):
        return f"{rel}: a .pth file runs code in every Python process that sees it ({what})"
    if name == "__init__.py":
        module = path.parent.name
        return f"{rel} can shadow `import {module}`: it makes {module}/ a package ({what})"
    if module in {"sitecustomize", "usercustomize"} and name.endswith(".py"):
        return f"{rel} runs at every Python start-up where it is on the path ({what})"
    if name.endswith((".py", ".pyc", ".pyo")):
        return (
            f"{rel} can shadow `import {module}`: a Python file beside the notebook is imported "
            f"before the installed package ({what})"
        )
    if name.endswith((".so", ".pyd", ".dylib", ".dll")):
        return f"{rel} can shadow `import {module}`: a compiled extension module ({what})"
    if ".ipython" in rel.split("/") or name == "ipython_config.py":
        return f"{rel}: IPython configuration or start-up file ({what})"
    return f"{rel} {what}"

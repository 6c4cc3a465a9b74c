"""The scan's static code rules: what a submission's code cells do, read without running them.

Code cells are read with :mod:`ast` (IPython syntax such as ``%magic``, ``!shell`` and ``x?``
is neutralised first and reported on its own), and with regular expressions when a cell
still does not parse. Names are resolved across the notebook (imports and aliases are
followed). :func:`code_findings` gives ``(cell index, kind, detail)``; the kinds are
:data:`course.grading.scan.KINDS`.

Examples
--------
>>> code_findings(["import subprocess as sp\\nsp.run(['ls'])", None])
[(0, 'subprocess', 'imports subprocess'), (0, 'subprocess', 'calls subprocess.run (as sp.run)')]
"""

from __future__ import annotations

import ast
import builtins
import functools
import io
import re
import textwrap
import tokenize
import warnings
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["code_findings"]


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
_MAX_DEPTH = 3  # exec("...") strings scanned recursively, this deep

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


def code_findings(
    sources: Sequence[str | None], skip: Container[int] = ()
) -> list[tuple[int, str, str]]:
    """``(cell index, kind, detail)`` for a notebook's code cells, in cell order.

    ``sources`` holds each cell's source, None for a cell that is not code; every code
    cell's imports count (all cells share one namespace), but the cells in ``skip`` (the
    instructor's own locked code, as released) are not reported.
    """
    names = _Names()
    parsed: dict[int, tuple] = {}
    for index, source in enumerate(sources):
        if source is not None:
            text, magic, extra = _neutralise(source)
            tree, extra_tree = _parse(text), _parse(extra) if extra else None
            for module in (tree, extra_tree):
                if module is not None:
                    names.learn(module)
            parsed[index] = (text, magic, tree, extra_tree)
    found = []
    for index, (text, magic, tree, extra_tree) in parsed.items():
        if index in skip:
            continue
        pairs = magic + _scan_code(names, tree, text)
        if extra_tree is not None:
            pairs += [
                (k, f"{d} (in the written file)") for k, d in _scan_code(names, extra_tree, "")
            ]
        found += [(index, kind, detail) for kind, detail in pairs]
    return found

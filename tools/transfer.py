"""The transfer check: no graded answer of a problem set can be copied from the screen.

It executes every lesson once, in a fresh kernel, and records what a student sees or can get
there: each cell's source, each output as text, and the values each cell binds or displays
(numbers, id lists, tables, mappings). It adds the docstrings of the ``course`` package (a
student has it installed) and the expected values of the lesson exercises
(``course.exercises``). Then it executes a problem set's source notebook (the reference
solution) and takes, for each answer cell, the values its test cell reads. A reference
answer *leaks* when it appears in that record:

- a non-trivial number (an integer of 10 or more that is not a year, or a fraction that
  needs more than one decimal) shown in a lesson or docstring at the precision shown there
  (``15.6`` shows 15.63; ``3.8e+25`` shows 3.81e25; ``41.2%`` shows 0.412), or equal to a
  number a lesson cell computes;
- a list of two or more ids equal to a list a lesson shows (``['a', 'b']`` in a source or an
  output) or computes (a list, an index, a column); order counts only when the answer is
  not sorted;
- a table or a mapping equal, row for row, to one a lesson computes or displays.

Use it on a branch (from the repository root)::

    python tools/transfer.py ps01-the-order ps02-compute   # named sets, or all without names
    python -m pytest tests/test_transfer.py -k ps01         # the same, as the test runs it

The command caches each lesson's record under ``.transfer-cache/`` (git-ignored), keyed by
the lesson and the ``course`` sources, so a second run only executes the problem sets.
Functions a problem set asks for are not called (a hidden test's arguments are not read);
the values the test cell reads are. It reads instructor sources, so it is not part of the
``course`` package students install.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import hashlib
import html
import json
import math
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MARK = "\x1etransfer-probe\x1e"
PROBE_TAG = "transfer-probe"
MAX_ITEMS = 3000

#: Runs in the kernel after a cell: the values of the names it binds and of what it displayed.
PROBE = r"""
def __transfer_probe(names):
    import datetime, json, math, numbers
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover - the course always has both
        np = pd = None
    limit = %(limit)d

    def fp(v, depth=0):
        if depth > 4 or v is None or isinstance(v, bool):
            return None
        if np is not None and isinstance(v, np.bool_):
            return None
        if pd is not None and isinstance(v, pd.Timedelta):
            return {"k": "num", "v": v / pd.Timedelta(days=1)}
        if isinstance(v, numbers.Real):
            f = float(v)
            return {"k": "num", "v": f} if math.isfinite(f) else None
        if isinstance(v, str):
            return {"k": "str", "v": v[:300]}
        if isinstance(v, datetime.date):
            return {"k": "str", "v": str(v)[:10]}
        if pd is not None:
            if isinstance(v, pd.DataFrame):
                frame = v if isinstance(v.index, pd.RangeIndex) else v.reset_index()
                frame = frame.head(limit)
                return {
                    "k": "table",
                    "columns": [str(c) for c in frame.columns],
                    "rows": [[fp(x, 5 - 1) for x in row] for row in frame.itertuples(index=False)],
                }
            if isinstance(v, pd.Series):
                return {
                    "k": "series",
                    "index": [fp(x, 4) for x in list(v.index[:limit])],
                    "items": [fp(x, 4) for x in list(v.iloc[:limit])],
                }
            if isinstance(v, pd.Index):
                v = list(v[:limit])
        if np is not None and isinstance(v, np.ndarray):
            if v.ndim != 1:
                return None
            v = v[:limit].tolist()
        if isinstance(v, dict):
            pairs = list(v.items())[:limit]
            return {"k": "map", "items": [[fp(a, depth + 1), fp(b, depth + 1)] for a, b in pairs]}
        if isinstance(v, (set, frozenset)):
            return {"k": "seq", "set": True, "items": [fp(x, depth + 1) for x in sorted(v, key=repr)[:limit]]}
        if isinstance(v, (list, tuple)):
            return {"k": "seq", "items": [fp(x, depth + 1) for x in list(v)[:limit]]}
        return None

    ns = globals()
    found = {}
    for name in names:
        if name in ns:
            try:
                value = fp(ns[name])
            except Exception:
                value = None
            if value is not None:
                found[name] = value
    count = get_ipython().execution_count - 1
    shown = ns.get("Out", {}).get(count)
    if shown is not None:
        try:
            value = fp(shown)
        except Exception:
            value = None
        if value is not None:
            found["<displayed>"] = value
    print(%(mark)r + json.dumps(found))


"""


# --- what a cell binds, what a test reads ------------------------------------------------------


def _parse(source: str) -> ast.Module | None:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def bound_names(source: str) -> list[str]:
    """Names a cell binds at its top level (assignments, loops, with-targets)."""
    tree = _parse(source)
    if tree is None:
        return []
    names: list[str] = []

    def targets(node: ast.AST) -> Iterator[str]:
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Tuple | ast.List):
            for elt in node.elts:
                yield from targets(elt)
        elif isinstance(node, ast.Starred):
            yield from targets(node.value)

    for stmt in tree.body:
        found: list[ast.AST] = []
        if isinstance(stmt, ast.Assign):
            found = stmt.targets
        elif isinstance(stmt, ast.AnnAssign | ast.AugAssign | ast.For):
            found = [stmt.target]
        elif isinstance(stmt, ast.With):
            found = [item.optional_vars for item in stmt.items if item.optional_vars]
        for target in found:
            for name in targets(target):
                if not name.startswith("_") and name not in names:
                    names.append(name)
    return names


def read_names(source: str) -> set[str]:
    tree = _parse(source)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


# --- running a notebook with probes --------------------------------------------------------------


@dataclass
class Record:
    """What one executed notebook offers: text chunks and values, each with where it came from."""

    name: str
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    values: list[tuple[str, dict]] = field(default_factory=list)  # (where, fingerprint)

    def to_json(self) -> dict:
        return {"name": self.name, "texts": self.texts, "values": self.values}

    @classmethod
    def from_json(cls, data: dict) -> Record:
        return cls(
            data["name"],
            [tuple(t) for t in data["texts"]],
            [tuple(v) for v in data["values"]],
        )


def _strip_html(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def output_texts(cell: nbformat.NotebookNode) -> Iterator[str]:
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            yield out.text
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            for mime in ("text/plain", "text/markdown", "text/latex"):
                if mime in data:
                    yield data[mime]
            if "text/html" in data:
                yield _strip_html(data["text/html"])
        elif out.output_type == "error":
            yield f"{out.ename}: {out.evalue}"


def execute_with_probes(
    path: Path, probes: dict[int, list[str]], timeout: int = 600
) -> tuple[nbformat.NotebookNode, dict[int, dict]]:
    """Execute a notebook in a fresh kernel and an empty folder, probing after the given cells.

    Returns the executed notebook (probe cells removed) and, per probed cell index, the
    fingerprints of the values of its names (and of what it displayed).
    """
    nb = nbformat.read(path, as_version=4)
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    run.cells.append(
        nbformat.v4.new_code_cell(
            PROBE % {"limit": MAX_ITEMS, "mark": MARK}, metadata={"tags": [PROBE_TAG]}
        )
    )
    origin: list[int | None] = [None]
    for i, cell in enumerate(nb.cells):
        run.cells.append(cell)
        origin.append(i)
        if i in probes:
            probe = nbformat.v4.new_code_cell(
                f"__transfer_probe({probes[i]!r})", metadata={"tags": [PROBE_TAG]}
            )
            probe.metadata["probe_of"] = i
            run.cells.append(probe)
            origin.append(None)
    with tempfile.TemporaryDirectory(prefix="transfer-") as folder:
        client = NotebookClient(
            run, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": folder}}
        )
        client.execute()
    values: dict[int, dict] = {}
    for cell in run.cells:
        if "probe_of" in cell.metadata:
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            _, _, payload = text.partition(MARK)
            values[cell.metadata["probe_of"]] = json.loads(payload) if payload else {}
    executed = nbformat.v4.new_notebook(metadata=nb.metadata)
    executed.cells = [c for c, o in zip(run.cells, origin, strict=True) if o is not None]
    return executed, values


def _fingerprint_here(value: object) -> dict | None:
    """The kernel's fingerprint, computed in this process (for the exercises' expected values)."""
    scope: dict = {"get_ipython": lambda: type("I", (), {"execution_count": 0})()}
    exec(PROBE % {"limit": MAX_ITEMS, "mark": ""}, scope)  # defines __transfer_probe
    scope["value"] = value
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scope["__transfer_probe"](["value"])
    return json.loads(buffer.getvalue()).get("value")


def lesson_record(path: Path) -> Record:
    """Execute a lesson and record its sources, outputs and the values of every cell."""
    nb = nbformat.read(path, as_version=4)
    probes = {i: bound_names(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    executed, values = execute_with_probes(path, probes)
    record = Record(path.stem)
    for i, cell in enumerate(executed.cells):
        record.texts.append((f"{path.stem} cell {i} source", cell.source))
        for text in output_texts(cell):
            record.texts.append((f"{path.stem} cell {i} output", text))
        for name, value in values.get(i, {}).items():
            record.values.append((f"{path.stem} cell {i} `{name}`", value))
    return record


def docstring_record(package: Path = ROOT / "course") -> Record:
    """Every docstring of the course package (what `help()` shows a student)."""
    record = Record("course docstrings")
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node, clean=False)
                if doc:
                    where = getattr(node, "name", "module")
                    record.texts.append((f"{path.relative_to(package.parent)} {where}", doc))
    return record


def exercise_record() -> Record:
    """The expected values of the lesson exercises, computed by course.exercises."""
    record = Record("lesson exercises")
    try:
        from course import exercises
    except ImportError:
        return record
    for exercise_id, value in exercises.expected_values().items():
        fingerprint = _fingerprint_here(value)
        if fingerprint is not None:
            record.values.append((f"exercise {exercise_id} (course.exercises)", fingerprint))
    return record


@dataclass
class Answer:
    assignment: str
    grade_id: str
    name: str
    value: dict


def reference_answers(path: Path) -> tuple[list[Answer], list[str]]:
    """Execute a source notebook; the values each answer cell binds that its tests read.

    Returns the answers and the grade_ids of answer cells whose tests read no plain value
    (functions only), which this check cannot see into.
    """
    nb = nbformat.read(path, as_version=4)
    answer_cells: dict[int, tuple[str, list[str]]] = {}
    current: int | None = None
    tests_read: dict[int, set[str]] = {}
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if meta.get("solution"):
            current = i
            answer_cells[i] = (meta.get("grade_id", f"cell {i}"), bound_names(cell.source))
            tests_read[i] = set()
        elif meta.get("grade") and current is not None:
            tests_read[current] |= read_names(cell.source)
    probes = {i: [n for n in names if n in tests_read[i]] for i, (_, names) in answer_cells.items()}
    _, values = execute_with_probes(path, probes)
    answers, unseen = [], []
    for i, (grade_id, _) in answer_cells.items():
        got = {k: v for k, v in values.get(i, {}).items() if k != "<displayed>"}
        if not got:
            unseen.append(grade_id)
        for name, value in got.items():
            answers.append(Answer(path.stem, grade_id, name, value))
    return answers, unseen


# --- matching ------------------------------------------------------------------------------------

NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?:(?:[eE](?P<exp>[+-]?\d+))|(?:\s*[×x]\s*10(?:<sup>|\^|\*\*)(?P<exp2>[-−]?\d+)))?"
    r"(?P<pct>\s?%)?(?![\w])"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b")
BRACKETS = re.compile(r"\[([^\[\]]{1,4000})\]|\{([^{}]{1,4000})\}|\(([^()]{1,4000})\)")
QUOTED = re.compile(r"'([^'\n]{1,200})'|\"([^\"\n]{1,200})\"")


def nontrivial(value: float) -> bool:
    """Worth hiding: an integer of 10 or more that is not a year, or a finer fraction."""
    if not math.isfinite(value):
        return False
    if float(value).is_integer():
        return abs(value) >= 10 and not 1990 <= value <= 2035
    return round(value, 1) != value or abs(value) >= 10


@dataclass(frozen=True)
class Shown:
    value: float  # the number as shown
    step: float  # half a unit of its last digit: anything within it rounds to what is shown
    digits: int  # significant digits shown
    start: int
    end: int


def shown_numbers(text: str) -> Iterator[Shown]:
    clean = ISO_DATE.sub(lambda m: " " * len(m.group()), text)
    for m in NUMBER.finditer(clean):
        whole = m.group("int").replace(",", "")
        frac = m.group("frac") or ""
        exp = m.group("exp") or m.group("exp2")
        mantissa = float(f"{whole}.{frac or 0}")
        if m.group("sign"):
            mantissa = -mantissa
        digits = len((whole + frac).lstrip("0")) or 1
        scale = 10 ** int(exp.replace("−", "-")) if exp else 1
        step = 0.5 * 10 ** (-len(frac)) * scale
        yield Shown(mantissa * scale, step, digits, m.start(), m.end())
        if m.group("pct"):
            yield Shown(mantissa * scale / 100, step / 100, digits, m.start(), m.end())


def number_shown(answer: float, shown: Shown) -> bool:
    """``shown`` is ``answer`` rounded at the precision it is shown with."""
    if shown.digits < 2:
        return False
    if not float(answer).is_integer() and shown.step >= 0.5 and abs(answer) < 1000:
        return False  # a fraction shown as a whole number is not the answer
    return abs(answer - shown.value) <= shown.step * (1 + 1e-9) + 1e-12 * abs(answer)


def _atom(fp: dict | None) -> object:
    """A hashable, comparable form of a scalar fingerprint."""
    if fp is None:
        return None
    if fp["k"] == "num":
        return float(f"{fp['v']:.9g}")
    if fp["k"] == "str":
        return fp["v"]
    return json.dumps(fp, sort_keys=True)


def _seq_atoms(fp: dict) -> list | None:
    """The items of a list-like fingerprint (seq, series values), or None."""
    if fp["k"] in ("seq", "series"):
        return [_atom(x) for x in fp["items"]]
    return None


def _pairs(fp: dict) -> list[tuple] | None:
    if fp["k"] == "map":
        return [(_atom(a), _atom(b)) for a, b in fp["items"]]
    if fp["k"] == "series":
        return [(_atom(a), _atom(b)) for a, b in zip(fp["index"], fp["items"], strict=False)]
    if fp["k"] == "table" and len(fp["columns"]) == 2:
        return [(_atom(r[0]), _atom(r[1])) for r in fp["rows"]]
    return None


def _rows(fp: dict) -> list[tuple] | None:
    if fp["k"] == "table":
        return [tuple(_atom(x) for x in row) for row in fp["rows"]]
    pairs = _pairs(fp)
    return pairs


def _columns(fp: dict) -> Iterator[list]:
    if fp["k"] == "table":
        for j in range(len(fp["columns"])):
            yield [_atom(row[j]) for row in fp["rows"]]
    elif fp["k"] == "series":
        yield [_atom(x) for x in fp["index"]]
        yield [_atom(x) for x in fp["items"]]
    elif fp["k"] == "map":
        yield [_atom(a) for a, _ in fp["items"]]
    seq = _seq_atoms(fp) if fp["k"] == "seq" else None
    if seq is not None:
        yield seq


def _sortable(items: list) -> bool:
    try:
        return items == sorted(items)
    except TypeError:
        return False


def same_list(answer: list, other: list) -> bool:
    """Equal as sets when the answer is sorted (an id list), else equal in order (a ranking)."""
    if not other:
        return False
    try:
        if _sortable(answer):
            return set(answer) == set(other)
    except TypeError:
        return False
    return answer == other


def _numbers_in(fp: dict) -> Iterator[float]:
    """The numbers of an answer that are checked one by one: a scalar, a short tuple, a dict's values."""
    if fp["k"] == "num":
        yield fp["v"]
    elif fp["k"] == "seq" and len(fp["items"]) <= 3:
        for item in fp["items"]:
            if item is not None and item["k"] in ("num", "seq"):
                yield from _numbers_in(item)
    elif fp["k"] == "map":  # a count per key is checked as part of the whole mapping
        for _, value in fp["items"]:
            if (
                value is not None
                and value["k"] == "num"
                and (abs(value["v"]) >= 100 or not float(value["v"]).is_integer())
            ):
                yield value["v"]


def _id_list(fp: dict) -> list | None:
    items = _seq_atoms(fp) if fp["k"] == "seq" else None
    if items is None or len(items) < 2 or any(i is None for i in items):
        return None
    if all(isinstance(i, str) for i in items) or all(isinstance(i, float) for i in items):
        return items
    return None


def _snippet(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40) : end + 40].split())


@dataclass(frozen=True)
class Leak:
    answer: Answer
    what: str
    where: str
    context: str

    def __str__(self) -> str:
        a = self.answer
        return f"{a.assignment} {a.grade_id} `{a.name}`: {self.what} appears in {self.where}: «{self.context}»"


UNIT_AFTER = re.compile(
    r"\s*(?:days?|weeks?|months?|years?|laws?|bills?|models?|claims?|states?|hits?|rows?|"
    r"items?|obligations?|duties|duty types|instruments?|orders?|organisations?|teams?|"
    r"per cent|percent|words?)\b",
    re.I,
)
MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
DAY_OF_MONTH = re.compile(rf"^\s+{MONTHS}\b|{MONTHS}\.?\s+$")


def _table_numbers(fp: dict) -> Iterator[float]:
    """Numbers in the cells of a computed table or Series (not its row numbers)."""
    if fp["k"] == "table":
        cells = (x for row in fp["rows"] for x in row)
    elif fp["k"] == "series":
        cells = iter(fp["items"])
    else:
        return
    for x in cells:
        if x is not None and x["k"] == "num":
            yield x["v"]


def _text_shows(text: str, s: Shown, number: float) -> bool:
    """A number is on screen when shown with 3 digits or more (a whole number: 100 or more),
    or with a unit after it ("51 days", "6.5 months"), and it is not a day of a month."""
    if s.digits >= 3 and (abs(number) >= 100 or not float(number).is_integer()):
        return True
    before, after = text[max(0, s.start - 12) : s.start], text[s.end : s.end + 14]
    if DAY_OF_MONTH.search(before) or DAY_OF_MONTH.search(after):
        return False
    return bool(UNIT_AFTER.match(after))


class _Sorted:
    """Numbers with their places, searchable by value (bisect), for many answers at once."""

    def __init__(self, entries: Iterable[tuple[float, object]]):
        self.entries = sorted(entries, key=lambda e: e[0])
        self.keys = [e[0] for e in self.entries]

    def near(self, value: float, width: float) -> Iterator[tuple[float, object]]:
        lo = bisect.bisect_left(self.keys, value - width)
        hi = bisect.bisect_right(self.keys, value + width)
        yield from self.entries[lo:hi]


def find_leaks(answers: Iterable[Answer], records: Iterable[Record]) -> list[Leak]:
    """Every reference answer (or part of one) that a lesson, docstring or exercise shows.

    Numbers: a non-trivial number shown in a text at its precision, with three digits or more
    or with a unit after it ("51 days", "6.5 months": dates and row numbers do not count),
    or equal to a number a lesson computes (a scalar, or a cell of a table of 100 or more or
    a fraction). Lists of ids, tables and mappings: equal to one a lesson shows or computes.
    """
    records = list(records)
    leaks: list[Leak] = []
    texts = [(where, text) for r in records for where, text in r.texts]
    shown = _Sorted(
        (s.value, (where, text, s)) for where, text in texts for s in shown_numbers(text)
    )
    literal_lists = []
    for where, text in texts:
        for m in BRACKETS.finditer(text):
            inner = next(g for g in m.groups() if g is not None)
            quoted = [a or b for a, b in QUOTED.findall(inner)]
            if len(quoted) >= 2:
                literal_lists.append((where, quoted, _snippet(text, m.start(), m.end())))
            elif not QUOTED.search(inner):
                nums = [s.value for s in shown_numbers(inner)]
                if len(nums) >= 2 and re.fullmatch(r"[\s\d.,eE+\-−]*", inner):
                    literal_lists.append((where, [float(f"{n:.9g}") for n in nums], inner[:80]))
    values = [(where, fp) for r in records for where, fp in r.values]
    computed = _Sorted(
        [(v, where) for where, fp in values for v in _numbers_in(fp) if nontrivial(v)]
        + [
            (v, where)
            for where, fp in values
            for v in _table_numbers(fp)
            if nontrivial(v) and (abs(v) >= 100 or not float(v).is_integer())
        ]
    )
    for answer in answers:
        seen: set[tuple[str, str]] = set()

        def add(what: str, where: str, context: str, answer=answer, seen=seen) -> None:
            if (what, where) not in seen:
                seen.add((what, where))
                leaks.append(Leak(answer, what, where, context))

        for number in _numbers_in(answer.value):
            if not nontrivial(number):
                continue
            what = f"the number {number:.6g}"
            for _, (where, text, s) in shown.near(number, 0.06 * abs(number) + 0.5):
                if not number_shown(number, s):
                    continue
                if not _text_shows(text, s, number):
                    continue
                add(what, where, _snippet(text, s.start, s.end))
            for other, where in computed.near(number, 1e-6 * abs(number) + 1e-12):
                add(what, where, f"a value the lesson computes: {other:.6g}")
        ids = _id_list(answer.value)
        if ids is not None:
            for where, items, context in literal_lists:
                if same_list(ids, items):
                    add(f"the list {ids[:6]}", where, context)
            for where, fp in values:
                for column in _columns(fp):
                    if same_list(ids, column):
                        add(f"the list {ids[:6]}", where, "a list the lesson computes")
                        break
        rows = _rows(answer.value) if answer.value["k"] in ("table", "map", "series") else None
        if rows and len(rows) >= 2:
            for where, fp in values:
                other = _rows(fp) if fp["k"] in ("table", "map", "series") else None
                if other and same_list(rows, other):
                    add(f"the table of {len(rows)} rows", where, "a table the lesson computes")
    return leaks


# --- the command --------------------------------------------------------------------------------


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.name).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def lesson_records(root: Path = ROOT, cache: Path | None = None) -> list[Record]:
    """Every lesson's record (cached under ``cache`` if given), the docstrings and exercises."""
    course_files = sorted(
        p for p in (root / "course").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    records = []
    for lesson in sorted((root / "lessons").glob("[0-9][0-9]-*.ipynb")):
        key = _digest(lesson, *course_files)
        cached = cache / f"{lesson.stem}-{key}.json" if cache else None
        if cached and cached.exists():
            records.append(Record.from_json(json.loads(cached.read_text())))
            continue
        record = lesson_record(lesson)
        if cached:
            cache.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(record.to_json()))
        records.append(record)
    records.append(docstring_record(root / "course"))
    records.append(exercise_record())
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Find reference answers a lesson already shows.")
    parser.add_argument("assignments", nargs="*", help="ids such as ps01-the-order (default: all)")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--no-cache", action="store_true", help="re-run every lesson")
    args = parser.parse_args(argv)
    source = args.root / "assignments" / "source"
    ids = args.assignments or sorted(p.name for p in source.iterdir() if p.is_dir())
    cache = None if args.no_cache else args.root / ".transfer-cache"
    print("running the lessons...", file=sys.stderr)
    records = lesson_records(args.root, cache)
    total = 0
    for assignment in ids:
        answers, unseen = reference_answers(source / assignment / f"{assignment}.ipynb")
        leaks = find_leaks(answers, records)
        total += len(leaks)
        print(f"{assignment}: {len(answers)} answer values checked, {len(leaks)} leak(s)")
        for leak in leaks:
            print(f"  - {leak}")
        if unseen:
            print(f"  (not checked, no plain value read by the tests: {', '.join(unseen)})")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

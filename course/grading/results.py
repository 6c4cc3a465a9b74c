r"""The one results model of the grading package: statuses, ledger records, cell verdicts.

Runner, report, feedback (and the cluster and LMS code) all read and write results
through this module, which imports nothing else of the package:

* :class:`Status`, what happened to a submission (a ``str`` enum, so ledger lines stay
  plain JSON strings);
* :class:`Result`, one ledger record (one student's latest outcome);
* :class:`Ledger`, the append-only JSON-lines file ``ROOT/.course-grade/<assignment>.jsonl``
  (:func:`ledger_path`), read with :func:`read_ledger`;
* :class:`CellVerdict` and :func:`cell_verdict`, what an autograded test cell's outputs say;
* :func:`printable`, the text of a student-chosen value made safe for a terminal or a CSV
  file (control characters escaped).

Examples
--------
>>> Status("timeout") is Status.TIMEOUT, Status.GRADED == "graded"
(True, True)
>>> printable("ada\x1b[2J\nmallory")
'ada\\x1b[2J\\nmallory'
>>> import tempfile, pathlib
>>> ledger = Ledger(pathlib.Path(tempfile.mkdtemp()) / "ps01.jsonl")
>>> ledger.append(Result("ada", Status.TIMEOUT, "over the 60 s cell time limit"))
>>> read_ledger(ledger.path)["ada"]["status"]
'timeout'
"""

from __future__ import annotations

import enum
import json
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "FINAL",
    "CellVerdict",
    "Ledger",
    "Result",
    "Status",
    "cell_verdict",
    "csv_text",
    "failing_line",
    "ledger_path",
    "printable",
    "read_ledger",
    "timeout_reason",
]


class Status(enum.StrEnum):
    """What happened to one submission."""

    GRADED = "graded"  #: scored in the gradebook
    SKIPPED = "skipped"  #: unchanged since its grade (the gradebook has it)
    INVALID = "invalid"  #: refused before any kernel ran (broken or tampered)
    TIMEOUT = "timeout"  #: a cell or the notebook ran past its time limit
    CRASHED = "crashed"  #: the kernel or the grading process died
    ERROR = "error"  #: nbgrader could not grade it

    def __str__(self) -> str:
        return self.value

    def __hash__(self) -> int:  # equal to its string, so hashed like it ("graded" in FINAL)
        return str.__hash__(self.value)


FINAL = frozenset({Status.GRADED, Status.TIMEOUT, Status.CRASHED, Status.ERROR})
"""Statuses a grading run ends in (a re-run of unchanged content keeps them)."""


def timeout_reason(limit: float, what: str = "cell") -> str:
    """The reason recorded for a timeout, naming the limit.

    >>> timeout_reason(60)
    'timeout: a cell ran past the 60 s cell time limit'
    """
    if what == "cell":
        return f"timeout: a cell ran past the {limit:g} s cell time limit"
    return f"timeout: the notebook ran past the {limit:g} s notebook budget"


@dataclass
class Result:
    """What happened to one student's submission: one ledger record."""

    student: str
    status: Status | str
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    content_hash: str = ""
    seconds: float | None = None
    sandboxed: bool | None = None
    flags: list = field(default_factory=list)  # suspicious code found by the static scan

    def __post_init__(self) -> None:
        self.status = Status(self.status)

    def record(self) -> dict:
        """The JSON-ready ledger line of this result (with the time it was written)."""
        data = asdict(self)
        data["status"] = self.status.value
        data["time"] = time.time()
        return data


def ledger_path(root: str | Path, assignment: str) -> Path:
    """Where ``course grade`` keeps the ledger of ``assignment`` in the course ``root``."""
    return Path(root) / ".course-grade" / f"{assignment}.jsonl"


def read_ledger(path: str | Path) -> dict[str, dict]:
    """The latest record per student of a ledger file (cut or malformed lines skipped)."""
    latest: dict[str, dict] = {}
    path = Path(path)
    if not path.is_file():
        return latest
    with path.open(errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut by an interruption
            if not isinstance(record, dict) or not isinstance(record.get("student"), str):
                continue
            try:
                Status(record.get("status"))
            except ValueError:
                continue
            latest[record["student"]] = record
    return latest


class Ledger:
    """Append-only JSON lines: one record per finished student, flushed at once."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock = threading.Lock()
        self.records: dict[str, dict] = read_ledger(self.path)

    def append(self, result: Result) -> None:
        """Add ``result``; an unchanged refusal (same reason, same content) is not repeated."""
        record = result.record()
        same = ("status", "reason", "content_hash", "flags")
        previous = self.records.get(result.student)
        if (
            result.status is Status.INVALID
            and previous
            and all(previous.get(k) == record[k] for k in same)
        ):
            return  # re-running leaves the ledger as it was
        with self.lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as handle:
                handle.write(json.dumps(record) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            self.records[result.student] = record

    add = append  # the name the runner used before


# ---------------------------------------------------------------------------- text

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(value: object, limit: int | None = None) -> str:
    r"""``value`` as text with every control character escaped (``\n`` -> ``\\n``).

    Terminal escapes, carriage returns, newlines and bidirectional overrides in a name a
    student chose cannot forge a line of a summary or a CSV row. ``limit`` cuts long text.

    >>> printable("a\tb\u202e")
    'a\\tb\\u202e'
    """
    text = "" if value is None else str(value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "..."
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def csv_text(value: object, limit: int | None = 2000) -> str:
    """``value`` for a CSV cell: :func:`printable`, and no leading ``= + - @`` (a formula).

    >>> csv_text("=HYPERLINK(1)"), csv_text("ada")
    ("'=HYPERLINK(1)", 'ada')
    """
    text = printable(value, limit)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# ---------------------------------------------------------------------------- verdicts

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CELL_FRAME = re.compile(r"(?:\bCell\b|<test\b|<ipython-input|\bIn\s*\[)[^\n]*?\bline (\d+)")


def failing_line(traceback: list[str]) -> int | None:
    r"""The 1-based line of the test cell where its error was raised, if the traceback says.

    >>> failing_line(["Traceback (most recent call last):", "  Cell <test q1>, line 5"])
    5
    >>> failing_line(["AssertionError: line 3 is wrong"]) is None
    True
    """
    for entry in traceback:
        found = _CELL_FRAME.search(_ANSI.sub("", str(entry)))
        if found:
            return int(found.group(1))
    return None


@dataclass(frozen=True)
class CellVerdict:
    """What an autograded test cell's outputs say: failed or not, and the first error."""

    failed: bool
    ename: str = ""
    evalue: str = ""
    line: int | None = None
    stderr: bool = False
    ran: bool = True

    @property
    def timed_out(self) -> bool:
        """True when the cell was stopped by the cell time limit."""
        return self.ename == "CellTimeoutError"


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def cell_verdict(cell: Mapping) -> CellVerdict:
    """Read an autograded test cell: an error output or a stderr stream means it failed.

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> cell_verdict(new_code_cell("assert True")).failed
    False
    >>> bad = new_output("error", ename="NameError", evalue="name 'f' is not defined",
    ...                  traceback=["Cell In[3], line 1"])
    >>> cell_verdict(new_code_cell("f()", outputs=[bad])).line
    1
    """
    outputs = list(cell.get("outputs") or [])
    stderr = any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in outputs)
    error = next((o for o in outputs if o.get("output_type") == "error"), None)
    ran = cell.get("execution_count") is not None or bool(outputs)
    if error is None:
        return CellVerdict(failed=stderr, stderr=stderr, ran=ran)
    return CellVerdict(
        failed=True,
        ename=_text(error.get("ename")),
        evalue=_text(error.get("evalue")),
        line=failing_line([_text(t) for t in error.get("traceback") or []]),
        stderr=stderr,
        ran=True,
    )

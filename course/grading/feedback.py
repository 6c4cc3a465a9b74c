r"""``course feedback``: one offline HTML page per graded notebook that never shows hidden tests.

nbgrader's own ``generate_feedback`` shows the hidden tests and loads MathJax from the web.
:func:`generate` writes the same files (``ROOT/feedback/<student>/<assignment>/<nb>.html``,
so ``nbgrader release_feedback`` hands them out as usual) from the autograded notebooks and
the gradebook, with these rules:

* a test cell shows its source with every hidden block replaced by one ``# (hidden tests)``
  line, its points from the gradebook, passed or failed, and the error's name and message
  only when the failing line is a visible one ("a hidden test failed" otherwise). Nothing a
  test cell printed is shown: its traceback quotes the hidden code;
* a student's cell shows its source (highlighted with pygments) and its outputs as text;
  PNG/JPEG/GIF images are inlined as data URIs; HTML, SVG, JavaScript and the like are never
  rendered (their plain-text version, or their escaped text, is shown), so no student's
  output runs in anyone's browser. Any hidden-test line that shows up verbatim in an output
  (a cell can print the kernel's input history) is replaced by ``[hidden test]``;
* markdown is rendered with mistune, raw HTML escaped, math left as TeX text, links shown as
  text with their address, images only from the cell's attachments or ``data:`` URIs;
* the page loads nothing: CSS is inline and a Content-Security-Policy meta tag allows only
  inline styles and ``data:`` images;
* the page is rendered by the autoescaped template ``feedback.html.j2``
  (:mod:`course.grading.pages`): every value is escaped there, except the HTML that
  mistune and pygments made from escaped input.

A student without a grade (invalid, timeout, crashed, error) gets a short page per notebook
saying why, from the ledger of ``course grade``.

Examples
--------
>>> from nbformat.v4 import new_code_cell, new_notebook, new_output
>>> from course.grading.submissions import HIDDEN
>>> test = new_code_cell(
...     f"assert f(1) == 1, 'f(1) should be 1'\n{HIDDEN[0]}\nassert f(2) == 4\n{HIDDEN[1]}",
...     metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t1", "points": 1}},
...     outputs=[new_output("error", ename="AssertionError", evalue="",
...                         traceback=["Cell In[2], line 3", "assert f(2) == 4"])],
... )
>>> page = render_notebook(new_notebook(cells=[test]), student="ada", assignment="ps01",
...                        notebook="ps01")
>>> "f(2)" in page, "a hidden test failed" in page, "f(1) should be 1" in page
(False, True, True)
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup, escape

from course.grading.pages import render
from course.grading.report import GRADED, GradeInfo, StudentRecord, collect
from course.grading.results import CellVerdict, cell_verdict, failing_line
from course.grading.submissions import HIDDEN, markers

__all__ = [
    "HIDDEN_FAILED",
    "Verdict",
    "failing_line",
    "generate",
    "render_markdown",
    "render_notebook",
    "strip_hidden_tests",
    "cell_verdict",
]

HIDDEN_DELIMITERS = tuple(m.removeprefix("### ") for m in HIDDEN)
MARK_SCHEME_DELIMITERS = tuple(m.strip("= ") for m in markers("MARK SCHEME", "==="))
HIDDEN_LINE = "# (hidden tests)"
HIDDEN_FAILED = "a hidden test failed"
REDACTED = "[hidden test]"
MAX_TEXT = 20_000
"""Characters of one text output shown; the rest is cut."""
MAX_IMAGE = 8_000_000
"""Base64 characters of one inline image; larger images are left out."""

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CELL_FRAME = re.compile(r"(?:\bCell\b|<test\b|<ipython-input|\bIn\s*\[)[^\n]*?\bline (\d+)")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]+")
_RICH = (
    "text/html",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
    "text/markdown",
    "text/latex",
)


# ---------------------------------------------------------------------------- hidden tests


def strip_hidden_tests(source: str, delimiters=HIDDEN_DELIMITERS) -> tuple[str, set[int]]:
    r"""Remove the hidden blocks of a test cell's source.

    Returns the visible source, where each hidden block (delimiter lines included) became
    one ``# (hidden tests)`` line, and the 1-based numbers of the hidden lines of the
    original source. An unterminated block hides the rest of the cell; a delimiter is
    recognised anywhere in a line, as nbgrader does.

    Examples
    --------
    >>> text, hidden = strip_hidden_tests(f"assert f(1) == 1\n{HIDDEN[0]}\nassert f(2) == 4\n{HIDDEN[1]}")
    >>> print(text)
    assert f(1) == 1
    # (hidden tests)
    >>> sorted(hidden)
    [2, 3, 4]
    """
    begin, end = delimiters
    kept: list[str] = []
    hidden: set[int] = set()
    inside = False
    for number, line in enumerate(source.split("\n"), 1):
        if inside:
            hidden.add(number)
            inside = end not in line
        elif begin in line:
            hidden.add(number)
            inside = True
            kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_LINE)
        elif end not in line:  # a stray end delimiter is dropped, as nbgrader's release does
            kept.append(line)
    return "\n".join(kept), hidden


def _remove_blocks(source: str, delimiters: tuple[str, str]) -> str:
    begin, end = delimiters
    kept, inside = [], False
    for line in source.split("\n"):
        if inside:
            inside = end not in line
        elif begin in line:
            inside = True
        elif end not in line:
            kept.append(line)
    return "\n".join(kept)


def _hidden_lines(source: str, delimiters=HIDDEN_DELIMITERS) -> list[str]:
    """The hidden lines' text (delimiters excluded), long enough to redact safely."""
    _, numbers = strip_hidden_tests(source, delimiters)
    lines = source.split("\n")
    found = []
    for n in sorted(numbers):
        text = lines[n - 1].strip()
        if len(text) >= 6 and not any(d in text for d in delimiters):
            found.append(text)
    return found


class _Redactor:
    """Replace verbatim hidden-test lines (and the course root's path) in shown text."""

    def __init__(self, hidden: list[str], root: Path | None = None):
        self.needles = sorted(set(hidden), key=len, reverse=True)
        self.root = str(root) if root else ""

    def __call__(self, text: str) -> str:
        for needle in self.needles:
            if needle in text:
                text = text.replace(needle, REDACTED)
        if self.root and self.root in text:
            text = text.replace(self.root, "<course>")
        return text


# ---------------------------------------------------------------------------- test verdicts


Verdict = CellVerdict  # the name feedback used before the results model


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


# ---------------------------------------------------------------------------- rendering


def _pts(value: float | None) -> str:
    return "?" if value is None else format(value, "g")


def _plural(value: float | None) -> str:
    return "point" if value == 1 else "points"


def _image_data(value: object, limit: int = MAX_IMAGE) -> str | None:
    text = _text(value)
    if not text or len(text) > limit or not _BASE64.fullmatch(text):
        return None
    return re.sub(r"\s+", "", text)


def render_markdown(source: str, attachments: Mapping | None = None) -> Markup:
    r"""Markdown to HTML that loads nothing and runs nothing.

    Raw HTML is escaped, math stays TeX text, a link becomes its text plus its address
    (only ``#anchors`` stay links), and images are shown only from the cell's
    attachments or ``data:image/png|jpeg|gif`` URIs. The result is :class:`~markupsafe.Markup`:
    mistune made it from escaped input, and every address and text this renderer adds is
    escaped too.

    Examples
    --------
    >>> print(render_markdown("**Q1** <script>x()</script> $a_1 + b_1$ [docs](https://x.org)"))
    <p><strong>Q1</strong> &lt;script&gt;x()&lt;/script&gt; <span class="math">$a_1 + b_1$</span> docs <span class="url">(https://x.org)</span></p>
    """
    import mistune
    from mistune.renderers.html import HTMLRenderer

    files = attachments or {}

    class Renderer(HTMLRenderer):
        def link(self, text, url, title=None):
            if url.startswith("#"):
                return f'<a href="{escape(url)}">{text}</a>'
            if text in (url, escape(url)):
                return f'<span class="url">{escape(url)}</span>'
            return f'{text} <span class="url">({escape(url)})</span>'

        def image(self, text, url, title=None):
            mime, data = None, None
            if url.startswith("attachment:"):
                bundle = files.get(url.removeprefix("attachment:")) or {}
                for kind in ("image/png", "image/jpeg", "image/gif"):
                    if kind in bundle:
                        mime, data = kind, _image_data(bundle[kind])
                        break
            else:
                found = re.fullmatch(r"data:(image/(?:png|jpeg|gif));base64,(.*)", url, re.S)
                if found:
                    mime, data = found.group(1), _image_data(found.group(2))
            if mime and data:
                return f'<img src="data:{mime};base64,{data}" alt="{escape(text)}">'
            return f'<span class="url">[image: {escape(text)} ({escape(url)})]</span>'

    markdown = mistune.create_markdown(
        renderer=Renderer(escape=True), plugins=["strikethrough", "table", "math"]
    )
    markdown.renderer.register(
        "inline_math", lambda _, text: f'<span class="math">${escape(text)}$</span>'
    )
    markdown.renderer.register(
        "block_math", lambda _, text: f'<div class="math">$$\n{escape(text)}\n$$</div>\n'
    )
    return Markup(str(markdown(source)).strip())


class _Code:
    """Pygments highlighting for the notebook's language (Python when unknown)."""

    def __init__(self, nb: Mapping):
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer, get_lexer_by_name
        from pygments.util import ClassNotFound

        name = ((nb.get("metadata") or {}).get("language_info") or {}).get("name") or "python"
        try:
            self.lexer = get_lexer_by_name(str(name))
        except ClassNotFound:
            self.lexer = PythonLexer()
        self.formatter = HtmlFormatter(cssclass="hl")

    def __call__(self, source: str) -> Markup:
        from pygments import highlight

        # pygments escapes the source it highlights
        return Markup(highlight(source or " ", self.lexer, self.formatter))

    @staticmethod
    def css() -> Markup:
        from pygments.formatters import HtmlFormatter

        return Markup(HtmlFormatter(style="default").get_style_defs(".hl"))


def _pre(text: str, cls: str, redact: _Redactor) -> dict:
    text = redact(text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + f"\n… ({len(text) - MAX_TEXT} more characters not shown)"
    return {"kind": "pre", "cls": cls, "text": text}


def _note(text: str) -> dict:
    return {"kind": "note", "text": text}


def _output(output: Mapping, redact: _Redactor, where: str) -> list[dict]:
    """What the page shows of one output, as items of ``feedback.html.j2``'s ``output``."""
    kind = output.get("output_type")
    if kind == "stream":
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        return [_pre(_text(output.get("text")), f"out {name}", redact)]
    if kind == "error":
        lines = [_ANSI.sub("", _text(t)) for t in output.get("traceback") or []]
        if not lines:
            lines = [f"{_text(output.get('ename'))}: {_text(output.get('evalue'))}"]
        return [_pre("\n".join(lines), "out error", redact)]
    if kind in {"execute_result", "display_data"}:
        data = output.get("data") or {}
        for mime in ("image/png", "image/jpeg", "image/gif"):
            if mime in data:
                image = _image_data(data[mime])
                if image:
                    alt = _text(data.get("text/plain")) or f"image output of {where}"
                    return [{"kind": "image", "mime": mime, "data": image, "alt": alt}]
                return [_note("(an image too large to show)")]
        rich = [m for m in data if m in _RICH or m.startswith("application/")]
        if "text/plain" in data:
            shown = [_pre(_text(data["text/plain"]), "out", redact)]
            if rich:
                shown.append(
                    _note(
                        f"({', '.join(rich)} version not shown: outputs are never rendered "
                        "as web content here)"
                    )
                )
            return shown
        if rich:
            mime = rich[0]
            return [
                _note(f"{mime} output, shown as text (not rendered):"),
                _pre(_text(data[mime]), "out", redact),
            ]
    return []


def _points_box(grade: GradeInfo | None, max_points: object, label: str) -> dict:
    if grade is None:
        return {"kind": "missing", "label": label, "possible": max_points}
    if grade.needs_manual_grade:
        return {
            "kind": "pending",
            "label": label,
            "max": _pts(grade.max_score),
            "unit": _plural(grade.max_score),
        }
    return {
        "kind": "score",
        "label": label,
        "score": _pts(grade.score),
        "max": _pts(grade.max_score),
        "unit": _plural(grade.max_score),
    }


def _test_cell(cell, meta, grade, code) -> dict:
    """A test cell of the student view: its released source and its one verdict."""
    visible = _text(cell.get("source"))
    outcome = cell_verdict(cell)
    passed = not outcome.failed
    if grade is not None and not outcome.failed:
        passed = grade.score >= grade.max_score - 1e-9
    score = (
        f"{_pts(grade.score)} / {_pts(grade.max_score)} {_plural(grade.max_score)}"
        if grade is not None
        else f"{_pts(meta.get('points'))} {_plural(meta.get('points'))} possible"
    )
    if passed:
        verdict = {"kind": "pass"}
    elif not outcome.failed:
        verdict = {"kind": "changed"}
    elif not outcome.ename and outcome.stderr:
        verdict = {"kind": "stderr"}
    elif outcome.evalue == HIDDEN_FAILED:
        verdict = {"kind": "hidden", "message": HIDDEN_FAILED}
    elif outcome.timed_out:
        verdict = {"kind": "timeout", "message": outcome.evalue}
    else:
        message = f"{outcome.ename}: {outcome.evalue}" if outcome.evalue else outcome.ename
        verdict = {"kind": "error", "message": message[:1000]}
    return {
        "kind": "test",
        "state": "pass" if passed else "fail",
        "gid": meta.get("grade_id", ""),
        "score": score,
        "code": code(visible),
        "verdict": verdict,
    }


def render_notebook(
    nb: Mapping,
    *,
    student: str,
    assignment: str,
    notebook: str,
    grades: Mapping[str, GradeInfo] | None = None,
    comments: Mapping[str, str] | None = None,
    score: tuple[float, float] | None = None,
    total: tuple[float, float] | None = None,
    manual_pending: bool = False,
    delimiters: tuple[str, str] = HIDDEN_DELIMITERS,
    root: Path | None = None,
    tests: Mapping[str, str] | None = None,
) -> str:
    """The feedback page of one autograded notebook (see the module's rules).

    The page is rendered from :func:`course.grading.visible.student_view` of ``nb`` (an
    allow-list of what a student may see), never from the graded notebook itself, with
    the autoescaped template ``feedback.html.j2`` (:mod:`course.grading.pages`).

    Parameters
    ----------
    nb : the autograded notebook (it holds the full test cells, hidden parts included).
    student, assignment, notebook : shown in the header (``notebook`` without ``.ipynb``).
    grades : grade_id -> :class:`~course.grading.report.GradeInfo` from the gradebook.
    comments : grade_id -> a grader's comment.
    score : this notebook's (score, max); total : the assignment's (score, max).
    manual_pending : some answers still wait for a human grader.
    delimiters : the hidden-test delimiters (nbgrader's ``ClearHiddenTests`` settings).
    root : the course root, never named in the page.
    tests : grade_id -> the gradebook's source of each test cell (default: the sources
        in ``nb``, which the autograde step restored from the gradebook).
    """
    from course.grading.visible import student_view

    grades = grades or {}
    comments = comments or {}
    if tests is None:
        tests = {
            (c.get("metadata") or {}).get("nbgrader", {}).get("grade_id"): _text(c.get("source"))
            for c in nb.get("cells") or []
            if c.get("cell_type") == "code"
            and ((c.get("metadata") or {}).get("nbgrader") or {}).get("grade")
            and not ((c.get("metadata") or {}).get("nbgrader") or {}).get("solution")
        }
    nb = student_view(nb, dict(tests), delimiters)
    code = _Code(nb)
    cells = list(nb.get("cells") or [])
    hidden: list[str] = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            hidden += _hidden_lines(_text(cell.get("source")), delimiters)
    redact = _Redactor(hidden, root)
    shown = []
    for index, cell in enumerate(cells, 1):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        gid = meta.get("grade_id")
        kind = cell.get("cell_type")
        source = _text(cell.get("source"))
        grade = grades.get(gid) if gid else None
        comment = (comments.get(gid) if gid else None) or ""
        if kind == "code" and meta.get("grade") and not meta.get("solution"):
            shown.append({**_test_cell(cell, meta, grade, code), "comment": comment})
        elif kind == "markdown":
            source = _remove_blocks(source, MARK_SCHEME_DELIMITERS)
            box = _points_box(grade, meta.get("points"), "Written answer")
            shown.append(
                {
                    "kind": "markdown",
                    "cls": "answer" if meta.get("solution") else "md",
                    "gid": gid,
                    "box": box if meta.get("grade") else None,
                    "body": render_markdown(source, cell.get("attachments")),
                    "comment": comment,
                }
            )
        elif kind == "code":
            outputs = [
                item
                for output in cell.get("outputs") or []
                for item in _output(output, redact, f"cell {index}")
            ]
            box = _points_box(grade, meta.get("points"), "Points")
            shown.append(
                {
                    "kind": "code",
                    "gid": gid,
                    "answer": bool(meta.get("solution")),
                    "box": box if meta.get("grade") else None,
                    "code": code(source),
                    "outputs": outputs,
                    "comment": comment,
                }
            )
        else:
            shown.append({"kind": "raw", "text": source})
    in_notebook = None
    if total is not None and score is not None and tuple(score) != tuple(total):
        in_notebook = f"{_pts(score[0])} / {_pts(score[1])}"
    return render(
        "feedback.html.j2",
        title=f"Feedback: {assignment} / {notebook} ({student})",
        code_css=code.css(),
        student=student,
        assignment=assignment,
        notebook=notebook,
        total=f"{_pts(total[0])} / {_pts(total[1])}" if total is not None else None,
        in_notebook=in_notebook,
        manual_pending=manual_pending,
        cells=shown,
        written=time.strftime("%Y-%m-%d %H:%M"),
    )


NO_GRADE = {
    "invalid": "Your submission could not be graded: the grader refused it before running "
    "it. Fix the problem below and submit again.",
    "timeout": "Your notebook ran past its time limit, so it was stopped and not graded. "
    "Look for a loop that never ends or a very slow computation, run "
    "Kernel > Restart & Run All yourself, and submit again.",
    "crashed": "The Python kernel running your notebook died (for example by calling "
    "exit(), using too much memory or crashing the interpreter), so it was not graded.",
    "error": "The grader could not grade your notebook.",
}
"""What a page without a grade tells the student, by status."""


def _no_grade_page(record: StudentRecord, assignment: str, notebook: str, redact) -> str:
    return render(
        "no_grade.html.j2",
        title=f"Feedback: {assignment} / {notebook} ({record.student})",
        assignment=assignment,
        student=record.student,
        notebook=notebook,
        status=record.status,
        what=NO_GRADE.get(record.status, "Your notebook was not graded."),
        reason=redact(record.reason or "not recorded"),
    )


def _safe_id(name: str) -> bool:
    return bool(name) and name not in {".", ".."} and not re.search(r"[/\\\x00]", name)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # replaces a read-only page of an earlier run too


def _copy_release_files(sources: list[Path], dest: Path) -> None:
    """Copy timestamp.txt and submission_secret.txt: ``nbgrader release_feedback`` needs them."""
    for name in ("timestamp.txt", "submission_secret.txt"):
        for folder in sources:
            if folder.is_symlink() or folder.parent.is_symlink():
                continue  # never read through a student's link
            path = folder / name
            if path.is_file() and not path.is_symlink() and path.stat().st_size < 4096:
                _write(dest / name, path.read_text(errors="replace"))
                break


def generate(root: str | Path, assignment: str, student: str = "*") -> list[Path]:
    """Write the feedback pages of ``assignment`` for the students matching ``student``.

    Parameters
    ----------
    root : the nbgrader course root.
    assignment : the assignment id.
    student : a glob on student ids.

    Returns
    -------
    list of Path
        the pages written, ``ROOT/feedback/<student>/<assignment>/<nb>.html``. Students
        submitted but not graded yet get none.

    Raises
    ------
    ValueError
        when the assignment has no grades yet (run ``course grade ASSIGNMENT`` first).

    Examples
    --------
    >>> generate("/nonexistent", "ps01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: no grades for ps01 in /nonexistent: run `course grade ps01 ...` first
    """
    import nbformat

    from course.grading.config import load_course_config
    from course.grading.visible import gradebook_tests

    results = collect(root, assignment, student)
    root = results.root
    course = load_course_config(root)
    delimiters = course.hidden_test_delimiters
    tests = {name: gradebook_tests(course.db_url, name, assignment) for name in results.notebooks}
    hidden: list[str] = []
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        try:
            source_nb = nbformat.read(path, as_version=4)
        except Exception:  # nbformat raises several kinds
            continue
        for cell in source_nb.cells:
            if cell.get("cell_type") == "code":
                hidden += _hidden_lines(_text(cell.get("source")), delimiters)
    redact = _Redactor(hidden, root)
    written: list[Path] = []
    for record in results.students:
        if record.status == "ungraded":
            continue
        if not _safe_id(record.student):
            print(
                f"course feedback: skipped the unsafe student id {record.student!r}",
                file=sys.stderr,
            )
            continue
        dest = root / "feedback" / record.student / assignment
        graded_dir = root / "autograded" / record.student / assignment
        for name in results.notebooks:
            nb = None
            path = graded_dir / f"{name}.ipynb"
            if record.status == GRADED and path.is_file() and not path.is_symlink():
                try:
                    nb = nbformat.read(path, as_version=4)
                except Exception:  # unreadable: say so below
                    nb = None
            if nb is not None:
                page = render_notebook(
                    nb,
                    student=record.student,
                    assignment=assignment,
                    notebook=name,
                    grades={gid: g for (n, gid), g in record.grades.items() if n == name},
                    comments={gid: c for (n, gid), c in record.comments.items() if n == name},
                    score=record.notebook_scores.get(name),
                    total=(record.score, record.max_score)
                    if record.score is not None and record.max_score is not None
                    else None,
                    manual_pending=bool(record.manual_pending),
                    delimiters=delimiters,
                    root=root,
                    tests=tests.get(name) or None,
                )
            else:
                missing = record
                if record.status == GRADED:
                    missing = StudentRecord(
                        record.student,
                        "error",
                        f"the graded notebook {name}.ipynb is missing: the instructor should "
                        f"run `course grade {assignment} --student {record.student} --force`",
                    )
                page = _no_grade_page(missing, assignment, name, redact)
            target = dest / f"{name}.html"
            _write(target, page)
            written.append(target)
        _copy_release_files([graded_dir, root / "submitted" / record.student / assignment], dest)
    return written

"""What a student may see of a graded notebook: built from an allow-list, not by redaction.

:func:`split_test` cuts a test cell's source into the part the released notebook shows
(nbgrader's own :class:`~nbgrader.preprocessors.ClearHiddenTests` with the course's
delimiters) and its hidden part. :class:`VerifiedExecute` runs the two parts separately in
the evaluator, never the hidden part in the student's kernel, so a hidden test's source,
its expected values and its printed output never reach the kernel or the graded notebook.

:class:`StudentView` turns an autograded notebook into the notebook a student may see,
keeping only what is on this list:

* markdown cells, and the source of the student's own code cells, as submitted; their
  outputs are *not* kept (they came from the grading run, where the student's code could
  print anything it saw), except the grader's own note when a cell hit the time limit;
* a test cell's released source (hidden parts removed by nbgrader's preprocessor, from the
  gradebook's copy of the source, not the submitted one), and one verdict output: passed,
  or the error's name plus its message only when that message is a string the released
  test itself spells out (an assertion's message), or the grader's timeout note.

Both ``course feedback`` and nbgrader's own ``generate_feedback`` (formgrader's button; the
course's ``nbgrader_config.py`` puts :class:`StudentView` in
``GenerateFeedback.preprocessors``) build feedback from this view.

Examples
--------
>>> from nbgrader.preprocessors import ClearHiddenTests
>>> begin, end = ClearHiddenTests().begin_test_delimeter, ClearHiddenTests().end_test_delimeter
>>> shown, hidden = split_test(f"assert f(1) == 1, 'f(1)'\\n### {begin}\\nassert f(2) == 4\\n### {end}",
...                            (begin, end))
>>> shown, hidden
("assert f(1) == 1, 'f(1)'", 'assert f(2) == 4')
"""

from __future__ import annotations

import ast
import re

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

from course.grading.results import failing_line

__all__ = [
    "HIDDEN_FAILED",
    "StudentView",
    "blank_split",
    "gradebook_tests",
    "safe_message",
    "split_test",
    "student_view",
]

HIDDEN_FAILED = "a hidden test failed"
"""The whole message a student gets when a hidden part of a test fails."""
DETAILS_HIDDEN = "(details not shown)"
_NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


def split_test(source: str, delimiters: tuple[str, str]) -> tuple[str, str]:
    """``(released part, hidden part)`` of a test cell's source.

    The released part is what nbgrader's ``ClearHiddenTests`` leaves (a delimiter is
    recognised anywhere in a line and its whole line goes, as nbgrader does); the hidden
    part is the lines it removed, without the delimiter lines.
    """
    begin, end = delimiters
    clear = ClearHiddenTests(begin_test_delimeter=begin, end_test_delimeter=end)
    cell = NotebookNode(
        cell_type="code",
        source=source,
        metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 0}},
        outputs=[],
        execution_count=None,
    )
    clear.preprocess_cell(cell, {}, 0)
    hidden, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            hidden.append(line)
    return cell.source, "\n".join(hidden)


def blank_split(source: str, delimiters: tuple[str, str]) -> tuple[str, str, set[int]]:
    r"""``(released, hidden, hidden line numbers)`` with every line kept in its place.

    Lines of the other part (and delimiter lines) become blank, so an error's line number
    in either part is its line in the whole cell.

    >>> blank_split("a\n# BEGIN H\nb\n# END H\nc", ("BEGIN H", "END H"))
    ('a\n\n\n\nc', '\n\nb\n\n', {2, 3, 4})
    """
    begin, end = delimiters
    released, hidden, numbers, inside = [], [], set(), False
    for number, line in enumerate(source.split("\n"), 1):
        if begin in line:
            inside = True
            numbers.add(number)
            released.append("")
            hidden.append("")
        elif end in line and inside:
            inside = False
            numbers.add(number)
            released.append("")
            hidden.append("")
        elif inside:
            numbers.add(number)
            released.append("")
            hidden.append(line)
        else:
            released.append(line)
            hidden.append("")
    return "\n".join(released), "\n".join(hidden), numbers


HIDDEN_LINE = "# (hidden tests)"


def marked_release(source: str, delimiters: tuple[str, str]) -> str:
    r"""The released part of a test cell with one ``# (hidden tests)`` line per hidden block.

    >>> marked_release("a\n  # BEGIN H\n  b\n  # END H", ("BEGIN H", "END H"))
    'a\n  # (hidden tests)'
    """
    begin, end = delimiters
    shown, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
            shown.append(line[: len(line) - len(line.lstrip())] + HIDDEN_LINE)
        elif end in line and inside:
            inside = False
        elif not inside:
            shown.append(line)
    return "\n".join(shown)


def _string_constants(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def safe_message(ename: str, evalue: str, released: str) -> str:
    """The part of an error a student may see: the name, and the message if it is safe.

    The message is kept only when the released test spells it out as a string (the
    instructor's assertion message) or it is "name 'x' is not defined" for a name of the
    released test. Any other message may quote values the student's code chose (which
    could carry what the kernel saw earlier) and is left out.

    >>> safe_message("AssertionError", "f(1) should be 1", "assert f(1) == 1, 'f(1) should be 1'")
    'AssertionError: f(1) should be 1'
    >>> safe_message("AssertionError", "secret 42", "assert f(1) == 1")
    'AssertionError (details not shown)'
    """
    ename = ename if str(ename).isidentifier() else "Error"
    evalue = str(evalue or "")
    if evalue and evalue in _string_constants(released):
        return f"{ename}: {evalue}"
    found = _NAME_ERROR.fullmatch(evalue)
    if ename == "NameError" and found and found.group(1) in _names(released):
        return f"{ename}: {evalue}"
    if ename == "CellTimeoutError" and evalue.startswith("timeout: "):
        return f"{ename}: {evalue}"
    return f"{ename} {DETAILS_HIDDEN}" if evalue else ename


def _note(text: str, name: str = "stdout"):
    return new_output("stream", name=name, text=text)


def student_view(nb: NotebookNode, tests: dict[str, str], delimiters: tuple[str, str]):
    """The allow-listed copy of an autograded notebook (see the module docstring).

    ``tests`` maps each autograder test cell's ``grade_id`` to its source in the
    gradebook. Returns a new notebook; ``nb`` is not changed.
    """
    cells = []
    for cell in nb.cells:
        kind = cell.get("cell_type")
        meta = cell.get("metadata") or {}
        keep_meta = {k: meta[k] for k in ("nbgrader",) if k in meta}
        if kind != "code":
            cells.append(
                NotebookNode(
                    cell_type=kind if kind in ("markdown", "raw") else "markdown",
                    source=str(cell.get("source") or ""),
                    metadata=NotebookNode(keep_meta),
                    **({"attachments": cell["attachments"]} if cell.get("attachments") else {}),
                )
            )
            continue
        gid = (meta.get("nbgrader") or {}).get("grade_id")
        errors = [o for o in cell.get("outputs") or [] if o.get("output_type") == "error"]
        timed_out = [o for o in errors if o.get("ename") == "CellTimeoutError"]
        if gid in tests:
            released, _ = split_test(tests[gid], delimiters)
            hidden_lines = blank_split(tests[gid], delimiters)[2]
            stderr = any(
                o.get("output_type") == "stream" and o.get("name") == "stderr"
                for o in cell.get("outputs") or []
            )
            if errors:
                first = errors[0]
                ename, evalue = str(first.get("ename") or "Error"), str(first.get("evalue") or "")
                text = safe_message(ename, evalue, released)
                line = failing_line([str(t) for t in first.get("traceback") or []])
                in_hidden = line in hidden_lines if line is not None else bool(hidden_lines)
                if ename != "CellTimeoutError" and (evalue == HIDDEN_FAILED or in_hidden):
                    text = f"{ename if ename.isidentifier() else 'Error'}: {HIDDEN_FAILED}"
                ename, _, evalue = text.partition(": ")
                outputs = [
                    new_output("error", ename=ename.split()[0], evalue=evalue, traceback=[text])
                ]
            elif stderr:
                outputs = [_note("the test wrote to stderr, which fails it\n", "stderr")]
            else:
                outputs = []
            source = marked_release(tests[gid], delimiters)
        else:
            source = str(cell.get("source") or "")
            outputs = []
            if timed_out:
                text = safe_message("CellTimeoutError", str(timed_out[0].get("evalue")), "")
                outputs = [
                    new_output(
                        "error",
                        ename="CellTimeoutError",
                        evalue=text.partition(": ")[2],
                        traceback=[text],
                    )
                ]
        cells.append(
            NotebookNode(
                cell_type="code",
                source=source,
                metadata=NotebookNode(keep_meta),
                outputs=outputs,
                execution_count=None,
            )
        )
    view = NotebookNode(
        nbformat=4,
        nbformat_minor=nb.get("nbformat_minor", 5),
        metadata=NotebookNode(
            {k: nb.metadata[k] for k in ("kernelspec", "language_info") if k in nb.metadata}
        ),
        cells=cells,
    )
    return view


def gradebook_tests(db_url: str, notebook: str, assignment: str) -> dict[str, str]:
    """Autograder test cells of a notebook in the gradebook: grade_id -> source."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            found = gb.find_notebook(notebook, assignment)
        except MissingEntry:
            return {}
        solutions = {c.name for c in found.solution_cells}
        sources = {c.name: c.source for c in found.source_cells}
        return {
            c.name: sources[c.name]
            for c in found.grade_cells
            if c.cell_type == "code" and c.name not in solutions and c.name in sources
        }


class StudentView(NbGraderPreprocessor):
    """nbgrader preprocessor: replace the notebook by :func:`student_view` of it.

    Put it last in ``GenerateFeedback.preprocessors`` (after ``GetGrades``, which reads
    the scores): nbgrader's feedback then shows no hidden test and no output of the
    grading run. A cell whose test source the gradebook does not know is treated as a
    student's cell (no outputs).
    """

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader") or {}
        tests = {}
        if info.get("db_url"):
            tests = gradebook_tests(info["db_url"], info["notebook"], info["assignment"])
        clear = ClearHiddenTests(config=self.config)  # the course's delimiters
        delimiters = (clear.begin_test_delimeter, clear.end_test_delimeter)
        view = student_view(nb, tests, delimiters)
        nb.cells = view.cells
        nb.metadata = view.metadata
        return nb, resources

"""The scan's comparison of a submission with the release: edited cells and changed metadata.

A locked or test cell must arrive as students received it: the released source is made
by nbgrader's own preprocessors (:func:`release_source`) with the course's configuration,
so the scan and the release never disagree. nbgrader metadata (grade ids, points, cell
types, the kernel) must match the instructor's source notebook, and a test cell must not
arrive with outputs already in it. Each finding is ``(cell label, kind, detail)``.

Examples
--------
>>> import nbformat
>>> from course.grading.submissions import HIDDEN
>>> meta = {"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}}
>>> cell = nbformat.v4.new_code_cell(f"assert f(1) == 2\\n{HIDDEN[0]}\\nx\\n{HIDDEN[1]}", metadata=meta)
>>> source = nbformat.v4.new_notebook(cells=[cell])
>>> edited = nbformat.v4.new_code_cell("assert True", metadata=meta)
>>> compare([edited], ["t"], source)
[('t', 'edited-locked-cell', "test cell edited: 1 line(s) added, 1 removed; first added: 'assert True'")]
"""

from __future__ import annotations

import contextvars
import difflib
from collections.abc import Mapping

import nbformat

__all__ = [
    "COURSE_CONFIG",
    "cell_source",
    "compare",
    "is_locked",
    "kernel_change",
    "nbgrader_meta",
    "normalised",
    "prefilled",
    "release_source",
]


def cell_source(cell: Mapping) -> str:
    """A cell's source as one string."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def nbgrader_meta(cell: Mapping) -> dict:
    """A copy of a cell's nbgrader metadata ({} when it has none or it is malformed)."""
    metadata = cell.get("metadata") or {}
    found = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    return dict(found) if isinstance(found, Mapping) else {}


def _is_test(meta: Mapping) -> bool:
    return bool(meta.get("grade")) and not bool(meta.get("solution"))


def is_locked(meta: Mapping) -> bool:
    """Whether a cell with nbgrader metadata ``meta`` must arrive as released."""
    return bool(meta.get("locked")) or _is_test(meta)


COURSE_CONFIG: contextvars.ContextVar = contextvars.ContextVar("course_config", default=None)
"""The course's nbgrader configuration while :func:`course.grading.scan.scan_submission` runs."""


def release_source(cell: Mapping, config=None) -> str:
    """The source of an instructor's cell as students received it, made by nbgrader itself.

    nbgrader's own ``ClearSolutions``, ``ClearHiddenTests`` and ``ClearMarkingScheme`` run
    on a copy of the cell with the course's configuration (``config``; nbgrader's defaults
    without it), so the scan and the release never disagree (a delimiter line with text after
    it, a custom stub or delimiter).

    Examples
    --------
    >>> import nbformat
    >>> from course.grading.submissions import HIDDEN
    >>> begin, end = HIDDEN
    >>> cell = nbformat.v4.new_code_cell(f"assert f(1) == 2\\n{begin}\\nassert f(2) == 4\\n{end}")
    >>> cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    >>> release_source(cell)
    'assert f(1) == 2'
    """
    import copy as _copy

    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions
    from traitlets.config import Config

    config = config if config is not None else (COURSE_CONFIG.get() or Config())
    work = nbformat.from_dict(_copy.deepcopy(dict(cell)))
    work.source = cell_source(cell)
    resources = {"language": "python"}
    for step in (ClearSolutions, ClearHiddenTests, ClearMarkScheme):
        try:
            work, resources = step(config=config, enforce_metadata=False).preprocess_cell(
                work, resources, 0
            )
        except Exception:  # a malformed block: compare with what nbgrader could not clear
            continue
    return cell_source(work)


def normalised(src: str) -> str:
    """``src`` without blank lines and trailing spaces, for comparing cells."""
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
    src_meta, sub_meta = nbgrader_meta(src_cell), nbgrader_meta(sub_cell)
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


def compare(cells: list, labels: list[str], source: Mapping) -> list[tuple[str, str, str]]:
    """``(cell, kind, detail)`` for every difference from the source that matters."""
    found: list[tuple[str, str, str]] = []
    by_id: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id is not None:
            by_id.setdefault(str(grade_id), []).append(index)
        elif nbgrader_meta(cell):
            found.append((labels[index], "metadata", "nbgrader metadata without a grade_id"))
    for grade_id, indexes in by_id.items():
        if len(indexes) > 1:
            found.append((grade_id, "metadata", f"grade_id used by {len(indexes)} cells"))
    source_cells = {
        str(nbgrader_meta(c)["grade_id"]): c
        for c in source.get("cells", [])
        if nbgrader_meta(c).get("grade_id")
    }
    for grade_id, src_cell in source_cells.items():
        if grade_id in by_id:
            index = by_id[grade_id][0]
        else:
            index = _orphan(cells, src_cell)
            if index is None:
                found.append(
                    (grade_id, "metadata", f"cell deleted (was a {_what(nbgrader_meta(src_cell))})")
                )
                continue
            found.append((labels[index], "metadata", f"nbgrader metadata removed (was {grade_id})"))
        sub_cell = cells[index]
        if grade_id in by_id:
            found += [(labels[index], "metadata", c) for c in _metadata_changes(src_cell, sub_cell)]
        if is_locked(nbgrader_meta(src_cell)):
            found += _locked_edit(src_cell, sub_cell, labels[index])
    for grade_id in by_id:
        if grade_id not in source_cells:
            found.append((grade_id, "metadata", "grade_id not in the source notebook"))
    return found


def _orphan(cells: list, src_cell: Mapping) -> int | None:
    """A submission cell without nbgrader metadata that is ``src_cell`` (same id or source)."""
    released = normalised(release_source(src_cell))
    for index, cell in enumerate(cells):
        if nbgrader_meta(cell):
            continue
        if src_cell.get("id") and cell.get("id") == src_cell.get("id"):
            return index
        if (
            is_locked(nbgrader_meta(src_cell))
            and released
            and normalised(cell_source(cell)) == released
        ):
            return index
    return None


def _locked_edit(src_cell: Mapping, sub_cell: Mapping, label: str) -> list[tuple[str, str, str]]:
    released, submitted = release_source(src_cell), cell_source(sub_cell)
    if normalised(released) == normalised(submitted):
        return []
    what = "test cell" if _is_test(nbgrader_meta(src_cell)) else "locked cell"
    if normalised(cell_source(src_cell)) == normalised(submitted):
        detail = f"{what} contains the hidden tests, which were never released"
    else:
        detail = _edit_detail(released, submitted, what)
    return [(label, "edited-locked-cell", detail)]


def prefilled(cell: Mapping, meta: Mapping) -> str | None:
    """Why a test cell's outputs are suspicious (outputs other than errors), else None."""
    if cell.get("cell_type") != "code" or not _is_test(meta):
        return None
    types = [
        out.get("output_type", "?") for out in cell.get("outputs") or [] if isinstance(out, Mapping)
    ]
    if not [t for t in types if t != "error"]:
        return None
    return f"test cell holds {len(types)} output(s): {', '.join(sorted(set(types)))}"


def kernel_change(nb: Mapping, source: Mapping) -> list[tuple[str, str, str]]:
    """The notebook's kernel must be the source's: another kernel runs the cells differently."""

    def kernel(notebook: Mapping) -> str | None:
        spec = (notebook.get("metadata") or {}).get("kernelspec") or {}
        return spec.get("name") if isinstance(spec, Mapping) else None

    before, after = kernel(source), kernel(nb)
    if before and before != after:
        return [("", "metadata", f"kernelspec changed from {before!r} to {after!r}")]
    return []

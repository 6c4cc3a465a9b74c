"""Which names a test cell reads and which it binds, read from its source with :mod:`ast`.

The grader asks the student's kernel only for the names a test reads and does not set
itself (:class:`course.grading.verified.VerifiedExecute`), and the evaluator keeps the
names a test defined over the notebook's (:mod:`course.grading.evaluator`). IPython syntax
(``%magic``, ``!shell``) is parsed the way IPython runs it.

This file uses only the standard library at import time (IPython is imported when a cell
needs its syntax), because the evaluator process loads it too.

Examples
--------
>>> sorted(names_used("assert add(2, 3) == x\\nfor i in range(3): y = i"))
['add', 'i', 'x']
>>> sorted(names_bound("import math as m\\nx, y = 1, 2\\ndef f(): z = 3"))
['f', 'm', 'x', 'y']
"""

from __future__ import annotations

import ast
import builtins

SKIP_NAMES = frozenset(dir(builtins)) | {"In", "Out", "_", "__", "___", "get_ipython", "exit"}
"""Names never exported from the kernel: builtins and IPython's own."""

__all__ = ["SKIP_NAMES", "names_bound", "names_used", "parse_cell"]


def parse_cell(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))


def names_used(source: str) -> set[str]:
    """Every name a cell reads (anywhere, functions included), minus builtins."""
    found = set()
    for node in ast.walk(parse_cell(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, ast.Global):
            found.update(node.names)
    return {n for n in found if n not in SKIP_NAMES}


def names_bound(source: str) -> set[str]:
    """The names a cell binds at module level (assignments, imports, defs, loops...)."""
    bound: set[str] = set()

    def targets(node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                bound.add(sub.id)

    def visit(statements):
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name != "*":
                        bound.add(alias.asname or alias.name.split(".")[0])
                continue
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                for target in getattr(node, "targets", None) or [node.target]:
                    targets(target)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                targets(node.target)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
            elif isinstance(node, ast.Try):
                for handler in node.handlers:
                    if handler.name:
                        bound.add(handler.name)
            for sub in ast.walk(node):
                if isinstance(sub, ast.NamedExpr):
                    targets(sub.target)
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(node, field, None) or [])
            for handler in getattr(node, "handlers", None) or []:
                visit(handler.body)

    visit(parse_cell(source).body)
    return bound
